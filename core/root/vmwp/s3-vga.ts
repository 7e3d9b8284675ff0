/**
 * The S3 Trio's VGA register interface as the guest's driver and the worker process's model
 * share it: the standard VGA I/O ports 0x3B0–0x3DF (IBM VGA; the range Hyper-V intercepts for
 * its S3 video, see GEN1_EMULATED_DEVICE_PORTS) and the S3 extension the model's driver uses —
 * the hardware graphics cursor origin in CR46–CR49 (S3 Trio32/Trio64 data book).
 */

export const VgaPort = {
  CRTC_INDEX_MONO: 0x3b4,
  CRTC_DATA_MONO: 0x3b5,
  INPUT_STATUS_1_MONO: 0x3ba,
  ATTRIBUTE: 0x3c0,
  ATTRIBUTE_READ: 0x3c1,
  /** Write: miscellaneous output; read: input status 0. */
  MISC_WRITE: 0x3c2,
  SEQUENCER_INDEX: 0x3c4,
  SEQUENCER_DATA: 0x3c5,
  DAC_MASK: 0x3c6,
  DAC_READ_INDEX: 0x3c7,
  DAC_WRITE_INDEX: 0x3c8,
  DAC_DATA: 0x3c9,
  MISC_READ: 0x3cc,
  GRAPHICS_INDEX: 0x3ce,
  GRAPHICS_DATA: 0x3cf,
  CRTC_INDEX: 0x3d4,
  CRTC_DATA: 0x3d5,
  /** Read: input status 1 (retrace); reading it also resets the attribute flip-flop. */
  INPUT_STATUS_1: 0x3da,
} as const;

/** Input status 1 bits. */
export const VgaStatus1 = {
  DISPLAY_DISABLED: 0x01,
  VERTICAL_RETRACE: 0x08,
} as const;

/** S3 hardware graphics cursor origin: X high/low, Y high/low (CR46–CR49). */
export const S3Crtc = {
  CURSOR_X_HIGH: 0x46,
  CURSOR_X_LOW: 0x47,
  CURSOR_Y_HIGH: 0x48,
  CURSOR_Y_LOW: 0x49,
} as const;
