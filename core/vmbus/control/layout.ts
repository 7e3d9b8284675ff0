/**
 * Byte offsets of the fields inside each control message, from the packed structs in
 * L: include/linux/hyperv.h (every message starts with the 8-byte header { u32 msgtype; u32 padding }).
 */

/** struct vmbus_channel_message_header. */
export const Header = { MSGTYPE: 0, PADDING: 4 } as const;

/** struct vmbus_channel_offer_channel (the offer struct sits at 8 and is 176 bytes). */
export const OfferLayout = {
  IF_TYPE: 8,
  IF_INSTANCE: 24,
  RESERVED1: 40,
  RESERVED2: 48,
  CHN_FLAGS: 56,
  MMIO_MEGABYTES: 58,
  USER_DEF: 60,
  SUB_CHANNEL_INDEX: 180,
  RESERVED3: 182,
  CHILD_RELID: 184,
  MONITOR_ID: 188,
  /** monitor_allocated:1, reserved:7. */
  MONITOR_FLAGS: 189,
  /** u16 is_dedicated_interrupt:1, reserved1:15. */
  DEDICATED_FLAGS: 190,
  CONNECTION_ID: 192,
  SIZE: 196,
} as const;

/** Messages that carry only `u32 child_relid` after the header (rescind, close, relid released). */
export const RelidOnlyLayout = { CHILD_RELID: 8, SIZE: 12 } as const;

/** struct vmbus_channel_open_channel. */
export const OpenChannelLayout = {
  CHILD_RELID: 8,
  OPEN_ID: 12,
  RINGBUFFER_GPADLHANDLE: 16,
  TARGET_VP: 20,
  DOWNSTREAM_RINGBUFFER_PAGEOFFSET: 24,
  USERDATA: 28,
  SIZE: 148,
} as const;

/** struct vmbus_channel_open_result. */
export const OpenResultLayout = { CHILD_RELID: 8, OPENID: 12, STATUS: 16, SIZE: 20 } as const;

/** struct vmbus_channel_gpadl_header followed by range[0] (struct gpa_range). */
export const GpadlHeaderLayout = {
  CHILD_RELID: 8,
  GPADL: 12,
  RANGE_BUFLEN: 16,
  RANGECOUNT: 18,
  /** sizeof(struct vmbus_channel_gpadl_header). */
  FIXED_SIZE: 20,
  RANGE0_BYTE_COUNT: 20,
  RANGE0_BYTE_OFFSET: 24,
  RANGE0_PFN_ARRAY: 28,
} as const;

/** struct vmbus_channel_gpadl_body. */
export const GpadlBodyLayout = { MSGNUMBER: 8, GPADL: 12, PFN: 16 } as const;

/** struct vmbus_channel_gpadl_created. */
export const GpadlCreatedLayout = {
  CHILD_RELID: 8,
  GPADL: 12,
  CREATION_STATUS: 16,
  SIZE: 20,
} as const;

/** struct vmbus_channel_gpadl_teardown. */
export const GpadlTeardownLayout = { CHILD_RELID: 8, GPADL: 12, SIZE: 16 } as const;

/** struct vmbus_channel_gpadl_torndown. */
export const GpadlTorndownLayout = { GPADL: 8, SIZE: 12 } as const;

/** struct vmbus_channel_initiate_contact. */
export const InitiateContactLayout = {
  VMBUS_VERSION_REQUESTED: 8,
  TARGET_VCPU: 12,
  /** union { u64 interrupt_page; struct { u8 msg_sint; u8 msg_vtl; u8 reserved[6]; } }. */
  INTERRUPT_PAGE: 16,
  MSG_SINT: 16,
  MSG_VTL: 17,
  MONITOR_PAGE1: 24,
  MONITOR_PAGE2: 32,
  SIZE: 40,
} as const;

/** struct vmbus_channel_version_response. */
export const VersionResponseLayout = {
  VERSION_SUPPORTED: 8,
  CONNECTION_STATE: 9,
  PADDING: 10,
  MSG_CONN_ID: 12,
  SIZE: 16,
} as const;

/** struct vmbus_channel_tl_connect_request. */
export const TlConnectRequestLayout = {
  GUEST_ENDPOINT_ID: 8,
  HOST_SERVICE_ID: 24,
  SIZE: 40,
} as const;

/** O: protocol.rs TlConnectResult { endpoint_id, service_id, status }. */
export const TlConnectResultLayout = {
  ENDPOINT_ID: 8,
  SERVICE_ID: 24,
  STATUS: 40,
  SIZE: 44,
} as const;

/** struct vmbus_channel_modifychannel. */
export const ModifyChannelLayout = { CHILD_RELID: 8, TARGET_VP: 12, SIZE: 16 } as const;

/** struct vmbus_channel_modifychannel_response. */
export const ModifyChannelResponseLayout = { CHILD_RELID: 8, STATUS: 12, SIZE: 16 } as const;
