/**
 * "Turbo storvsp" — an example third-party storage VSP that level 11 offers the player. It is
 * faster than the built-in storvsp because it skips validation: it trusts the guest's transfer
 * length instead of checking it against the page ranges the packet carries, and it does not refuse
 * requests the protocol forbids. With well-behaved guests it works; with a hostile one it tries to
 * read past what the guest granted — the isolation boundary refuses and records it, which is
 * exactly the class of bug that made real VSPs a security risk (HYPERV.md rule 39).
 */
import {
  createVmscsiRequest,
  DEFAULT_STORVSP_CONFIG,
  decodeVstorRequest,
  encodeVstorHostMessage,
  scsi,
  storvspInitStep,
  VstorNtStatus,
} from '../../core/protocols/index.js';
import type { StorvspInitState, VmscsiRequest } from '../../core/protocols/index.js';
import { defineVsp } from '../sdk/index.js';
import type { VspChannel } from '../sdk/index.js';

// estimate: no validation, no queueing: about half the root CPU of the built-in per request.
const TURBO_REQUEST_NS = 2_500;
const TURBO_COMPLETION_NS = 1_500;

export default defineVsp({
  id: 'example.turbo-storvsp',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  description: 'Fast storage VSP from a third party. It skips request validation.',
  create(host) {
    const init = new Map<number, StorvspInitState>();
    const pending = new Map<number, { channel: VspChannel; transId: number; srb: VmscsiRequest }>();
    let nextTag = 1;
    const out = new Uint8Array(128);
    const complete = (channel: VspChannel, transId: number, srb: VmscsiRequest): void => {
      scsi.writeScsiCompletion(srb, scsi.scsiGoodCompletion(srb.dataTransferLength));
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
      },
      onPacket(channel, packet) {
        host.cpu.charge(TURBO_REQUEST_NS);
        const decoded = decodeVstorRequest(packet.payload, 0, packet.payload.length);
        if (!decoded.ok) return; // silently ignored: the guest waits forever
        const step = storvspInitStep(
          init.get(channel.id) ?? { phase: 'beginInitialization' },
          decoded.value,
          DEFAULT_STORVSP_CONFIG,
        );
        init.set(channel.id, step.state);
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
        if (decoded.value.kind !== 'executeSrb' || host.device.kind !== 'block') return;
        const srb = createVmscsiRequest(decoded.value.srb);
        const cdb = scsi.decodeCdb(srb.cdbOrSense, 0, srb.cdbLength);
        const op =
          cdb.kind === 'read10' || cdb.kind === 'read16'
            ? 'read'
            : cdb.kind === 'write10' || cdb.kind === 'write16'
              ? 'write'
              : 'flush';
        // The bug: the transfer length comes from the guest and is never checked against the ranges.
        if (op !== 'flush')
          channel.memory.touchRanges(packet, srb.dataTransferLength, op === 'read');
        const tag = nextTag++;
        pending.set(tag, { channel, transId: packet.transId, srb });
        const lba = 'lba' in cdb ? cdb.lba : 0;
        host.device.submit(channel, {
          op,
          offsetBytes: lba * 512,
          bytes: srb.dataTransferLength,
          tag,
        });
      },
      onDeviceCompleted(_channel, completion) {
        host.cpu.charge(TURBO_COMPLETION_NS);
        const p = pending.get(completion.tag);
        if (p === undefined) return;
        pending.delete(completion.tag);
        complete(p.channel, p.transId, p.srb);
      },
    };
  },
});
