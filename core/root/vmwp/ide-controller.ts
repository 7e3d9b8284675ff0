/**
 * The emulated IDE controller in a VM's worker process (rule 21): the primary channel of the
 * PIIX4 IDE function with one ATA disk, task-file registers at 0x1F0–0x1F7 and 0x3F6, and the
 * channel's bus-master DMA engine at BMIBA+0..7. Every register the guest touches arrives here as
 * an intercepted port access. When the guest starts the engine the model reads the guest's PRD
 * table from guest memory (copy, then validate: rule 36), copies the data between guest memory
 * and its own buffer (root CPU per byte), issues the request to the route's disk, and when the
 * disk answers raises IRQ 14 and sets the bus-master interrupt bit. IDE has no command queue: the
 * channel works on one command at a time.
 *
 * O: vm/devices/storage/ide (openvmm's PIIX4 IDE emulator) for register semantics; ACS for the
 * 48-bit register pairs (HOB).
 */
import type { EventType, Ns } from '../../engine/index.js';
import { WorkClass } from '../../host/cpu.js';
import type { VpId } from '../../scheduler/index.js';
import type { EmulatedDeviceModel, PortAccess, PortAnswer, PortRange } from './device-model.js';
import {
  AtaCommand,
  AtaDeviceControl,
  AtaError,
  AtaPort,
  AtaStatus,
  ATA_DEVICE_DEV1,
  BMIDE_BASE,
  BusMasterCommand,
  BusMasterReg,
  BusMasterStatus,
  DMA_BOUNDARY,
  PRD_END_OF_TABLE,
  PRD_ENTRY_BYTES,
  PRD_MAX_REGION_BYTES,
  SECTOR_BYTES,
} from './ide-ata.js';
import type { EmulationContext } from './registry.js';

// estimate: the worker's device model decoding one register access and updating its state.
export const IDE_REGISTER_NS: Ns = 300;
// estimate: starting the bus-master engine — map the PRD table, set up the transfer.
export const IDE_DMA_SETUP_NS: Ns = 2_000;
// estimate: reading and checking one PRD entry in guest memory.
export const IDE_PRD_ENTRY_NS: Ns = 150;
// estimate: copying data between guest memory and the worker's I/O buffer, ~4 GB/s.
export const IDE_COPY_NS_PER_KIB: Ns = 250;
// estimate: the worker issuing the request to the root's storage stack (user → kernel, VHD parser).
export const IDE_DISK_SUBMIT_NS: Ns = 6_000;
// estimate: the completion reaching the worker thread (I/O completion port) and the model.
export const IDE_DISK_COMPLETE_NS: Ns = 4_000;

/** One command the channel is working on. */
interface Transfer {
  readonly op: 'read' | 'write' | 'flush';
  readonly lba: number;
  readonly bytes: number;
  /** 'dma': waiting for the engine to start; 'running': disk I/O under way. */
  phase: 'dma' | 'running';
  /** The guest stopped the engine or reset the channel before the end. */
  aborted: boolean;
}

/** Task-file register index of ports 0x1F1–0x1F5: features, count, LBA low, mid, high. */
const TF_FIRST = AtaPort.ERROR_FEATURES;
const TF_COUNT = 1;
const TF_LBA_LOW = 2;
const TF_LBA_MID = 3;
const TF_LBA_HIGH = 4;

export class IdeControllerModel implements EmulatedDeviceModel {
  readonly name = 'Intel PIIX4 IDE controller (emulated)';
  readonly ports: readonly PortRange[] = [
    { base: AtaPort.DATA, end: AtaPort.STATUS_COMMAND },
    { base: AtaPort.ALT_STATUS_CONTROL, end: AtaPort.ALT_STATUS_CONTROL },
    { base: BMIDE_BASE, end: BMIDE_BASE + 7 },
  ];
  /** The 48-bit registers are two-byte FIFOs: the current byte and the previous (HOB) one. */
  private readonly current = new Uint8Array(5);
  private readonly previous = new Uint8Array(5);
  private device = 0;
  private status: number = AtaStatus.DRDY | AtaStatus.DSC;
  private error = 0;
  private control = 0;
  private bmCommand = 0;
  private bmStatus: number = BusMasterStatus.DRIVE0_DMA_CAPABLE;
  private prdTable = 0;
  private transfer: Transfer | null = null;
  private nextLba = -1;
  private readonly entry = new Uint8Array(PRD_ENTRY_BYTES);
  private readonly entryView = new DataView(this.entry.buffer);
  private readonly rootVp: VpId;
  private readonly diskSectors: number;
  private readonly submitted: EventType<Transfer>;
  private readonly diskDone: EventType<Transfer>;
  private readonly finished: EventType<Transfer>;
  /** Counters for the game's VMWP panel and the tests. */
  commands = 0;
  bytesTransferred = 0;
  dmaErrors = 0;
  /** Largest data transfer one command asked for, bytes. */
  largestTransfer = 0;

  constructor(private readonly ctx: EmulationContext) {
    this.rootVp = ctx.cpu.vp(ctx.rootPartitionId, ctx.rootVpIndex);
    this.diskSectors = Math.floor(((ctx.device.spec.sizeGiB ?? 40) * 1024 ** 3) / SECTOR_BYTES);
    const tag = `ide:${ctx.vm}:${ctx.device.spec.id}`;
    this.submitted = ctx.engine.define<Transfer>(`${tag}:submit`, (t) => {
      this.submit(t);
    });
    this.diskDone = ctx.engine.define<Transfer>(`${tag}:disk-done`, (t) => {
      this.onDiskDone(t);
    });
    this.finished = ctx.engine.define<Transfer>(`${tag}:finish`, (t) => {
      this.finish(t);
    });
  }

  /** A DMA transfer is under way: submitted, on the disk, or being completed. */
  busy(): boolean {
    return this.transfer !== null;
  }

  onAccess(a: PortAccess): PortAnswer {
    const port = a.port;
    if (port >= BMIDE_BASE && port < BMIDE_BASE + 8) return this.busMaster(a, port - BMIDE_BASE);
    const v = a.value & 0xff;
    const cost = IDE_REGISTER_NS;
    switch (port) {
      case AtaPort.DATA:
        // PIO data is not modelled: the model's guests use DMA (a PIO command is aborted).
        return a.write ? { costNs: cost } : { value: 0, costNs: cost };
      case AtaPort.DEVICE:
        if (a.write) this.device = v;
        return a.write ? { costNs: cost } : { value: this.device, costNs: cost };
      case AtaPort.STATUS_COMMAND:
        if (!a.write) return { value: this.selectedStatus(), costNs: cost };
        return { costNs: cost + this.command(v) };
      case AtaPort.ALT_STATUS_CONTROL:
        if (!a.write) return { value: this.selectedStatus(), costNs: cost };
        this.deviceControl(v);
        return { costNs: cost };
      default:
        return this.taskFile(a, port - TF_FIRST, v);
    }
  }

  private selectedStatus(): number {
    // No device 1 on this channel: reads float low while it is selected.
    return (this.device & ATA_DEVICE_DEV1) !== 0 ? 0 : this.status;
  }

  private taskFile(a: PortAccess, index: number, v: number): PortAnswer {
    if (a.write) {
      this.previous[index] = this.current[index];
      this.current[index] = v;
      this.control &= ~AtaDeviceControl.HOB; // ACS: a register write clears HOB
      return { costNs: IDE_REGISTER_NS };
    }
    if (index === 0) return { value: this.error, costNs: IDE_REGISTER_NS };
    const hob = (this.control & AtaDeviceControl.HOB) !== 0;
    return { value: hob ? this.previous[index] : this.current[index], costNs: IDE_REGISTER_NS };
  }

  /** Executes a command; returns extra model cost (a PRD table walk if the engine was started). */
  private command(opcode: number): Ns {
    if ((this.device & ATA_DEVICE_DEV1) !== 0) return 0; // nobody there to take it
    if ((this.status & AtaStatus.BSY) !== 0) return 0; // ACS: a command while busy is ignored here
    this.error = 0;
    this.commands++;
    switch (opcode) {
      case AtaCommand.READ_DMA_EXT:
      case AtaCommand.WRITE_DMA_EXT:
        return this.dmaCommand(opcode === AtaCommand.READ_DMA_EXT ? 'read' : 'write');
      case AtaCommand.FLUSH_CACHE:
      case AtaCommand.FLUSH_CACHE_EXT:
        if (this.ctx.disk === undefined) {
          this.fail(AtaError.ABRT);
          return 0;
        }
        this.status = AtaStatus.BSY | AtaStatus.DRDY;
        this.start({ op: 'flush', lba: 0, bytes: 0, phase: 'running', aborted: false }, 0);
        return 0;
      default:
        this.fail(AtaError.ABRT);
        return 0;
    }
  }

  private dmaCommand(op: 'read' | 'write'): Ns {
    const c = this.current;
    const p = this.previous;
    const lba =
      c[TF_LBA_LOW] +
      c[TF_LBA_MID] * 2 ** 8 +
      c[TF_LBA_HIGH] * 2 ** 16 +
      p[TF_LBA_LOW] * 2 ** 24 +
      p[TF_LBA_MID] * 2 ** 32 +
      p[TF_LBA_HIGH] * 2 ** 40;
    const sectors = c[TF_COUNT] + p[TF_COUNT] * 256 || 65536; // ACS: 0 means 65536
    if (this.ctx.disk === undefined) {
      this.fail(AtaError.ABRT);
      return 0;
    }
    if (lba + sectors > this.diskSectors) {
      this.fail(AtaError.IDNF);
      return 0;
    }
    this.status = AtaStatus.BSY | AtaStatus.DRDY;
    this.transfer = { op, lba, bytes: sectors * SECTOR_BYTES, phase: 'dma', aborted: false };
    this.largestTransfer = Math.max(this.largestTransfer, this.transfer.bytes);
    // Drivers may start the engine before or after writing the command (PIIX4 waits for DMARQ).
    return (this.bmCommand & BusMasterCommand.START) !== 0 ? this.startDma() : 0;
  }

  private deviceControl(v: number): void {
    const was = this.control;
    this.control = v;
    if ((was & AtaDeviceControl.SRST) === 0 && (v & AtaDeviceControl.SRST) !== 0) {
      if (this.transfer !== null) this.transfer.aborted = true;
      this.transfer = null;
      this.status = AtaStatus.BSY;
    } else if ((was & AtaDeviceControl.SRST) !== 0 && (v & AtaDeviceControl.SRST) === 0) {
      this.status = AtaStatus.DRDY | AtaStatus.DSC;
      this.error = 0x01; // ACS: diagnostic code "device 0 passed"
    }
  }

  // ── Bus master ──────────────────────────────────────────────────────────────────────────────

  private busMaster(a: PortAccess, offset: number): PortAnswer {
    const v = a.value >>> 0;
    if (offset === BusMasterReg.COMMAND) {
      if (!a.write) return { value: this.bmCommand, costNs: IDE_REGISTER_NS };
      return { costNs: IDE_REGISTER_NS + this.writeBmCommand(v & 0xff) };
    }
    if (offset === BusMasterReg.STATUS) {
      if (!a.write) return { value: this.bmStatus, costNs: IDE_REGISTER_NS };
      const clear = v & (BusMasterStatus.ERROR | BusMasterStatus.INTERRUPT);
      const settable = BusMasterStatus.DRIVE0_DMA_CAPABLE | BusMasterStatus.DRIVE1_DMA_CAPABLE;
      this.bmStatus = ((this.bmStatus & ~clear & ~settable) | (v & settable)) >>> 0;
      return { costNs: IDE_REGISTER_NS };
    }
    if (offset >= BusMasterReg.PRD_TABLE) {
      const shift = (offset - BusMasterReg.PRD_TABLE) * 8;
      if (!a.write) return { value: (this.prdTable >>> shift) >>> 0, costNs: IDE_REGISTER_NS };
      const mask = a.size === 4 ? 0xffffffff : a.size === 2 ? 0xffff : 0xff;
      const lane = (mask * 2 ** shift) % 2 ** 32;
      const merged = (this.prdTable & ~lane) | (((v & mask) * 2 ** shift) % 2 ** 32);
      this.prdTable = (merged & ~3) >>> 0; // dword aligned
      return { costNs: IDE_REGISTER_NS };
    }
    return a.write ? { costNs: IDE_REGISTER_NS } : { value: 0, costNs: IDE_REGISTER_NS };
  }

  /** Returns extra cost (a PRD table walk when the engine starts). */
  private writeBmCommand(v: number): Ns {
    const was = this.bmCommand;
    this.bmCommand = v & (BusMasterCommand.START | BusMasterCommand.READ_FROM_DEVICE);
    const started = (was & BusMasterCommand.START) === 0 && (v & BusMasterCommand.START) !== 0;
    const stopped = (was & BusMasterCommand.START) !== 0 && (v & BusMasterCommand.START) === 0;
    if (stopped) {
      this.bmStatus &= ~BusMasterStatus.ACTIVE;
      const t = this.transfer;
      if (t !== null && t.op !== 'flush') t.aborted = true;
      return 0;
    }
    if (!started) return 0;
    this.bmStatus |= BusMasterStatus.ACTIVE;
    return this.transfer?.phase === 'dma' ? this.startDma() : 0;
  }

  /** The engine starts on a pending DMA command: check the PRD table, start the data path. */
  private startDma(): Ns {
    const t = this.transfer;
    if (t === null) return 0;
    const toMemory = (this.bmCommand & BusMasterCommand.READ_FROM_DEVICE) !== 0;
    const check = this.walkPrdTable(t.bytes);
    const cost = IDE_DMA_SETUP_NS + check.entries * IDE_PRD_ENTRY_NS;
    if (!check.ok || toMemory !== (t.op === 'read')) {
      this.dmaFault();
      return cost;
    }
    const copy = t.op === 'write' ? copyCost(t.bytes) : 0;
    this.start(t, copy);
    return cost;
  }

  /**
   * Reads the PRD table from guest memory: entries up to END OF TABLE, inside one 64 KiB window;
   * each region word aligned, inside guest RAM, not crossing 64 KiB; together at least `needed`
   * bytes. The guest wrote it and could be lying: nothing here throws.
   */
  private walkPrdTable(needed: number): { ok: boolean; entries: number } {
    let at = this.prdTable;
    const windowEnd = (Math.floor(at / DMA_BOUNDARY) + 1) * DMA_BOUNDARY;
    let covered = 0;
    let entries = 0;
    const view = this.entryView;
    while (at + PRD_ENTRY_BYTES <= windowEnd) {
      if (!this.ctx.ram.read(at, this.entry)) return { ok: false, entries };
      entries++;
      const base = view.getUint32(0, true);
      const count = view.getUint16(4, true) & 0xfffe || PRD_MAX_REGION_BYTES;
      const flags = view.getUint16(6, true);
      const crosses =
        Math.floor(base / DMA_BOUNDARY) !== Math.floor((base + count - 1) / DMA_BOUNDARY);
      if ((base & 1) !== 0 || crosses || !this.ctx.ram.backed(base, count))
        return { ok: false, entries };
      covered += count;
      if ((flags & PRD_END_OF_TABLE) !== 0) return { ok: covered >= needed, entries };
      at += PRD_ENTRY_BYTES;
    }
    return { ok: false, entries };
  }

  private dmaFault(): void {
    this.dmaErrors++;
    this.transfer = null;
    this.bmStatus = (this.bmStatus | BusMasterStatus.ERROR) & ~BusMasterStatus.ACTIVE;
    this.fail(AtaError.ABRT);
  }

  // ── The data path: worker CPU, then the disk, then the interrupt ────────────────────────────

  private start(t: Transfer, copyNs: Ns): void {
    t.phase = 'running';
    this.transfer = t;
    this.ctx.cpu.run(this.rootVp, copyNs + IDE_DISK_SUBMIT_NS, WorkClass.Thread, this.submitted, t);
  }

  private submit(t: Transfer): void {
    const disk = this.ctx.disk;
    if (t !== this.transfer || disk === undefined) return;
    const sequential = t.op !== 'flush' && t.lba === this.nextLba;
    if (t.op !== 'flush') this.nextLba = t.lba + t.bytes / SECTOR_BYTES;
    disk.submit({ op: t.op, bytes: t.bytes, sequential, done: this.diskDone, arg: t });
  }

  private onDiskDone(t: Transfer): void {
    if (t !== this.transfer) return;
    const copy = t.op === 'read' && !t.aborted ? copyCost(t.bytes) : 0;
    this.ctx.cpu.run(this.rootVp, IDE_DISK_COMPLETE_NS + copy, WorkClass.Thread, this.finished, t);
  }

  private finish(t: Transfer): void {
    if (t !== this.transfer) return;
    this.transfer = null;
    this.bmStatus &= ~BusMasterStatus.ACTIVE;
    if (t.aborted) {
      this.fail(AtaError.ABRT);
      return;
    }
    this.bytesTransferred += t.bytes;
    this.status = AtaStatus.DRDY | AtaStatus.DSC;
    this.raiseInterrupt();
  }

  /** Ends the current command with an error. */
  private fail(error: number): void {
    this.error = error;
    this.status = AtaStatus.DRDY | AtaStatus.ERR;
    this.raiseInterrupt();
  }

  /** INTRQ rises (unless nIEN masks it): IRQ 14 to the guest, and BMIDE's interrupt bit. */
  private raiseInterrupt(): void {
    if ((this.control & AtaDeviceControl.NIEN) !== 0) return;
    this.bmStatus |= BusMasterStatus.INTERRUPT;
    this.ctx.irq.assert(this.rootVp);
  }
}

function copyCost(bytes: number): Ns {
  return Math.round((bytes / 1024) * IDE_COPY_NS_PER_KIB);
}
