/**
 * COMPLETE_IO packets (rule 17): the completion echoing the request's trans_id, with the NTSTATUS
 * storvsp derives from the SRB status, the SRB and SCSI status, autosense and the bytes moved —
 * built the way openvmm's storvsp `handle_completion` builds them, into reused buffers.
 */
import {
  SrbStatus,
  VSTOR_PACKET_SIZE,
  VstorOperation,
  createVstorSrbPacket,
  encodeVstorHostMessage,
  encodeVstorSrbPacket,
  scsi,
} from '../../core/protocols/index.js';
import type { VstorCompletionResult } from '../../core/protocols/index.js';
import type { VspChannel } from '../sdk/index.js';
import type { CodecVersion } from './controller.js';

const NONE: VstorCompletionResult = Object.freeze({ kind: 'none' });

/** The outcome of one SCSI command, mutable so the fast path reuses one. */
interface Outcome {
  srbStatus: number;
  scsiStatus: number;
  sense: scsi.SenseData | undefined;
  dataTransferLength: number;
}

export class CompletionWriter {
  private readonly out = new Uint8Array(VSTOR_PACKET_SIZE);
  /** `out`'s first n bytes, by n (a packet's size depends only on the protocol version). */
  private readonly views: (Uint8Array | undefined)[] = [];
  private readonly packet = createVstorSrbPacket({ operation: VstorOperation.COMPLETE_IO });
  private readonly outcome: Outcome = {
    srbStatus: 0,
    scsiStatus: 0,
    sense: undefined,
    dataTransferLength: 0,
  };

  /** Completes an EXECUTE_SRB with a SCSI outcome. */
  srb(
    channel: VspChannel,
    transId: number,
    layout: CodecVersion,
    outcome: scsi.ScsiCompletion,
  ): void {
    const o = this.outcome;
    o.srbStatus = outcome.srbStatus;
    o.scsiStatus = outcome.scsiStatus;
    o.sense = outcome.sense;
    o.dataTransferLength = outcome.dataTransferLength;
    scsi.writeScsiCompletion(this.packet.srb, o);
    this.packet.status = scsi.ntStatusForSrbStatus(o.srbStatus);
    const n = encodeVstorSrbPacket(this.packet, this.out, 0, layout);
    channel.complete(transId, this.firstBytes(n));
  }

  /** Completes an EXECUTE_SRB that succeeded after moving `bytes` (GOOD). */
  good(channel: VspChannel, transId: number, layout: CodecVersion, bytes: number): void {
    const o = this.outcome;
    o.srbStatus = SrbStatus.SUCCESS;
    o.scsiStatus = scsi.ScsiStatus.GOOD;
    o.sense = undefined;
    o.dataTransferLength = bytes;
    this.srb(channel, transId, layout, o);
  }

  /** Completes any other request with an NTSTATUS (and a result, for the handshake). */
  status(
    channel: VspChannel,
    transId: number,
    layout: CodecVersion,
    status: number,
    result: VstorCompletionResult = NONE,
  ): void {
    const n = encodeVstorHostMessage(
      { kind: 'completeIo', flags: 0, status, result },
      this.out,
      0,
      layout,
    );
    channel.complete(transId, this.firstBytes(n));
  }

  /** The channel copies what it is given, so one view per size serves every completion. */
  private firstBytes(n: number): Uint8Array {
    return (this.views[n] ??= this.out.subarray(0, n));
  }
}
