/**
 * SynIC message types and the HV_MESSAGE layout (256 bytes: 16-byte header + 240-byte payload).
 * Header as Linux and OpenVMM lay it out (L: hvgdk_mini.h struct hv_message_header,
 * O: hvdef HvMessageHeader): MessageType u32 @0, PayloadSize u8 @4, MessageFlags u8 @5
 * (bit 0 MessagePending), Reserved u16 @6, OriginationId / Sender / Port u64 @8, payload @16.
 * (The TLFS datatypes/hv_message.md page lists Reserved before the flags and size; the order here
 * is the one the Linux and OpenVMM code that talks to real Hyper-V uses.)
 */
export const HvMessageType = {
  None: 0x00000000,
  UnmappedGpa: 0x80000000,
  GpaIntercept: 0x80000001,
  TimerExpired: 0x80000010,
  X64IoPortIntercept: 0x80010000,
  X64MsrIntercept: 0x80010001,
  X64CpuidIntercept: 0x80010002,
} as const;

/** T: "The caller can specify any 32-bit message type whose most significant bit is cleared". */
export const HV_MESSAGE_TYPE_HYPERVISOR_MASK = 0x80000000;

export const HV_MESSAGE_SIZE = 256;
export const HV_MESSAGE_HEADER_SIZE = 16;
export const HV_MESSAGE_MAX_PAYLOAD_BYTES = 240;

/** Byte offsets inside one 256-byte message slot. */
export const MessageSlot = {
  TYPE: 0,
  PAYLOAD_SIZE: 4,
  FLAGS: 5,
  RESERVED: 6,
  ORIGIN: 8,
  PAYLOAD: 16,
} as const;

/** MessageFlags bit 0. */
export const MESSAGE_FLAG_PENDING = 0x01;

/** True for the types only the hypervisor may send (most significant bit set). */
export function isHypervisorMessageType(type: number): boolean {
  return (type & HV_MESSAGE_TYPE_HYPERVISOR_MASK) !== 0;
}
