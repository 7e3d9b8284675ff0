/**
 * storvsc: the guest's synthetic SCSI driver (a VSC). It initialises the channel with the storage
 * protocol's handshake (rule 16), asks for subchannels, and then sends each block request as an
 * EXECUTE_SRB GPA-direct packet whose page ranges point at the guest's data buffer (rule 17). The
 * host completes it with COMPLETE_IO echoing the transaction id. Requests beyond what the rings can
 * hold wait in the driver (rule 18: ~352 per 128 KiB ring, × (subchannels + 1) × 90 %).
 *
 * The same driver serves the IDE accelerator of a generation 1 VM's boot disk (an offer with
 * HV_IDE_GUID): the protocol is the same. Linux then adds the single disk at the IDE target the
 * instance GUID names, LUN 0 (L: storvsc_probe `scsi_add_device`); the model addresses every disk
 * as target 0, LUN 0, so it needs no IDE layout. The host offers an IDE accelerator no
 * subchannels (O: storvsp `build_ide`), so the driver keeps one channel there.
 *
 * L: drivers/scsi/storvsc_drv.c.
 */
import type { WaitClock } from '../../metrics/wait-clock.js';
import { NS_PER_S } from '../../engine/index.js';
import type { Ns } from '../../engine/index.js';
import type { CostMeter } from '../../host/cpu.js';
import { IDE_ACCELERATOR_CLASS_GUID } from '../../model/index.js';
import {
  createVmscsiRequest,
  createVstorSrbPacket,
  decodeVstorHostMessage,
  decodeVstorSrbInto,
  encodeVstorRequest,
  REQUEST_COMPLETION_FLAG,
  scsi,
  SrbStatus,
  srbStatusCode,
  storvscInitOnCompletion,
  storvscInitOnTimeout,
  storvscInitStart,
  VmscsiDirection,
  VstorOperation,
} from '../../protocols/index.js';
import type {
  StorvscInitState,
  VmscsiRequest,
  VstorCodecOptions,
  VstorRequest,
  VstorSrbPacket,
} from '../../protocols/index.js';
import { OutgoingPacket, storvscMaxOutstandingRequests } from '../../vmbus/ring/index.js';
import type { IncomingPacket } from '../../vmbus/ring/index.js';
import type { BlockDriver, BlockIo } from '../io.js';
import type { ChannelDriver, GuestChannel } from '../vmbus/guest-channel.js';
import { reasonText } from '../../simulation/narration-reasons.js';
import type { Reason } from '../../simulation/narration-reasons.js';

// estimate: guest CPU to complete one request in storvsc's channel callback (decode, scsi_done).
export const STORVSC_COMPLETION_NS: Ns = 4_000;
// estimate: guest CPU per initialisation message.
export const STORVSC_INIT_MESSAGE_NS: Ns = 3_000;
/**
 * How long storvsc waits for the host to answer each step of the channel's initialisation before
 * it gives up on the device. L: storvsc_drv.c storvsc_execute_vstor_op —
 * `wait_for_completion_timeout(&request->wait_event, 5*HZ)`, 0 → -ETIMEDOUT, and storvsc_probe
 * fails. (Kernels with "scsi: storvsc: Increase the timeouts to storvsc_timeout", 2025, wait
 * storvsc_timeout = 180 s instead; the model follows the 5 s that Linux used for 15 years.)
 */
export const STORVSC_INIT_TIMEOUT_NS: Ns = 5 * NS_PER_S;
/** L: handle_multichannel_storage — CREATE_SUB_CHANNELS waits `10*HZ` (180 s in newer kernels). */
export const STORVSC_SUBCHANNEL_TIMEOUT_NS: Ns = 10 * NS_PER_S;
const SECTOR = 512;
const PAGE = 4096;

/** Where the driver stands, for the game and the report. */
export type StorvscPhase = 'initializing' | 'ready' | 'failed' | 'dead';

interface ChannelSlots {
  readonly channel: GuestChannel;
  /** Requests in flight by slot; trans_id = slot + 1. */
  readonly slots: (BlockIo | null)[];
  readonly free: number[];
  readonly capacity: number;
}

/** Things the driver needs from its guest. */
export interface StorvscHost {
  /**
   * The class GUID of the offer the driver bound (L: `hv_device.dev_type`): HV_SCSI_GUID, or
   * HV_IDE_GUID for the IDE accelerator of a generation 1 VM's boot disk.
   */
  readonly classGuid: string;
  readonly onlineCpus: number;
  /** First PFN and page count of the guest buffer requests transfer through. */
  readonly dataPfn: number;
  readonly dataPages: number;
  /** Ring bytes per direction, header page included (for the queue depth, rule 18). */
  readonly ringBytes: number;
  /** The simulated clock (to measure how long the queue stays full). */
  now(): number;
  /** The VM's union of send waits, told when the queue fills and drains (its metrics'). */
  readonly sendWait?: WaitClock;
  /** Asks the VMBus layer to open subchannels as the host offers them. */
  onReady(driver: Storvsc): void;
  onFailed(driver: Storvsc, reason: string): void;
  /** A completion named a trans_id with no request in flight (dropped); `count` so far. */
  onStrayCompletion?(transId: number, count: number): void;
  /**
   * An init request went out: call {@link Storvsc.onInitTimeout} in `ns` unless
   * `cancelInitTimeout` comes first. Without it the driver waits for the host forever.
   */
  armInitTimeout?(driver: Storvsc, ns: Ns): void;
  /** The init request was answered (or the channel died): the timeout must not fire. */
  cancelInitTimeout?(driver: Storvsc): void;
}

export class Storvsc implements ChannelDriver, BlockDriver {
  phase: StorvscPhase = 'initializing';
  private init: StorvscInitState;
  private lastRequest: VstorRequest['kind'] = 'beginInitialization';
  private readonly lanes: ChannelSlots[] = [];
  private readonly waiting: BlockIo[] = [];
  private waitHead = 0;
  /** Requests completed by the packets of this interrupt, told to the stack in afterPacket. */
  private readonly doneIos: (BlockIo | null)[] = [];
  private readonly doneOk: boolean[] = [];
  /** Entries used in doneIos/doneOk (a count, so the arrays keep their storage). */
  private doneCount = 0;
  private readonly packet = new OutgoingPacket();
  private readonly scratch = new Uint8Array(128);
  private readonly srb: VmscsiRequest = createVmscsiRequest();
  // Reused per request (the I/O path allocates nothing): the EXECUTE_SRB message and CDBs it
  // encodes, the data buffer's PFNs, the codec options and the decoded COMPLETE_IO.
  private readonly executeSrb = {
    kind: 'executeSrb',
    flags: REQUEST_COMPLETION_FLAG,
    srb: this.srb,
  } as const;
  private readonly rw16 = {
    kind: 'read16' as 'read16' | 'write16',
    lba: 0,
    blocks: 0,
    fua: false,
    dpo: false,
  };
  private readonly flushCdb = {
    kind: 'synchronizeCache10',
    immed: false,
    lba: 0,
    blocks: 0,
  } as const;
  private readonly pfns: number[] = [];
  private codecOptions: VstorCodecOptions = { protocolVersion: 0 };
  private readonly completion: VstorSrbPacket = createVstorSrbPacket();
  private pfnCursor = 0;
  protocolVersion = 0;
  /** Requests completed with an error status (e.g. SRB_STATUS_NO_DEVICE). */
  errors = 0;
  /** Completions for no request in flight, dropped (L: storvsc_on_channel_callback). */
  strayCompletions = 0;
  deadReason = '';

  constructor(
    primary: GuestChannel | null,
    private readonly host: StorvscHost,
  ) {
    const start = storvscInitStart({ onlineCpus: host.onlineCpus });
    this.init = start.state;
    this.pendingInit = start.request;
    if (primary !== null) this.attach(primary);
  }

  private pendingInit: VstorRequest | undefined;
  /** The trans_id of the init request awaiting its completion; −1 when none is. */
  private initTransId = -1;

  get ready(): boolean {
    return this.phase === 'ready';
  }

  /** The offer it bound carried HV_IDE_GUID: the IDE accelerator (L: storvsc_probe `dev_is_ide`). */
  get ide(): boolean {
    return this.host.classGuid === IDE_ACCELERATOR_CLASS_GUID;
  }

  /** The class GUID of the offer it bound (L: `hv_device.dev_type`). */
  get classGuid(): string {
    return this.host.classGuid;
  }

  get dead(): boolean {
    return this.phase === 'dead' || this.phase === 'failed';
  }

  /** Requests in flight plus waiting (the guest's queue). */
  get queued(): number {
    let n = this.waiting.length - this.waitHead;
    for (const lane of this.lanes) n += lane.capacity - lane.free.length;
    return n;
  }

  /** Channels in use (primary + subchannels). */
  get channelCount(): number {
    return this.lanes.length;
  }

  /** Subchannels the driver asked the host for (CREATE_SUB_CHANNELS; 0 if none, rule 18). */
  get subchannelsRequested(): number {
    return this.init.subChannelsRequested;
  }

  /** Binds a channel (the primary first, then each subchannel as it opens). */
  attach(channel: GuestChannel): void {
    // Rule 18: the slots are budgeted from the ring the channel was opened with (L: storvsc_drv.c
    // computes max_outstanding_req_per_channel from the same aligned ring size it passes to
    // vmbus_open): `ringBytes` is the whole ring, header page included, as the VMBus client
    // allocates it. `storvscMaxOutstandingRequestsPerChannel` would add a header page to a ring
    // under 32 KiB and budget a 16 KiB ring 40 slots its 12 KiB data area cannot hold.
    const capacity = Math.max(
      1,
      Math.floor(storvscMaxOutstandingRequests(this.host.ringBytes, 'classic') * 0.9),
    );
    const free: number[] = [];
    for (let i = capacity - 1; i >= 0; i--) free.push(i);
    this.lanes.push({
      channel,
      slots: new Array<BlockIo | null>(capacity).fill(null),
      free,
      capacity,
    });
  }

  /** Starts the storage protocol handshake on the primary channel (rule 16). */
  start(meter: CostMeter): void {
    this.sendInit(meter);
  }

  submit(io: BlockIo): void {
    this.waiting.push(io);
  }

  /**
   * Sends waiting requests while channels have free slots and ring space. `fromVp` is the guest VP
   * doing it (its index), which writes the rings and signals the host (rule 4); default: each
   * channel's target VP, where completions run and let waiting requests in.
   */
  pump(meter: CostMeter, fromVp?: number): void {
    if (this.phase !== 'ready') return;
    this.drain(meter, fromVp);
    this.noteQueueState();
  }

  /** Requests waiting with every slot of every channel taken: the guest's queue is full (rule 18). */
  private fullSince = -1;
  private fullNs = 0;

  private noteQueueState(): void {
    const now = this.host.now();
    const stalled = this.waitHead < this.waiting.length;
    if (stalled && this.fullSince < 0) {
      this.fullSince = now;
      this.host.sendWait?.enter(now);
    } else if (!stalled && this.fullSince >= 0) {
      this.fullNs += now - this.fullSince;
      this.fullSince = -1;
      this.host.sendWait?.leave(now);
    }
  }

  /** Simulated time requests spent unable to enter any ring (queue depth exhausted), up to `now`. */
  queueFullNs(now: number): number {
    return this.fullNs + (this.fullSince >= 0 ? now - this.fullSince : 0);
  }

  private drain(meter: CostMeter, fromVp: number | undefined): void {
    while (this.waitHead < this.waiting.length) {
      const io = this.waiting[this.waitHead];
      const lane = this.lanes[io.vpIndex % this.lanes.length];
      if (lane.free.length === 0 || lane.channel.state !== 'open') {
        if (!this.anyLaneAccepts()) break;
        // storvsc falls back to another channel when the mapped one is full
        if (!this.sendOnAnyLane(io, meter, fromVp)) break;
      } else if (!this.sendOn(lane, io, meter, fromVp)) break;
      this.waitHead++;
      if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitHead);
        this.waitHead = 0;
      }
    }
  }

  private anyLaneAccepts(): boolean {
    return this.lanes.some((l) => l.free.length > 0 && l.channel.state === 'open');
  }

  private sendOnAnyLane(io: BlockIo, meter: CostMeter, fromVp: number | undefined): boolean {
    for (const lane of this.lanes) {
      if (lane.free.length > 0 && lane.channel.state === 'open')
        return this.sendOn(lane, io, meter, fromVp);
    }
    return false;
  }

  private sendOn(
    lane: ChannelSlots,
    io: BlockIo,
    meter: CostMeter,
    fromVp: number | undefined,
  ): boolean {
    const slot = lane.free[lane.free.length - 1];
    const length = this.encodeSrb(io);
    const p = this.packet;
    if (io.op === 'flush' || io.bytes === 0) {
      p.inBand(this.scratch, length, slot + 1, true);
    } else {
      p.gpaDirect(this.scratch, length, slot + 1);
      const pages = Math.ceil(io.bytes / PAGE);
      const start = this.pfnCursor;
      this.pfnCursor = (this.pfnCursor + pages) % Math.max(1, this.host.dataPages - 64);
      const pfns = this.pfns;
      const first = this.host.dataPfn + start;
      for (let i = 0; i < pages; i++) pfns[i] = first + i;
      p.addGpaRange(io.bytes, 0, pfns);
    }
    const result = lane.channel.send(p, meter, fromVp);
    if (result !== 'sent') return false;
    lane.free.pop();
    lane.slots[slot] = io;
    return true;
  }

  private encodeSrb(io: BlockIo): number {
    const srb = this.srb;
    let command: typeof this.rw16 | typeof this.flushCdb = this.flushCdb;
    if (io.op !== 'flush') {
      command = this.rw16;
      command.kind = io.op === 'read' ? 'read16' : 'write16';
      command.lba = Math.floor(io.offset / SECTOR);
      command.blocks = Math.max(1, Math.ceil(io.bytes / SECTOR));
    }
    srb.cdbOrSense.fill(0);
    srb.cdbLength = scsi.encodeCdb(command, srb.cdbOrSense, 0);
    srb.length = 0;
    srb.srbStatus = 0;
    srb.scsiStatus = 0;
    srb.targetId = 0;
    srb.lun = 0;
    srb.senseInfoLength = 0x14;
    srb.dataIn =
      io.op === 'read'
        ? VmscsiDirection.READ
        : io.op === 'write'
          ? VmscsiDirection.WRITE
          : VmscsiDirection.UNKNOWN;
    srb.dataTransferLength = io.op === 'flush' ? 0 : io.bytes;
    if (this.codecOptions.protocolVersion !== this.protocolVersion)
      this.codecOptions = { protocolVersion: this.protocolVersion };
    return encodeVstorRequest(this.executeSrb, this.scratch, 0, this.codecOptions);
  }

  // ── ChannelDriver ───────────────────────────────────────────────────────────────────────────

  onPacket(channel: GuestChannel, packet: IncomingPacket, meter: CostMeter): void {
    const bytes = packet.data;
    if (this.phase === 'initializing') {
      meter.add(STORVSC_INIT_MESSAGE_NS);
      // L: storvsc_on_channel_callback — trans_id 0 is a message the host started
      // (storvsc_on_receive, no init step); a completion must echo the init request's trans_id
      // (VMBUS_RQST_INIT), else "Incorrect transaction ID": dropped, and the handshake waits on.
      if (packet.transId === 0) return;
      if (packet.transId !== this.initTransId) {
        this.host.onStrayCompletion?.(packet.transId, ++this.strayCompletions);
        return;
      }
      this.settleInit();
      const completes =
        this.lastRequest === 'queryProperties'
          ? 'channelProperties'
          : this.lastRequest === 'queryProtocolVersion'
            ? 'protocolVersion'
            : 'none';
      const m = decodeVstorHostMessage(bytes, packet.payloadOffset, packet.payloadLength, {
        completes,
        protocolVersion: this.protocolVersion || undefined,
      });
      if (!m.ok || m.value.kind !== 'completeIo') return;
      const step = storvscInitOnCompletion(this.init, {
        status: m.value.status,
        result: m.value.result,
      });
      this.init = step.state;
      this.pendingInit = step.request;
      return;
    }
    meter.add(STORVSC_COMPLETION_NS);
    const lane = this.laneOf(channel);
    const transId = packet.transId;
    // L: storvsc_on_channel_callback — trans_id 0 is a message the host started (storvsc_on_receive);
    // any other must name a request in flight, else "Incorrect transaction ID" and it is dropped.
    if (lane === undefined || transId === 0) return;
    const slot = transId - 1;
    const io = slot >= 0 && slot < lane.capacity ? lane.slots[slot] : null;
    if (io === null) {
      this.host.onStrayCompletion?.(transId, ++this.strayCompletions);
      return;
    }
    // Decoded into a reused packet; accepts exactly what decodeVstorHostMessage(…, { completes:
    // 'srb' }) reads as a COMPLETE_IO with an SRB.
    if (this.codecOptions.protocolVersion !== this.protocolVersion)
      this.codecOptions = { protocolVersion: this.protocolVersion };
    const m = this.completion;
    const decoded = decodeVstorSrbInto(
      bytes,
      packet.payloadOffset,
      packet.payloadLength,
      m,
      this.codecOptions,
    );
    const ok =
      decoded.ok &&
      m.operation === VstorOperation.COMPLETE_IO &&
      srbStatusCode(m.srb.srbStatus) === SrbStatus.SUCCESS;
    if (!ok) this.errors++;
    lane.slots[slot] = null;
    lane.free.push(slot);
    this.doneIos[this.doneCount] = io;
    this.doneOk[this.doneCount++] = ok;
  }

  afterPacket(_channel: GuestChannel, meter: CostMeter): void {
    if (this.phase === 'initializing') {
      this.afterInit(meter);
      return;
    }
    const ios = this.doneIos;
    for (let i = 0; i < this.doneCount; i++) {
      const io = ios[i] as BlockIo;
      ios[i] = null;
      io.sink.blockIoDone(io, this.doneOk[i]);
    }
    this.doneCount = 0;
    this.pump(meter);
  }

  onWritable(_channel: GuestChannel, meter: CostMeter): void {
    if (this.phase === 'initializing') this.sendInit(meter);
    else this.pump(meter);
  }

  private laneOf(channel: GuestChannel): ChannelSlots | undefined {
    for (const lane of this.lanes) if (lane.channel === channel) return lane;
    return undefined;
  }

  onDead(channel: GuestChannel, reason: Reason): void {
    if (this.lanes[0]?.channel === channel) this.settleInit();
    const lane = this.laneOf(channel);
    if (lane !== undefined) {
      for (let i = 0; i < lane.slots.length; i++) {
        const io = lane.slots[i];
        if (io !== null) {
          lane.slots[i] = null;
          io.sink.blockIoDone(io, false);
        }
      }
      lane.free.length = 0;
    }
    if (
      this.lanes.length === 0 ||
      this.lanes[0]?.channel === channel ||
      this.lanes.every((l) => l.channel.state === 'dead')
    ) {
      this.phase = 'dead';
      this.deadReason = reasonText(reason);
      for (let i = this.waitHead; i < this.waiting.length; i++) {
        const io = this.waiting[i];
        io.sink.blockIoDone(io, false);
      }
      this.waiting.length = 0;
      this.waitHead = 0;
    }
  }

  private afterInit(meter: CostMeter): void {
    if (this.init.phase === 'failed') {
      this.phase = 'failed';
      this.deadReason = this.init.failure ?? 'initialisation failed';
      this.host.onFailed(this, this.deadReason);
      return;
    }
    if (this.init.protocolVersion !== 0) this.protocolVersion = this.init.protocolVersion;
    if (this.init.phase === 'ready') {
      this.phase = 'ready';
      this.host.onReady(this);
      this.pump(meter);
      return;
    }
    this.sendInit(meter);
  }

  private sendInit(meter: CostMeter): void {
    const request = this.pendingInit;
    if (request === undefined || this.lanes.length === 0) return;
    const lane = this.lanes[0];
    const length = encodeVstorRequest(request, this.scratch, 0, {
      protocolVersion: this.protocolVersion || undefined,
    });
    const transId = 0x10000 + request.kind.length;
    this.packet.inBand(this.scratch, length, transId, true);
    if (lane.channel.send(this.packet, meter) === 'sent') {
      this.lastRequest = request.kind;
      this.initTransId = transId;
      this.pendingInit = undefined;
      meter.add(STORVSC_INIT_MESSAGE_NS);
      this.host.armInitTimeout?.(
        this,
        request.kind === 'createSubChannels'
          ? STORVSC_SUBCHANNEL_TIMEOUT_NS
          : STORVSC_INIT_TIMEOUT_NS,
      );
    }
  }

  /**
   * The init request in flight is over (answered, or its channel is gone): no request is in flight
   * and its timeout, armed whenever `initTransId` was set, leaves the queue.
   */
  private settleInit(): void {
    if (this.initTransId === -1) return;
    this.initTransId = -1;
    this.host.cancelInitTimeout?.(this);
  }

  /**
   * The host left the init request in flight unanswered for the whole timeout. Storvsc gives up on
   * the device, naming the request (L: storvsc_execute_vstor_op → -ETIMEDOUT, storvsc_probe
   * fails); an unanswered CREATE_SUB_CHANNELS only costs the subchannels
   * (handle_multichannel_storage). A completion that comes later finds no request: stray.
   */
  onInitTimeout(meter: CostMeter): void {
    if (this.phase !== 'initializing' || this.initTransId === -1) return;
    this.initTransId = -1;
    const waited =
      this.lastRequest === 'createSubChannels'
        ? STORVSC_SUBCHANNEL_TIMEOUT_NS
        : STORVSC_INIT_TIMEOUT_NS;
    const step = storvscInitOnTimeout(this.init, waited / NS_PER_S);
    this.init = step.state;
    this.pendingInit = step.request;
    this.afterInit(meter);
  }
}
