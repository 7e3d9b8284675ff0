/**
 * Numbers the VMBus channel layer needs around the control path (HYPERV.md rules 8, 10, 15).
 */
import {
  HV_EVENT_FLAGS_COUNT,
  HV_MESSAGE_MAX_PAYLOAD_BYTES,
  VMBUS_MESSAGE_SINT,
} from '../../hypervisor/index.js';

export { VMBUS_MESSAGE_SINT };

/**
 * Largest control message (rule 10). L: hyperv_vmbus.h MAX_SIZE_CHANNEL_MESSAGE =
 * HV_MESSAGE_PAYLOAD_BYTE_COUNT; O: protocol.rs MAX_MESSAGE_SIZE = HV_MESSAGE_PAYLOAD_SIZE.
 */
export const MAX_SIZE_CHANNEL_MESSAGE = HV_MESSAGE_MAX_PAYLOAD_BYTES;

/**
 * SynIC message type the guest passes to HvCallPostMessage for every channel message
 * (L: connection.c vmbus_post_msg → hv_post_message(conn_id, 1, …); Microsoft's UEFI
 * ChannelMessages: VMBUS_MESSAGE_TYPE 1). Its high bit is clear, so a guest may post it (rule 26).
 */
export const VMBUS_MESSAGE_TYPE = 1;

/** L: hyperv_vmbus.h VMBUS_MESSAGE_CONNECTION_ID — where INITIATE_CONTACT goes before VMBus 5.0. */
export const VMBUS_MESSAGE_CONNECTION_ID = 1;
/** L: hyperv_vmbus.h VMBUS_MESSAGE_CONNECTION_ID_4 — where INITIATE_CONTACT goes from VMBus 5.0. */
export const VMBUS_MESSAGE_CONNECTION_ID_4 = 4;
/** L: hyperv_vmbus.h VMBUS_EVENT_CONNECTION_ID — the shared event connection of WS2008-era channels. */
export const VMBUS_EVENT_CONNECTION_ID = 2;

/**
 * Relids index the 2048-bit SynIC event-flags bitmap (rule 15). L: hyperv_vmbus.h
 * MAX_CHANNEL_RELIDS = max(MAX_NUM_CHANNELS_SUPPORTED, HV_EVENT_FLAGS_COUNT) = 2048, and
 * hyperv.h: "Hyper-V supports about 2048 channels, and the RELIDs start with 1".
 */
export const MAX_CHANNEL_RELIDS = HV_EVENT_FLAGS_COUNT;
/** Lowest relid a host assigns (relid 0 is never a channel). */
export const MIN_CHILD_RELID = 1;
/** Highest relid that fits the event bitmap. */
export const MAX_CHILD_RELID = MAX_CHANNEL_RELIDS - 1;
/** Channels one VMBus connection can carry: relids 1 … 2047 (rule 15). */
export const HV_VMBUS_MAX_CHANNELS = MAX_CHILD_RELID - MIN_CHILD_RELID + 1;
/** L: hyperv.h INVALID_RELID (U32_MAX). */
export const INVALID_RELID = 0xffff_ffff;

/** True for a relid a channel can have (1 … 2047, rule 15). */
export function isValidChildRelid(relid: number): boolean {
  return Number.isInteger(relid) && relid >= MIN_CHILD_RELID && relid <= MAX_CHILD_RELID;
}

/** L: hyperv.h MAX_USER_DEFINED_BYTES — user data in an offer or an OPENCHANNEL. */
export const MAX_USER_DEFINED_BYTES = 120;
/** L: hyperv.h MAX_PIPE_USER_DEFINED_BYTES — what is left after the pipe_mode u32. */
export const MAX_PIPE_USER_DEFINED_BYTES = 116;
/** L: hyperv.h VMBUS_PIPE_TYPE_BYTE / VMBUS_PIPE_TYPE_MESSAGE (the offer's pipe_mode). */
export const VMBUS_PIPE_TYPE_BYTE = 0x0000_0000;
export const VMBUS_PIPE_TYPE_MESSAGE = 0x0000_0004;

/* Offer chn_flags ("Server Flags"), L: include/linux/hyperv.h. */
export const VMBUS_CHANNEL_ENUMERATE_DEVICE_INTERFACE = 0x1;
export const VMBUS_CHANNEL_SERVER_SUPPORTS_TRANSFER_PAGES = 0x2;
export const VMBUS_CHANNEL_SERVER_SUPPORTS_GPADLS = 0x4;
export const VMBUS_CHANNEL_NAMED_PIPE_MODE = 0x10;
export const VMBUS_CHANNEL_LOOPBACK_OFFER = 0x100;
export const VMBUS_CHANNEL_PARENT_OFFER = 0x200;
export const VMBUS_CHANNEL_REQUEST_MONITORED_NOTIFICATION = 0x400;
/** Marks a Hyper-V socket (hv_sock) offer; L: is_hvsock_channel(). */
export const VMBUS_CHANNEL_TLNPI_PROVIDER_OFFER = 0x2000;

/**
 * Monitor ids one monitor page can carry: 4 trigger groups × 32 bits (L: hyperv-tlfs.h
 * struct hv_monitor_page trigger_group[4]; channel_mgmt.c vmbus_setup_channel_state:
 * monitor_grp = monitorid / 32, monitor_bit = monitorid % 32).
 */
export const VMBUS_MONITOR_GROUPS = 4;
export const VMBUS_MONITOR_BITS_PER_GROUP = 32;
export const VMBUS_MONITOR_ID_COUNT = VMBUS_MONITOR_GROUPS * VMBUS_MONITOR_BITS_PER_GROUP;

/** O: protocol.rs VP_INDEX_DISABLE_INTERRUPT — an OPENCHANNEL target_vp meaning "no interrupts". */
export const VP_INDEX_DISABLE_INTERRUPT = 0xffff_ffff;

/** Status values the host puts in OPENCHANNEL_RESULT / GPADL_CREATED (O: protocol.rs). */
export const VMBUS_STATUS_SUCCESS = 0;
export const VMBUS_STATUS_UNSUCCESSFUL = 0x8000_ffff;

/** VERSION_RESPONSE connection_state values (O: protocol.rs ConnectionState). */
export const VmbusConnectionState = {
  SUCCESSFUL: 0,
  FAILED_LOW_RESOURCES: 1,
  FAILED_UNKNOWN_FAILURE: 2,
} as const;

/** Guest page size GPADL page numbers count in (L: HV_HYP_PAGE_SIZE). */
export const VMBUS_PAGE_SIZE = 4096;
