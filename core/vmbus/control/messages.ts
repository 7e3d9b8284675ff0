/**
 * The control messages as plain data, one variant per CHANNELMSG_* type. Field names follow
 * Linux's structs in camelCase (L: include/linux/hyperv.h); GUIDs are lowercase canonical
 * strings; u64 GPAs are bigints, every other field a number. Reserved and padding fields are not
 * represented: the encoder writes them as zero and the decoder ignores them, as Linux and openvmm do.
 */
import type { ChannelMessageType } from './message-types.js';

type T = typeof ChannelMessageType;

/** L: struct vmbus_channel_offer — what a channel is. */
export interface VmbusChannelOffer {
  /** Device class (e.g. {@link HvDeviceGuid}.SCSI). */
  readonly ifType: string;
  /** This device instance; sub-channels repeat their primary's. */
  readonly ifInstance: string;
  /** VMBUS_CHANNEL_* server flags. */
  readonly chnFlags: number;
  readonly mmioMegabytes: number;
  /** The 120-byte user_def union (for pipes: pipe_mode u32 then 116 bytes). Exactly 120 bytes. */
  readonly userDef: Uint8Array;
  /** 0 for a primary channel, > 0 for a sub-channel (Win8 and later). */
  readonly subChannelIndex: number;
}

/** OFFERCHANNEL (host → guest, rule 11): L: struct vmbus_channel_offer_channel, 196 bytes. */
export interface OfferChannelMessage {
  readonly type: T['OFFERCHANNEL'];
  readonly offer: VmbusChannelOffer;
  /** 1 … 2047 (rule 15). */
  readonly childRelid: number;
  /** Monitor-page slot for batched signalling (rule 8): group monitorId / 32, bit monitorId % 32. */
  readonly monitorId: number;
  /** The channel may signal through the monitor page (rule 8); else every signal is a hypercall. */
  readonly monitorAllocated: boolean;
  /** Guest → host signals must not set the channel's bit in the shared interrupt page. */
  readonly isDedicatedInterrupt: boolean;
  /** The connection id the guest signals the host on (HvCallSignalEvent). */
  readonly connectionId: number;
}

/** RESCIND_CHANNELOFFER (host → guest, rule 13): L: struct vmbus_channel_rescind_offer, 12 bytes. */
export interface RescindChannelOfferMessage {
  readonly type: T['RESCIND_CHANNELOFFER'];
  readonly childRelid: number;
}

/** REQUESTOFFERS (guest → host): header only. */
export interface RequestOffersMessage {
  readonly type: T['REQUESTOFFERS'];
}

/** ALLOFFERS_DELIVERED (host → guest): header only. */
export interface AllOffersDeliveredMessage {
  readonly type: T['ALLOFFERS_DELIVERED'];
}

/** OPENCHANNEL (guest → host, rule 12): L: struct vmbus_channel_open_channel, 148 bytes. */
export interface OpenChannelMessage {
  readonly type: T['OPENCHANNEL'];
  readonly childRelid: number;
  /** Makes one open request unique; echoed in OPENCHANNEL_RESULT (Linux uses the relid). */
  readonly openId: number;
  /** GPADL holding both rings. */
  readonly ringBufferGpadlHandle: number;
  /** VP the host interrupts for this channel (Win8+); 0xffffffff disables interrupts. */
  readonly targetVp: number;
  /** Page offset of the host → guest ring inside the GPADL (the guest → host ring starts at 0). */
  readonly downstreamRingBufferPageOffset: number;
  /** 120 bytes passed to the device (e.g. hv_sock parameters). Exactly 120 bytes. */
  readonly userData: Uint8Array;
}

/** OPENCHANNEL_RESULT (host → guest): L: struct vmbus_channel_open_result, 20 bytes. */
export interface OpenChannelResultMessage {
  readonly type: T['OPENCHANNEL_RESULT'];
  readonly childRelid: number;
  readonly openId: number;
  /** 0 on success. */
  readonly status: number;
}

/** CLOSECHANNEL (guest → host): L: struct vmbus_channel_close_channel, 12 bytes. */
export interface CloseChannelMessage {
  readonly type: T['CLOSECHANNEL'];
  readonly childRelid: number;
}

/**
 * GPADL_HEADER (guest → host, rule 12): L: struct vmbus_channel_gpadl_header (20 bytes) followed
 * by the range buffer. The range buffer is `rangeBufLen` bytes of u64 words: for each of the
 * `rangeCount` ranges a gpa_range header (byte_count, byte_offset) then one PFN per page it spans.
 * This message carries the start of it: range[0]'s header and the words after it (`pfns`); the
 * rest follows in GPADL_BODY messages. Linux always sends one range.
 */
export interface GpadlHeaderMessage {
  readonly type: T['GPADL_HEADER'];
  readonly childRelid: number;
  /** Guest-chosen GPADL id (Linux counts up from 0xE1E10). */
  readonly gpadl: number;
  /** Bytes in the whole range buffer, across header and bodies (u16, a multiple of 8). */
  readonly rangeBufLen: number;
  /** Ranges in the buffer (u16, ≥ 1). */
  readonly rangeCount: number;
  /** range[0].byte_count. */
  readonly byteCount: number;
  /** range[0].byte_offset into its first page. */
  readonly byteOffset: number;
  /** The range-buffer words after range[0]'s header that this message carries (≤ 26). */
  readonly pfns: readonly number[];
}

/** GPADL_BODY (guest → host): L: struct vmbus_channel_gpadl_body, 16 bytes + ≤ 28 PFNs. */
export interface GpadlBodyMessage {
  readonly type: T['GPADL_BODY'];
  /** L: msgnumber. Linux leaves it 0 and openvmm ignores it (its field is named `rsvd`). */
  readonly msgNumber: number;
  readonly gpadl: number;
  /** The next words of the range buffer. */
  readonly pfns: readonly number[];
}

/** GPADL_CREATED (host → guest): L: struct vmbus_channel_gpadl_created, 20 bytes. */
export interface GpadlCreatedMessage {
  readonly type: T['GPADL_CREATED'];
  readonly childRelid: number;
  readonly gpadl: number;
  /** 0 on success. */
  readonly creationStatus: number;
}

/** GPADL_TEARDOWN (guest → host): L: struct vmbus_channel_gpadl_teardown, 16 bytes. */
export interface GpadlTeardownMessage {
  readonly type: T['GPADL_TEARDOWN'];
  readonly childRelid: number;
  readonly gpadl: number;
}

/** GPADL_TORNDOWN (host → guest): L: struct vmbus_channel_gpadl_torndown, 12 bytes. */
export interface GpadlTorndownMessage {
  readonly type: T['GPADL_TORNDOWN'];
  readonly gpadl: number;
}

/** RELID_RELEASED (guest → host, after a rescind): L: struct vmbus_channel_relid_released, 12 bytes. */
export interface RelidReleasedMessage {
  readonly type: T['RELID_RELEASED'];
  readonly childRelid: number;
}

/**
 * INITIATE_CONTACT (guest → host, rule 11): L: struct vmbus_channel_initiate_contact, 40 bytes.
 * Bytes 16–23 are a union: before VMBus 5.0 the interrupt page GPA; from 5.0 on msg_sint and
 * msg_vtl. The codec picks the view from `vmbusVersionRequested`; the other view's fields are zero.
 */
export interface InitiateContactMessage {
  readonly type: T['INITIATE_CONTACT'];
  /** (major << 16) | minor, see {@link VmbusVersion}. */
  readonly vmbusVersionRequested: number;
  /** VP the host sends control messages to (Win8.1+). */
  readonly targetVcpu: number;
  /** Before 5.0: GPA of the shared interrupt page; 0n from 5.0 on. */
  readonly interruptPage: bigint;
  /** From 5.0: the SINT the guest takes VMBus messages on (2); 0 before. */
  readonly msgSint: number;
  /** From 5.0: the guest's VTL; 0 before. */
  readonly msgVtl: number;
  /** GPA of the parent → child monitor page. */
  readonly monitorPage1: bigint;
  /** GPA of the child → parent monitor page. */
  readonly monitorPage2: bigint;
}

/** VERSION_RESPONSE (host → guest, rule 11): L: struct vmbus_channel_version_response, 16 bytes. */
export interface VersionResponseMessage {
  readonly type: T['VERSION_RESPONSE'];
  readonly versionSupported: boolean;
  /** {@link VmbusConnectionState}; Linux does not look at it. */
  readonly connectionState: number;
  /**
   * From 5.0: the connection id the guest posts every later message to. Before 5.0 openvmm puts the
   * selected version here (O: selected_version_or_connection_id); 0 when unsupported.
   */
  readonly msgConnId: number;
}

/** UNLOAD (guest → host): header only. */
export interface UnloadMessage {
  readonly type: T['UNLOAD'];
}

/** UNLOAD_RESPONSE (host → guest): header only. */
export interface UnloadResponseMessage {
  readonly type: T['UNLOAD_RESPONSE'];
}

/** TL_CONNECT_REQUEST (guest → host, hv_sock connect): L: struct vmbus_channel_tl_connect_request, 40 bytes. */
export interface TlConnectRequestMessage {
  readonly type: T['TL_CONNECT_REQUEST'];
  readonly guestEndpointId: string;
  readonly hostServiceId: string;
}

/** MODIFYCHANNEL (guest → host, VMBus 4.1+): L: struct vmbus_channel_modifychannel, 16 bytes. */
export interface ModifyChannelMessage {
  readonly type: T['MODIFYCHANNEL'];
  readonly childRelid: number;
  readonly targetVp: number;
}

/** TL_CONNECT_RESULT (host → guest): O: protocol.rs TlConnectResult, 44 bytes (Linux ignores it). */
export interface TlConnectResultMessage {
  readonly type: T['TL_CONNECT_RESULT'];
  readonly endpointId: string;
  readonly serviceId: string;
  /** NTSTATUS as a u32. */
  readonly status: number;
}

/** MODIFYCHANNEL_RESPONSE (host → guest, VMBus 5.3): L: struct vmbus_channel_modifychannel_response, 16 bytes. */
export interface ModifyChannelResponseMessage {
  readonly type: T['MODIFYCHANNEL_RESPONSE'];
  readonly childRelid: number;
  readonly status: number;
}

/** Every control message the codec models, discriminated by `type`. */
export type ChannelMessage =
  | OfferChannelMessage
  | RescindChannelOfferMessage
  | RequestOffersMessage
  | AllOffersDeliveredMessage
  | OpenChannelMessage
  | OpenChannelResultMessage
  | CloseChannelMessage
  | GpadlHeaderMessage
  | GpadlBodyMessage
  | GpadlCreatedMessage
  | GpadlTeardownMessage
  | GpadlTorndownMessage
  | RelidReleasedMessage
  | InitiateContactMessage
  | VersionResponseMessage
  | UnloadMessage
  | UnloadResponseMessage
  | TlConnectRequestMessage
  | ModifyChannelMessage
  | TlConnectResultMessage
  | ModifyChannelResponseMessage;
