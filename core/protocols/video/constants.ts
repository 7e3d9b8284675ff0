/**
 * Synthetic video (synthvid) protocol constants. L: drivers/video/fbdev/hyperv_fb.c.
 */

/** `SYNTHVID_VERSION(major, minor)` = minor << 16 | major — note the minor is the high word. */
export function synthvidVersion(major: number, minor: number): number {
  return ((minor << 16) | major) >>> 0;
}

/** L: SYNTHVID_VERSION_WIN7/WIN8/WIN10. */
export const SynthvidVersion = {
  WIN7: synthvidVersion(3, 0),
  WIN8: synthvidVersion(3, 2),
  WIN10: synthvidVersion(3, 5),
} as const;

/** `enum pipe_msg_type` (L). */
export const PipeMessageType = { INVALID: 0, DATA: 1 } as const;

/** `enum synthvid_msg_type` (L). */
export const SynthvidMessageType = {
  ERROR: 0,
  VERSION_REQUEST: 1,
  VERSION_RESPONSE: 2,
  VRAM_LOCATION: 3,
  VRAM_LOCATION_ACK: 4,
  SITUATION_UPDATE: 5,
  SITUATION_UPDATE_ACK: 6,
  POINTER_POSITION: 7,
  POINTER_SHAPE: 8,
  FEATURE_CHANGE: 9,
  DIRT: 10,
  RESOLUTION_REQUEST: 13,
  RESOLUTION_RESPONSE: 14,
} as const;

/** Wire sizes (L: hyperv_fb.c, `__packed`). */
export const PIPE_MSG_HDR_SIZE = 8; // type u32, size u32
export const SYNTHVID_MSG_HDR_SIZE = 8; // type u32, size u32 (header + payload)
export const SYNTHVID_EDID_BLOCK_SIZE = 128;
export const SYNTHVID_MAX_RESOLUTION_COUNT = 64;
export const VIDEO_OUTPUT_SITUATION_SIZE = 18; // active u8, vram_offset u32, depth u8, width, height, pitch u32
export const SYNTHVID_RECT_SIZE = 16; // x1, y1, x2, y2 s32
/** L: CURSOR_MAX_X/Y, and the part index meaning "whole cursor in this message". */
export const CURSOR_MAX_X = 96;
export const CURSOR_MAX_Y = 96;
export const CURSOR_COMPLETE = 0xff;
/** L: MAX_VMBUS_PKT_SIZE for synthvid; RING_BUFSIZE. */
export const SYNTHVID_MAX_VMBUS_PKT_SIZE = 0x4000;
export const SYNTHVID_RING_SIZE = 256 * 1024;
/** L: default 1152×864, minimum 640×480, Win8 depth 32 and 8 MiB VRAM. */
export const HVFB_DEFAULT_WIDTH = 1152;
export const HVFB_DEFAULT_HEIGHT = 864;
export const SYNTHVID_DEPTH_WIN8 = 32;
export const SYNTHVID_FB_SIZE_WIN8 = 8 * 1024 * 1024;
