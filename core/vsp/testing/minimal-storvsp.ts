/**
 * A minimal storage VSP for the core's own tests and benchmarks: enough of the storage protocol
 * to bring storvsc up (rule 16) and to run reads, writes and flushes on the bound disk (rule 17).
 * It is not the product's storvsp (plugins/storvsp is): no inquiries, no LUN checks. It uses the
 * VSP host boundary exactly as a plugin does. Like storvsp it serves both storage offers, the
 * synthetic SCSI controller's (HV_SCSI_GUID) and the IDE accelerator's (HV_IDE_GUID, a
 * generation 1 VM's boot disk): same protocol, but no subchannels on the IDE accelerator
 * (O: storvsp `build_ide` gives it `max_sub_channel_count` 0).
 */
import {
  createVstorSrbPacket,
  DEFAULT_STORVSP_CONFIG,
  decodeVstorRequest,
  decodeVstorSrbInto,
  encodeVstorHostMessage,
  scsi,
  storvspInitStep,
  VstorNtStatus,
  VstorOperation,
} from '../../protocols/index.js';
import type { StorvspInitState, VmscsiRequest, VstorSrbPacket } from '../../protocols/index.js';
import type { VspChannel, VspHandlers, VspHost, VspModule, VspPacket } from '../types.js';
import { IDE_ACCELERATOR_CLASS_GUID } from '../../model/class-guids.js';

export const MINIMAL_STORVSP_ID = 'test.minimal-storage';

/** A request at the disk. Pooled: every I/O of a benchmark host comes through here. */
interface Outstanding {
  transId: number;
  /** The EXECUTE_SRB as decoded; its `srb` becomes the completion. */
  readonly request: VstorSrbPacket;
}

const BEGIN: StorvspInitState = { phase: 'beginInitialization' };

export function minimalStorvsp(
  options: { perRequestNs?: number; maxSubchannels?: number } = {},
): VspModule {
  const perRequest = options.perRequestNs ?? 5_000;
  const config = { ...DEFAULT_STORVSP_CONFIG, maxSubChannelCount: options.maxSubchannels ?? 0 };
  const ideConfig = { ...config, maxSubChannelCount: 0 };
  return {
    id: MINIMAL_STORVSP_ID,
    deviceClass: 'storage',
    isolation: 'native',
    digest: 'minimal-storvsp-v1',
    create(host: VspHost): VspHandlers {
      const device = host.device;
      const init = new Map<number, StorvspInitState>();
      const outstanding = new Map<number, Map<number, Outstanding>>();
      let nextTag = 1;
      const out = new Uint8Array(128);
      const pool: Outstanding[] = [];
      const acquire = (): Outstanding =>
        pool.pop() ?? { transId: 0, request: createVstorSrbPacket() };
      const dispatch = (channel: VspChannel, packet: VspPacket, o: Outstanding): void => {
        const srb = o.request.srb;
        const cdb = scsi.decodeCdb(srb.cdbOrSense, 0, srb.cdbLength);
        if (device.kind !== 'block' || cdb.kind === 'rejected') {
          complete(channel, packet.transId, srb, false);
          pool.push(o);
          return;
        }
        const op =
          cdb.kind === 'read10' || cdb.kind === 'read16'
            ? 'read'
            : cdb.kind === 'write10' || cdb.kind === 'write16'
              ? 'write'
              : cdb.kind === 'synchronizeCache10'
                ? 'flush'
                : null;
        if (op === null) {
          complete(channel, packet.transId, srb, true);
          pool.push(o);
          return;
        }
        if (op !== 'flush')
          channel.memory.touchRanges(packet, srb.dataTransferLength, op === 'read');
        const tag = nextTag++;
        o.transId = packet.transId;
        outstanding.get(channel.id)?.set(tag, o);
        const lba = 'lba' in cdb ? cdb.lba : 0;
        device.submit(channel, {
          op,
          offsetBytes: lba * 512,
          bytes: srb.dataTransferLength,
          tag,
        });
      };
      const complete = (
        channel: VspChannel,
        transId: number,
        srb: VmscsiRequest,
        ok: boolean,
      ): void => {
        scsi.writeScsiCompletion(
          srb,
          ok
            ? scsi.scsiGoodCompletion(srb.dataTransferLength)
            : { srbStatus: 0x04, scsiStatus: 2, sense: undefined, dataTransferLength: 0 },
        );
        const n = encodeVstorHostMessage(
          {
            kind: 'completeIo',
            flags: 0,
            status: VstorNtStatus.SUCCESS,
            result: { kind: 'srb', srb },
          },
          out,
          0,
        );
        channel.complete(transId, out.subarray(0, n));
      };
      return {
        onChannelOpened(channel) {
          init.set(
            channel.id,
            channel.subchannelIndex === 0
              ? { phase: 'beginInitialization' }
              : { phase: 'ready', protocolVersion: 0x0602, subChannelCount: 0 },
          );
          outstanding.set(channel.id, new Map());
        },
        onPacket(channel: VspChannel, packet: VspPacket) {
          host.cpu.charge(perRequest);
          const payload = packet.payload;
          const state = init.get(channel.id) ?? BEGIN;
          // Fast path, the same outcome as the state machine below: a ready channel's
          // EXECUTE_SRB is dispatched to the disk and the state stays. It decodes into a pooled
          // request instead of allocating one per I/O; a malformed one takes the general path.
          if (
            state.phase === 'ready' &&
            payload.length >= 4 &&
            payload[0] === VstorOperation.EXECUTE_SRB &&
            payload[1] === 0 &&
            payload[2] === 0 &&
            payload[3] === 0
          ) {
            const o = acquire();
            if (decodeVstorSrbInto(payload, 0, payload.length, o.request).ok) {
              dispatch(channel, packet, o);
              return;
            }
            pool.push(o);
          }
          const decoded = decodeVstorRequest(payload, 0, payload.length);
          if (!decoded.ok) {
            channel.fail(`malformed storage request: ${decoded.detail}`);
            return;
          }
          const ide = channel.classGuid === IDE_ACCELERATOR_CLASS_GUID;
          const step = storvspInitStep(state, decoded.value, ide ? ideConfig : config);
          init.set(channel.id, step.state);
          if (step.offerSubChannels !== undefined && step.offerSubChannels > 0)
            channel.offerSubchannels(step.offerSubChannels);
          if (step.completion !== undefined) {
            const n = encodeVstorHostMessage(
              {
                kind: 'completeIo',
                flags: 0,
                status: step.completion.status,
                result: step.completion.result,
              },
              out,
              0,
            );
            channel.complete(packet.transId, out.subarray(0, n));
            return;
          }
          if (!step.dispatchToDisk || decoded.value.kind !== 'executeSrb') return;
          const o = acquire();
          if (decodeVstorSrbInto(payload, 0, payload.length, o.request).ok)
            dispatch(channel, packet, o);
          else pool.push(o);
        },
        onDeviceCompleted(channel, completion) {
          host.cpu.charge(perRequest / 2);
          const map = outstanding.get(channel.id);
          const o = map?.get(completion.tag);
          if (map === undefined || o === undefined) return;
          map.delete(completion.tag);
          complete(channel, o.transId, o.request.srb, completion.status === 'ok');
          pool.push(o);
        },
      };
    },
  };
}
