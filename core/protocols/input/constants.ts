/**
 * Synthetic HID (mouse) protocol constants. L: drivers/hid/hid-hyperv.c.
 */

/** L: SYNTHHID_INPUT_VERSION = minor | major << 16, version 2.0. */
export const SYNTHHID_INPUT_VERSION = (2 << 16) | 0;

/** `enum pipe_prot_msg_type` (L). */
export const PipeProtocolMessageType = { INVALID: 0, DATA: 1 } as const;

/** `enum synthhid_msg_type` (L). */
export const SynthhidMessageType = {
  PROTOCOL_REQUEST: 0,
  PROTOCOL_RESPONSE: 1,
  INITIAL_DEVICE_INFO: 2,
  INITIAL_DEVICE_INFO_ACK: 3,
  INPUT_REPORT: 4,
} as const;

/** Wire sizes (L: hid-hyperv.c, `#pragma pack(1)`; linux/hid.h `struct hid_descriptor`). */
export const PIPE_PRT_MSG_HDR_SIZE = 8; // type u32, size u32
export const SYNTHHID_MSG_HDR_SIZE = 8; // type u32, size u32 (payload bytes)
export const HV_INPUT_DEV_INFO_SIZE = 32; // size u32, vendor, product, version u16, reserved[11] u16
export const HID_DESCRIPTOR_SIZE = 9; // bLength, bDescriptorType, bcdHID u16, bCountryCode, bNumDescriptors, rpt_desc {type u8, length u16}

/** HID class descriptor types (HID 1.11 §7.1). */
export const HID_DT_HID = 0x21;
export const HID_DT_REPORT = 0x22;

/** The mouse's USB ids (L: mousevsc_devices `HID_DEVICE(BUS_VIRTUAL, ..., 0x045E, 0x0621)`). */
export const HYPERV_MOUSE_VENDOR_ID = 0x045e;
export const HYPERV_MOUSE_PRODUCT_ID = 0x0621;

/** L: INPUTVSC_SEND/RECV_RING_BUFFER_SIZE = VMBUS_RING_SIZE(36 KiB). */
export const INPUTVSC_RING_SIZE = 36 * 1024;
