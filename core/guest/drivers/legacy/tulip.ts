/**
 * The guest's driver for the legacy network adapter (rule 21): a DEC 21140 "Tulip" driver as Linux
 * (drivers/net/ethernet/dec/tulip) and the Windows dc21x4 miniport drive it. It keeps its transmit
 * and receive descriptor rings in its own memory and talks to the chip through CSRs — every CSR
 * access is an IN or OUT instruction that the root intercepts, so each one stops the VP for a round
 * trip through the worker process:
 *
 * - per transmitted frame: fill a descriptor, then `OUT CSR1` (transmit poll demand);
 * - per interrupt: `IN CSR5` (why?), `OUT CSR5` (acknowledge), reap the rings, `IN CSR5` again
 *   until no cause is left, then `IN CSR8` (missed frames) — L: interrupt.c tulip_interrupt.
 *
 * Accesses of one VP are issued one after another (a VP executes one instruction at a time).
 */
import type { EventType, Ns } from '../../../engine/index.js';
import { WorkClass } from '../../../host/cpu.js';
import type { GuestAllocation } from '../../../memory/index.js';
import type { LegacyDriverContext } from '../../../root/vmwp/registry.js';
import type { IrqHandler } from '../../../root/vmwp/virtual-irq.js';
import type { NetDriver, NetIo, NetReceiver } from '../../io.js';
import type { GuestDevice } from '../../stacks/types.js';
import { clientFrameTag, ETHERNET_HEADER_BYTES } from '../netvsc-frame.js';
import type { PortContinuation } from './port-io.js';
import {
  BusMode,
  Csr,
  DESC_OWN,
  DESCRIPTOR_BYTES,
  OpMode,
  RDES0_LENGTH_MASK,
  RDES0_LENGTH_SHIFT,
  RDES1_RER,
  Status,
  STATUS_CLEARABLE,
  TDES1_FS,
  TDES1_IC,
  TDES1_LS,
  TDES1_SIZE_MASK,
  TDES1_TER,
  TULIP_21140_VALID_INTRS,
  TULIP_PKT_BUF_SZ,
  TULIP_RX_RING_SIZE,
  TULIP_TX_RING_SIZE,
  tulipIoBase,
} from './tulip-registers.js';
import { narrate } from '../../../simulation/narration-messages.js';

// estimate: guest CPU of tulip_start_xmit for one frame (map the skb, fill the descriptor).
export const TULIP_TX_FRAME_NS: Ns = 1_500;
// estimate: guest CPU per received frame in tulip_rx (copybreak copy, netif_rx), plus per byte.
export const TULIP_RX_FRAME_NS: Ns = 2_000;
export const TULIP_RX_COPY_NS_PER_BYTE = 0.1;
// estimate: guest CPU to reap one transmitted descriptor (unmap, free the skb).
export const TULIP_TX_REAP_NS: Ns = 500;
/** L: interrupt.c `tulip_max_interrupt_work` (25): loops of one interrupt. */
const MAX_INTERRUPT_WORK = 25;
const FCS_BYTES = 4;

/** Why an access is made: what to do when it completed. */
const Step = {
  Init: 0,
  InitLast: 1,
  TxPoll: 2,
  IsrReadStatus: 3,
  IsrAck: 4,
  IsrReread: 5,
  IsrReadMissed: 6,
} as const;
type Step = (typeof Step)[keyof typeof Step];

interface Access {
  readonly port: number;
  readonly write: boolean;
  readonly value: number;
  readonly step: Step;
}

/** One VP's accesses, issued one at a time (the VP is stopped while one is intercepted). */
class PortLane implements PortContinuation {
  private readonly queue: Access[] = [];
  private head = 0;
  private busy = false;
  private current: Access | null = null;

  constructor(
    private readonly driver: TulipDriver,
    readonly vpIndex: number,
  ) {}

  push(access: Access): void {
    this.queue.push(access);
    if (!this.busy) this.next();
  }

  portDone(value: number): void {
    const done = this.current;
    this.busy = false;
    this.current = null;
    if (done !== null) this.driver.stepDone(done.step, value >>> 0);
    this.next();
  }

  private next(): void {
    if (this.busy || this.head >= this.queue.length) return;
    const a = this.queue[this.head++];
    if (this.head > 64 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    this.busy = true;
    this.current = a;
    this.driver.issue(this.vpIndex, a, this);
  }
}

/**
 * The tulip driver of one legacy adapter.
 *
 * @example
 * ```ts
 * const driver = new TulipDriver(ctx, device); // via EMULATED_DEVICES.network.driver
 * driver.setReceiver(networkStack);
 * driver.send({ bytes: 1514, vpIndex: 0, issuedAt: now, sink, context: op });
 * ```
 */
export class TulipDriver implements NetDriver, IrqHandler {
  ready = false;
  dead = false;
  private readonly base: number;
  private readonly lanes: PortLane[] = [];
  private receiver: NetReceiver | null = null;
  private rings: GuestAllocation | null = null;
  private rxBuffers: GuestAllocation | null = null;
  private readonly txIo: (NetIo | null)[] = new Array<NetIo | null>(TULIP_TX_RING_SIZE).fill(null);
  private txCur = 0;
  private txDirty = 0;
  private rxCur = 0;
  private readonly waiting: NetIo[] = [];
  private waitHead = 0;
  private isrRunning = false;
  private isrAgain = false;
  private isrWork = 0;
  private readonly rxTags: number[] = [];
  private readonly rxLengths: number[] = [];
  private readonly reaped: NetIo[] = [];
  private readonly word = new Uint8Array(4);
  private readonly wordView = new DataView(this.word.buffer);
  private readonly head = new Uint8Array(ETHERNET_HEADER_BYTES);
  private readonly processed: EventType<TulipDriver>;
  // Counters for tests and the report.
  interrupts = 0;
  portAccesses = 0;
  framesSent = 0;
  framesReceived = 0;
  missedFrames = 0;

  constructor(
    private readonly ctx: LegacyDriverContext,
    private readonly device: GuestDevice,
  ) {
    this.base = tulipIoBase(ctx.classIndex ?? 0);
    for (let vp = 0; vp < ctx.vpIds.length; vp++) this.lanes.push(new PortLane(this, vp));
    this.processed = ctx.engine.define<TulipDriver>(
      `tulip:${ctx.spec.name}:${device.spec.id}:isr-processed`,
      (d) => {
        d.afterProcessing();
      },
    );
    ctx.irq.connect(this);
    this.probe();
  }

  /** The network stack that takes received frames. */
  setReceiver(receiver: NetReceiver): void {
    this.receiver = receiver;
  }

  /** Descriptors the chip still owns or the driver has not reaped (tests, the game). */
  get transmitInFlight(): number {
    return this.txCur - this.txDirty;
  }

  // ── Probe and open (L: tulip_init_one, tulip_up) ─────────────────────────────────────────────

  private probe(): void {
    // The worker's DMA reaches these: dense, DMA-able memory (LegacyDriverContext.allocate).
    const rings = this.ctx.allocate(1);
    const buffers = this.ctx.allocate(Math.ceil((TULIP_RX_RING_SIZE * TULIP_PKT_BUF_SZ) / 4096));
    if (rings === null || buffers === null) {
      this.dead = true;
      this.device.failure = 'the guest could not allocate the 21140 descriptor rings';
      this.ctx.deviceStateChanged();
      return;
    }
    this.rings = rings;
    this.rxBuffers = buffers;
    // Receive descriptors: all owned by the chip, each with one PKT_BUF_SZ buffer.
    for (let i = 0; i < TULIP_RX_RING_SIZE; i++) {
      const at = this.rxDescOffset(i);
      this.writeRingWord(at + 4, TULIP_PKT_BUF_SZ | (i === TULIP_RX_RING_SIZE - 1 ? RDES1_RER : 0));
      this.writeRingWord(at + 8, buffers.gpa + i * TULIP_PKT_BUF_SZ);
      this.writeRingWord(at, DESC_OWN);
    }
    const lane = this.lanes[0];
    const csr = (offset: number, value: number, step: Step = Step.Init): void => {
      lane.push({ port: this.base + offset, write: true, value, step });
    };
    csr(Csr.BUS_MODE, BusMode.SOFTWARE_RESET);
    csr(Csr.BUS_MODE, BusMode.LINUX_DEFAULT);
    csr(Csr.RX_LIST, rings.gpa + this.rxDescOffset(0));
    csr(Csr.TX_LIST, rings.gpa + this.txDescOffset(0));
    csr(Csr.INTR_MASK, TULIP_21140_VALID_INTRS);
    csr(Csr.OP_MODE, OpMode.START_RX | OpMode.START_TX);
    csr(Csr.RX_POLL, 0, Step.InitLast);
  }

  private txDescOffset(i: number): number {
    return i * DESCRIPTOR_BYTES;
  }

  private rxDescOffset(i: number): number {
    return TULIP_TX_RING_SIZE * DESCRIPTOR_BYTES + i * DESCRIPTOR_BYTES;
  }

  private writeRingWord(offset: number, value: number): void {
    this.wordView.setUint32(0, value >>> 0, true);
    this.rings?.write(offset, this.word);
  }

  private readRingWord(offset: number): number {
    if (this.rings === null || !this.rings.read(offset, this.word)) return DESC_OWN;
    return this.wordView.getUint32(0, true);
  }

  // ── Port accesses ───────────────────────────────────────────────────────────────────────────

  /** @internal The lane issues an access on its VP. */
  issue(vpIndex: number, a: Access, lane: PortLane): void {
    this.portAccesses++;
    this.ctx.ports.access(vpIndex, a.port, 4, a.write, a.value, lane);
  }

  /** @internal An access completed: continue what it was part of. */
  stepDone(step: Step, value: number): void {
    switch (step) {
      case Step.Init:
      case Step.TxPoll:
        return;
      case Step.InitLast:
        this.ready = true;
        this.ctx.deviceStateChanged();
        this.ctx.log(narrate('tulip.up', { device: this.device.spec.id, port: this.base }));
        return;
      case Step.IsrReadStatus:
        if ((value & (Status.NORMAL_SUMMARY | Status.ABNORMAL_SUMMARY)) === 0) this.endInterrupt();
        else this.acknowledge(value);
        return;
      case Step.IsrAck:
        this.process();
        return;
      case Step.IsrReread:
        if (
          (value & (Status.NORMAL_SUMMARY | Status.ABNORMAL_SUMMARY)) !== 0 &&
          ++this.isrWork < MAX_INTERRUPT_WORK
        ) {
          this.acknowledge(value);
        } else {
          this.isrAccess(Csr.MISSED, false, 0, Step.IsrReadMissed);
        }
        return;
      case Step.IsrReadMissed:
        this.missedFrames += value & 0xffff;
        this.endInterrupt();
        return;
    }
  }

  private isrAccess(offset: number, write: boolean, value: number, step: Step): void {
    this.lanes[0].push({ port: this.base + offset, write, value, step });
  }

  // ── Transmit (L: tulip_start_xmit) ──────────────────────────────────────────────────────────

  send(io: NetIo): void {
    if (this.dead || !this.ready) {
      io.sink.netIoDone(io, false);
      return;
    }
    this.waiting.push(io);
    this.pump(io.vpIndex % this.lanes.length);
  }

  /**
   * Posts waiting frames while the ring has room. `vp` is the VP running this code — the sender's,
   * or VP 0 when the ISR reaped the ring — and the one that makes the port accesses (a VP can
   * only touch ports from code it runs).
   */
  private pump(vp: number): void {
    while (this.waitHead < this.waiting.length && this.txCur - this.txDirty < TULIP_TX_RING_SIZE) {
      const io = this.waiting[this.waitHead++];
      const entry = this.txCur % TULIP_TX_RING_SIZE;
      const at = this.txDescOffset(entry);
      const last = entry === TULIP_TX_RING_SIZE - 1 ? TDES1_TER : 0;
      this.writeRingWord(
        at + 4,
        TDES1_IC | TDES1_LS | TDES1_FS | last | (io.bytes & TDES1_SIZE_MASK),
      );
      this.writeRingWord(at + 8, this.ctx.ioBufferPfn * 4096 + entry * TULIP_PKT_BUF_SZ);
      this.writeRingWord(at, DESC_OWN);
      this.txIo[entry] = io;
      this.txCur++;
      this.ctx.cpu.charge(this.ctx.vpIds[vp], TULIP_TX_FRAME_NS, WorkClass.Thread);
      // "Trigger an immediate transmit demand." (L: tulip_start_xmit)
      this.lanes[vp].push({
        port: this.base + Csr.TX_POLL,
        write: true,
        value: 0,
        step: Step.TxPoll,
      });
    }
    if (this.waitHead > 256 && this.waitHead * 2 > this.waiting.length) {
      this.waiting.splice(0, this.waitHead);
      this.waitHead = 0;
    }
  }

  // ── Interrupt (L: tulip_interrupt) ──────────────────────────────────────────────────────────

  /** The adapter's interrupt line fired: the ISR runs on VP 0. */
  interrupt(): void {
    this.interrupts++;
    if (this.isrRunning) {
      this.isrAgain = true;
      return;
    }
    this.isrRunning = true;
    this.isrWork = 0;
    this.isrAccess(Csr.STATUS, false, 0, Step.IsrReadStatus);
  }

  /** "Acknowledge all of the current interrupt sources ASAP." */
  private acknowledge(status: number): void {
    this.isrAccess(Csr.STATUS, true, status & STATUS_CLEARABLE, Step.IsrAck);
  }

  /** Reaps both rings (memory only) and spends the guest CPU that takes. */
  private process(): void {
    let cost = 0;
    // tulip_rx: frames the chip handed back (OWN clear), oldest first.
    for (let n = 0; n < TULIP_RX_RING_SIZE; n++) {
      const entry = this.rxCur % TULIP_RX_RING_SIZE;
      const at = this.rxDescOffset(entry);
      const status = this.readRingWord(at);
      if ((status & DESC_OWN) !== 0) break;
      const length = ((status >>> RDES0_LENGTH_SHIFT) & RDES0_LENGTH_MASK) - FCS_BYTES;
      const tag =
        this.rxBuffers !== null && this.rxBuffers.read(entry * TULIP_PKT_BUF_SZ, this.head)
          ? clientFrameTag(this.head, 0, Math.max(0, length))
          : -1;
      if (tag >= 0 && length > 0) {
        this.rxTags.push(tag);
        this.rxLengths.push(length);
        cost += TULIP_RX_FRAME_NS + Math.round(length * TULIP_RX_COPY_NS_PER_BYTE);
      }
      // tulip_refill_rx: give the buffer back to the chip.
      this.writeRingWord(at, DESC_OWN);
      this.rxCur++;
    }
    // Transmit reaping: descriptors the chip has closed.
    while (this.txCur - this.txDirty > 0) {
      const entry = this.txDirty % TULIP_TX_RING_SIZE;
      if ((this.readRingWord(this.txDescOffset(entry)) & DESC_OWN) !== 0) break;
      const io = this.txIo[entry];
      this.txIo[entry] = null;
      if (io !== null) this.reaped.push(io);
      this.txDirty++;
      cost += TULIP_TX_REAP_NS;
    }
    this.ctx.cpu.run(
      this.ctx.vpIds[0],
      Math.max(TULIP_TX_REAP_NS, cost),
      WorkClass.Interrupt,
      this.processed,
      this,
    );
  }

  private afterProcessing(): void {
    for (let i = 0; i < this.rxTags.length; i++) {
      this.framesReceived++;
      this.receiver?.frameReceived(this.rxTags[i], this.rxLengths[i]);
    }
    this.rxTags.length = 0;
    this.rxLengths.length = 0;
    for (const io of this.reaped) {
      this.framesSent++;
      io.sink.netIoDone(io, true);
    }
    this.reaped.length = 0;
    this.pump(0);
    this.isrAccess(Csr.STATUS, false, 0, Step.IsrReread);
  }

  private endInterrupt(): void {
    this.isrRunning = false;
    if (this.isrAgain) {
      this.isrAgain = false;
      this.interrupt();
    }
  }
}
