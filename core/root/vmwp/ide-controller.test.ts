import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { bench, portsOf } from './emulation.test-support.js';
import {
  AtaCommand,
  AtaDeviceControl,
  AtaError,
  AtaPort,
  AtaStatus,
  ATA_DEVICE_LBA,
  BMIDE_BASE,
  BusMasterCommand,
  BusMasterReg,
  BusMasterStatus,
  PRD_END_OF_TABLE,
} from './ide-ata.js';
import { IdeControllerModel } from './ide-controller.js';

const PRD_TABLE = 0x1000;
const BUFFER = 0x20000;

/** Writes one PRD entry at `at` in the bench's guest RAM. */
function prd(ram: Uint8Array, at: number, base: number, bytes: number, last: boolean): void {
  const v = new DataView(ram.buffer);
  v.setUint32(at, base, true);
  v.setUint16(at + 4, bytes & 0xffff, true);
  v.setUint16(at + 6, last ? PRD_END_OF_TABLE : 0, true);
}

type Ports = ReturnType<typeof portsOf>;

/** The task file of a 48-bit command: high-order bytes first, then low-order (ACS). */
function taskFile(p: Ports, lba: number, sectors: number): void {
  p.out(AtaPort.DEVICE, ATA_DEVICE_LBA);
  p.out(AtaPort.SECTOR_COUNT, (sectors >> 8) & 0xff);
  p.out(AtaPort.LBA_LOW, Math.floor(lba / 2 ** 24) & 0xff);
  p.out(AtaPort.LBA_MID, Math.floor(lba / 2 ** 32) & 0xff);
  p.out(AtaPort.LBA_HIGH, Math.floor(lba / 2 ** 40) & 0xff);
  p.out(AtaPort.SECTOR_COUNT, sectors & 0xff);
  p.out(AtaPort.LBA_LOW, lba & 0xff);
  p.out(AtaPort.LBA_MID, (lba >> 8) & 0xff);
  p.out(AtaPort.LBA_HIGH, (lba >> 16) & 0xff);
}

function readDma(p: Ports, lba: number, sectors: number): void {
  taskFile(p, lba, sectors);
  p.out(BMIDE_BASE + BusMasterReg.PRD_TABLE, PRD_TABLE, 4);
  p.out(BMIDE_BASE + BusMasterReg.COMMAND, BusMasterCommand.READ_FROM_DEVICE);
  p.out(AtaPort.STATUS_COMMAND, AtaCommand.READ_DMA_EXT);
  p.out(
    BMIDE_BASE + BusMasterReg.COMMAND,
    BusMasterCommand.READ_FROM_DEVICE | BusMasterCommand.START,
  );
}

function setup() {
  const b = bench('storage');
  const model = new IdeControllerModel(b.ctx);
  return { b, model, p: portsOf(model) };
}

describe('emulated IDE controller (PIIX4) in the worker process', () => {
  it('rule 21: a READ DMA EXT programmed through the task file and the bus master reads the disk, then raises IRQ 14', () => {
    const { b, model, p } = setup();
    prd(b.ram.memory, PRD_TABLE, BUFFER, 8192, true);
    readDma(p, 1000, 16);
    expect(p.in(AtaPort.ALT_STATUS_CONTROL) & AtaStatus.BSY).toBe(AtaStatus.BSY);
    expect(p.in(BMIDE_BASE + BusMasterReg.STATUS) & BusMasterStatus.ACTIVE).toBe(
      BusMasterStatus.ACTIVE,
    );
    expect(b.interrupts).toBe(0);

    b.engine.runUntil(10_000_000);
    expect(b.disk.completed).toBe(1);
    expect(b.disk.bytesRead).toBe(8192);
    expect(b.interrupts).toBe(1);
    const bm = p.in(BMIDE_BASE + BusMasterReg.STATUS);
    expect(bm & BusMasterStatus.INTERRUPT).toBe(BusMasterStatus.INTERRUPT);
    expect(bm & (BusMasterStatus.ACTIVE | BusMasterStatus.ERROR)).toBe(0);
    expect(p.in(AtaPort.STATUS_COMMAND) & (AtaStatus.BSY | AtaStatus.ERR)).toBe(0);
    // The driver acknowledges: the interrupt bit is write-1-to-clear.
    p.out(BMIDE_BASE + BusMasterReg.STATUS, BusMasterStatus.INTERRUPT);
    expect(p.in(BMIDE_BASE + BusMasterReg.STATUS) & BusMasterStatus.INTERRUPT).toBe(0);
    expect(model.bytesTransferred).toBe(8192);
  });

  it('rule 21: the worker copies the data through guest memory — root CPU grows with the transfer size', () => {
    const cost = (sectors: number): number => {
      const { b, p } = setup();
      prd(b.ram.memory, PRD_TABLE, BUFFER, sectors * 512, true);
      readDma(p, 0, sectors);
      b.engine.runUntil(10_000_000);
      return b.cpu.charged;
    };
    expect(cost(128)).toBeGreaterThan(cost(8));
  });

  it('rule 21: IDE has no command queue — a command written while one is outstanding is ignored', () => {
    const { b, model, p } = setup();
    prd(b.ram.memory, PRD_TABLE, BUFFER, 8192, true);
    readDma(p, 0, 16);
    taskFile(p, 5000, 16);
    p.out(AtaPort.STATUS_COMMAND, AtaCommand.READ_DMA_EXT);
    expect(model.commands).toBe(1);
    expect(b.disk.outstanding).toBeLessThanOrEqual(1);
    b.engine.runUntil(10_000_000);
    expect(b.disk.completed).toBe(1);
  });

  it('keeps the high-order bytes of the 48-bit registers for reads with HOB set', () => {
    const { p } = setup();
    p.out(AtaPort.LBA_MID, 0x12);
    p.out(AtaPort.LBA_MID, 0x34);
    expect(p.in(AtaPort.LBA_MID)).toBe(0x34);
    p.out(AtaPort.ALT_STATUS_CONTROL, AtaDeviceControl.HOB);
    expect(p.in(AtaPort.LBA_MID)).toBe(0x12);
  });

  it('ends a command past the end of the disk with IDNF, without touching the disk', () => {
    const { b, p } = setup(); // a 1 GiB disk: 2 097 152 sectors
    prd(b.ram.memory, PRD_TABLE, BUFFER, 8192, true);
    readDma(p, 2_097_152 - 8, 16);
    b.engine.runUntil(10_000_000);
    expect(b.disk.completed).toBe(0);
    expect(p.in(AtaPort.STATUS_COMMAND) & AtaStatus.ERR).toBe(AtaStatus.ERR);
    expect(p.in(AtaPort.ERROR_FEATURES)).toBe(AtaError.IDNF);
    expect(b.interrupts).toBe(1);
  });

  it('rule 36: a PRD table pointing outside guest memory fails the transfer with the bus-master error bit', () => {
    const { b, model, p } = setup();
    prd(b.ram.memory, PRD_TABLE, 0x7ff0_0000, 8192, true); // far beyond the guest's 4 MiB
    readDma(p, 0, 16);
    b.engine.runUntil(10_000_000);
    expect(b.disk.completed).toBe(0);
    expect(model.dmaErrors).toBe(1);
    expect(p.in(BMIDE_BASE + BusMasterReg.STATUS) & BusMasterStatus.ERROR).toBe(
      BusMasterStatus.ERROR,
    );
    expect(p.in(AtaPort.STATUS_COMMAND) & AtaStatus.ERR).toBe(AtaStatus.ERR);
  });

  it('rule 36: a PRD table too short for the command, or without an end, fails the transfer', () => {
    const short = setup();
    prd(short.b.ram.memory, PRD_TABLE, BUFFER, 4096, true);
    readDma(short.p, 0, 16); // 8 KiB wanted, 4 KiB described
    short.b.engine.runUntil(10_000_000);
    expect(short.model.dmaErrors).toBe(1);

    const endless = setup(); // zeroed RAM: entries of 64 KiB at GPA 0, never END OF TABLE
    readDma(endless.p, 0, 16);
    endless.b.engine.runUntil(10_000_000);
    expect(endless.model.dmaErrors).toBe(1);
    expect(endless.b.disk.completed).toBe(0);
  });

  it('rule 36: whatever a hostile guest writes to the ports, the model never throws and never has two disk requests', () => {
    const ports = [
      ...Array.from({ length: 8 }, (_, i) => AtaPort.DATA + i),
      AtaPort.ALT_STATUS_CONTROL,
      ...Array.from({ length: 8 }, (_, i) => BMIDE_BASE + i),
    ];
    const access = fc.record({
      port: fc.constantFrom(...ports),
      write: fc.boolean(),
      size: fc.constantFrom(1 as const, 2 as const, 4 as const),
      value: fc.oneof(
        fc.integer({ min: 0, max: 0xff }),
        fc.constantFrom(
          AtaCommand.READ_DMA_EXT,
          AtaCommand.WRITE_DMA_EXT,
          AtaCommand.FLUSH_CACHE_EXT,
          BusMasterCommand.START,
          BusMasterCommand.START | BusMasterCommand.READ_FROM_DEVICE,
          PRD_TABLE,
        ),
        fc.integer({ min: 0, max: 0xffff_ffff }),
      ),
      advanceNs: fc.integer({ min: 0, max: 200_000 }),
    });
    fc.assert(
      fc.property(fc.array(access, { maxLength: 60 }), fc.boolean(), (accesses, validTable) => {
        const { b, model } = setup();
        if (validTable) prd(b.ram.memory, PRD_TABLE, BUFFER, 0, true); // one 64 KiB region
        for (const a of accesses) {
          const answer = model.onAccess({ vm: 'vm1', vpIndex: 0, ...a });
          expect(answer.costNs).toBeGreaterThanOrEqual(0);
          expect(b.disk.outstanding).toBeLessThanOrEqual(1);
          b.engine.runUntil(b.engine.now + a.advanceNs);
        }
        b.engine.runUntil(b.engine.now + 50_000_000);
        expect(b.disk.outstanding).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
