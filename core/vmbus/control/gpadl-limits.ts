/**
 * How many page numbers fit in GPADL messages, with the arithmetic of
 * L: drivers/hv/channel.c create_gpadl_header():
 *   header: pfnsize = MAX_SIZE_CHANNEL_MESSAGE − sizeof(gpadl_header) − sizeof(gpa_range);
 *           pfncount = pfnsize / sizeof(u64)          → (240 − 20 − 8) / 8 = 26
 *   body:   pfnsize = MAX_SIZE_CHANNEL_MESSAGE − sizeof(gpadl_body); pfncount = pfnsize / 8
 *                                                     → (240 − 16) / 8 = 28
 * (O: GpadlHeader/GpadlBody::MAX_DATA_VALUES count the same way, with range[0]'s header as a value.)
 */
import { MAX_SIZE_CHANNEL_MESSAGE } from './constants.js';
import { GpadlHeaderLayout, GpadlBodyLayout } from './layout.js';

/** sizeof(struct vmbus_channel_gpadl_header). */
export const GPADL_HEADER_FIXED_BYTES = GpadlHeaderLayout.FIXED_SIZE;
/** sizeof(struct gpa_range) without its flexible pfn_array: { u32 byte_count; u32 byte_offset; }. */
export const GPA_RANGE_HEADER_BYTES = 8;
/** sizeof(struct vmbus_channel_gpadl_body). */
export const GPADL_BODY_FIXED_BYTES = GpadlBodyLayout.PFN;
/** Bytes per range-buffer word (a u64 PFN or a gpa_range header). */
export const GPADL_WORD_BYTES = 8;

/** PFNs a GPADL_HEADER carries at most (26). */
export const GPADL_HEADER_MAX_PFNS = Math.floor(
  (MAX_SIZE_CHANNEL_MESSAGE - GPADL_HEADER_FIXED_BYTES - GPA_RANGE_HEADER_BYTES) / GPADL_WORD_BYTES,
);

/** PFNs a GPADL_BODY carries at most (28). */
export const GPADL_BODY_MAX_PFNS = Math.floor(
  (MAX_SIZE_CHANNEL_MESSAGE - GPADL_BODY_FIXED_BYTES) / GPADL_WORD_BYTES,
);

/** range_buflen is a u16. */
export const GPADL_MAX_RANGE_BUFLEN = 0xffff;

/** Pages one single-range GPADL can list: (range_buflen − 8) / 8 with range_buflen ≤ 0xffff (8190). */
export const GPADL_MAX_PAGES = Math.floor(
  (GPADL_MAX_RANGE_BUFLEN - GPA_RANGE_HEADER_BYTES) / GPADL_WORD_BYTES,
);

/** Largest byte_offset a range may start at inside its first page (O: gparange.rs OffsetTooLarge). */
export const GPA_RANGE_MAX_BYTE_OFFSET = 0xfff;
