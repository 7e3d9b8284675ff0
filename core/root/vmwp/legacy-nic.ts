/**
 * Hyper-V's legacy network adapter as the VM's worker process emulates it (rule 21): a DEC 21140
 * at 100 Mbit/s. Its CSRs answer the guest's intercepted IN/OUT instructions; its "bus-master DMA"
 * reads the guest's descriptor rings and writes received frames into guest memory through the
 * worker's mapping of the VM; frames leave through the physical NIC at no more than 100 Mbit/s and
 * arrive from the virtual switch port the model registers. Every step is user-mode root CPU on the
 * root VP that serves the VM's intercepts — which is why emulated networking costs the root far
 * more per frame than netvsp does.
 *
 * The model never calls the guest: it reaches it only through the interrupt line and guest memory.
 */
import type { EventType, Ns } from '../../engine/index.js';
import { WorkClass } from '../../host/cpu.js';
import type { PhysicalNic } from '../../hardware/nic.js';
import type { SwitchPort } from '../vswitch.js';
import {
  ABNORMAL_CAUSES,
  BusMode,
  Csr,
  DESC_OWN,
  DESCRIPTOR_BYTES,
  NORMAL_CAUSES,
  OpMode,
  RDES0_FS,
  RDES0_LENGTH_MASK,
  RDES0_LENGTH_SHIFT,
  RDES0_LS,
  RDES1_RER,
  Status,
  STATUS_CLEARABLE,
  TDES1_SIZE_MASK,
  TDES1_TER,
  TULIP_IO_BYTES,
  TULIP_LINK_GBPS,
  tulipIoBase,
} from '../../guest/drivers/legacy/tulip-registers.js';
import { writeClientFrameHeader } from '../../guest/drivers/netvsc-frame.js';
import type { EmulatedDeviceModel, PortAccess, PortAnswer, PortRange } from './device-model.js';
import type { EmulationContext, GuestDma } from './registry.js';
import { narrate } from '../../simulation/narration-messages.js';

// estimate: emulating one CSR read or write once the access reached the model (decode, register
// update) — small next to the worker process round trip around it (VMWP_ACCESS_BASE_NS).
export const LEGACY_NIC_REGISTER_NS: Ns = 500;
// estimate: the worker's per-frame work to fetch a transmit descriptor by "DMA", map the frame and
// hand it to the virtual switch; user-mode emulation of a 1990s NIC does this in several µs.
export const LEGACY_NIC_TX_FRAME_NS: Ns = 5_000;
// estimate: the same for a received frame (find a receive descriptor, write frame and status).
export const LEGACY_NIC_RX_FRAME_NS: Ns = 5_000;
// estimate: the worker copies frame bytes through its mapping of guest memory, ~2 GB/s.
export const LEGACY_NIC_COPY_NS_PER_BYTE = 0.5;
/** Ethernet frame check sequence the chip appends on the wire. */
const FCS_BYTES = 4;
/** Frames the model buffers while the worker thread is busy receiving (its internal FIFO). */
const RX_FIFO_FRAMES = 256;
/** Descriptor indices the model tracks (rings are far smaller; a larger index stops the chip). */
const MAX_DESCRIPTORS = 4096;

/** Counters for the report and tests. */
export interface LegacyNicCounters {
  framesSent: number;
  framesReceived: number;
  /** Frames dropped: no receive descriptor owned by the chip, receiver stopped, or FIFO full. */
  framesMissed: number;
  interruptsRaised: number;
}

/**
 * The 21140 model of one legacy adapter. Created by the worker process when the VM starts; it
 * connects to the virtual switch through the adapter's backing NIC.
 *
 * @example
 * ```ts
 * worker.add(LEGACY_NETWORK_ADAPTER.model(ctx)); // via EMULATED_DEVICES.network
 * ```
 */
export class LegacyNicModel implements EmulatedDeviceModel, SwitchPort {
  readonly name = 'DEC 21140 legacy network adapter';
  readonly ports: readonly PortRange[];
  readonly counters: LegacyNicCounters = {
    framesSent: 0,
    framesReceived: 0,
    framesMissed: 0,
    interruptsRaised: 0,
  };
  private readonly base: number;
  private readonly csr = new Uint32Array(16);
  private missed = 0;
  private lineHigh = false;
  private txIndex = 0;
  private rxIndex = 0;
  private txBusy = false;
  /** Descriptors handed to the NIC, in order (completions come in order). */
  private readonly txInFlight: number[] = [];
  /** 1 for a descriptor index whose frame is on its way: the chip never laps its own ring. */
  private readonly txBusyDesc = new Uint8Array(MAX_DESCRIPTORS);
  private txInFlightHead = 0;
  private readonly rxBytes = new Int32Array(RX_FIFO_FRAMES);
  private readonly rxTags = new Float64Array(RX_FIFO_FRAMES);
  private rxHead = 0;
  private rxCount = 0;
  private rxBusy = false;
  private readonly desc = new Uint8Array(DESCRIPTOR_BYTES);
  private readonly descView = new DataView(this.desc.buffer);
  private readonly word = new Uint8Array(4);
  private readonly frameHead = new Uint8Array(14);
  private readonly rootVp: number;
  private readonly txCopied: EventType<LegacyNicModel>;
  private readonly txSent: EventType<LegacyNicModel>;
  private readonly rxCopied: EventType<LegacyNicModel>;
  private readonly nic: PhysicalNic | undefined;
  private readonly dma: GuestDma | null;
  private pendingTxBytes = 0;
  private pendingTxDesc = 0;

  constructor(private readonly ctx: EmulationContext) {
    this.base = tulipIoBase(ctx.classIndex ?? 0);
    this.ports = [{ base: this.base, end: this.base + TULIP_IO_BYTES - 1 }];
    this.dma = ctx.dma ?? null;
    // Without bus-master DMA the chip cannot reach its rings: it stays off the wire.
    this.nic = this.dma === null ? undefined : ctx.nic;
    this.rootVp = ctx.cpu.vp(ctx.rootPartitionId, ctx.rootVpIndex);
    const tag = `${ctx.vm}:${ctx.device.spec.id}`;
    this.txCopied = ctx.engine.define<LegacyNicModel>(`tulip:${tag}:tx-copied`, (m) => {
      m.onTxCopied();
    });
    this.txSent = ctx.engine.define<LegacyNicModel>(`tulip:${tag}:tx-sent`, (m) => {
      m.onTxSent();
    });
    this.rxCopied = ctx.engine.define<LegacyNicModel>(`tulip:${tag}:rx-copied`, (m) => {
      m.onRxCopied();
    });
    if (this.nic !== undefined) ctx.vswitch.attach(ctx.vm, ctx.device.spec.id, this.nic.id, this);
    else ctx.log(narrate('legacyNic.unbacked', { device: ctx.device.spec.id }));
  }

  // ── Port accesses (intercepts) ──────────────────────────────────────────────────────────────

  onAccess(access: PortAccess): PortAnswer {
    const offset = access.port - this.base;
    // The CSRs are 32-bit registers on 8-byte boundaries; other accesses read all ones.
    if ((offset & 7) !== 0 || access.size !== 4) {
      return access.write ? { costNs: LEGACY_NIC_REGISTER_NS } : { value: 0xffffffff, costNs: 0 };
    }
    const index = offset >>> 3;
    if (access.write) {
      this.write(index, access.value >>> 0);
      return { costNs: LEGACY_NIC_REGISTER_NS };
    }
    return { value: this.read(index), costNs: LEGACY_NIC_REGISTER_NS };
  }

  private read(index: number): number {
    if (index === Csr.STATUS >>> 3) return this.statusWithSummary();
    if (index === Csr.MISSED >>> 3) {
      // Cleared when read; bit 16 says the 16-bit counter overflowed.
      const value = this.missed > 0xffff ? 0x1_0000 | 0xffff : this.missed;
      this.missed = 0;
      return value;
    }
    return this.csr[index];
  }

  private write(index: number, value: number): void {
    switch (index) {
      case Csr.BUS_MODE >>> 3:
        if ((value & BusMode.SOFTWARE_RESET) !== 0) this.reset();
        else this.csr[index] = value;
        return;
      case Csr.TX_POLL >>> 3:
        this.pumpTransmit();
        return;
      case Csr.RX_POLL >>> 3:
        this.pumpReceive();
        return;
      case Csr.RX_LIST >>> 3:
        this.csr[index] = value;
        this.rxIndex = 0;
        return;
      case Csr.TX_LIST >>> 3:
        this.csr[index] = value;
        this.txIndex = 0;
        return;
      case Csr.STATUS >>> 3:
        // Write 1 to clear the interrupt causes.
        this.csr[index] &= ~(value & STATUS_CLEARABLE);
        this.updateLine();
        return;
      case Csr.OP_MODE >>> 3:
        this.csr[index] = value;
        if ((value & OpMode.START_TX) !== 0) this.pumpTransmit();
        if ((value & OpMode.START_RX) !== 0) this.pumpReceive();
        return;
      case Csr.INTR_MASK >>> 3:
        this.csr[index] = value;
        this.updateLine();
        return;
      default:
        this.csr[index] = value;
    }
  }

  private reset(): void {
    this.csr.fill(0);
    this.txBusyDesc.fill(0);
    this.missed = 0;
    this.txIndex = 0;
    this.rxIndex = 0;
    this.lineHigh = false;
  }

  private statusWithSummary(): number {
    const s = this.csr[Csr.STATUS >>> 3];
    let summary = 0;
    if ((s & NORMAL_CAUSES) !== 0) summary |= Status.NORMAL_SUMMARY;
    if ((s & ABNORMAL_CAUSES) !== 0) summary |= Status.ABNORMAL_SUMMARY;
    return (s | summary) >>> 0;
  }

  private raise(cause: number): void {
    this.csr[Csr.STATUS >>> 3] |= cause;
    this.updateLine();
  }

  /** The interrupt line is level-triggered: asserted while an enabled cause is pending. */
  private updateLine(): void {
    const pending = (this.statusWithSummary() & this.csr[Csr.INTR_MASK >>> 3]) !== 0;
    if (pending && !this.lineHigh) {
      this.lineHigh = true;
      this.counters.interruptsRaised++;
      this.ctx.irq.assert(this.rootVp);
    } else if (!pending) this.lineHigh = false;
  }

  // ── Transmit: descriptor ring → worker copy → NIC at 100 Mbit/s ─────────────────────────────

  private descriptorAddress(listCsr: number, index: number): number {
    return this.csr[listCsr >>> 3] + index * DESCRIPTOR_BYTES;
  }

  private readDescriptor(gpa: number): boolean {
    return this.dma?.read(gpa, this.desc) ?? false;
  }

  /**
   * A frame the guest handed over is being copied or sent. (Frames arriving from the switch are
   * not the guest's work: a save does not wait for the network to fall silent.)
   */
  busy(): boolean {
    return this.txBusy || this.txInFlightHead < this.txInFlight.length;
  }

  private pumpTransmit(): void {
    if (this.txBusy || (this.csr[Csr.OP_MODE >>> 3] & OpMode.START_TX) === 0) return;
    if (this.txIndex >= MAX_DESCRIPTORS || this.txBusyDesc[this.txIndex] !== 0) return;
    const gpa = this.descriptorAddress(Csr.TX_LIST, this.txIndex);
    if (!this.readDescriptor(gpa) || (this.descView.getUint32(0, true) & DESC_OWN) === 0) {
      // Nothing owned by the chip: the transmit process suspends (TU).
      this.raise(Status.TX_NO_BUF);
      return;
    }
    const control = this.descView.getUint32(4, true);
    this.pendingTxBytes = control & TDES1_SIZE_MASK;
    this.pendingTxDesc = this.txIndex;
    this.txIndex = (control & TDES1_TER) !== 0 ? 0 : this.txIndex + 1;
    this.txBusy = true;
    const cost =
      LEGACY_NIC_TX_FRAME_NS + Math.round(this.pendingTxBytes * LEGACY_NIC_COPY_NS_PER_BYTE);
    this.ctx.cpu.run(this.rootVp, cost, WorkClass.Thread, this.txCopied, this);
  }

  private onTxCopied(): void {
    this.txBusy = false;
    const bytes = this.pendingTxBytes;
    if (this.nic !== undefined && bytes > 0) {
      this.txInFlight.push(this.pendingTxDesc);
      this.txBusyDesc[this.pendingTxDesc] = 1;
      // rule 21: the emulated adapter is a 100 Mbit/s device, whatever the physical NIC can do.
      this.nic.transfer('transmit', bytes + FCS_BYTES, this.txSent, this, TULIP_LINK_GBPS);
    } else {
      this.closeTxDescriptor(this.pendingTxDesc);
    }
    this.pumpTransmit();
  }

  private onTxSent(): void {
    if (this.txInFlightHead >= this.txInFlight.length) return;
    const desc = this.txInFlight[this.txInFlightHead++];
    if (this.txInFlightHead > 64 && this.txInFlightHead * 2 > this.txInFlight.length) {
      this.txInFlight.splice(0, this.txInFlightHead);
      this.txInFlightHead = 0;
    }
    this.counters.framesSent++;
    this.txBusyDesc[desc] = 0;
    this.closeTxDescriptor(desc);
    this.pumpTransmit();
  }

  /** Hands the descriptor back to the driver (OWN clear, no errors) and signals TI. */
  private closeTxDescriptor(desc: number): void {
    this.writeWord(this.descriptorAddress(Csr.TX_LIST, desc), 0);
    this.raise(Status.TX_INTR);
  }

  private writeWord(gpa: number, value: number): void {
    this.word[0] = value & 0xff;
    this.word[1] = (value >>> 8) & 0xff;
    this.word[2] = (value >>> 16) & 0xff;
    this.word[3] = (value >>> 24) & 0xff;
    this.dma?.write(gpa, this.word);
  }

  // ── Receive: switch port → worker copy → receive descriptor → RI ─────────────────────────────

  /** A frame for this adapter arrived from the virtual switch. */
  deliver(bytes: number, tag: number): void {
    if ((this.csr[Csr.OP_MODE >>> 3] & OpMode.START_RX) === 0 || this.rxCount >= RX_FIFO_FRAMES) {
      this.miss();
      return;
    }
    const slot = (this.rxHead + this.rxCount) % RX_FIFO_FRAMES;
    this.rxBytes[slot] = bytes;
    this.rxTags[slot] = tag;
    this.rxCount++;
    this.pumpReceive();
  }

  private miss(): void {
    this.missed++;
    this.counters.framesMissed++;
  }

  private pumpReceive(): void {
    if (this.rxBusy || this.rxCount === 0) return;
    this.rxBusy = true;
    const bytes = this.rxBytes[this.rxHead];
    const cost = LEGACY_NIC_RX_FRAME_NS + Math.round(bytes * LEGACY_NIC_COPY_NS_PER_BYTE);
    this.ctx.cpu.run(this.rootVp, cost, WorkClass.Thread, this.rxCopied, this);
  }

  private onRxCopied(): void {
    this.rxBusy = false;
    const bytes = this.rxBytes[this.rxHead];
    const tag = this.rxTags[this.rxHead];
    this.rxHead = (this.rxHead + 1) % RX_FIFO_FRAMES;
    this.rxCount--;
    this.store(bytes, tag);
    this.pumpReceive();
  }

  /** Writes the frame into the next receive descriptor the chip owns, or counts it missed. */
  private store(bytes: number, tag: number): void {
    const gpa = this.descriptorAddress(Csr.RX_LIST, this.rxIndex);
    if (!this.readDescriptor(gpa) || (this.descView.getUint32(0, true) & DESC_OWN) === 0) {
      // No buffer: the frame is lost and the receive process suspends (RU, CSR8 counts it).
      this.miss();
      this.raise(Status.RX_NO_BUF);
      return;
    }
    const control = this.descView.getUint32(4, true);
    const buffer = this.descView.getUint32(8, true);
    const length = Math.min(bytes + FCS_BYTES, RDES0_LENGTH_MASK);
    // The frame's Ethernet header (its source MAC names the client flow) is written for real;
    // the payload is modelled by the copy cost above.
    writeClientFrameHeader(this.frameHead, 0, tag);
    this.dma?.write(buffer, this.frameHead);
    this.writeWord(gpa, ((length << RDES0_LENGTH_SHIFT) | RDES0_FS | RDES0_LS) >>> 0);
    this.rxIndex = (control & RDES1_RER) !== 0 ? 0 : this.rxIndex + 1;
    this.counters.framesReceived++;
    this.raise(Status.RX_INTR);
  }
}
