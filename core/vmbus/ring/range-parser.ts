import {
  GPA_DIRECT_HEADER_BYTES,
  GPA_RANGE_HEADER_BYTES,
  GPA_RANGE_MAX_BYTE_OFFSET,
  TRANSFER_PAGE_HEADER_BYTES,
  TRANSFER_PAGE_RANGE_BYTES,
} from './constants.js';
import type { IncomingPacket } from './incoming-packet.js';
import { gpaRangePageCount } from './outgoing-packet.js';
import type { RingRejection } from './rejection.js';

/** PFN high halves at or above this mean a frame ≥ 2^52, i.e. an address ≥ 2^64. */
const PFN_HIGH_LIMIT = 0x10_0000;

/**
 * Parses and validates the range table of a GPA-direct packet (L: hyperv.h
 * `struct vmdata_gpa_direct`, `struct gpa_range`; O: `parse_packet`, gparange.rs `parse`).
 * Works on the reader's private copy only. The range table must fit inside `offset8 × 8`.
 */
export function parseGpaDirectRanges(packet: IncomingPacket): RingRejection | null {
  const headerEnd = packet.payloadOffset;
  if (headerEnd < GPA_DIRECT_HEADER_BYTES) return 'gpa-direct-header-truncated';
  const words = packet.dataWords;
  // words[4] is `reserved` and may hold garbage (O: GpaDirectHeader); words[5] is range_cnt.
  const rangeCount = words[5];
  if (rangeCount === 0) return 'gpa-direct-no-ranges';
  // Each range needs at least its 8-byte header and one PFN: bound the count before looping.
  if (rangeCount * 16 > headerEnd - GPA_DIRECT_HEADER_BYTES) return 'gpa-ranges-exceed-header';
  packet.ensureRangeCapacity(rangeCount);
  const table = packet.rangeTable;
  let at = GPA_DIRECT_HEADER_BYTES;
  for (let range = 0; range < rangeCount; range++) {
    if (at + GPA_RANGE_HEADER_BYTES > headerEnd) return 'gpa-ranges-exceed-header';
    const byteCount = words[at >>> 2];
    const byteOffset = words[(at >>> 2) + 1];
    if (byteCount === 0) return 'gpa-range-empty';
    if (byteOffset > GPA_RANGE_MAX_BYTE_OFFSET) return 'gpa-range-offset-too-large';
    const pages = gpaRangePageCount(byteOffset, byteCount);
    at += GPA_RANGE_HEADER_BYTES;
    if (at + pages * 8 > headerEnd) return 'gpa-ranges-exceed-header';
    const firstPfnWord = at >>> 2;
    for (let page = 0; page < pages; page++) {
      if (words[firstPfnWord + page * 2 + 1] >= PFN_HIGH_LIMIT) return 'gpa-range-pfn-out-of-range';
    }
    table[range * 4] = byteCount;
    table[range * 4 + 1] = byteOffset;
    table[range * 4 + 2] = firstPfnWord;
    table[range * 4 + 3] = pages;
    at += pages * 8;
  }
  packet.rangeCount = rangeCount;
  return null;
}

/**
 * Parses and validates the ranges of a transfer-page packet (L: hyperv.h
 * `struct vmtransfer_page_packet_header`; L: netvsc.c checks `NETVSC_XFER_HEADER_SIZE(count)`
 * against `offset8 << 3`). Whether the ranges lie inside the transfer page set is for the VSP.
 */
export function parseTransferPageRanges(packet: IncomingPacket): RingRejection | null {
  const headerEnd = packet.payloadOffset;
  if (headerEnd < TRANSFER_PAGE_HEADER_BYTES) return 'transfer-page-header-truncated';
  const words = packet.dataWords;
  packet.transferPageSetId = words[4] & 0xffff;
  packet.senderOwnsSet = (words[4] >>> 16) & 0xff;
  const rangeCount = words[5];
  if (rangeCount === 0) return 'transfer-page-no-ranges';
  if (rangeCount * TRANSFER_PAGE_RANGE_BYTES > headerEnd - TRANSFER_PAGE_HEADER_BYTES) {
    return 'transfer-page-ranges-exceed-header';
  }
  packet.ensureRangeCapacity(rangeCount);
  const table = packet.rangeTable;
  for (let range = 0; range < rangeCount; range++) {
    const word = (TRANSFER_PAGE_HEADER_BYTES >>> 2) + range * 2;
    table[range * 4] = words[word];
    table[range * 4 + 1] = words[word + 1];
    table[range * 4 + 2] = 0;
    table[range * 4 + 3] = 0;
  }
  packet.rangeCount = rangeCount;
  return null;
}
