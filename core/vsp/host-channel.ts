/**
 * The host end of one VMBus channel as a VSP sees it. It drains the guest→host ring on the
 * channel's root VP the way a VSP's DPC does — mask interrupts, take one packet, let the VSP
 * handle it, spend the CPU the VSP charged, apply what the VSP asked for, take the next packet,
 * unmask and look again (rule 5) — and writes completions and messages to the host→guest ring,
 * queuing them when the guest's ring is full until the guest frees enough space (rule 6).
 */
import {
  OutgoingPacket,
  ReadStatus,
  DrainEnd,
  VmbusPacketType,
  WriteStatus,
} from '../vmbus/ring/index.js';
import type { IncomingPacket } from '../vmbus/ring/index.js';
import type { CostMeter } from '../host/cpu.js';
import type { HostTransport } from './transport.js';
import type {
  ChannelMemory,
  GpaRange,
  MemoryAccessResult,
  SandboxSizeChecks,
  SendResult,
  VspChannel,
  VspPacket,
  VspPacketKind,
} from './types.js';
import { because } from '../simulation/narration-reasons.js';
import { checkVspFailure, vspFailure } from './failure-reasons.js';
import type { VspFailureReason } from './failure-reasons.js';
import type { Reason } from '../simulation/narration-reasons.js';

/** A send that waits for room in the guest's ring. */
/**
 * A send waiting for its turn in the host→guest ring. Pooled per channel with its own copy of
 * the payload (the VSP's buffer is reused as soon as its handler returns).
 */
/**
 * Something a VSP asked for during a handler, applied once the handler's CPU time has run (a
 * send, a device request). An object with a method rather than a closure, so the per-packet
 * effects can be pooled.
 */
export interface DeferredEffect {
  apply(): void;
}

class QueuedSend implements DeferredEffect {
  channel: HostChannel | null = null;
  type: 'inband' | 'completion' | 'transfer-pages' = 'inband';
  payload = new Uint8Array(64);
  length = 0;
  transId = 0;
  completionRequested = false;
  pageSetId = 0;
  ranges: readonly { byteCount: number; byteOffset: number }[] = NO_TRANSFER_RANGES;

  copyPayload(from: Uint8Array): void {
    if (from.length > this.payload.length) this.payload = new Uint8Array(from.length);
    this.payload.set(from);
    this.length = from.length;
  }

  apply(): void {
    (this.channel as HostChannel).acceptSend(this);
  }
}

const NO_TRANSFER_RANGES: readonly { byteCount: number; byteOffset: number }[] = Object.freeze([]);

/** A GPA range of the packet being handled, reused from packet to packet. */
interface RangeView {
  byteCount: number;
  byteOffset: number;
  readonly pfns: number[];
}

/** The services a host channel needs from its VSP runtime. */
export interface ChannelOwner {
  /** Hands the packet to the VSP and runs the work it charged; calls `done` when it is over. */
  handlePacket(channel: HostChannel, packet: VspPacket): void;
  /** Records an effect (a send, device I/O) to apply when the current call's CPU time has run. */
  defer(channel: HostChannel, effect: DeferredEffect): boolean;
  /** The guest broke the protocol, the ring, or the plugin failed: record it. */
  channelFailed(channel: HostChannel, kind: ChannelStopKind, reason: Reason): void;
  readonly meter: CostMeter;
  /** The sandbox's sizes when the VSP is held to them natively (a trusted plugin), else null. */
  readonly sandboxSizes: SandboxSizeChecks | null;
}

/** Why a host channel stopped on its own (a plugin's throw is the VSP runtime's to record). */
export type ChannelStopKind = 'guest-protocol-violation' | 'guest-ring-violation' | 'plugin-misuse';

export class HostChannel implements VspChannel {
  state: 'open' | 'failed' | 'closed' = 'open';
  /** A packet is being handled (its CPU work is queued or running). */
  private busy = false;
  private readonly queued: QueuedSend[] = [];
  private readonly sendPool: QueuedSend[] = [];
  /** The current packet's ranges (`view.ranges` when it has any) and their reusable entries. */
  private readonly ranges: RangeView[] = [];
  private readonly rangeViews: RangeView[] = [];
  private readonly out = new OutgoingPacket();
  private readonly view: MutablePacket = {
    kind: 'inband',
    transId: 0,
    completionRequested: false,
    payload: new Uint8Array(0),
    ranges: [],
  };
  /** The reader's bytes `view.payload` was cut from (null before the first packet). */
  private payloadSource: Uint8Array | null = null;
  readonly memory: ChannelMemory;
  /** The owner's {@link ChannelOwner.sandboxSizes}: null (one check per send) but for a trusted plugin. */
  private readonly sizes: SandboxSizeChecks | null;

  // Counters read by metrics.
  packetsIn = 0;
  packetsOut = 0;
  bytesIn = 0;
  /** Host sends that found the guest's ring full and had to wait. */
  sendsQueued = 0;
  /**
   * Guest packets shaped like another device class's protocol (NVSP arriving at storvsp, a vstor
   * request at netvsp): only a buggy or hostile guest writes them, since a channel always joins
   * a VSC to a VSP of its own class (rule 11). Not the VSP's protocol, so it rejects them (rule 37).
   */
  misrouted = 0;
  /**
   * Host work for this channel not finished yet: VSP handler calls whose CPU time has not run,
   * and device requests the VSP submitted that have not completed. Save-VM waits for 0 (quiesce).
   */
  hostWork = 0;

  constructor(
    readonly transport: HostTransport,
    readonly owner: ChannelOwner,
  ) {
    this.sizes = owner.sandboxSizes;
    this.memory = new TransportMemory(transport, this.sizes);
  }

  get id(): number {
    return this.transport.id;
  }
  get relid(): number {
    return this.transport.relid;
  }
  get vm(): string {
    return this.transport.vm;
  }
  get device(): string {
    return this.transport.device;
  }
  get classGuid(): string {
    return this.transport.classGuid;
  }
  get subchannelIndex(): number {
    return this.transport.subchannelIndex;
  }
  get diskBytes(): number {
    return this.transport.diskBytes;
  }
  get guestVps(): number {
    return this.transport.guestVps;
  }

  // ── The VSP's calls (deferred to the end of the current handler's CPU time) ──────────────────

  complete(transId: number, payload: Uint8Array): SendResult {
    if (this.sizes !== null)
      this.sizes.checkPayloadSize('channel.complete: payload', payload.length);
    return this.enqueue(this.queuedSend('completion', payload, transId, false));
  }

  send(
    payload: Uint8Array,
    options?: { transId?: number; completionRequested?: boolean },
  ): SendResult {
    if (this.sizes !== null) this.sizes.checkPayloadSize('channel.send: payload', payload.length);
    return this.enqueue(
      this.queuedSend(
        'inband',
        payload,
        options?.transId ?? 0,
        options?.completionRequested ?? false,
      ),
    );
  }

  sendTransferPages(
    pageSetId: number,
    ranges: readonly { byteOffset: number; byteCount: number }[],
    payload: Uint8Array,
    transId: number,
  ): SendResult {
    if (this.sizes !== null)
      this.sizes.checkPayloadSize('channel.sendTransferPages: payload', payload.length);
    const send = this.queuedSend('transfer-pages', payload, transId, true);
    send.pageSetId = pageSetId;
    send.ranges = ranges.map((r) => ({ ...r }));
    return this.enqueue(send);
  }

  offerSubchannels(count: number): number {
    if (this.state !== 'open') return 0;
    return this.transport.offerSubchannels(Math.max(0, Math.floor(count)));
  }

  fail(reason: string | VspFailureReason): void {
    if (this.state !== 'open') return;
    // A structured reason is checked now (a plugin's types are not checked in a sandbox or in
    // JavaScript): one that does not fit its id is the plugin's misuse, said as such.
    const checked = typeof reason === 'string' ? reason : checkVspFailure(reason);
    const misuse = typeof reason !== 'string' && typeof checked === 'string';
    this.owner.defer(this, {
      apply: () => {
        if (misuse)
          this.stop('plugin-misuse', vspFailure('plugin.badReason', { problem: checked }));
        else this.stop('guest-protocol-violation', checked);
      },
    });
  }

  private queuedSend(
    type: QueuedSend['type'],
    payload: Uint8Array,
    transId: number,
    completionRequested: boolean,
  ): QueuedSend {
    const send = this.sendPool.pop() ?? new QueuedSend();
    send.channel = this;
    send.type = type;
    send.copyPayload(payload);
    send.transId = transId;
    send.completionRequested = completionRequested;
    send.pageSetId = 0;
    send.ranges = NO_TRANSFER_RANGES;
    return send;
  }

  private enqueue(send: QueuedSend): SendResult {
    if (this.state !== 'open') return 'closed';
    return this.owner.defer(this, send) ? 'ok' : 'closed';
  }

  /** A deferred send's time has come: queue it behind earlier ones and write what fits. */
  acceptSend(send: QueuedSend): void {
    this.queued.push(send);
    this.flush(this.owner.meter);
  }

  // ── Ring work ───────────────────────────────────────────────────────────────────────────────

  /** Writes queued sends while the guest's ring has room; signals the guest when rule 4 says so. */
  flush(meter: CostMeter): void {
    const writer = this.transport.writer;
    let signal = false;
    while (this.queued.length > 0 && this.state === 'open') {
      const send = this.queued[0];
      const p = this.out;
      if (send.type === 'completion')
        p.completion(
          send.payload,
          send.length,
          send.transId >>> 0,
          Math.floor(send.transId / 4294967296),
        );
      else if (send.type === 'inband')
        p.inBand(send.payload, send.length, send.transId, send.completionRequested);
      else {
        p.transferPages(send.payload, send.length, send.transId, send.pageSetId);
        for (const r of send.ranges) p.addTransferPageRange(r.byteCount, r.byteOffset);
      }
      const status = writer.write(p);
      if (status === WriteStatus.RingFull) {
        this.sendsQueued++;
        writer.setPendingSendSize(writer.lastRequiredBytes);
        break;
      }
      if (status === WriteStatus.PacketTooLarge) {
        // The VSP's own packet, which no amount of room would let in: the guest chose its ring's
        // size when it opened the channel, and a VSP's messages must fit it.
        const what =
          send.type === 'completion'
            ? 'completion'
            : send.type === 'inband'
              ? 'message'
              : 'transfer-page packet';
        this.stop(
          'plugin-misuse',
          vspFailure('plugin.sendTooLarge', {
            packet: what,
            bytes: send.length,
            ringBytes: writer.memory.dataBytes,
          }),
        );
        return;
      }
      if (status !== WriteStatus.Written && status !== WriteStatus.WrittenSignalReader) {
        this.stop(
          'guest-ring-violation',
          because('ring.rejected', {
            ring: 'host→guest',
            problem: writer.rejection,
            writing: true,
          }),
        );
        return;
      }
      this.sendPool.push(this.queued.shift() as QueuedSend);
      this.packetsOut++;
      if (status === WriteStatus.WrittenSignalReader) signal = true;
    }
    if (this.queued.length === 0) writer.setPendingSendSize(0);
    if (signal) this.transport.signalGuest(meter);
  }

  /** Host sends are waiting for the guest to free ring space (a guest signal then is necessary). */
  get waitingForRoom(): boolean {
    return this.queued.length > 0;
  }

  /** The guest signalled this channel (its event flag was set): drain if not already draining. */
  onSignal(meter: CostMeter): void {
    if (this.state !== 'open') return;
    if (this.queued.length > 0) this.flush(meter);
    if (this.busy) return;
    this.transport.reader.beginDrain();
    this.next(meter);
  }

  /** Takes the next packet, or finishes the drain (unmask, re-check). */
  next(meter: CostMeter): void {
    const reader = this.transport.reader;
    for (;;) {
      if (this.state !== 'open') return;
      const status = reader.next();
      if (status === ReadStatus.Packet) {
        this.busy = true;
        this.packetsIn++;
        this.bytesIn += reader.packet.packetBytes;
        this.owner.handlePacket(this, this.describe(reader.packet));
        return;
      }
      if (status === ReadStatus.Rejected) {
        this.stop(
          'guest-ring-violation',
          because('ring.rejectedByHost', { problem: reader.rejection }),
        );
        return;
      }
      const end = reader.endDrain();
      if ((end & DrainEnd.SignalWriter) !== 0) this.transport.signalGuest(meter);
      if ((end & DrainEnd.MoreData) === 0) {
        this.busy = false;
        return;
      }
      reader.beginDrain();
    }
  }

  /** The current packet's work is over: commit its ring space and move on. */
  packetDone(meter: CostMeter): void {
    if (this.state !== 'open') return;
    if (this.transport.reader.commitRead()) this.transport.signalGuest(meter);
    this.next(meter);
  }

  /** Stops the channel (rule 38): nothing more is read or written. */
  stop(kind: ChannelStopKind, reason: Reason): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    this.busy = false;
    this.queued.length = 0;
    this.owner.channelFailed(this, kind, reason);
    this.transport.closeAfterFault(reason);
  }

  /** Closed by the guest or rescinded: drop what is queued. */
  close(): void {
    if (this.state === 'open') this.state = 'closed';
    this.queued.length = 0;
  }

  private describe(p: IncomingPacket): VspPacket {
    const v = this.view;
    v.kind = kindOf(p.type);
    v.transId = p.transIdIsSafe ? p.transId : -1;
    v.completionRequested = p.completionRequested;
    // The payload view is reused while the packet sits at the same place of the same bytes
    // (fixed-size packets do): one allocation less per packet. The reader's bytes are compared by
    // identity: TurboFan does not inline the `buffer` getter, a call into C++ per packet.
    const start = p.payloadOffset;
    const end = start + p.payloadLength;
    const last = v.payload;
    if (
      this.payloadSource !== p.data ||
      last.byteOffset !== p.data.byteOffset + start ||
      last.length !== end - start
    ) {
      v.payload = p.data.subarray(start, end);
      this.payloadSource = p.data;
    }
    if (p.rangeCount === 0) v.ranges = NO_RANGES;
    else {
      // Reused from packet to packet, like the view itself (valid during the handler only). An
      // array's `length` store is not inlined either (a runtime call): only when it changes.
      const ranges = this.ranges;
      if (ranges.length !== p.rangeCount) ranges.length = p.rangeCount;
      for (let i = 0; i < p.rangeCount; i++) {
        if (i === this.rangeViews.length)
          this.rangeViews.push({ byteCount: 0, byteOffset: 0, pfns: [] });
        const r = this.rangeViews[i];
        r.byteCount = p.rangeByteCount(i);
        r.byteOffset = p.rangeByteOffset(i);
        const count = p.rangePfnCount(i);
        const pfns = r.pfns;
        if (pfns.length > count) pfns.length = count;
        for (let j = 0; j < count; j++) {
          if (j < pfns.length) pfns[j] = p.rangePfn(i, j);
          else pfns.push(p.rangePfn(i, j));
        }
        ranges[i] = r;
      }
      v.ranges = ranges;
    }
    return v;
  }
}

const NO_RANGES: readonly GpaRange[] = Object.freeze([]);

interface MutablePacket {
  kind: VspPacketKind;
  transId: number;
  completionRequested: boolean;
  payload: Uint8Array;
  ranges: readonly GpaRange[];
}

function kindOf(type: number): VspPacketKind {
  if (type === VmbusPacketType.DataUsingGpaDirect) return 'gpa-direct';
  if (type === VmbusPacketType.Completion) return 'completion';
  return 'inband';
}

/** ChannelMemory over the channel's memory port: GPADLs of this channel and the packet's ranges. */
class TransportMemory implements ChannelMemory {
  constructor(
    private readonly transport: HostTransport,
    private readonly sizes: SandboxSizeChecks | null,
  ) {}

  readGpadl(handle: number, offset: number, length: number): MemoryAccessResult<Uint8Array> {
    if (this.sizes !== null) this.sizes.checkGpadlReadSize(length);
    const view = this.transport.memory.viewByGuestId(handle);
    if (!view.ok) return { ok: false, reason: view.detail };
    const out = new Uint8Array(Math.max(0, Math.min(length, 1 << 24)));
    const access = view.read(offset, out);
    return access.ok ? { ok: true, value: out } : { ok: false, reason: access.detail };
  }

  writeGpadl(handle: number, offset: number, data: Uint8Array): MemoryAccessResult<number> {
    if (this.sizes !== null) this.sizes.checkPayloadSize('memory.writeGpadl: data', data.length);
    const view = this.transport.memory.viewByGuestId(handle);
    if (!view.ok) return { ok: false, reason: view.detail };
    const access = view.write(offset, data);
    return access.ok ? { ok: true, value: data.length } : { ok: false, reason: access.detail };
  }

  gpadlSize(handle: number): number | undefined {
    const view = this.transport.memory.viewByGuestId(handle);
    return view.ok ? view.byteLength : undefined;
  }

  touchRanges(packet: VspPacket, bytes: number, _write: boolean): MemoryAccessResult<number> {
    const result = this.transport.memory.checkTransfer(packet.ranges, bytes);
    if (typeof result === 'number') return { ok: true, value: bytes };
    const refusal =
      'refusal' in result ? result.refusal : { detail: result.message, invalidRanges: false };
    return { ok: false, reason: result.detail, refusal };
  }

  writeRanges(packet: VspPacket, offset: number, data: Uint8Array): MemoryAccessResult<number> {
    if (this.sizes !== null) this.sizes.checkPayloadSize('memory.writeRanges: data', data.length);
    const grant = this.transport.memory.grantPacket(packet.ranges);
    if (!grant.ok) return { ok: false, reason: grant.detail };
    const access = grant.write(offset, data);
    grant.release();
    return access.ok ? { ok: true, value: data.length } : { ok: false, reason: access.detail };
  }
}
