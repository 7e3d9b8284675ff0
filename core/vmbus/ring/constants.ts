/**
 * Wire constants of one VMBus ring buffer: the header page layout, the packet descriptor,
 * packet types and flags. Values and offsets follow Linux `include/linux/hyperv.h`
 * (`struct hv_ring_buffer`, `struct vmpacket_descriptor`, `enum vmbus_packet_type`) and
 * openvmm `vm/devices/vmbus/vmbus_ring` (`Control`, `PacketDescriptor`).
 */

/** Hyper-V page size; the ring header is one such page and the data area is whole pages. */
export const HV_PAGE_SIZE = 4096;

/** L: hyperv.h — `BUILD_BUG_ON(sizeof(struct hv_ring_buffer) != PAGE_SIZE)`: the header page. */
export const RING_HEADER_BYTES = HV_PAGE_SIZE;

// L: hyperv.h `struct hv_ring_buffer` — byte offsets of the header fields (all u32, little endian).
/** `write_index`: byte offset into the data area where the writer puts the next packet. */
export const HEADER_WRITE_INDEX_OFFSET = 0;
/** `read_index`: byte offset into the data area of the next packet the reader will consume. */
export const HEADER_READ_INDEX_OFFSET = 4;
/** `interrupt_mask`: non-zero while the reader is draining and wants no signal. */
export const HEADER_INTERRUPT_MASK_OFFSET = 8;
/** `pending_send_sz`: bytes the blocked writer needs free before it wants a signal. */
export const HEADER_PENDING_SEND_SIZE_OFFSET = 12;
/** `feature_bits` (after `reserved1[12]`): bit 0 = `feat_pending_send_sz`. */
export const HEADER_FEATURE_BITS_OFFSET = 64;

/** L: hyperv.h `feature_bits.feat_pending_send_sz`; O: `FEATURE_SUPPORTS_PENDING_SEND_SIZE`. */
export const FEATURE_PENDING_SEND_SIZE = 1;

/** L: hyperv.h `struct vmpacket_descriptor` — type u16, offset8 u16, len8 u16, flags u16, trans_id u64. */
export const PACKET_DESCRIPTOR_BYTES = 16;
/** L: ring_buffer.c `VMBUS_PKT_TRAILER` — u64 after each packet holding `write_index << 32`. */
export const PACKET_TRAILER_BYTES = 8;
/** Every packet and every index is a multiple of 8 bytes. */
export const PACKET_ALIGNMENT = 8;

/**
 * L: hyperv.h `enum vmbus_packet_type`. Only in-band, transfer-page, GPA-direct and completion
 * packets travel on VMBus channels today; the reader refuses the others (O: `parse_packet`).
 */
export const VmbusPacketType = {
  Invalid: 0x0,
  Synch: 0x1,
  AddTransferPageSet: 0x2,
  RemoveTransferPageSet: 0x3,
  EstablishGpadl: 0x4,
  TeardownGpadl: 0x5,
  /** `VM_PKT_DATA_INBAND`: the payload sits in the ring. */
  DataInBand: 0x6,
  /** `VM_PKT_DATA_USING_XFER_PAGES`: ranges of a transfer page set (network receive buffer). */
  DataUsingTransferPages: 0x7,
  DataUsingGpadl: 0x8,
  /** `VM_PKT_DATA_USING_GPA_DIRECT`: guest page ranges the host reads/writes by DMA (storage). */
  DataUsingGpaDirect: 0x9,
  CancelRequest: 0xa,
  /** `VM_PKT_COMP`: the answer to a packet that requested completion; echoes its trans_id. */
  Completion: 0xb,
  DataUsingAdditionalPacket: 0xc,
  AdditionalData: 0xd,
} as const;
export type VmbusPacketType = (typeof VmbusPacketType)[keyof typeof VmbusPacketType];

/** L: hyperv.h `VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED`. The only defined flag bit. */
export const PACKET_FLAG_COMPLETION_REQUESTED = 1;
/** Flag bits a reader accepts; any other bit is a rejection (O: `InvalidDescriptorFlags`). */
export const KNOWN_PACKET_FLAGS = PACKET_FLAG_COMPLETION_REQUESTED;

/**
 * Bytes between the descriptor and the range table of a GPA-direct packet:
 * L: hyperv.h `struct vmdata_gpa_direct` — `u32 reserved; u32 range_cnt;`.
 */
export const GPA_DIRECT_HEADER_BYTES = PACKET_DESCRIPTOR_BYTES + 8;
/** L: hyperv.h `struct gpa_range` / `struct hv_mpb_array` — `u32 len; u32 offset;` then u64 PFNs. */
export const GPA_RANGE_HEADER_BYTES = 8;
/** O: gparange.rs — a range's byte offset must lie inside its first page. */
export const GPA_RANGE_MAX_BYTE_OFFSET = HV_PAGE_SIZE - 1;

/**
 * L: hyperv.h `struct vmtransfer_page_packet_header` — descriptor, `u16 xfer_pageset_id;
 * u8 sender_owns_set; u8 reserved; u32 range_cnt;` then the ranges.
 */
export const TRANSFER_PAGE_HEADER_BYTES = PACKET_DESCRIPTOR_BYTES + 8;
/** L: hyperv.h `struct vmtransfer_page_range` — `u32 byte_count; u32 byte_offset;`. */
export const TRANSFER_PAGE_RANGE_BYTES = 8;

/** 2^32, for splitting u64 values into u32 halves. */
export const TWO_POW_32 = 0x1_0000_0000;
