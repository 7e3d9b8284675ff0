/**
 * Constants of the Hyper-V Dynamic Memory protocol (the balloon VSC ↔ host).
 * L: drivers/hv/hv_balloon.c. HYPERV.md rules 33–34.
 */

/** `DYNMEM_MAKE_VERSION(major, minor)` = major << 16 | minor. */
export function dynmemVersion(major: number, minor: number): number {
  return ((major << 16) | minor) >>> 0;
}

/** Protocol versions (L: DYNMEM_PROTOCOL_VERSION_*). */
export const DynmemProtocolVersion = {
  /** 0.3, Windows 7 / WS2008 R2. */
  WIN7: 0x0000_0003,
  /** 1.0, Windows 8 / WS2012. */
  WIN8: 0x0001_0000,
  /** 2.0, Windows 10 / WS2016. */
  WIN10: 0x0002_0000,
} as const;

/** The balloon driver proposes WIN10, then WIN8, then WIN7 (last attempt) (L: version_resp). */
export const BALLOON_VERSION_PREFERENCE: readonly number[] = Object.freeze([
  DynmemProtocolVersion.WIN10,
  DynmemProtocolVersion.WIN8,
  DynmemProtocolVersion.WIN7,
]);

/** `enum dm_message_type` (L). */
export const DmMessageType = {
  ERROR: 0,
  VERSION_REQUEST: 1,
  VERSION_RESPONSE: 2,
  CAPABILITIES_REPORT: 3,
  CAPABILITIES_RESPONSE: 4,
  STATUS_REPORT: 5,
  BALLOON_REQUEST: 6,
  BALLOON_RESPONSE: 7,
  UNBALLOON_REQUEST: 8,
  UNBALLOON_RESPONSE: 9,
  MEM_HOT_ADD_REQUEST: 10,
  MEM_HOT_ADD_RESPONSE: 11,
  /** Version 1.0 (Win8) addition. */
  INFO_MESSAGE: 12,
} as const;

/** L: DM_VERSION_1_MAX. */
export const DM_MESSAGE_TYPE_MAX = DmMessageType.INFO_MESSAGE;

/** `enum dm_info_type`: the host's maximum page count for hot add. */
export const DM_INFO_TYPE_MAX_PAGE_CNT = 0;

/** Wire sizes (L: hv_balloon.c structs, `__packed`). */
export const DM_HEADER_SIZE = 8; // type u16, size u16, trans_id u32
export const DM_PAGE_RANGE_SIZE = 8; // union dm_mem_page_range
export const DM_VERSION_REQUEST_SIZE = 16;
export const DM_VERSION_RESPONSE_SIZE = 16;
export const DM_CAPABILITIES_SIZE = 32;
export const DM_CAPABILITIES_RESPONSE_SIZE = 16;
export const DM_STATUS_SIZE = 48;
export const DM_BALLOON_SIZE = 16;
export const DM_BALLOON_RESPONSE_SIZE = 16; // + 8 per range
export const DM_UNBALLOON_REQUEST_SIZE = 16; // + 8 per range
export const DM_UNBALLOON_RESPONSE_SIZE = 8;
export const DM_HOT_ADD_SIZE = 16; // + 8 when the host names a region
export const DM_HOT_ADD_RESPONSE_SIZE = 16;
export const DM_INFO_MESSAGE_SIZE = 16; // + info_size

/** `dm_mem_page_range` field widths: start_page:40, page_cnt:24. */
export const DM_PAGE_RANGE_MAX_START = 2 ** 40 - 1;
export const DM_PAGE_RANGE_MAX_COUNT = 2 ** 24 - 1;

/**
 * The guest posts a status (pressure) report every second (HYPERV.md rule 34; L: dm_thread_func
 * "The host expects us to post information on the memory pressure every second").
 */
export const DM_STATUS_REPORT_INTERVAL_NS = 1_000_000_000;
/** Linux hot-adds in memory-block chunks, 128 MiB on x86 (HYPERV.md rule 34). */
export const LINUX_HOT_ADD_CHUNK_BYTES = 128 * 1024 * 1024;
/** L: hv_balloon.c — the balloon ring is VMBUS_RING_SIZE(16 KiB). */
export const DM_RING_SIZE = 16 * 1024;
/** L: pressure_report_delay — no reports for the first 45 s after boot. */
export const DM_PRESSURE_REPORT_DELAY_NS = 45_000_000_000;

/**
 * `hot_add_alignment`: log2 of the hot-add chunk in MiB (L: balloon_connect_vsp
 * `ilog2(HA_BYTES_IN_CHUNK / SZ_1M)`), 7 for 128 MiB.
 */
export function hotAddAlignmentFor(chunkBytes: number): number {
  return Math.floor(Math.log2(chunkBytes / (1024 * 1024)));
}
