/**
 * Parsing a complete GPADL range buffer into ranges, with openvmm's rules
 * (O: vmbus_ring/src/gparange.rs parse / validate_gpa_ranges): each range is a gpa_range header
 * { u32 byte_count; u32 byte_offset } followed by one PFN per page it spans; byte_count must not
 * be 0, byte_offset must stay inside the first page, and the buffer must hold every page.
 */
import { VMBUS_PAGE_SIZE } from './constants.js';
import { GPA_RANGE_MAX_BYTE_OFFSET } from './gpadl-limits.js';

/** One range of a GPADL. */
export interface GpaRange {
  readonly byteCount: number;
  readonly byteOffset: number;
  /** One page number per page the range spans. */
  readonly pfns: readonly number[];
}

/** Why a range buffer does not describe `rangecount` ranges. */
export type GpaRangeProblem =
  /** O: EmptyRange — the buffer ended where a range header should be. */
  | 'empty-range'
  /** O: EmptyByteCount. */
  | 'empty-byte-count'
  /** O: OffsetTooLarge — byte_offset past 0xfff. */
  | 'offset-too-large'
  /** O: RangeTooSmall — fewer PFNs than the range spans. */
  | 'range-too-small'
  /** Words left over after the last range: range_buflen disagrees with the ranges. */
  | 'range-buflen-mismatch';

const TWO_POW_32 = 0x1_0000_0000;

/** Pages a range spans: ⌈(byte_offset + byte_count) / 4096⌉. */
export function pagesSpanned(byteCount: number, byteOffset: number): number {
  return Math.ceil((byteOffset + byteCount) / VMBUS_PAGE_SIZE);
}

/**
 * Splits `words` (the range buffer after range[0]'s header, which is given separately because it
 * travels as two u32 fields) into `rangeCount` ranges. Later range headers are words of the buffer:
 * byte_count in the low 32 bits, byte_offset in the high 32 bits.
 */
export function parseGpaRanges(
  rangeCount: number,
  first: { readonly byteCount: number; readonly byteOffset: number },
  words: readonly number[],
):
  | { readonly ok: true; readonly ranges: GpaRange[] }
  | { readonly ok: false; readonly problem: GpaRangeProblem; readonly detail: string } {
  const ranges: GpaRange[] = [];
  let at = 0;
  for (let r = 0; r < rangeCount; r++) {
    let byteCount = first.byteCount;
    let byteOffset = first.byteOffset;
    if (r > 0) {
      if (at >= words.length)
        return {
          ok: false,
          problem: 'empty-range',
          detail: `range ${r} of ${rangeCount} has no header`,
        };
      const header = words[at++];
      byteCount = header % TWO_POW_32;
      byteOffset = Math.floor(header / TWO_POW_32);
    }
    if (byteCount === 0)
      return { ok: false, problem: 'empty-byte-count', detail: `range ${r} has byte_count 0` };
    if (byteOffset > GPA_RANGE_MAX_BYTE_OFFSET) {
      return {
        ok: false,
        problem: 'offset-too-large',
        detail: `range ${r} starts at byte_offset ${byteOffset}`,
      };
    }
    const pages = pagesSpanned(byteCount, byteOffset);
    if (words.length - at < pages) {
      return {
        ok: false,
        problem: 'range-too-small',
        detail: `range ${r} spans ${pages} pages, the buffer holds ${words.length - at} more PFNs`,
      };
    }
    ranges.push({ byteCount, byteOffset, pfns: words.slice(at, at + pages) });
    at += pages;
  }
  if (at !== words.length) {
    return {
      ok: false,
      problem: 'range-buflen-mismatch',
      detail: `${words.length - at} words left after ${rangeCount} range(s)`,
    };
  }
  return { ok: true, ranges };
}
