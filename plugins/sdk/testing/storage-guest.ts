/**
 * A scripted storvsc for storage VSP tests: it speaks the storage protocol over a harness channel
 * — the rule-16 handshake, EXECUTE_SRB requests with data buffers in fake guest memory (rule 17)
 * — and reads the COMPLETE_IO answers back.
 */
import {
  REQUEST_COMPLETION_FLAG,
  SRB_STATUS_AUTOSENSE_VALID,
  VmscsiDirection,
  createVmscsiRequest,
  decodeVstorHostMessage,
  encodeVstorRequest,
  scsi,
  senseBufferSize,
  storvscInitOnCompletion,
  storvscInitStart,
  vmscsiRequestSize,
} from '../../../core/protocols/index.js';
import type {
  StorvscInitState,
  VstorCompletionResult,
  VstorRequest,
} from '../../../core/protocols/index.js';
import type { GpaRange, VspPacket } from '../../../core/vsp/types.js';
import type { FakeChannel } from './fake-channel.js';
import type { VspTestHarness } from './harness.js';
import { HarnessError, noCompletion } from './harness-error.js';
import type { PacketOptions } from './packets.js';

/**
 * One EXECUTE_SRB as a test describes it. Give `command` (encoded for you) or raw `cdb` bytes.
 *
 * @example
 * ```ts
 * const read: SrbOptions = { command: { kind: 'read16', lba: 8, blocks: 8, fua: false, dpo: false } };
 * const hostile: SrbOptions = { cdb: Uint8Array.of(0xff), dataTransferLength: 512 };
 * ```
 */
export interface SrbOptions extends PacketOptions {
  readonly command?: scsi.ScsiCommand;
  readonly cdb?: Uint8Array;
  /** Default: the encoded CDB's length. */
  readonly cdbLength?: number;
  /** `vmscsi_request.data_in`; default: read for commands that return data, write for writes. */
  readonly dataIn?: number;
  /** Default: the buffer's size, or the command's blocks × 512 when there is no buffer given. */
  readonly dataTransferLength?: number;
  /** The guest's data buffer; default a fresh one of `dataTransferLength` bytes; `null` sends in-band. */
  readonly buffer?: GpaRange | null;
  readonly pathId?: number;
  readonly targetId?: number;
  readonly lun?: number;
}

/**
 * A decoded COMPLETE_IO answering an EXECUTE_SRB.
 *
 * @example
 * ```ts
 * const c = guest.completion(transId);
 * const succeeded = (c.srbStatus & 0x3f) === 0x01; // SRB_STATUS_SUCCESS, flags masked off
 * ```
 */
export interface StorageCompletion {
  readonly transId: number;
  /** `vstor_packet.status` (NTSTATUS). */
  readonly status: number;
  /** `vm_srb.srb_status` with its flag bits. */
  readonly srbStatus: number;
  readonly scsiStatus: number;
  readonly dataTransferLength: number;
  /** Sense data, when SRB_STATUS_AUTOSENSE_VALID is set. */
  readonly sense: scsi.SenseData | undefined;
}

const DATA_IN_COMMANDS = new Set([
  'read10',
  'read16',
  'inquiry',
  'readCapacity10',
  'readCapacity16',
  'modeSense6',
  'modeSense10',
  'reportLuns',
  'requestSense',
]);

/**
 * A scripted storvsc on one harness channel.
 *
 * @example
 * ```ts
 * const h = new VspTestHarness(storvsp);
 * const guest = new StorageGuest(h, h.openChannel({ guestVps: 8 }));
 * guest.initialize();                                   // rule 16
 * const { transId, buffer } = guest.executeSrb({
 *   command: { kind: 'inquiry', evpd: false, pageCode: 0, allocationLength: 36 },
 * });
 * h.settle();
 * const c = guest.completion(transId);                   // rule 17
 * const data = h.memory.read(buffer!, 0, c.dataTransferLength);
 * ```
 */
export class StorageGuest {
  /** The negotiated protocol version (0 until the handshake agreed on one). */
  protocolVersion = 0;
  private readonly scratch = new Uint8Array(128);

  constructor(
    readonly h: VspTestHarness,
    readonly channel: FakeChannel,
  ) {}

  /** Sends one storage request in-band; returns its trans_id. */
  request(request: VstorRequest, options: PacketOptions = {}): number {
    const n = encodeVstorRequest(request, this.scratch, 0, this.codecOptions());
    const packet = this.h.packets.inband(this.scratch.slice(0, n), options);
    this.h.deliver(this.channel, packet);
    return packet.transId;
  }

  /**
   * Runs the rule-16 handshake as Linux storvsc does (version fallback 6.2 → 6.0 → 5.1,
   * properties, end, sub-channels) and returns storvsc's final state.
   */
  initialize(onlineCpus = this.channel.guestVps): StorvscInitState {
    let step = storvscInitStart({ onlineCpus });
    while (step.request !== undefined) {
      const request = step.request;
      const transId = this.request(request);
      this.h.settle();
      const completes: VstorCompletionResult['kind'] =
        request.kind === 'queryProperties'
          ? 'channelProperties'
          : request.kind === 'queryProtocolVersion'
            ? 'protocolVersion'
            : 'none';
      const answer = this.decode(transId, completes);
      step = storvscInitOnCompletion(step.state, {
        status: answer.status,
        result: answer.result,
      });
      if (step.state.protocolVersion !== 0) this.protocolVersion = step.state.protocolVersion;
    }
    return step.state;
  }

  /** Builds an EXECUTE_SRB packet (not sent) and the buffer it names. */
  srbPacket(options: SrbOptions): { packet: VspPacket; buffer: GpaRange | null } {
    const srb = createVmscsiRequest({
      length: vmscsiRequestSize(this.version()),
      senseInfoLength: senseBufferSize(this.version()),
      pathId: options.pathId ?? 0,
      targetId: options.targetId ?? 0,
      lun: options.lun ?? 0,
    });
    let cdbLength = 0;
    if (options.command !== undefined)
      cdbLength = scsi.encodeCdb(options.command, srb.cdbOrSense, 0);
    if (options.cdb !== undefined) {
      srb.cdbOrSense.set(options.cdb.subarray(0, 16));
      cdbLength = Math.min(16, options.cdb.length);
    }
    srb.cdbLength = options.cdbLength ?? cdbLength;
    const kind = options.command?.kind ?? '';
    srb.dataIn =
      options.dataIn ??
      (kind === 'write10' || kind === 'write16'
        ? VmscsiDirection.WRITE
        : DATA_IN_COMMANDS.has(kind)
          ? VmscsiDirection.READ
          : VmscsiDirection.UNKNOWN);
    const length = options.dataTransferLength ?? defaultLength(options);
    const buffer =
      options.buffer !== undefined
        ? options.buffer
        : length > 0
          ? this.h.memory.allocate(length)
          : null;
    srb.dataTransferLength = length;
    const n = encodeVstorRequest(
      { kind: 'executeSrb', flags: REQUEST_COMPLETION_FLAG, srb },
      this.scratch,
      0,
      this.codecOptions(),
    );
    const payload = this.scratch.slice(0, n);
    const packet =
      buffer === null
        ? this.h.packets.inband(payload, options)
        : this.h.packets.gpaDirect(payload, [buffer], options);
    return { packet, buffer };
  }

  /** Sends an EXECUTE_SRB; returns its trans_id and data buffer. */
  executeSrb(options: SrbOptions): { transId: number; buffer: GpaRange | null } {
    const { packet, buffer } = this.srbPacket(options);
    this.h.deliver(this.channel, packet);
    return { transId: packet.transId, buffer };
  }

  /** The COMPLETE_IO answering EXECUTE_SRB `transId` (throws if there is none). */
  completion(transId: number): StorageCompletion {
    const m = this.decode(transId, 'srb');
    if (m.result.kind !== 'srb') throw new HarnessError('COMPLETE_IO without an SRB');
    const srb = m.result.srb;
    const sense =
      (srb.srbStatus & SRB_STATUS_AUTOSENSE_VALID) !== 0
        ? scsi.decodeSense(srb.cdbOrSense, 0, srb.cdbOrSense.length)
        : undefined;
    return {
      transId,
      status: m.status,
      srbStatus: srb.srbStatus,
      scsiStatus: srb.scsiStatus,
      dataTransferLength: srb.dataTransferLength,
      sense: sense?.ok === true ? sense.value : undefined,
    };
  }

  /** The NTSTATUS of the completion of any request `transId`. */
  status(transId: number): number {
    return this.decode(transId, 'none').status;
  }

  private decode(
    transId: number,
    completes: VstorCompletionResult['kind'],
  ): { status: number; result: VstorCompletionResult } {
    const payload = this.h.completionFor(this.channel, transId);
    if (payload === undefined)
      throw noCompletion(this.channel, transId, this.h.clock.pending('device'));
    const m = decodeVstorHostMessage(payload, 0, payload.length, {
      completes,
      protocolVersion: this.protocolVersion || undefined,
    });
    if (!m.ok || m.value.kind !== 'completeIo')
      throw new HarnessError(`trans_id ${transId}: not a COMPLETE_IO`);
    return { status: m.value.status, result: m.value.result };
  }

  private version(): number {
    return this.protocolVersion || 0x0602;
  }

  private codecOptions(): { protocolVersion: number } | undefined {
    return this.protocolVersion === 0 ? undefined : { protocolVersion: this.protocolVersion };
  }
}

function defaultLength(options: SrbOptions): number {
  if (options.buffer !== undefined && options.buffer !== null) return options.buffer.byteCount;
  const c = options.command;
  if (c === undefined) return 0;
  switch (c.kind) {
    case 'read10':
    case 'read16':
    case 'write10':
    case 'write16':
      return c.blocks * 512;
    case 'inquiry':
    case 'modeSense6':
    case 'modeSense10':
    case 'reportLuns':
    case 'requestSense':
    case 'readCapacity16':
      return c.allocationLength;
    case 'readCapacity10':
      return 8;
    default:
      return 0;
  }
}
