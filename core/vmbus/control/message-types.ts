/**
 * VMBus channel-management message types, their fixed sizes and who sends them.
 * L: include/linux/hyperv.h enum vmbus_channel_message_type and the vmbus_channel_* structs
 * (all __packed, little-endian, each starting with the 8-byte vmbus_channel_message_header
 * { u32 msgtype; u32 padding; }). O: vmbus_core/src/protocol.rs (same numbers, host's view).
 */

/** L: enum vmbus_channel_message_type (CHANNELMSG_*). 18–20 are reserved-channel messages Linux never uses. */
export const ChannelMessageType = {
  INVALID: 0,
  OFFERCHANNEL: 1,
  RESCIND_CHANNELOFFER: 2,
  REQUESTOFFERS: 3,
  ALLOFFERS_DELIVERED: 4,
  OPENCHANNEL: 5,
  OPENCHANNEL_RESULT: 6,
  CLOSECHANNEL: 7,
  GPADL_HEADER: 8,
  GPADL_BODY: 9,
  GPADL_CREATED: 10,
  GPADL_TEARDOWN: 11,
  GPADL_TORNDOWN: 12,
  RELID_RELEASED: 13,
  INITIATE_CONTACT: 14,
  VERSION_RESPONSE: 15,
  UNLOAD: 16,
  UNLOAD_RESPONSE: 17,
  /** L: CHANNELMSG_18 (O: OPEN_RESERVED_CHANNEL) — not modelled. */
  CHANNELMSG_18: 18,
  /** L: CHANNELMSG_19 (O: CLOSE_RESERVED_CHANNEL) — not modelled. */
  CHANNELMSG_19: 19,
  /** L: CHANNELMSG_20 (O: CLOSE_RESERVED_RESPONSE) — not modelled. */
  CHANNELMSG_20: 20,
  TL_CONNECT_REQUEST: 21,
  MODIFYCHANNEL: 22,
  TL_CONNECT_RESULT: 23,
  MODIFYCHANNEL_RESPONSE: 24,
} as const;

/** Numeric value of a {@link ChannelMessageType}. */
export type ChannelMessageTypeValue = (typeof ChannelMessageType)[keyof typeof ChannelMessageType];

/** L: sizeof(struct vmbus_channel_message_header). */
export const CHANNEL_MESSAGE_HEADER_BYTES = 8;

/** Who may send a message type: the guest's VMBus driver (child) or the host's VMBus server (parent). */
export type ChannelMessageSender = 'guest' | 'host';

interface MessageTypeInfo {
  readonly name: string;
  readonly sender: ChannelMessageSender;
  /**
   * Bytes of the struct including the header: the minimum a receiver accepts (L: channel_message_table
   * min_payload_len = sizeof(struct …); O: a message shorter than its struct is MessageTooSmall).
   */
  readonly minBytes: number;
}

/**
 * The message types this codec models. Sizes are the packed struct sizes from hyperv.h (plus
 * openvmm's TL_CONNECT_RESULT, which Linux never parses).
 */
const MESSAGE_TYPES: ReadonlyMap<number, MessageTypeInfo> = new Map<number, MessageTypeInfo>([
  // header + vmbus_channel_offer (176) + child_relid, monitorid, flags, dedicated, connection_id
  [1, { name: 'OFFERCHANNEL', sender: 'host', minBytes: 196 }],
  [2, { name: 'RESCIND_CHANNELOFFER', sender: 'host', minBytes: 12 }],
  [3, { name: 'REQUESTOFFERS', sender: 'guest', minBytes: 8 }],
  [4, { name: 'ALLOFFERS_DELIVERED', sender: 'host', minBytes: 8 }],
  [5, { name: 'OPENCHANNEL', sender: 'guest', minBytes: 148 }],
  [6, { name: 'OPENCHANNEL_RESULT', sender: 'host', minBytes: 20 }],
  [7, { name: 'CLOSECHANNEL', sender: 'guest', minBytes: 12 }],
  // header 20 + range[0]'s gpa_range header (8): the smallest header that names a range
  [8, { name: 'GPADL_HEADER', sender: 'guest', minBytes: 28 }],
  [9, { name: 'GPADL_BODY', sender: 'guest', minBytes: 16 }],
  [10, { name: 'GPADL_CREATED', sender: 'host', minBytes: 20 }],
  [11, { name: 'GPADL_TEARDOWN', sender: 'guest', minBytes: 16 }],
  [12, { name: 'GPADL_TORNDOWN', sender: 'host', minBytes: 12 }],
  [13, { name: 'RELID_RELEASED', sender: 'guest', minBytes: 12 }],
  [14, { name: 'INITIATE_CONTACT', sender: 'guest', minBytes: 40 }],
  [15, { name: 'VERSION_RESPONSE', sender: 'host', minBytes: 16 }],
  [16, { name: 'UNLOAD', sender: 'guest', minBytes: 8 }],
  [17, { name: 'UNLOAD_RESPONSE', sender: 'host', minBytes: 8 }],
  [21, { name: 'TL_CONNECT_REQUEST', sender: 'guest', minBytes: 40 }],
  [22, { name: 'MODIFYCHANNEL', sender: 'guest', minBytes: 16 }],
  [23, { name: 'TL_CONNECT_RESULT', sender: 'host', minBytes: 44 }],
  [24, { name: 'MODIFYCHANNEL_RESPONSE', sender: 'host', minBytes: 16 }],
]);

/** True when the codec models this message type. */
export function isModelledMessageType(type: number): boolean {
  return MESSAGE_TYPES.has(type);
}

/** Who sends this message type, or `undefined` for a type the codec does not model. */
export function channelMessageSender(type: number): ChannelMessageSender | undefined {
  return MESSAGE_TYPES.get(type)?.sender;
}

/** The struct size (bytes, with header) a receiver requires, or `undefined` for an unmodelled type. */
export function channelMessageMinBytes(type: number): number | undefined {
  return MESSAGE_TYPES.get(type)?.minBytes;
}

/** `CHANNELMSG_` name without the prefix, e.g. `"GPADL_HEADER"`; `"UNKNOWN(42)"` otherwise. */
export function channelMessageName(type: number): string {
  return MESSAGE_TYPES.get(type)?.name ?? `UNKNOWN(${type})`;
}
