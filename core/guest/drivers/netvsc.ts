/**
 * netvsc: the guest's synthetic network driver (a VSC). NVSP over VMBus carrying RNDIS (rule 19).
 *
 * - Setup (netvsc-setup.ts): NVSP INIT → NDIS config → NDIS version → receive buffer GPADL (16 MiB
 *   in 1728-byte sections) → send buffer GPADL (1 MiB in 6144-byte sections) → RNDIS init, queries
 *   and packet filter over the send path → vRSS subchannels.
 * - Transmit: each frame is an RNDIS packet message copied into a free send-buffer section, then an
 *   NVSP SEND_RNDIS_PKT names the section; the host's completion frees it. With no section free the
 *   frame goes GPA-direct (its pages described in the packet). L: netvsc.c netvsc_send.
 * - Receive: the host copies frames into receive-buffer sections and sends a transfer-page packet
 *   (type 7) listing them; netvsc processes each RNDIS packet (copying it out into an skb) and
 *   completes the transfer-page packet (type 0xB) so the host can reuse the sections.
 *   L: netvsc.c netvsc_receive, enq_receive_complete.
 * - SR-IOV (rule 20, netvsc-vf.ts): when the host associates a VF, netvsc switches the data path to
 *   it; the synthetic path stays, and traffic falls back to it when the VF goes away.
 */
import type { EventType, Ns } from '../../engine/index.js';
import { NS_PER_MS } from '../../engine/index.js';
import type { CostMeter } from '../../host/cpu.js';
import { CostMeter as Meter, WorkClass } from '../../host/cpu.js';
import type { GuestAllocation } from '../../memory/index.js';
import {
  decodeNvspMessage,
  decodeRndisMessage,
  encodeNvspMessage,
  encodeRndisMessage,
  NETVSC_INVALID_SECTION_INDEX,
  NETVSC_RECEIVE_BUFFER_ID,
  netvscReceiveBufferLayout,
  netvscSendBufferLayout,
  NvspDataPath,
  NvspStatus,
  RNDIS_HEADER_SIZE,
  RndisChannelType,
  VRSS_SEND_TAB_SIZE,
} from '../../protocols/index.js';
import type { NvspMessage, RndisMessage } from '../../protocols/index.js';
import { OutgoingPacket, VmbusPacketType } from '../../vmbus/ring/index.js';
import type { IncomingPacket } from '../../vmbus/ring/index.js';
import type { NetDriver, NetIo, NetReceiver } from '../io.js';
import type { GuestContext, GuestDevice } from '../stacks/types.js';
import type { ChannelDriver, GpadlCreatedSink, GuestChannel } from '../vmbus/guest-channel.js';
import { clientFrameTag, writeRndisPacketHeader } from './netvsc-frame.js';
import { NetvscSetup, SetupTransId } from './netvsc-setup.js';
import type { NetvscPhase, NetvscSetupHost } from './netvsc-setup.js';
import { NetvscVf } from './netvsc-vf.js';
import { narrate } from '../../simulation/narration-messages.js';
import { reasonText } from '../../simulation/narration-reasons.js';
import type { Reason } from '../../simulation/narration-reasons.js';

export type { NetvscPhase } from './netvsc-setup.js';

// estimate: guest CPU to build and post one frame (RNDIS header, NVSP message, ring write).
export const NETVSC_TX_PACKET_NS: Ns = 1_500;
// estimate: guest CPU per received RNDIS packet (parse, skb alloc, GRO), before the copy.
export const NETVSC_RX_PACKET_NS: Ns = 2_000;
// estimate: guest memcpy into a send section or out of the receive buffer, ~10 GB/s.
export const NETVSC_COPY_NS_PER_BYTE = 0.1;
// estimate: guest CPU to handle one send completion (free the section, wake the queue).
export const NETVSC_COMPLETION_NS: Ns = 800;
// estimate: guest CPU per setup message handled.
export const NETVSC_SETUP_MESSAGE_NS: Ns = 3_000;
// L: netvsc_drv.c VF_TAKEOVER_INT (HZ / 10): netvsc waits for the VF to settle before taking it.
export const VF_TAKEOVER_NS: Ns = 100 * NS_PER_MS;
/** Bytes of a received RNDIS message netvsc reads for real: its headers (and small answers). */
const RECEIVE_HEADER_BYTES = 256;
/** Sends in flight per channel (trans_id = slot + 1). */
const LANE_SLOTS = 2048;
const PAGE = 4096;

/** One channel (primary or vRSS subchannel) and the sends in flight on it. */
interface Lane {
  readonly channel: GuestChannel;
  readonly slotIo: (NetIo | null)[];
  /** Send section of each slot, or -1 (GPA-direct / none). */
  readonly slotSection: Int32Array;
  /** 1 while the slot's send is in flight (control sends have no NetIo). */
  readonly slotBusy: Uint8Array;
  readonly free: number[];
  /** Transfer-page completions owed to the host while the ring is full: trans_id lo, hi pairs. */
  readonly owed: number[];
}

export interface NetvscOptions {
  readonly ctx: GuestContext;
  readonly device: GuestDevice;
  readonly receiver: NetReceiver;
  onReady(driver: Netvsc): void;
  onFailed(driver: Netvsc, reason: string): void;
  /** A completion named a trans_id with no send in flight (dropped); `count` so far. */
  onStrayCompletion?(transId: number, count: number): void;
}

/** A setup message waiting for ring space. */
interface PendingNvsp {
  readonly bytes: Uint8Array;
  readonly transId: number;
}

/**
 * The netvsc driver of one synthetic adapter.
 *
 * @example
 * ```ts
 * const netvsc = new Netvsc({ ctx, device, receiver: stack, onReady, onFailed });
 * // the VMBus client opens the channel, then:
 * netvsc.attach(channel, meter); // starts NVSP INIT on the primary channel
 * netvsc.send({ bytes: 1514, vpIndex: 0, issuedAt: now, sink, context: op });
 * ```
 */
export class Netvsc implements ChannelDriver, NetDriver, GpadlCreatedSink, NetvscSetupHost {
  readonly setup: NetvscSetup;
  private readonly ctx: GuestContext;
  private readonly lanes: Lane[] = [];
  private readonly laneByRelid: (Lane | undefined)[] = [];
  private receiveBuffer: GuestAllocation | null = null;
  private sendBuffer: GuestAllocation | null = null;
  private receiveBufferGpadl = -1;
  private sendBufferGpadl = -1;
  private readonly freeSections: number[] = [];
  private sectionCount = 0;
  /** The host's send indirection table: channel index for each hash bucket. */
  private readonly sendTable = new Uint32Array(VRSS_SEND_TAB_SIZE);
  private readonly waiting: NetIo[] = [];
  private waitHead = 0;
  private readonly pendingSetup: PendingNvsp[] = [];
  private pendingControl: RndisMessage | null = null;
  private readonly packet = new OutgoingPacket();
  private readonly nvspScratch = new Uint8Array(64);
  private readonly rndisScratch = new Uint8Array(65536 + 256);
  private readonly rxScratch = new Uint8Array(65536 + 256);
  private readonly pfns = new Float64Array(32);
  private gpaCursor = 0;
  private readonly ownMeter = new Meter();
  // What onPacket decided, applied in afterPacket (when its CPU time has run).
  private readonly doneIo: NetIo[] = [];
  private readonly doneOk: boolean[] = [];
  private readonly rxTags: number[] = [];
  private readonly rxBytes: number[] = [];
  /** Setup completions and host messages, handled in afterPacket; `message` null: undecodable. */
  private readonly setupInbox: { transId: number; message: NvspMessage | null }[] = [];
  /** SWITCH_DATA_PATH requests sent and not yet completed. */
  private switchesInFlight = 0;
  private readonly rndisInbox: RndisMessage[] = [];
  private vfAssociated = false;
  private dataPath: 'synthetic' | 'vf' = 'synthetic';
  private vf: NetvscVf | null = null;
  private readonly takeover: EventType<Netvsc>;
  private failure = '';
  private failedSubchannels = 0;
  /** Since when frames wait for a free slot (-1: they do not), and the time so far. */
  private fullSince = -1;
  private fullNs = 0;
  // Counters for tests, the report and the game.
  sectionSends = 0;
  gpaDirectSends = 0;
  transferPagePackets = 0;
  completionsSent = 0;
  framesReceived = 0;
  framesSent = 0;
  vfSwitches = 0;
  receiveErrors = 0;
  /** Completions for no send in flight, dropped (L: netvsc_send_completion). */
  strayCompletions = 0;
  /** Most send sections in use at once. */
  sendSectionsPeak = 0;

  constructor(private readonly options: NetvscOptions) {
    this.ctx = options.ctx;
    this.setup = new NetvscSetup(this);
    this.takeover = this.ctx.engine.define<Netvsc>(
      `netvsc:${this.ctx.spec.name}:${options.device.spec.id}:vf-takeover`,
      (d) => {
        d.takeOverVf();
      },
    );
  }

  get phase(): NetvscPhase {
    return this.setup.phase;
  }

  get ready(): boolean {
    return this.setup.phase === 'ready';
  }

  get dead(): boolean {
    return this.setup.phase === 'dead' || this.setup.phase === 'failed';
  }

  get protocolVersion(): number {
    return this.setup.protocolVersion;
  }

  /** Channels in use: the primary and the vRSS subchannels. */
  get channelCount(): number {
    return this.lanes.length;
  }

  get onlineCpus(): number {
    return this.ctx.vpIds.length;
  }

  get subchannelsOpen(): number {
    return Math.max(0, this.lanes.length - 1);
  }

  /** Subchannels that will never open: their ring or open was refused, or they were rescinded. */
  get subchannelsFailed(): number {
    return this.failedSubchannels;
  }

  /** Send-buffer sections in use and in all (rule 19). */
  get sendSectionsInUse(): number {
    return this.sectionCount - this.freeSections.length;
  }

  get sendSectionsTotal(): number {
    return this.sectionCount;
  }

  /** Where frames go now: 'vf' after the data path switched to the virtual function. */
  get activeDataPath(): 'synthetic' | 'vf' {
    return this.dataPath;
  }

  /** Why the adapter stopped, '' while it works. */
  get failureReason(): string {
    return this.failure;
  }

  // ── Channels ────────────────────────────────────────────────────────────────────────────────

  /** The primary channel or a vRSS subchannel opened. */
  attach(channel: GuestChannel, meter: CostMeter): void {
    const lane: Lane = {
      channel,
      slotIo: new Array<NetIo | null>(LANE_SLOTS).fill(null),
      slotSection: new Int32Array(LANE_SLOTS).fill(-1),
      slotBusy: new Uint8Array(LANE_SLOTS),
      free: [],
      owed: [],
    };
    for (let i = LANE_SLOTS - 1; i >= 0; i--) lane.free.push(i);
    this.lanes.push(lane);
    this.laneByRelid[channel.id] = lane;
    if (this.lanes.length === 1) this.setup.start(meter);
    else this.setup.subchannelOpened(meter);
  }

  /** A vRSS subchannel will never open: the setup stops waiting for it. */
  subchannelNotOpened(meter: CostMeter): void {
    this.failedSubchannels++;
    this.setup.subchannelOpened(meter);
  }

  // ── NetvscSetupHost: what the setup asks of the driver ──────────────────────────────────────

  sendNvsp(message: NvspMessage, transId: number, meter: CostMeter): void {
    const length = encodeNvspMessage(message, this.nvspScratch, 0, {
      protocolVersion: this.setup.protocolVersion || undefined,
    });
    this.pendingSetup.push({ bytes: this.nvspScratch.slice(0, length), transId });
    meter.add(NETVSC_SETUP_MESSAGE_NS);
    this.flushSetup(meter);
  }

  private flushSetup(meter: CostMeter): void {
    const lane = this.lanes[0] as Lane | undefined;
    while (lane !== undefined && this.pendingSetup.length > 0) {
      const m = this.pendingSetup[0];
      this.packet.inBand(m.bytes, m.bytes.length, m.transId, m.transId !== 0);
      const sent = lane.channel.send(this.packet, meter);
      if (sent !== 'sent') return;
      this.pendingSetup.shift();
    }
  }

  sendRndis(message: RndisMessage, meter: CostMeter): void {
    this.pendingControl = message;
    meter.add(NETVSC_SETUP_MESSAGE_NS);
    this.flushControl(meter);
  }

  /** RNDIS control messages go through a send section, channel type CONTROL (L: rndis_filter_send_request). */
  private flushControl(meter: CostMeter): void {
    const message = this.pendingControl;
    const lane = this.lanes[0] as Lane | undefined;
    if (message === null || lane === undefined || this.sendBuffer === null) return;
    const length = encodeRndisMessage(message, this.rndisScratch, 0);
    if (this.trySection(lane, null, length, length, RndisChannelType.CONTROL, meter))
      this.pendingControl = null;
  }

  shareBuffer(which: 'receive' | 'send', meter: CostMeter): boolean {
    const lane = this.lanes[0] as Lane | undefined;
    const allocate = this.ctx.allocate;
    if (lane === undefined || allocate === undefined) return false;
    const layout =
      which === 'receive'
        ? netvscReceiveBufferLayout({ protocolVersion: this.setup.protocolVersion })
        : netvscSendBufferLayout();
    const pages = Math.ceil(layout.bufferBytes / PAGE);
    // The 16 MiB receive buffer is filled sparsely by the host: back it page by page.
    const alloc = allocate(pages, which === 'receive' ? 'sparse' : 'dense');
    if (alloc === null) return false;
    const pfns: number[] = [];
    for (let i = 0; i < pages; i++) pfns.push(alloc.pfn + i);
    const gpadl = lane.channel.createGpadl(pfns, meter, this);
    if (gpadl < 0) return false;
    if (which === 'receive') {
      this.receiveBuffer = alloc;
      this.receiveBufferGpadl = gpadl;
      this.setup.receiveBufferBytes = alloc.byteLength;
    } else {
      this.sendBuffer = alloc;
      this.sendBufferGpadl = gpadl;
    }
    return true;
  }

  gpadlCreated(gpadl: number, ok: boolean, meter: CostMeter): void {
    const which = gpadl === this.receiveBufferGpadl ? 'receive' : 'send';
    this.setup.onBufferShared(which, gpadl, ok, meter);
  }

  setupDone(meter: CostMeter): void {
    this.options.onReady(this);
    this.pump(meter);
  }

  fail(reason: string): void {
    this.failure = reason;
    this.options.onFailed(this, reason);
    this.failAll();
  }

  // ── Transmit ────────────────────────────────────────────────────────────────────────────────

  send(io: NetIo): void {
    if (this.dead) {
      io.sink.netIoDone(io, false);
      return;
    }
    if (this.dataPath === 'vf' && this.vf !== null) {
      this.vf.send(io);
      return;
    }
    this.sendSynthetic(io);
  }

  /** Sends on the synthetic path (also the VF's fallback). */
  sendSynthetic(io: NetIo): void {
    this.waiting.push(io);
    const m = this.ownMeter;
    m.take();
    m.add(NETVSC_TX_PACKET_NS + Math.round(io.bytes * NETVSC_COPY_NS_PER_BYTE));
    // Rule 4: the VP sending the frame writes the ring and signals the host.
    this.pump(m, io.vpIndex % this.ctx.vpIds.length);
    this.ctx.cpu.charge(
      this.ctx.vpIds[io.vpIndex % this.ctx.vpIds.length],
      m.take(),
      WorkClass.Thread,
    );
  }

  /**
   * Sends waiting frames while lanes have slots and ring space, written by guest VP `fromVp`
   * (default: each lane's target VP, the VP of its completions).
   */
  private pump(meter: CostMeter, fromVp?: number): void {
    if (!this.ready) return;
    let noSlot = false;
    while (this.waitHead < this.waiting.length) {
      const io = this.waiting[this.waitHead];
      const lane = this.laneFor(io.vpIndex);
      if (lane === null) {
        noSlot = true;
        break;
      }
      if (!this.sendFrame(lane, io, meter, fromVp)) break;
      this.waitHead++;
    }
    this.noteQueueState(noSlot);
    if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitHead);
      this.waitHead = 0;
    }
  }

  /**
   * Frames waiting with every request slot of every open channel taken: the send queue is full.
   * A full ring is not counted here — the channel already measures that time (`blockedNs`).
   */
  private noteQueueState(noSlot: boolean): void {
    const now = this.ctx.engine.now;
    if (noSlot && this.fullSince < 0) {
      this.fullSince = now;
      this.ctx.metrics.sendWait.enter(now);
    } else if (!noSlot && this.fullSince >= 0) {
      this.fullNs += now - this.fullSince;
      this.fullSince = -1;
      this.ctx.metrics.sendWait.leave(now);
    }
  }

  /** Simulated ns frames could not enter any channel because every slot was taken, up to `now`. */
  queueFullNs(now: number): number {
    return this.fullNs + (this.fullSince >= 0 ? now - this.fullSince : 0);
  }

  /** The channel the host's send indirection table picks for this CPU (L: netvsc_pick_tx). */
  private laneFor(vpIndex: number): Lane | null {
    const want = this.sendTable[vpIndex % VRSS_SEND_TAB_SIZE] % Math.max(1, this.lanes.length);
    const lane = this.lanes[want] as Lane | undefined;
    if (lane !== undefined && lane.channel.state === 'open' && lane.free.length > 0) return lane;
    for (const l of this.lanes) if (l.channel.state === 'open' && l.free.length > 0) return l;
    return null;
  }

  private sendFrame(lane: Lane, io: NetIo, meter: CostMeter, fromVp?: number): boolean {
    // The RNDIS header is written for real; the frame's copy is the CPU charged in send().
    const header = writeRndisPacketHeader(this.rndisScratch, 0, io.bytes);
    const length = header + io.bytes;
    if (length <= this.setup.sendSectionSize && this.freeSections.length > 0)
      return this.trySection(lane, io, length, header, RndisChannelType.DATA, meter, fromVp);
    return this.tryGpaDirect(lane, io, length, meter, fromVp);
  }

  /**
   * Copies the first `written` bytes of the `length`-byte RNDIS message in `rndisScratch` into a
   * free section and names the section in NVSP.
   */
  private trySection(
    lane: Lane,
    io: NetIo | null,
    length: number,
    written: number,
    channelType: number,
    meter: CostMeter,
    fromVp?: number,
  ): boolean {
    this.ensureSections();
    const buffer = this.sendBuffer;
    if (buffer === null || lane.free.length === 0 || this.freeSections.length === 0) return false;
    const section = this.freeSections[this.freeSections.length - 1];
    const size = this.setup.sendSectionSize;
    if (!buffer.write(section * size, this.rndisScratch.subarray(0, written))) return false;
    const slot = lane.free[lane.free.length - 1];
    const n = encodeNvspMessage(
      {
        kind: 'sendRndisPacket',
        channelType,
        sendBufferSectionIndex: section,
        sendBufferSectionSize: length,
      },
      this.nvspScratch,
      0,
      { protocolVersion: this.setup.protocolVersion },
    );
    this.packet.inBand(this.nvspScratch, n, slot + 1, true);
    if (lane.channel.send(this.packet, meter, fromVp) !== 'sent') return false;
    this.freeSections.pop();
    this.sendSectionsPeak = Math.max(
      this.sendSectionsPeak,
      this.sectionCount - this.freeSections.length,
    );
    lane.free.pop();
    lane.slotIo[slot] = io;
    lane.slotSection[slot] = section;
    lane.slotBusy[slot] = 1;
    if (io !== null) {
      this.sectionSends++;
      this.framesSent++;
    }
    return true;
  }

  /** No section free (or too big): the frame's pages go in the packet (L: netvsc_send, mpb). */
  private tryGpaDirect(
    lane: Lane,
    io: NetIo,
    length: number,
    meter: CostMeter,
    fromVp?: number,
  ): boolean {
    if (lane.free.length === 0 || this.ctx.ioBufferPages <= 0) return false;
    const pages = Math.min(this.pfns.length, Math.ceil(length / PAGE));
    if (this.gpaCursor + pages > this.ctx.ioBufferPages) this.gpaCursor = 0;
    for (let i = 0; i < pages; i++) this.pfns[i] = this.ctx.ioBufferPfn + this.gpaCursor + i;
    this.gpaCursor += pages;
    const slot = lane.free[lane.free.length - 1];
    const n = encodeNvspMessage(
      {
        kind: 'sendRndisPacket',
        channelType: RndisChannelType.DATA,
        sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
        sendBufferSectionSize: 0,
      },
      this.nvspScratch,
      0,
      { protocolVersion: this.setup.protocolVersion },
    );
    this.packet.gpaDirect(this.nvspScratch, n, slot + 1);
    this.packet.addGpaRange(Math.min(length, pages * PAGE), 0, this.pfns);
    if (lane.channel.send(this.packet, meter, fromVp) !== 'sent') return false;
    lane.free.pop();
    lane.slotIo[slot] = io;
    lane.slotSection[slot] = -1;
    lane.slotBusy[slot] = 1;
    this.gpaDirectSends++;
    this.framesSent++;
    return true;
  }

  /** Cuts the send buffer into sections once the host announced their size. */
  private ensureSections(): void {
    if (this.sectionCount > 0 || this.sendBuffer === null || this.setup.sendSectionSize === 0)
      return;
    const layout = netvscSendBufferLayout({ hostSectionSize: this.setup.sendSectionSize });
    this.sectionCount = Math.min(
      layout.sectionCount,
      Math.floor(this.sendBuffer.byteLength / this.setup.sendSectionSize),
    );
    for (let i = this.sectionCount - 1; i >= 0; i--) this.freeSections.push(i);
  }

  // ── ChannelDriver: packets from the host ────────────────────────────────────────────────────

  onPacket(channel: GuestChannel, packet: IncomingPacket, meter: CostMeter): void {
    const lane = this.laneByRelid[channel.id];
    // A relid the host gave back and offered again names another channel (rule 15).
    if (lane?.channel !== channel) return;
    switch (packet.type) {
      case VmbusPacketType.Completion:
        this.onCompletion(lane, packet, meter);
        return;
      case VmbusPacketType.DataUsingTransferPages:
        this.onTransferPages(lane, packet, meter);
        return;
      case VmbusPacketType.DataInBand:
        this.onHostMessage(packet, meter);
        return;
      default:
        this.receiveErrors++;
    }
  }

  /** A completion for no request in flight: dropped, counted and told (L: "Invalid transaction ID"). */
  private strayCompletion(transId: number): void {
    this.receiveErrors++;
    this.options.onStrayCompletion?.(transId, ++this.strayCompletions);
  }

  private onCompletion(lane: Lane, packet: IncomingPacket, meter: CostMeter): void {
    const m = decodeNvspMessage(packet.data, packet.payloadOffset, packet.payloadLength, {
      completion: true,
    });
    const transId = packet.transIdIsSafe ? packet.transId : -1;
    if (transId > LANE_SLOTS) {
      // A setup request's completion — or a stray one: afterPacket tells them apart.
      meter.add(NETVSC_SETUP_MESSAGE_NS);
      this.setupInbox.push({ transId, message: m.ok ? m.value : null });
      return;
    }
    meter.add(NETVSC_COMPLETION_NS);
    const slot = transId - 1;
    if (slot < 0 || slot >= LANE_SLOTS || lane.slotBusy[slot] === 0) {
      // L: netvsc_send_completion — "Invalid transaction ID", and the completion is dropped.
      this.strayCompletion(transId);
      return;
    }
    const io = lane.slotIo[slot];
    const section = lane.slotSection[slot];
    lane.slotIo[slot] = null;
    lane.slotSection[slot] = -1;
    lane.slotBusy[slot] = 0;
    lane.free.push(slot);
    if (section >= 0) this.freeSections.push(section);
    if (io !== null) {
      this.doneIo.push(io);
      this.doneOk.push(
        m.ok && m.value.kind === 'sendRndisPacketComplete' && m.value.status === NvspStatus.SUCCESS,
      );
    }
  }

  private onTransferPages(lane: Lane, packet: IncomingPacket, meter: CostMeter): void {
    this.transferPagePackets++;
    const buffer = this.receiveBuffer;
    const m = decodeNvspMessage(packet.data, packet.payloadOffset, packet.payloadLength);
    // L: netvsc_receive — only SEND_RNDIS_PKT from the receive buffer set we gave.
    const valid =
      buffer !== null &&
      packet.transferPageSetId === NETVSC_RECEIVE_BUFFER_ID &&
      m.ok &&
      m.value.kind === 'sendRndisPacket';
    if (valid) {
      for (let i = 0; i < packet.rangeCount; i++) {
        const offset = packet.rangeByteOffset(i);
        const count = packet.rangeByteCount(i);
        meter.add(NETVSC_RX_PACKET_NS + Math.round(count * NETVSC_COPY_NS_PER_BYTE));
        this.receiveRange(buffer, offset, count);
      }
    } else {
      this.receiveErrors++;
    }
    // Completing the transfer-page packet hands the sections back to the host.
    lane.owed.push(packet.transIdLo, packet.transIdHi);
  }

  /** One RNDIS message in the receive buffer: checked against the buffer, copied, decoded. */
  private receiveRange(buffer: GuestAllocation, offset: number, count: number): void {
    if (
      count < RNDIS_HEADER_SIZE ||
      count > this.rxScratch.length ||
      offset + count > buffer.byteLength
    ) {
      this.receiveErrors++;
      return;
    }
    // netvsc copies the headers it parses; copying the payload out is the CPU already charged.
    const headers = Math.min(count, RECEIVE_HEADER_BYTES);
    if (!buffer.read(offset, this.rxScratch.subarray(0, headers))) {
      this.receiveErrors++;
      return;
    }
    const r = decodeRndisMessage(this.rxScratch, 0, count);
    if (!r.ok) {
      this.receiveErrors++;
      return;
    }
    const message = r.value;
    if (message.kind === 'packet') {
      const tag = clientFrameTag(message.data, 0, message.data.length);
      if (tag >= 0) {
        this.rxTags.push(tag);
        this.rxBytes.push(message.data.length);
      }
      return;
    }
    if (message.kind === 'indicateStatus') return;
    // A control response: keep a copy (the scratch is reused).
    this.rndisInbox.push(
      message.kind === 'queryComplete' ? { ...message, info: message.info.slice() } : message,
    );
  }

  /** Unsolicited host messages: VF association (rule 20), the send indirection table. */
  private onHostMessage(packet: IncomingPacket, meter: CostMeter): void {
    meter.add(NETVSC_SETUP_MESSAGE_NS);
    const m = decodeNvspMessage(packet.data, packet.payloadOffset, packet.payloadLength);
    if (!m.ok) {
      this.receiveErrors++;
      return;
    }
    this.setupInbox.push({ transId: 0, message: m.value });
  }

  afterPacket(_channel: GuestChannel, meter: CostMeter): void {
    for (let i = 0; i < this.doneIo.length; i++) {
      const io = this.doneIo[i];
      io.sink.netIoDone(io, this.doneOk[i]);
    }
    this.doneIo.length = 0;
    this.doneOk.length = 0;
    for (let i = 0; i < this.rxTags.length; i++) {
      this.framesReceived++;
      this.options.receiver.frameReceived(this.rxTags[i], this.rxBytes[i]);
    }
    this.rxTags.length = 0;
    this.rxBytes.length = 0;
    this.flushOwed(meter);
    for (const { transId, message } of this.setupInbox) {
      if (transId === 0) {
        if (message !== null) this.onUnsolicited(message, meter);
      } else if (transId === SetupTransId.SWITCH_DATA_PATH && this.switchesInFlight > 0) {
        this.switchesInFlight--;
        if (message !== null) this.onDataPathSwitched();
      } else if (!this.setup.onCompletion(transId, message, meter)) {
        this.strayCompletion(transId);
      } else if (message === null) {
        this.receiveErrors++;
      }
    }
    this.setupInbox.length = 0;
    for (const message of this.rndisInbox) this.setup.onRndis(message, meter);
    this.rndisInbox.length = 0;
    this.flushControl(meter);
    this.pump(meter);
  }

  /** Sends the transfer-page completions owed on every lane (ring space permitting). */
  private flushOwed(meter: CostMeter): void {
    for (const lane of this.lanes) {
      let i = 0;
      while (i < lane.owed.length) {
        const n = encodeNvspMessage(
          { kind: 'sendRndisPacketComplete', status: NvspStatus.SUCCESS },
          this.nvspScratch,
          0,
          { protocolVersion: this.setup.protocolVersion },
        );
        this.packet.completion(this.nvspScratch, n, lane.owed[i], lane.owed[i + 1]);
        if (lane.channel.send(this.packet, meter) !== 'sent') break;
        this.completionsSent++;
        i += 2;
      }
      if (i > 0) lane.owed.splice(0, i);
    }
  }

  onWritable(_channel: GuestChannel, meter: CostMeter): void {
    this.flushSetup(meter);
    this.flushOwed(meter);
    this.flushControl(meter);
    this.pump(meter);
  }

  onDead(channel: GuestChannel, reason: Reason): void {
    const lane = this.laneByRelid[channel.id];
    if (lane?.channel === channel) this.failLane(lane);
    if (this.lanes[0]?.channel === channel || this.lanes.every((l) => l.channel.state === 'dead')) {
      if (!this.dead) this.failure = reasonText(reason);
      this.setup.phase = 'dead';
      this.vf?.detach();
      this.failAll();
    }
  }

  private failLane(lane: Lane): void {
    for (let slot = 0; slot < LANE_SLOTS; slot++) {
      const io = lane.slotIo[slot];
      lane.slotIo[slot] = null;
      if (lane.slotSection[slot] >= 0) this.freeSections.push(lane.slotSection[slot]);
      lane.slotSection[slot] = -1;
      lane.slotBusy[slot] = 0;
      if (io !== null) io.sink.netIoDone(io, false);
    }
    lane.free.length = 0;
  }

  private failAll(): void {
    this.noteQueueState(false);
    for (let i = this.waitHead; i < this.waiting.length; i++) {
      const io = this.waiting[i];
      io.sink.netIoDone(io, false);
    }
    this.waiting.length = 0;
    this.waitHead = 0;
  }

  // ── Host messages after setup: vRSS table, SR-IOV (rule 20) ─────────────────────────────────

  private onUnsolicited(m: NvspMessage, meter: CostMeter): void {
    if (m.kind === 'sendIndirectionTable') {
      // L: netvsc_send_table — entries must name existing channels.
      for (let i = 0; i < VRSS_SEND_TAB_SIZE && i < m.table.length; i++)
        this.sendTable[i] = m.table[i] < this.lanes.length ? m.table[i] : 0;
      return;
    }
    if (m.kind === 'sendVfAssociation') {
      this.vfAssociated = m.allocated;
      if (m.allocated) this.ctx.engine.after(VF_TAKEOVER_NS, this.takeover, this);
      else this.fallBackFromVf(meter);
    }
  }

  /** L: netvsc_vf_setup → netvsc_switch_datapath(ndev, true): the VF takes the data path. */
  private takeOverVf(): void {
    if (!this.vfAssociated || this.dead || this.dataPath === 'vf') return;
    if (!this.ready) {
      this.ctx.engine.after(VF_TAKEOVER_NS, this.takeover, this);
      return;
    }
    const port = this.ctx.wire?.virtualFunction(this.options.device.spec.id) ?? null;
    if (port === null) return;
    this.vf ??= new NetvscVf({
      ctx: this.ctx,
      name: `${this.ctx.spec.name}:${this.options.device.spec.id}`,
      receiver: this.options.receiver,
      fallback: this,
    });
    this.vf.bind(port);
    const m = this.ownMeter;
    m.take();
    this.switchesInFlight++;
    this.sendNvsp(
      { kind: 'switchDataPath', activeDataPath: NvspDataPath.VF },
      SetupTransId.SWITCH_DATA_PATH,
      m,
    );
    this.ctx.cpu.charge(this.ctx.vpIds[0], m.take(), WorkClass.Thread);
  }

  /** The host completed SWITCH_DATA_PATH: frames now take the path we asked for. */
  private onDataPathSwitched(): void {
    if (this.vf?.bound === true && this.vfAssociated) {
      this.dataPath = 'vf';
      this.vfSwitches++;
      this.vf.activate();
      this.ctx.log(narrate('netvsc.vfUp', { device: this.options.device.spec.id }));
    }
  }

  /** The VF went away (hot-removed or revoked): back to the synthetic path, which never left. */
  fallBackFromVf(meter: CostMeter): void {
    this.vf?.detach();
    if (this.dataPath !== 'vf') return;
    this.dataPath = 'synthetic';
    this.vfSwitches++;
    this.switchesInFlight++;
    this.sendNvsp(
      { kind: 'switchDataPath', activeDataPath: NvspDataPath.SYNTHETIC },
      SetupTransId.SWITCH_DATA_PATH,
      meter,
    );
    this.ctx.log(narrate('netvsc.vfGone', { device: this.options.device.spec.id }));
  }

  /** Called by the VF driver when its VF was hot-removed. */
  vfRemoved(): void {
    this.vfAssociated = false;
    const m = this.ownMeter;
    m.take();
    this.fallBackFromVf(m);
    this.ctx.cpu.charge(this.ctx.vpIds[0], m.take(), WorkClass.Thread);
  }
}
