/**
 * Constants of the Hyper-V synthetic network protocol: NVSP (netvsc ↔ netvsp) and the RNDIS
 * messages it carries. L: drivers/net/hyperv/hyperv_net.h, netvsc.c, rndis_filter.c,
 * include/linux/rndis.h; O: vm/devices/net/netvsp/src/protocol.rs, rndisprot.rs.
 */

/** NVSP protocol versions (L: NVSP_PROTOCOL_VERSION_*; O: `Version`). */
export const NvspProtocolVersion = {
  V1: 0x0000_0002,
  V2: 0x0003_0002,
  V4: 0x0004_0000,
  V5: 0x0005_0000,
  V6: 0x0006_0000,
  V61: 0x0006_0001,
} as const;

/** netvsc tries the newest version first (L: netvsc_connect_vsp walks `ver_list[]` backwards). */
export const NETVSC_NVSP_VERSION_PREFERENCE: readonly number[] = Object.freeze([
  NvspProtocolVersion.V61,
  NvspProtocolVersion.V6,
  NvspProtocolVersion.V5,
  NvspProtocolVersion.V4,
  NvspProtocolVersion.V2,
  NvspProtocolVersion.V1,
]);

/** L: NVSP_INVALID_PROTOCOL_VERSION. */
export const NVSP_INVALID_PROTOCOL_VERSION = 0xffff_ffff;

/** NVSP message types (L: hyperv_net.h anonymous enum; O: MESSAGE*_TYPE_*). */
export const NvspMessageType = {
  NONE: 0,
  INIT: 1,
  INIT_COMPLETE: 2,
  SEND_NDIS_VERSION: 100,
  SEND_RECEIVE_BUFFER: 101,
  SEND_RECEIVE_BUFFER_COMPLETE: 102,
  REVOKE_RECEIVE_BUFFER: 103,
  SEND_SEND_BUFFER: 104,
  SEND_SEND_BUFFER_COMPLETE: 105,
  REVOKE_SEND_BUFFER: 106,
  SEND_RNDIS_PACKET: 107,
  SEND_RNDIS_PACKET_COMPLETE: 108,
  /** First of the version-2 chimney / VMQ messages (109..124), not modelled. */
  V2_CHIMNEY_FIRST: 109,
  SEND_NDIS_CONFIG: 125,
  ALLOCATE_CHIMNEY_HANDLE: 126,
  ALLOCATE_CHIMNEY_HANDLE_COMPLETE: 127,
  SEND_VF_ASSOCIATION: 128,
  SWITCH_DATA_PATH: 129,
  UPLINK_CONNECT_STATE_DEPRECATED: 130,
  OID_QUERY_EX: 131,
  OID_QUERY_EX_COMPLETE: 132,
  SUBCHANNEL: 133,
  SEND_INDIRECTION_TABLE: 134,
  PD_API: 135,
  PD_POST_BATCH: 136,
} as const;

/** The highest message type any NVSP version defines (L: NVSP_MSG6_MAX). */
export const NVSP_MESSAGE_TYPE_MAX = NvspMessageType.PD_POST_BATCH;

/** NVSP status codes (L: NVSP_STAT_*). */
export const NvspStatus = {
  NONE: 0,
  SUCCESS: 1,
  FAILURE: 2,
  PROTOCOL_TOO_NEW: 3,
  PROTOCOL_TOO_OLD: 4,
  INVALID_RNDIS_PACKET: 5,
  BUSY: 6,
  PROTOCOL_UNSUPPORTED: 7,
} as const;

/** `send_rndis_pkt.channel_type` (L: netvsc_send_pkt — "0 is RMC_DATA", "1 is RMC_CONTROL"). */
export const RndisChannelType = { DATA: 0, CONTROL: 1 } as const;

/** `send_buf_section_index` meaning "not in the send buffer: the data came GPA-direct". */
export const NETVSC_INVALID_SECTION_INDEX = 0xffff_ffff;

/** `active_datapath` of SWITCH_DATA_PATH (L: enum nvsp_vm_datapath). */
export const NvspDataPath = { SYNTHETIC: 0, VF: 1 } as const;

/** `subchn_req.op` (L: enum nvsp_subchannel_operation). */
export const NvspSubchannelOperation = { NONE: 0, ALLOCATE: 1 } as const;

/** Wire sizes. */
export const NVSP_MESSAGE_HEADER_SIZE = 4;
/**
 * Messages up to protocol 6 are 28 bytes: header + the largest v1 member, the receive buffer
 * completion with one section (4 + 4 + 16). O: `PACKET_SIZE_V1 = 0x1c`, NVSP_LEGACY_MESSAGE_SIZE.
 */
export const NVSP_LEGACY_MESSAGE_SIZE = 0x1c;
/**
 * From 6.1 on `sizeof(struct nvsp_message)` = 4 + 36 (the PD API completion: op, status and the
 * 28-byte create-queue answer). O: `PACKET_SIZE_V61 = 0x28`. Linux netvsc always sends this.
 */
export const NVSP_61_MESSAGE_SIZE = 0x28;
/** `struct nvsp_1_receive_buffer_section`. */
export const NVSP_RECEIVE_BUFFER_SECTION_SIZE = 16;

/** The message size the host expects for a negotiated version. */
export function nvspMessageSize(protocolVersion: number): number {
  return protocolVersion >= NvspProtocolVersion.V61
    ? NVSP_61_MESSAGE_SIZE
    : NVSP_LEGACY_MESSAGE_SIZE;
}

/** NDIS version netvsc announces: 6.1 up to NVSP 4, 6.30 after (L: netvsc_connect_vsp). */
export function netvscNdisVersion(nvspVersion: number): { major: number; minor: number } {
  return nvspVersion <= NvspProtocolVersion.V4 ? { major: 6, minor: 1 } : { major: 6, minor: 30 };
}

/** Buffer defaults and limits (L: hyperv_net.h). HYPERV.md rule 19. */
export const NETVSC_SEND_BUFFER_DEFAULT = 1024 * 1024;
export const NETVSC_SEND_SECTION_SIZE = 6144;
export const NETVSC_RECEIVE_BUFFER_DEFAULT = 16 * 1024 * 1024;
export const NETVSC_RECV_SECTION_SIZE = 1728;
/** Largest receive buffer a host allows (31 MiB; 15 MiB up to NVSP 2). */
export const NETVSC_RECEIVE_BUFFER_SIZE = 31 * 1024 * 1024;
export const NETVSC_RECEIVE_BUFFER_SIZE_LEGACY = 15 * 1024 * 1024;
/** Largest send buffer a host allows (15 MiB). */
export const NETVSC_SEND_BUFFER_SIZE = 15 * 1024 * 1024;
/** L: NETVSC_DEFAULT_TX = 1 MiB / 6144 = 170 sections. */
export const NETVSC_DEFAULT_TX = Math.floor(NETVSC_SEND_BUFFER_DEFAULT / NETVSC_SEND_SECTION_SIZE);
/** L: NETVSC_DEFAULT_RX = 16 MiB / 1728 = 9709 sections. */
export const NETVSC_DEFAULT_RX = Math.floor(
  NETVSC_RECEIVE_BUFFER_DEFAULT / NETVSC_RECV_SECTION_SIZE,
);
/** The `id` netvsc gives its buffers (L: NETVSC_RECEIVE_BUFFER_ID, NETVSC_SEND_BUFFER_ID). */
export const NETVSC_RECEIVE_BUFFER_ID = 0xcafe;
export const NETVSC_SEND_BUFFER_ID = 0;
/** L: NETVSC_MTU, ETH_HLEN, NETVSC_MTU_MIN (= ETH_MIN_MTU). */
export const NETVSC_MTU = 65535;
export const ETH_HLEN = 14;
export const NETVSC_MTU_MIN = 68;

/**
 * vRSS channels: default 8, at most 64 (HYPERV.md rule 19; L: hyperv_net.h VRSS_CHANNEL_DEFAULT
 * was 8 until Linux raised it to 16 in August 2024, "net: netvsc: Update default VMBus
 * channels"; VRSS_CHANNEL_MAX 64). The send indirection table has 16 slots.
 */
export const VRSS_CHANNEL_DEFAULT = 8;
export const VRSS_CHANNEL_MAX = 64;
export const VRSS_SEND_TAB_SIZE = 16;

/** RNDIS batching defaults (L: RNDIS_MAX_PKT_DEFAULT, RNDIS_PKT_ALIGN_DEFAULT). */
export const RNDIS_MAX_PKT_DEFAULT = 8;
export const RNDIS_PKT_ALIGN_DEFAULT = 8;
/** Ranges in one transfer-page packet (O: NVSP_MAX_PACKETS_PER_RECEIVE; L: NVSP_RSC_MAX). */
export const NVSP_MAX_PACKETS_PER_RECEIVE = 375;
export const NVSP_RSC_MAX = 562;

// ---------------------------------------------------------------- RNDIS

/** RNDIS message types (L: include/linux/rndis.h RNDIS_MSG_*). */
export const RndisMessageType = {
  PACKET: 0x0000_0001,
  INITIALIZE: 0x0000_0002,
  INITIALIZE_COMPLETE: 0x8000_0002,
  HALT: 0x0000_0003,
  QUERY: 0x0000_0004,
  QUERY_COMPLETE: 0x8000_0004,
  SET: 0x0000_0005,
  SET_COMPLETE: 0x8000_0005,
  RESET: 0x0000_0006,
  RESET_COMPLETE: 0x8000_0006,
  INDICATE_STATUS: 0x0000_0007,
  KEEPALIVE: 0x0000_0008,
  KEEPALIVE_COMPLETE: 0x8000_0008,
} as const;

/** RNDIS status codes used here (L: RNDIS_STATUS_*). */
export const RndisStatus = {
  SUCCESS: 0x0000_0000,
  PENDING: 0x0000_0103,
  MEDIA_CONNECT: 0x4001_000b,
  MEDIA_DISCONNECT: 0x4001_000c,
  LINK_SPEED_CHANGE: 0x4001_0013,
  NETWORK_CHANGE: 0x4001_0018,
  BUFFER_OVERFLOW: 0x8000_0005,
  FAILURE: 0xc000_0001,
  RESOURCES: 0xc000_009a,
  NOT_SUPPORTED: 0xc000_00bb,
  INVALID_LENGTH: 0xc001_0014,
  INVALID_DATA: 0xc001_0015,
  INVALID_OID: 0xc001_0017,
} as const;

/** RNDIS protocol version netvsc sends in INITIALIZE (L: RNDIS_MAJOR/MINOR_VERSION). */
export const RNDIS_MAJOR_VERSION = 1;
export const RNDIS_MINOR_VERSION = 0;
/** L: rndis_filter_init_device — `init->max_xfer_size = 0x4000`. */
export const NETVSC_RNDIS_MAX_TRANSFER_SIZE = 0x4000;
/** L: RNDIS_MEDIUM_802_3. */
export const RNDIS_MEDIUM_802_3 = 0;
/** L: RNDIS_DF_CONNECTIONLESS. */
export const RNDIS_DF_CONNECTIONLESS = 0x1;

/** Object identifiers netvsc queries or sets (L: include/linux/rndis.h, hyperv_net.h). */
export const RndisOid = {
  GEN_MAXIMUM_FRAME_SIZE: 0x0001_0106,
  GEN_LINK_SPEED: 0x0001_0107,
  GEN_CURRENT_PACKET_FILTER: 0x0001_010e,
  GEN_MEDIA_CONNECT_STATUS: 0x0001_0114,
  GEN_RNDIS_CONFIG_PARAMETER: 0x0001_021b,
  GEN_RECEIVE_SCALE_CAPABILITIES: 0x0001_0203,
  GEN_RECEIVE_SCALE_PARAMETERS: 0x0001_0204,
  IEEE_802_3_PERMANENT_ADDRESS: 0x0101_0101,
  IEEE_802_3_CURRENT_ADDRESS: 0x0101_0102,
  TCP_OFFLOAD_CURRENT_CONFIG: 0xfc01_020b,
  TCP_OFFLOAD_PARAMETERS: 0xfc01_020c,
  TCP_OFFLOAD_HARDWARE_CAPABILITIES: 0xfc01_020d,
} as const;

/** Packet filter bits for OID_GEN_CURRENT_PACKET_FILTER (L: NDIS_PACKET_TYPE_*). */
export const NdisPacketType = {
  DIRECTED: 0x0000_0001,
  MULTICAST: 0x0000_0002,
  ALL_MULTICAST: 0x0000_0004,
  BROADCAST: 0x0000_0008,
  PROMISCUOUS: 0x0000_0020,
} as const;

/** Per-packet-info types (L: enum ndis_per_pkt_info_type). */
export const NdisPerPacketInfoType = {
  TCPIP_CHKSUM: 0,
  IPSEC: 1,
  TCP_LARGESEND: 2,
  CLASSIFICATION_HANDLE: 3,
  NDIS_RESERVED: 4,
  SG_LIST: 5,
  IEEE_8021Q: 6,
  ORIGINAL_PKTINFO: 7,
  /** Shares its value with PACKET_CANCEL_ID. */
  NBL_HASH_VALUE: 8,
  ORIGINAL_NET_BUFLIST: 9,
  CACHED_NET_BUFLIST: 10,
  SHORT_PKT_PADINFO: 11,
} as const;

/** Internal per-packet-info type carrying RSC fragment ids (L: RNDIS_PKTINFO_ID, internal = 1). */
export const RNDIS_PKTINFO_ID = 1;

/** Wire sizes (L: hyperv_net.h). */
export const RNDIS_HEADER_SIZE = 8; // ndis_msg_type u32, msg_len u32
export const RNDIS_PACKET_SIZE = 36; // struct rndis_packet: 9 × u32
export const RNDIS_PER_PACKET_INFO_SIZE = 12; // size u32, type:31|internal:1, ppi_offset u32
