/**
 * The DEC 21140 ("Tulip") Fast Ethernet controller as Hyper-V's legacy network adapter emulates it
 * (rule 21): sixteen 32-bit control/status registers (CSR0–CSR15) eight bytes apart in a 128-byte
 * I/O space, and descriptor rings in guest memory that the chip reads and writes by bus-master DMA.
 * Both halves use this file — the guest's driver (tulip.ts) and the worker process's model
 * (core/root/vmwp/legacy-nic.ts) — the way a datasheet serves a driver writer and a chip designer.
 *
 * Source: DEC 21140A Hardware Reference Manual (CSR map, descriptor formats); L:
 * drivers/net/ethernet/dec/tulip/tulip.h (`enum tulip_offsets`, `enum status_bits`,
 * `enum desc_status_bits`) and interrupt.c (tulip_interrupt).
 */

/** Size of the CSR I/O space (BAR0 of the PCI function). */
export const TULIP_IO_BYTES = 0x80;

/**
 * Where the VM's firmware places the adapter's I/O BAR. The 21140 is a PCI device: the BIOS assigns
 * BAR0 during PCI enumeration, so there is no fixed Hyper-V address. 0xEC00 is where a PIIX4-era
 * BIOS typically puts the first PCI I/O BAR (the model's placement choice, not a published number);
 * further legacy adapters — Hyper-V exposes up to four, as functions of one multi-function device —
 * follow 128 bytes apart.
 */
export const TULIP_FIRST_IO_BASE = 0xec00;
/** Hyper-V allows up to four legacy network adapters per VM. */
export const TULIP_MAX_ADAPTERS = 4;

/** CSR offsets from the I/O base (L: tulip.h `enum tulip_offsets`: CSRn = n × 8). */
export const Csr = {
  /** Bus mode (bit 0: software reset). */
  BUS_MODE: 0x00,
  /** Transmit poll demand: any write makes the chip look at the transmit ring. */
  TX_POLL: 0x08,
  /** Receive poll demand. */
  RX_POLL: 0x10,
  /** Receive descriptor list base address. */
  RX_LIST: 0x18,
  /** Transmit descriptor list base address. */
  TX_LIST: 0x20,
  /** Status: interrupt causes, write 1 to clear (bits 0–16), process states (17–22). */
  STATUS: 0x28,
  /** Operation mode (bit 1: start receive, bit 13: start transmit). */
  OP_MODE: 0x30,
  /** Interrupt enable mask (same bit positions as CSR5). */
  INTR_MASK: 0x38,
  /** Missed frames counter (bits 0–15; bit 16: overflow). Cleared when read. */
  MISSED: 0x40,
  SROM_MII: 0x48,
  RESERVED10: 0x50,
  TIMER: 0x58,
  GP_PORT: 0x60,
  RESERVED13: 0x68,
  RESERVED14: 0x70,
  WATCHDOG: 0x78,
} as const;

/** CSR5 / CSR7 bits (L: tulip.h `enum status_bits`). */
export const Status = {
  TX_INTR: 0x0000_0001,
  TX_DIED: 0x0000_0002,
  TX_NO_BUF: 0x0000_0004,
  TX_JABBER: 0x0000_0008,
  TX_UNDERFLOW: 0x0000_0020,
  RX_INTR: 0x0000_0040,
  RX_NO_BUF: 0x0000_0080,
  RX_DIED: 0x0000_0100,
  RX_JABBER: 0x0000_0200,
  TIMER: 0x0000_0800,
  SYSTEM_ERROR: 0x0000_2000,
  EARLY_RX: 0x0000_4000,
  ABNORMAL_SUMMARY: 0x0000_8000,
  NORMAL_SUMMARY: 0x0001_0000,
} as const;

/** Bits a driver acknowledges by writing them back (write-1-to-clear). */
export const STATUS_CLEARABLE = 0x0001_ffff;
/** Causes summarised by NORMAL_SUMMARY (21140 manual: TI, TU, RI, ERI). */
export const NORMAL_CAUSES = Status.TX_INTR | Status.TX_NO_BUF | Status.RX_INTR | Status.EARLY_RX;
/** Causes summarised by ABNORMAL_SUMMARY (21140 manual: TPS, TJT, UNF, RU, RPS, RWT, GTE, FBE). */
export const ABNORMAL_CAUSES =
  Status.TX_DIED |
  Status.TX_JABBER |
  Status.TX_UNDERFLOW |
  Status.RX_NO_BUF |
  Status.RX_DIED |
  Status.RX_JABBER |
  Status.TIMER |
  Status.SYSTEM_ERROR;
/** The interrupt mask Linux programs for a 21140 (L: tulip_core.c `tulip_tbl[DC21140].valid_intrs`). */
export const TULIP_21140_VALID_INTRS = 0x0001_ebef;

/** CSR6 bits. */
export const OpMode = {
  START_RX: 0x0000_0002,
  START_TX: 0x0000_2000,
} as const;

/** CSR0 bits. */
export const BusMode = {
  SOFTWARE_RESET: 0x0000_0001,
  /** What Linux writes after the reset (L: tulip_core.c `csr0 = 0x01A00000 | 0x8000`). */
  LINUX_DEFAULT: 0x01a0_8000,
} as const;

/** Descriptors are four little-endian u32: status, control/length, buffer 1, buffer 2. */
export const DESCRIPTOR_BYTES = 16;
/** DES0 bit 31: the chip owns the descriptor. */
export const DESC_OWN = 0x8000_0000;
/** TDES1: interrupt on completion, last segment, first segment, end of ring, buffer 1 size. */
export const TDES1_IC = 0x8000_0000;
export const TDES1_LS = 0x4000_0000;
export const TDES1_FS = 0x2000_0000;
export const TDES1_TER = 0x0200_0000;
export const TDES1_SIZE_MASK = 0x7ff;
/** RDES0: frame length (bits 16–29), error summary, first and last descriptor of the frame. */
export const RDES0_LENGTH_SHIFT = 16;
export const RDES0_LENGTH_MASK = 0x3fff;
export const RDES0_ES = 0x0000_8000;
export const RDES0_FS = 0x0000_0200;
export const RDES0_LS = 0x0000_0100;
/** RDES1: end of ring, buffer 1 size. */
export const RDES1_RER = 0x0200_0000;

/** Ring sizes and buffer size of the Linux driver (L: tulip.h TX_RING_SIZE, RX_RING_SIZE, PKT_BUF_SZ). */
export const TULIP_TX_RING_SIZE = 32;
export const TULIP_RX_RING_SIZE = 128;
export const TULIP_PKT_BUF_SZ = 1536;

/** The legacy adapter's link speed: 100 Mbit/s (rule 21). */
export const TULIP_LINK_GBPS = 0.1;

/** I/O base of the `index`-th legacy adapter of a VM. */
export function tulipIoBase(index: number): number {
  return TULIP_FIRST_IO_BASE + index * TULIP_IO_BYTES;
}
