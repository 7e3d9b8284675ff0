/**
 * tiny-storvsp — the storage VSP docs/plugins.md writes from scratch: storvsc's handshake, then
 * reads and writes on the host's disk, checked before anything is done with them.
 */
// #region define
import { defineVsp } from 'hyperkata/sdk';
import type { VspChannel } from 'hyperkata/sdk';
import {
  createVmscsiRequest,
  decodeVstorRequest,
  DEFAULT_STORVSP_CONFIG,
  encodeVstorHostMessage,
  scsi,
  storvspInitStep,
  VstorNtStatus,
} from 'hyperkata/protocols';
import type { StorvspInitState, VmscsiRequest } from 'hyperkata/protocols';

/** A request the disk is working on. */
interface InFlight {
  readonly channelId: number;
  readonly transId: number;
  readonly srb: VmscsiRequest;
}

export default defineVsp({
  id: 'acme.tiny-storvsp',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  description: 'The storage VSP of the plugin tutorial',
  settings: {
    requestNs: {
      type: 'integer',
      default: 3_000,
      min: 0,
      max: 1_000_000,
      description: 'Root CPU to handle one request, ns',
    },
  },
  create(host, settings) {
    // #endregion define
    // #region state
    const init = new Map<number, StorvspInitState>(); // the handshake, per channel
    const inFlight = new Map<number, InFlight>(); // requests at the disk, by tag
    let nextTag = 1;
    const out = new Uint8Array(128);

    /** Answers an SRB with COMPLETE_IO: GOOD, or CHECK CONDITION when it was refused. */
    const finish = (channel: VspChannel, transId: number, srb: VmscsiRequest, ok: boolean) => {
      scsi.writeScsiCompletion(
        srb,
        ok
          ? scsi.scsiGoodCompletion(srb.dataTransferLength)
          : { srbStatus: 0x04, scsiStatus: 2, sense: undefined, dataTransferLength: 0 },
      );
      const result = { kind: 'srb', srb } as const;
      const status = VstorNtStatus.SUCCESS;
      const n = encodeVstorHostMessage({ kind: 'completeIo', flags: 0, status, result }, out, 0);
      channel.complete(transId, out.subarray(0, n));
    };
    // #endregion state

    // #region handshake
    return {
      onChannelOpened(channel) {
        // Subchannels skip the handshake: the primary channel did it for them.
        init.set(
          channel.id,
          channel.subchannelIndex === 0
            ? { phase: 'beginInitialization' }
            : { phase: 'ready', protocolVersion: 0x0602, subChannelCount: 0 },
        );
      },

      onPacket(channel, packet) {
        host.cpu.charge(settings.requestNs);
        // Rule 37: the guest wrote these bytes; check them before trusting any of them.
        if (packet.kind === 'completion' || !packet.completionRequested) {
          channel.fail('storage requests must be requests that ask for a completion');
          return;
        }
        const request = decodeVstorRequest(packet.payload, 0, packet.payload.length);
        if (!request.ok) {
          channel.fail(`malformed storage request: ${request.detail}`);
          return;
        }
        const state = init.get(channel.id) ?? { phase: 'beginInitialization' };
        const step = storvspInitStep(state, request.value, DEFAULT_STORVSP_CONFIG);
        init.set(channel.id, step.state);
        if (step.offerSubChannels !== undefined && step.offerSubChannels > 0)
          channel.offerSubchannels(step.offerSubChannels);
        if (step.completion !== undefined) {
          const { status, result } = step.completion;
          const n = encodeVstorHostMessage(
            { kind: 'completeIo', flags: 0, status, result },
            out,
            0,
          );
          channel.complete(packet.transId, out.subarray(0, n));
          return;
        }
        if (!step.dispatchToDisk || request.value.kind !== 'executeSrb') return;
        // #endregion handshake
        // #region io
        const srb = createVmscsiRequest(request.value.srb);
        const cdb = scsi.decodeCdb(srb.cdbOrSense, 0, srb.cdbLength);
        if (cdb.kind === 'rejected' || srb.lun !== 0 || host.device.kind !== 'block') {
          finish(channel, packet.transId, srb, false);
          return;
        }
        const read = cdb.kind === 'read10' || cdb.kind === 'read16';
        const write = cdb.kind === 'write10' || cdb.kind === 'write16';
        if (!read && !write) {
          // TEST UNIT READY, INQUIRY, SYNCHRONIZE CACHE…: nothing for the disk to move.
          finish(channel, packet.transId, srb, true);
          return;
        }
        // The data must fit the pages the guest granted, and the disk.
        const granted = channel.memory.touchRanges(packet, srb.dataTransferLength, read);
        const offsetBytes = cdb.lba * 512;
        if (!granted.ok || offsetBytes + srb.dataTransferLength > channel.diskBytes) {
          finish(channel, packet.transId, srb, false);
          return;
        }
        const tag = nextTag++;
        inFlight.set(tag, { channelId: channel.id, transId: packet.transId, srb });
        host.device.submit(channel, {
          op: read ? 'read' : 'write',
          offsetBytes,
          bytes: srb.dataTransferLength,
          tag,
        });
      },

      onDeviceCompleted(channel, completion) {
        const request = inFlight.get(completion.tag);
        if (request === undefined) return;
        inFlight.delete(completion.tag);
        finish(channel, request.transId, request.srb, completion.status === 'ok');
      },
      // #endregion io
      // #region closed
      onChannelClosed(channel) {
        init.delete(channel.id);
        for (const [tag, request] of inFlight)
          if (request.channelId === channel.id) inFlight.delete(tag);
      },
    };
  },
});
// #endregion closed
