/**
 * The guest's ATA driver for the emulated IDE controller, doing what a bus-master DMA driver
 * (Linux libata's ata_piix/ata_bmdma, in essence) does for each command:
 *
 * 1. select the device and load the task file — device, then the 48-bit sector count and LBA as
 *    high-order bytes followed by low-order ones (nine OUTs; libata's ata_sff_tf_load);
 * 2. write the PRD table address and the direction to the bus-master registers (bmdma_setup);
 * 3. write the command — READ DMA EXT, WRITE DMA EXT or FLUSH CACHE EXT;
 * 4. start the bus-master engine (bmdma_start), and wait for IRQ 14;
 * 5. in the interrupt handler: read the bus-master status, stop the engine, read the device
 *    status (which clears the interrupt), acknowledge the bus-master status bits.
 *
 * Every one of those port accesses is intercepted (rule 21): the VP stops, the root's worker
 * process emulates the access, the VP resumes. IDE has no command queue, so while a command is
 * outstanding further requests wait here; requests above the per-command limit are split.
 *
 * The model's driver always uses the 48-bit (EXT) commands; libata uses the 28-bit ones for
 * small requests below 128 GiB, which saves four OUTs.
 */
import type { EventType, Ns } from '../../../engine/index.js';
import { WorkClass } from '../../../host/cpu.js';
import type { GuestAllocation } from '../../../memory/index.js';
import {
  AtaCommand,
  AtaPort,
  AtaStatus,
  ATA_DEVICE_LBA,
  BMIDE_BASE,
  BusMasterCommand,
  BusMasterReg,
  BusMasterStatus,
  DMA_BOUNDARY,
  IDE_MAX_TRANSFER_BYTES,
  PRD_END_OF_TABLE,
  PRD_ENTRY_BYTES,
  SECTOR_BYTES,
} from '../../../root/vmwp/ide-ata.js';
import type { LegacyDriverContext } from '../../../root/vmwp/registry.js';
import type { IrqHandler } from '../../../root/vmwp/virtual-irq.js';
import type { BlockDriver, BlockIo } from '../../io.js';
import type { GuestDevice } from '../../stacks/types.js';
import type { PortContinuation } from './port-io.js';

// estimate: the driver building a command — PRD table, task file values (ata_qc_issue path).
export const IDE_ISSUE_NS: Ns = 2_000;
// estimate: the driver's interrupt handler body around its port accesses (ata_bmdma_interrupt).
export const IDE_ISR_NS: Ns = 1_500;
// estimate: completing the request to the block layer.
export const IDE_COMPLETE_NS: Ns = 2_000;

/** One access of the command sequence. */
enum Step {
  Device,
  CountHob,
  LbaLowHob,
  LbaMidHob,
  LbaHighHob,
  Count,
  LbaLow,
  LbaMid,
  LbaHigh,
  BmPrdTable,
  BmDirection,
  Command,
  BmStart,
  // interrupt handler
  BmStatusRead,
  BmStop,
  StatusRead,
  BmStatusAck,
}

/** The issue sequence of a DMA command, as libata orders it (tf_load, bmdma_setup, exec, start). */
const DMA_ISSUE: readonly Step[] = [
  Step.Device,
  Step.CountHob,
  Step.LbaLowHob,
  Step.LbaMidHob,
  Step.LbaHighHob,
  Step.Count,
  Step.LbaLow,
  Step.LbaMid,
  Step.LbaHigh,
  Step.BmPrdTable,
  Step.BmDirection,
  Step.Command,
  Step.BmStart,
];
const DMA_ISR: readonly Step[] = [
  Step.BmStatusRead,
  Step.BmStop,
  Step.StatusRead,
  Step.BmStatusAck,
];
/** A non-data command (FLUSH CACHE EXT): select, command; the handler reads the status. */
const FLUSH_ISSUE: readonly Step[] = [Step.Device, Step.Command];
const FLUSH_ISR: readonly Step[] = [Step.StatusRead];

export class LegacyIdeDriver implements BlockDriver, IrqHandler, PortContinuation {
  readonly ready: boolean;
  readonly dead: boolean;
  private readonly queue: BlockIo[] = [];
  private queueHead = 0;
  /** The request on the channel, and how far it got. */
  private io: BlockIo | null = null;
  private doneBytes = 0;
  private partBytes = 0;
  private lba = 0;
  private sectors = 0;
  private opcode = 0;
  private direction = 0;
  private ok = true;
  private lastBmStatus = 0;
  private sequence: readonly Step[] = DMA_ISSUE;
  private step = 0;
  private phase: 'idle' | 'issue' | 'wait-irq' | 'isr' = 'idle';
  /**
   * IRQ 14 came while the issue sequence was still retiring (the device finished — or aborted —
   * before the guest's last OUT completed on its VP). The line is level-triggered: INTRQ stays
   * up until the handler reads the status, so the guest takes it once the issue path is done.
   */
  private irqPending = false;
  private vpIndex = 0;
  private readonly prd: GuestAllocation | null;
  private readonly dataGpa: number;
  private readonly issueEvent: EventType<LegacyIdeDriver>;
  /** Commands issued (a split request issues several) and interrupts nobody expected. */
  commands = 0;
  dmaCommands = 0;
  flushCommands = 0;
  spuriousInterrupts = 0;
  /** Most requests that ever waited for the channel at once. */
  maxWaiting = 0;

  constructor(
    private readonly ctx: LegacyDriverContext,
    readonly device: GuestDevice,
  ) {
    this.prd = ctx.allocate(1);
    this.ready = this.prd !== null && this.prd.bytes !== null;
    this.dead = !this.ready;
    this.dataGpa = ctx.ioBufferPfn * 4096;
    this.issueEvent = ctx.engine.define<LegacyIdeDriver>(
      `ide-driver:${ctx.spec.name}:${device.spec.id}:issue`,
      (d) => {
        d.nextAccess();
      },
    );
    ctx.irq.connect(this);
  }

  /** Requests waiting for the channel (the one on it not included). */
  get waiting(): number {
    return this.queue.length - this.queueHead;
  }

  /** Whether a command is outstanding on the channel. */
  get busy(): boolean {
    return this.io !== null;
  }

  submit(io: BlockIo): void {
    if (this.dead) {
      io.sink.blockIoDone(io, false);
      return;
    }
    if (this.io !== null) {
      this.queue.push(io);
      this.maxWaiting = Math.max(this.maxWaiting, this.waiting);
      return;
    }
    this.begin(io, io.vpIndex);
  }

  private begin(io: BlockIo, vpIndex: number): void {
    this.io = io;
    this.doneBytes = 0;
    this.ok = true;
    this.issuePart(vpIndex);
  }

  /** Builds the next command of the current request and starts its access sequence. */
  private issuePart(vpIndex: number): void {
    const io = this.io;
    if (io === null) return;
    this.commands++;
    this.vpIndex = vpIndex;
    if (io.op === 'flush') {
      this.flushCommands++;
      this.opcode = AtaCommand.FLUSH_CACHE_EXT;
      this.partBytes = 0;
      this.sequence = FLUSH_ISSUE;
    } else {
      this.partBytes = Math.min(
        IDE_MAX_TRANSFER_BYTES,
        Math.max(SECTOR_BYTES, io.bytes - this.doneBytes),
      );
      this.sectors = Math.ceil(this.partBytes / SECTOR_BYTES);
      this.lba = Math.floor((io.offset + this.doneBytes) / SECTOR_BYTES);
      this.opcode = io.op === 'read' ? AtaCommand.READ_DMA_EXT : AtaCommand.WRITE_DMA_EXT;
      this.direction = io.op === 'read' ? BusMasterCommand.READ_FROM_DEVICE : 0;
      this.writePrdTable(this.sectors * SECTOR_BYTES);
      this.dmaCommands++;
      this.sequence = DMA_ISSUE;
    }
    this.phase = 'issue';
    this.step = 0;
    const ctx = this.ctx;
    ctx.cpu.run(ctx.vpIds[vpIndex], IDE_ISSUE_NS, WorkClass.Thread, this.issueEvent, this);
  }

  /** Describes the data buffer in the PRD table: regions of at most 64 KiB, none crossing 64 KiB. */
  private writePrdTable(bytes: number): void {
    const table = this.prd?.bytes;
    if (table == null) return;
    const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
    let at = this.dataGpa;
    let left = bytes;
    let offset = 0;
    while (left > 0 && offset + PRD_ENTRY_BYTES <= table.length) {
      const region = Math.min(left, DMA_BOUNDARY - (at % DMA_BOUNDARY));
      left -= region;
      view.setUint32(offset, at, true);
      view.setUint16(offset + 4, region & 0xffff, true); // 0 encodes 64 KiB
      view.setUint16(offset + 6, left === 0 ? PRD_END_OF_TABLE : 0, true);
      at += region;
      offset += PRD_ENTRY_BYTES;
    }
  }

  /** Makes the access of the current step (each one an intercept round trip). */
  private nextAccess(): void {
    const s = this.sequence[this.step];
    const ports = this.ctx.ports;
    const vp = this.vpIndex;
    const bm = BMIDE_BASE;
    switch (s) {
      case Step.Device:
        ports.access(vp, AtaPort.DEVICE, 1, true, ATA_DEVICE_LBA, this);
        return;
      case Step.CountHob:
        ports.access(vp, AtaPort.SECTOR_COUNT, 1, true, (this.sectors >> 8) & 0xff, this);
        return;
      case Step.LbaLowHob:
        ports.access(vp, AtaPort.LBA_LOW, 1, true, byteOf(this.lba, 3), this);
        return;
      case Step.LbaMidHob:
        ports.access(vp, AtaPort.LBA_MID, 1, true, byteOf(this.lba, 4), this);
        return;
      case Step.LbaHighHob:
        ports.access(vp, AtaPort.LBA_HIGH, 1, true, byteOf(this.lba, 5), this);
        return;
      case Step.Count:
        ports.access(vp, AtaPort.SECTOR_COUNT, 1, true, this.sectors & 0xff, this);
        return;
      case Step.LbaLow:
        ports.access(vp, AtaPort.LBA_LOW, 1, true, byteOf(this.lba, 0), this);
        return;
      case Step.LbaMid:
        ports.access(vp, AtaPort.LBA_MID, 1, true, byteOf(this.lba, 1), this);
        return;
      case Step.LbaHigh:
        ports.access(vp, AtaPort.LBA_HIGH, 1, true, byteOf(this.lba, 2), this);
        return;
      case Step.BmPrdTable:
        ports.access(vp, bm + BusMasterReg.PRD_TABLE, 4, true, this.prd?.gpa ?? 0, this);
        return;
      case Step.BmDirection:
        ports.access(vp, bm + BusMasterReg.COMMAND, 1, true, this.direction, this);
        return;
      case Step.Command:
        ports.access(vp, AtaPort.STATUS_COMMAND, 1, true, this.opcode, this);
        return;
      case Step.BmStart:
        ports.access(
          vp,
          bm + BusMasterReg.COMMAND,
          1,
          true,
          this.direction | BusMasterCommand.START,
          this,
        );
        return;
      case Step.BmStatusRead:
        ports.access(vp, bm + BusMasterReg.STATUS, 1, false, 0, this);
        return;
      case Step.BmStop:
        ports.access(vp, bm + BusMasterReg.COMMAND, 1, true, this.direction, this);
        return;
      case Step.StatusRead:
        ports.access(vp, AtaPort.STATUS_COMMAND, 1, false, 0, this);
        return;
      case Step.BmStatusAck: {
        const keep =
          this.lastBmStatus &
          (BusMasterStatus.DRIVE0_DMA_CAPABLE | BusMasterStatus.DRIVE1_DMA_CAPABLE);
        const ack = keep | BusMasterStatus.INTERRUPT | BusMasterStatus.ERROR;
        ports.access(vp, bm + BusMasterReg.STATUS, 1, true, ack, this);
        return;
      }
    }
  }

  /** PortContinuation: the access of the current step completed (`value`: what an IN read). */
  portDone(value: number): void {
    const s = this.sequence[this.step];
    if (s === Step.BmStatusRead) {
      this.lastBmStatus = value & 0xff;
      if ((value & BusMasterStatus.ERROR) !== 0) this.ok = false;
    } else if (s === Step.StatusRead) {
      if ((value & (AtaStatus.ERR | AtaStatus.BSY)) !== 0) this.ok = false;
    }
    this.step++;
    if (this.step < this.sequence.length) {
      this.nextAccess();
      return;
    }
    if (this.phase !== 'issue') {
      this.commandDone();
      return;
    }
    this.phase = 'wait-irq';
    if (this.irqPending) {
      this.irqPending = false;
      this.interrupt();
    }
  }

  /** IrqHandler: IRQ 14 — the command ended (the handler runs on the line's target VP, VP 0). */
  interrupt(): void {
    if (this.phase === 'issue') {
      // The guest's VP runs an interrupt between instructions, and the issue path runs with
      // interrupts off (L: ata_qc_issue under ap->lock): the handler runs once issue is done.
      this.irqPending = true;
      return;
    }
    if (this.phase !== 'wait-irq') {
      this.spuriousInterrupts++;
      return;
    }
    this.phase = 'isr';
    this.sequence = this.opcode === AtaCommand.FLUSH_CACHE_EXT ? FLUSH_ISR : DMA_ISR;
    this.step = 0;
    this.vpIndex = 0;
    const ctx = this.ctx;
    ctx.cpu.run(ctx.vpIds[0], IDE_ISR_NS, WorkClass.Interrupt, this.issueEvent, this);
  }

  private commandDone(): void {
    const io = this.io;
    this.phase = 'idle';
    if (io === null) return;
    this.doneBytes += this.partBytes;
    if (this.ok && io.op !== 'flush' && this.doneBytes < io.bytes) {
      this.issuePart(0); // the next part, started from the interrupt handler's CPU
      return;
    }
    this.io = null;
    this.ctx.cpu.charge(this.ctx.vpIds[0], IDE_COMPLETE_NS, WorkClass.Thread);
    io.sink.blockIoDone(io, this.ok);
    if (this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead++];
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      this.begin(next, 0);
    }
  }
}

/** Byte `n` (0 = least significant) of a 48-bit LBA. */
function byteOf(lba: number, n: number): number {
  return Math.floor(lba / 2 ** (8 * n)) % 256;
}
