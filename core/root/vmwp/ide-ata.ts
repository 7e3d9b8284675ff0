/**
 * The hardware interface between the emulated IDE controller and a guest's ATA driver: the
 * primary channel's task-file registers (ATA/ATAPI Command Set, ACS), the Intel PIIX4 bus-master
 * IDE (BMIDE) registers and the physical region descriptor (PRD) table format. Hyper-V's
 * generation 1 VM shows an "Intel 82371AB/EB/MB PIIX4 IDE" controller (lspci in Azure docs;
 * O: vm/devices/storage/ide, PCI id 8086:7111). Both halves — the VMWP's model and the guest's
 * legacy driver — use these numbers; neither calls the other.
 */

/** Primary channel, legacy ISA ports (O: ide/src/lib.rs IdeIoPort; PC/AT assignment). */
export const AtaPort = {
  DATA: 0x1f0,
  ERROR_FEATURES: 0x1f1,
  SECTOR_COUNT: 0x1f2,
  LBA_LOW: 0x1f3,
  LBA_MID: 0x1f4,
  LBA_HIGH: 0x1f5,
  DEVICE: 0x1f6,
  STATUS_COMMAND: 0x1f7,
  /** Read: alternate status (does not clear the interrupt); write: device control. */
  ALT_STATUS_CONTROL: 0x3f6,
} as const;

/** Status register bits (O: protocol.rs Status). */
export const AtaStatus = {
  ERR: 0x01,
  DRQ: 0x08,
  DSC: 0x10,
  DF: 0x20,
  DRDY: 0x40,
  BSY: 0x80,
} as const;

/** Error register bits (O: protocol.rs ErrorReg). */
export const AtaError = {
  /** Command aborted. */
  ABRT: 0x04,
  /** ID not found: the address is outside the medium. */
  IDNF: 0x10,
} as const;

/** The commands the model implements (ACS opcodes; O: protocol.rs IdeCommand). */
export const AtaCommand = {
  READ_DMA_EXT: 0x25,
  WRITE_DMA_EXT: 0x35,
  FLUSH_CACHE: 0xe7,
  FLUSH_CACHE_EXT: 0xea,
} as const;

/** Device register: bit 6 selects LBA addressing, bit 4 the device (0 master, 1 slave). */
export const ATA_DEVICE_LBA = 0x40;
export const ATA_DEVICE_DEV1 = 0x10;

/** Device control register bits (O: protocol.rs DeviceControlReg). */
export const AtaDeviceControl = {
  /** nIEN: the device does not assert INTRQ. */
  NIEN: 0x02,
  /** SRST: software reset. */
  SRST: 0x04,
  /** HOB: reads return the previous (high-order) byte of the 48-bit registers. */
  HOB: 0x80,
} as const;

/** The channel's interrupt line on the legacy PIC (ISA IRQ 14 for the primary channel). */
export const IDE_PRIMARY_IRQ = 14;

/**
 * Where the firmware places the PIIX4's bus-master block (BMIBA, PCI BAR4: 16 ports, primary
 * channel at +0..7, secondary at +8..15). It is assigned at boot, not fixed by the chipset
 * (O: ide/src/lib.rs registers it as a dynamic 16-port region); Hyper-V publishes no address.
 * 0xFFA0 is the placement PC BIOSes commonly choose (`ata1: … bmdma 0xffa0 irq 14` in Linux
 * boot logs) and the one the model uses.
 */
export const BMIDE_BASE = 0xffa0;
export const BMIDE_PORTS = 16;

/** Bus-master registers, offsets from BMIBA for the primary channel (O: protocol.rs BusMasterReg). */
export const BusMasterReg = {
  COMMAND: 0,
  STATUS: 2,
  /** PRD table pointer (dword aligned). */
  PRD_TABLE: 4,
} as const;

/** Bus-master command register bits (O: protocol.rs BusMasterCommandReg). */
export const BusMasterCommand = {
  START: 0x01,
  /** Bus master writes memory (the device is read): set for READ DMA. */
  READ_FROM_DEVICE: 0x08,
} as const;

/** Bus-master status register bits (O: protocol.rs BusMasterStatusReg; PIIX4 datasheet BMISX). */
export const BusMasterStatus = {
  /** Read-only: the engine is active. */
  ACTIVE: 0x01,
  /** Write 1 to clear: the transfer failed (bad PRD table, target abort). */
  ERROR: 0x02,
  /** Write 1 to clear: the device raised its interrupt at the end of the transfer. */
  INTERRUPT: 0x04,
  /** Read/write: set by the BIOS when drive 0 can do DMA. */
  DRIVE0_DMA_CAPABLE: 0x20,
  DRIVE1_DMA_CAPABLE: 0x40,
} as const;

/**
 * A PRD entry: u32 physical base (bit 0 zero), u16 byte count (bit 0 zero; 0 means 64 KiB),
 * u16 flags with bit 15 = end of table. A region must not cross a 64 KiB boundary, nor may the
 * table itself (PIIX4 datasheet, 2.7.5; L: ATA_DMA_BOUNDARY 0xffff, ATA_PRD_SZ 8).
 */
export const PRD_ENTRY_BYTES = 8;
export const PRD_END_OF_TABLE = 0x8000;
export const PRD_MAX_REGION_BYTES = 0x10000;
export const DMA_BOUNDARY = 0x10000;

export const SECTOR_BYTES = 512;

/**
 * Largest transfer the model's driver puts in one command: 256 sectors = 128 KiB (L:
 * include/linux/ata.h ATA_MAX_SECTORS, libata's per-command cap for drives without LBA48). The
 * model keeps it for its 48-bit commands too; bigger requests are split into several commands.
 */
export const IDE_MAX_TRANSFER_BYTES = 256 * SECTOR_BYTES;
