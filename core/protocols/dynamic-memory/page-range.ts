import { checkUint } from '../codec/bounds.js';
import { readU32, writeU32 } from '../codec/le.js';
import { DM_PAGE_RANGE_MAX_COUNT, DM_PAGE_RANGE_MAX_START } from './constants.js';

/**
 * `union dm_mem_page_range` (L: hv_balloon.c): one little-endian u64 whose low 40 bits are the
 * first PFN ("40 bits is the architectural limit of a PFN number for AMD64") and whose high 24
 * bits are the page count.
 */
export interface DmPageRange {
  readonly startPage: number;
  readonly pageCount: number;
}

const TWO_POW_32 = 0x1_0000_0000;

/** Writes a page range as its 8-byte union. */
export function writeDmPageRange(b: Uint8Array, o: number, range: DmPageRange): void {
  const start = checkUint(range.startPage, DM_PAGE_RANGE_MAX_START, 'dm_mem_page_range.start_page');
  const count = checkUint(range.pageCount, DM_PAGE_RANGE_MAX_COUNT, 'dm_mem_page_range.page_cnt');
  writeU32(b, o, start % TWO_POW_32);
  writeU32(b, o + 4, (Math.floor(start / TWO_POW_32) | (count << 8)) >>> 0);
}

/** Reads an 8-byte `dm_mem_page_range`. */
export function readDmPageRange(b: Uint8Array, o: number): DmPageRange {
  const high = readU32(b, o + 4);
  return { startPage: (high & 0xff) * TWO_POW_32 + readU32(b, o), pageCount: high >>> 8 };
}

/** The 64-bit value of a page range (for logs and known-answer tests). */
export function dmPageRangeValue(range: DmPageRange): bigint {
  const start = checkUint(range.startPage, DM_PAGE_RANGE_MAX_START, 'dm_mem_page_range.start_page');
  const count = checkUint(range.pageCount, DM_PAGE_RANGE_MAX_COUNT, 'dm_mem_page_range.page_cnt');
  return BigInt(start) | (BigInt(count) << 40n);
}
