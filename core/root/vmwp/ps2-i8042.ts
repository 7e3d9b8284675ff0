/**
 * The i8042 keyboard/mouse controller's interface, as the guest's driver and the worker process's
 * model share it (IBM PC/AT; L: drivers/input/serio/i8042.h). Keyboard bytes raise IRQ 1, mouse
 * (auxiliary) bytes IRQ 12; the controller holds one byte in its output buffer at a time and the
 * driver reads the status port, then the data port, once per byte.
 */

export const I8042Port = {
  DATA: 0x60,
  /** Read: status; write: controller command. */
  STATUS_COMMAND: 0x64,
} as const;

/** Status register bits (L: I8042_STR_*). */
export const I8042Status = {
  /** Output buffer full: a byte waits at 0x60. */
  OBF: 0x01,
  IBF: 0x02,
  SYS: 0x04,
  /** The byte is from the auxiliary (mouse) port. */
  AUXDATA: 0x20,
} as const;

export const I8042_KEYBOARD_IRQ = 1;
export const I8042_MOUSE_IRQ = 12;

/** A standard PS/2 mouse movement packet has 3 bytes; byte 0 always has bit 3 set. */
export const PS2_MOUSE_PACKET_BYTES = 3;
export const PS2_MOUSE_SYNC_BIT = 0x08;
