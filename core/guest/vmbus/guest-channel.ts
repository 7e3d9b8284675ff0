/**
 * The guest end of one VMBus channel, as a VSC driver uses it: it writes requests into the
 * guest→host ring (signalling the host only when rule 4 says so) and, when the channel's
 * interrupt arrives on its target VP, drains the host→guest ring the way the Linux VMBus driver
 * does — mask, read, handle, unmask, re-check (rule 5). Each packet's handling is CPU work on that
 * VP: the driver says what it costs, and its effects (completing a request) land when it has run.
 */
import type { WaitClock } from '../../metrics/wait-clock.js';
import type { EventType, SimEngine } from '../../engine/index.js';
import type { CostMeter, HostCpu } from '../../host/cpu.js';
import { WorkClass } from '../../host/cpu.js';
import type { VpId } from '../../scheduler/index.js';
import { DrainEnd, ReadStatus, WriteStatus } from '../../vmbus/ring/index.js';
import type {
  IncomingPacket,
  OutgoingPacket,
  VmbusRingMemory,
  VmbusRingReader,
  VmbusRingWriter,
} from '../../vmbus/ring/index.js';
import { because } from '../../simulation/narration-reasons.js';
import type { Reason } from '../../simulation/narration-reasons.js';

/** What the VMBus layer gives a guest channel. */
export interface GuestTransport {
  readonly id: number;
  readonly partitionId: number;
  /** The guest VP that takes this channel's interrupts (OPENCHANNEL's target VP). */
  readonly targetVp: VpId;
  /** The same VP as the guest numbers it (its VP index in the partition). */
  readonly targetVpIndex: number;
  readonly writer: VmbusRingWriter;
  readonly reader: VmbusRingReader;
  /** The guest→host ring's memory: the guest's own pages (a hostile guest scribbles on them). */
  readonly outbound: VmbusRingMemory;
  /**
   * HvCallSignalEvent (or a monitor-page bit when batched) made by guest VP `fromVp` — the VP
   * whose write or read needs the host told (rule 4; default: the channel's target VP); the
   * guest's cost goes to `meter`.
   */
  signalHost(meter: CostMeter, necessary: boolean, fromVp?: number): void;
  /**
   * Shares more guest pages with the host on this channel (GPADL_HEADER + GPADL_BODY… →
   * GPADL_CREATED, rule 12), e.g. NetVSC's receive and send buffers. Returns the GPADL id the
   * guest chose; `created(id, ok)` runs when the host answered. Absent: the VMBus layer cannot.
   */
  createGpadl?(pfns: readonly number[], meter: CostMeter, created: GpadlCreatedSink): number;
}

/** Told when a GPADL the driver asked for was created (or refused). */
export interface GpadlCreatedSink {
  gpadlCreated(gpadl: number, ok: boolean, meter: CostMeter): void;
}

/** A VSC driver bound to a channel. */
export interface ChannelDriver {
  /** Handles one host→guest packet; adds the CPU it takes to `meter`. */
  onPacket(channel: GuestChannel, packet: IncomingPacket, meter: CostMeter): void;
  /** The CPU time of the last packet has run: apply what it decided (complete requests…). */
  afterPacket(channel: GuestChannel, meter: CostMeter): void;
  /** The host freed ring space the driver was waiting for (pending_send_sz, rule 6). */
  onWritable(channel: GuestChannel, meter: CostMeter): void;
  /** The channel died: rescinded, or the host stopped it after a fault (rule 38). */
  onDead(channel: GuestChannel, reason: Reason): void;
}

export type GuestSendResult = 'sent' | 'full' | 'dead';

export class GuestChannel {
  state: 'open' | 'dead' = 'open';
  private busy = false;
  private blocked = false;
  private readonly afterEvent: EventType<GuestChannel>;

  // Counters read by metrics.
  sent = 0;
  received = 0;
  /** Sends that found the ring full. */
  full = 0;
  /** Simulated ns the driver spent blocked on a full ring. */
  blockedNs = 0;
  private blockedSince = 0;

  constructor(
    readonly transport: GuestTransport,
    readonly driver: ChannelDriver,
    private readonly cpu: HostCpu,
    private readonly engine: SimEngine,
    afterEvent: EventType<GuestChannel>,
    /** The VM's union of send waits (its metrics), told when this channel blocks and unblocks. */
    private readonly sendWait: WaitClock | null = null,
  ) {
    this.afterEvent = afterEvent;
  }

  get id(): number {
    return this.transport.id;
  }

  /** {@link blockedNs} up to `now`, counting a wait for room that has not ended yet. */
  blockedNsUntil(now: number): number {
    return this.blockedNs + (this.blocked ? now - this.blockedSince : 0);
  }

  /**
   * Writes a packet; signals the host if the ring was empty and unmasked (rule 4). `fromVp` is the
   * guest VP doing the write (its index): it makes the signal, as Linux's `vmbus_setevent` runs on
   * the writing CPU (L: ring_buffer.c `hv_signal_on_write`). A driver sending from its channel's
   * interrupt (a completion that lets a waiting request in) writes on the target VP, the default.
   */
  send(
    packet: OutgoingPacket,
    meter: CostMeter,
    fromVp: number = this.transport.targetVpIndex,
  ): GuestSendResult {
    if (this.state !== 'open') return 'dead';
    const writer = this.transport.writer;
    const status = writer.write(packet);
    if (status === WriteStatus.Written || status === WriteStatus.WrittenSignalReader) {
      this.sent++;
      if (this.blocked) {
        this.blocked = false;
        this.blockedNs += this.engine.now - this.blockedSince;
        this.sendWait?.leave(this.engine.now);
        writer.setPendingSendSize(0);
      }
      if (status === WriteStatus.WrittenSignalReader)
        this.transport.signalHost(meter, true, fromVp);
      return 'sent';
    }
    if (status === WriteStatus.RingFull) {
      this.full++;
      if (!this.blocked) {
        this.blocked = true;
        this.blockedSince = this.engine.now;
        this.sendWait?.enter(this.engine.now);
      }
      writer.setPendingSendSize(writer.lastRequiredBytes);
      return 'full';
    }
    this.die(
      because('ring.rejected', { ring: 'guest→host', problem: writer.rejection, writing: true }),
    );
    return 'dead';
  }

  /** The channel's event flag was set on the target VP. */
  onInterrupt(meter: CostMeter): void {
    if (this.state !== 'open') return;
    if (this.blocked) this.driver.onWritable(this, meter);
    if (this.busy) return;
    this.transport.reader.beginDrain();
    this.next(meter);
  }

  private next(meter: CostMeter): void {
    const reader = this.transport.reader;
    for (;;) {
      if (this.state !== 'open') return;
      const status = reader.next();
      if (status === ReadStatus.Packet) {
        this.busy = true;
        this.received++;
        const before = meter.ns;
        this.driver.onPacket(this, reader.packet, meter);
        const cost = meter.ns - before;
        meter.ns = before;
        this.cpu.run(
          this.transport.targetVp,
          cost,
          WorkClass.Interrupt,
          this.afterEvent,
          this,
          this.id,
        );
        return;
      }
      if (status === ReadStatus.Rejected) {
        this.die(
          because('ring.rejected', {
            ring: 'host→guest',
            problem: reader.rejection,
            writing: false,
          }),
        );
        return;
      }
      const end = reader.endDrain();
      if ((end & DrainEnd.SignalWriter) !== 0) this.transport.signalHost(meter, true);
      if ((end & DrainEnd.MoreData) === 0) {
        this.busy = false;
        return;
      }
      reader.beginDrain();
    }
  }

  /** Called through the `afterEvent` when a packet's CPU time has run. */
  packetDone(meter: CostMeter): void {
    if (this.state !== 'open') return;
    this.driver.afterPacket(this, meter);
    if (this.transport.reader.commitRead()) this.transport.signalHost(meter, true);
    this.next(meter);
  }

  /**
   * Shares guest pages with the host on this channel (rule 12); -1 when the VMBus layer cannot.
   * `sink.gpadlCreated` runs when GPADL_CREATED arrives.
   */
  createGpadl(pfns: readonly number[], meter: CostMeter, sink: GpadlCreatedSink): number {
    if (this.state !== 'open' || this.transport.createGpadl === undefined) return -1;
    return this.transport.createGpadl(pfns, meter, sink);
  }

  /**
   * The guest itself closes the channel (its shutdown, or its partition going away): nothing more
   * is sent or read on it, a wait for room ends, and its driver is not told of a failure.
   */
  close(): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.busy = false;
    if (this.blocked) {
      this.blocked = false;
      this.blockedNs += this.engine.now - this.blockedSince;
      this.sendWait?.leave(this.engine.now);
    }
  }

  /** The channel is gone; the driver fails whatever was outstanding. */
  die(reason: Reason): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    this.busy = false;
    this.driver.onDead(this, reason);
  }
}
