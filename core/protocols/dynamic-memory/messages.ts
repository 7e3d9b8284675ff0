import {
  badWindow,
  checkSafeU64,
  checkTarget,
  checkU32,
  checkUint,
  encodeFail,
  truncated,
} from '../codec/bounds.js';
import {
  copyBytes,
  readU16,
  readU32,
  readU64Safe,
  writeU16,
  writeU32,
  writeU64Number,
  zero,
} from '../codec/le.js';
import { decoded, rejected } from '../codec/result.js';
import type { DecodeFailure, DecodeResult } from '../codec/result.js';
import {
  DM_BALLOON_RESPONSE_SIZE,
  DM_BALLOON_SIZE,
  DM_CAPABILITIES_RESPONSE_SIZE,
  DM_CAPABILITIES_SIZE,
  DM_HEADER_SIZE,
  DM_HOT_ADD_RESPONSE_SIZE,
  DM_HOT_ADD_SIZE,
  DM_INFO_MESSAGE_SIZE,
  DM_INFO_TYPE_MAX_PAGE_CNT,
  DM_PAGE_RANGE_SIZE,
  DM_STATUS_SIZE,
  DM_UNBALLOON_REQUEST_SIZE,
  DM_UNBALLOON_RESPONSE_SIZE,
  DM_VERSION_REQUEST_SIZE,
  DM_VERSION_RESPONSE_SIZE,
  DmMessageType,
} from './constants.js';
import { readDmPageRange, writeDmPageRange } from './page-range.js';
import type { DmPageRange } from './page-range.js';

/**
 * Dynamic Memory messages (L: hv_balloon.c). Each starts with `struct dm_header`:
 * type u16 @0, size u16 @2 (the whole message), trans_id u32 @4 ("the guest is responsible for
 * manufacturing this ID"). Offsets below are from the message start. Page counts are u64 on
 * the wire and `number` here; a count above 2^53 is rejected rather than rounded.
 */
export type DmMessage =
  /** @8 dm_version (minor u16, major u16), @12 is_last_attempt:1. */
  | {
      readonly kind: 'versionRequest';
      readonly transactionId: number;
      readonly version: number;
      readonly isLastAttempt: boolean;
    }
  /** @8 is_accepted:1 (u64). */
  | {
      readonly kind: 'versionResponse';
      readonly transactionId: number;
      readonly isAccepted: boolean;
    }
  /** @8 caps (balloon:1, hot_add:1, hot_add_alignment:4), @16 min_page_cnt, @24 max_page_number. */
  | {
      readonly kind: 'capabilitiesReport';
      readonly transactionId: number;
      readonly balloon: boolean;
      readonly hotAdd: boolean;
      /** log2 of the hot-add chunk in MiB (7 = 128 MiB). */
      readonly hotAddAlignment: number;
      readonly minPageCount: number;
      readonly maxPageNumber: number;
    }
  /** @8 is_accepted:1 (u64); a refusal makes the guest shut the service down. */
  | {
      readonly kind: 'capabilitiesResponse';
      readonly transactionId: number;
      readonly isAccepted: boolean;
    }
  /**
   * @8 num_avail, @16 num_committed, @24 page_file_size, @32 zero_free (u64 pages),
   * @40 page_file_writes, @44 io_diff (u32). The host's pressure model uses num_committed.
   */
  | {
      readonly kind: 'statusReport';
      readonly transactionId: number;
      readonly numAvailable: number;
      readonly numCommitted: number;
      readonly pageFileSize: number;
      readonly zeroFree: number;
      readonly pageFileWrites: number;
      readonly ioDiff: number;
    }
  /** @8 num_pages, @12 reservedz. */
  | { readonly kind: 'balloonRequest'; readonly transactionId: number; readonly numPages: number }
  /** @8 reservedz, @12 more_pages:1 | range_count:31, @16 range_array[]. */
  | {
      readonly kind: 'balloonResponse';
      readonly transactionId: number;
      readonly morePages: boolean;
      readonly ranges: readonly DmPageRange[];
    }
  /** @8 more_pages:1 | reservedz:31, @12 range_count, @16 range_array[]. */
  | {
      readonly kind: 'unballoonRequest';
      readonly transactionId: number;
      readonly morePages: boolean;
      readonly ranges: readonly DmPageRange[];
    }
  | { readonly kind: 'unballoonResponse'; readonly transactionId: number }
  /** @8 range to add; @16 the region to create first when the host sends 24 bytes. */
  | {
      readonly kind: 'hotAddRequest';
      readonly transactionId: number;
      readonly range: DmPageRange;
      readonly region: DmPageRange | undefined;
    }
  /** @8 page_count added, @12 result (1 success, 0 failure). */
  | {
      readonly kind: 'hotAddResponse';
      readonly transactionId: number;
      readonly pageCount: number;
      readonly result: number;
    }
  /** @8 reserved, @12 info_size, @16 info (Win8+). */
  | { readonly kind: 'infoMessage'; readonly transactionId: number; readonly info: Uint8Array };

const MAX_RANGES = Math.floor((0xffff - DM_BALLOON_RESPONSE_SIZE) / DM_PAGE_RANGE_SIZE);

/** `hdr.size` of `message` (what {@link encodeDmMessage} writes). */
export function dmMessageSize(message: DmMessage): number {
  switch (message.kind) {
    case 'versionRequest':
      return DM_VERSION_REQUEST_SIZE;
    case 'versionResponse':
      return DM_VERSION_RESPONSE_SIZE;
    case 'capabilitiesReport':
      return DM_CAPABILITIES_SIZE;
    case 'capabilitiesResponse':
      return DM_CAPABILITIES_RESPONSE_SIZE;
    case 'statusReport':
      return DM_STATUS_SIZE;
    case 'balloonRequest':
      return DM_BALLOON_SIZE;
    case 'balloonResponse':
    case 'unballoonRequest':
      return DM_BALLOON_RESPONSE_SIZE + DM_PAGE_RANGE_SIZE * message.ranges.length;
    case 'unballoonResponse':
      return DM_UNBALLOON_RESPONSE_SIZE;
    case 'hotAddRequest':
      return DM_HOT_ADD_SIZE + (message.region !== undefined ? DM_PAGE_RANGE_SIZE : 0);
    case 'hotAddResponse':
      return DM_HOT_ADD_RESPONSE_SIZE;
    case 'infoMessage':
      return DM_INFO_MESSAGE_SIZE + message.info.length;
  }
}

const TYPE: Record<DmMessage['kind'], number> = {
  versionRequest: DmMessageType.VERSION_REQUEST,
  versionResponse: DmMessageType.VERSION_RESPONSE,
  capabilitiesReport: DmMessageType.CAPABILITIES_REPORT,
  capabilitiesResponse: DmMessageType.CAPABILITIES_RESPONSE,
  statusReport: DmMessageType.STATUS_REPORT,
  balloonRequest: DmMessageType.BALLOON_REQUEST,
  balloonResponse: DmMessageType.BALLOON_RESPONSE,
  unballoonRequest: DmMessageType.UNBALLOON_REQUEST,
  unballoonResponse: DmMessageType.UNBALLOON_RESPONSE,
  hotAddRequest: DmMessageType.MEM_HOT_ADD_REQUEST,
  hotAddResponse: DmMessageType.MEM_HOT_ADD_RESPONSE,
  infoMessage: DmMessageType.INFO_MESSAGE,
};

function writeRanges(t: Uint8Array, o: number, ranges: readonly DmPageRange[]): void {
  if (ranges.length > MAX_RANGES)
    encodeFail('range_array', `at most ${MAX_RANGES} ranges fit a 16-bit size`);
  for (let i = 0; i < ranges.length; i++)
    writeDmPageRange(t, o + DM_PAGE_RANGE_SIZE * i, ranges[i]);
}

function writeBody(t: Uint8Array, o: number, m: DmMessage): void {
  switch (m.kind) {
    case 'versionRequest':
      writeU32(t, o + 8, checkU32(m.version, 'dm_version'));
      writeU32(t, o + 12, m.isLastAttempt ? 1 : 0);
      return;
    case 'versionResponse':
    case 'capabilitiesResponse':
      t[o + 8] = m.isAccepted ? 1 : 0;
      return;
    case 'capabilitiesReport':
      t[o + 8] =
        (m.balloon ? 1 : 0) |
        (m.hotAdd ? 2 : 0) |
        (checkUint(m.hotAddAlignment, 0xf, 'hot_add_alignment') << 2);
      writeU64Number(t, o + 16, checkSafeU64(m.minPageCount, 'min_page_cnt'));
      writeU64Number(t, o + 24, checkSafeU64(m.maxPageNumber, 'max_page_number'));
      return;
    case 'statusReport':
      writeU64Number(t, o + 8, checkSafeU64(m.numAvailable, 'num_avail'));
      writeU64Number(t, o + 16, checkSafeU64(m.numCommitted, 'num_committed'));
      writeU64Number(t, o + 24, checkSafeU64(m.pageFileSize, 'page_file_size'));
      writeU64Number(t, o + 32, checkSafeU64(m.zeroFree, 'zero_free'));
      writeU32(t, o + 40, checkU32(m.pageFileWrites, 'page_file_writes'));
      writeU32(t, o + 44, checkU32(m.ioDiff, 'io_diff'));
      return;
    case 'balloonRequest':
      writeU32(t, o + 8, checkU32(m.numPages, 'num_pages'));
      return;
    case 'balloonResponse':
      writeU32(t, o + 12, ((m.morePages ? 1 : 0) | (m.ranges.length << 1)) >>> 0);
      writeRanges(t, o + 16, m.ranges);
      return;
    case 'unballoonRequest':
      writeU32(t, o + 8, m.morePages ? 1 : 0);
      writeU32(t, o + 12, m.ranges.length);
      writeRanges(t, o + 16, m.ranges);
      return;
    case 'unballoonResponse':
      return;
    case 'hotAddRequest':
      writeDmPageRange(t, o + 8, m.range);
      if (m.region !== undefined) writeDmPageRange(t, o + 16, m.region);
      return;
    case 'hotAddResponse':
      writeU32(t, o + 8, checkU32(m.pageCount, 'page_count'));
      writeU32(t, o + 12, checkU32(m.result, 'result'));
      return;
    case 'infoMessage':
      writeU32(t, o + 12, m.info.length);
      copyBytes(m.info, 0, t, o + 16, m.info.length);
      return;
  }
}

/**
 * Encodes a Dynamic Memory message (header included) and returns `hdr.size`.
 *
 * @example
 * encodeDmMessage({ kind: 'balloonRequest', transactionId: 1, numPages: 32768 }, buf, 0); // 16
 */
export function encodeDmMessage(message: DmMessage, target: Uint8Array, offset: number): number {
  const size = dmMessageSize(message);
  if (size > 0xffff) encodeFail('dm_header.size', `${size} bytes do not fit a u16`);
  checkTarget(target, offset, size, 'dm_message');
  zero(target, offset, offset + size);
  writeU16(target, offset, TYPE[message.kind]);
  writeU16(target, offset + 2, size);
  writeU32(target, offset + 4, checkU32(message.transactionId, 'dm_header.trans_id'));
  writeBody(target, offset, message);
  return size;
}

function readRanges(
  b: Uint8Array,
  o: number,
  count: number,
  size: number,
): DecodeResult<DmPageRange[]> {
  if (count > (size - 16) / DM_PAGE_RANGE_SIZE) {
    return rejected('count-out-of-range', 'count.notFitMessage', {
      field: 'range_count',
      count,
      size,
    });
  }
  const ranges: DmPageRange[] = [];
  for (let i = 0; i < count; i++) ranges.push(readDmPageRange(b, o + 16 + DM_PAGE_RANGE_SIZE * i));
  return decoded(ranges);
}

function pages(value: number, field: string): DecodeFailure | undefined {
  return value < 0 ? rejected('count-out-of-range', 'dm.pagesBeyond2p53', { field }) : undefined;
}

function decodeStatus(b: Uint8Array, o: number, transactionId: number): DecodeResult<DmMessage> {
  const numAvailable = readU64Safe(b, o + 8);
  const numCommitted = readU64Safe(b, o + 16);
  const pageFileSize = readU64Safe(b, o + 24);
  const zeroFree = readU64Safe(b, o + 32);
  return (
    pages(numAvailable, 'num_avail') ??
    pages(numCommitted, 'num_committed') ??
    pages(pageFileSize, 'page_file_size') ??
    pages(zeroFree, 'zero_free') ??
    decoded({
      kind: 'statusReport',
      transactionId,
      numAvailable,
      numCommitted,
      pageFileSize,
      zeroFree,
      pageFileWrites: readU32(b, o + 40),
      ioDiff: readU32(b, o + 44),
    })
  );
}

function decodeCapabilities(
  b: Uint8Array,
  o: number,
  transactionId: number,
): DecodeResult<DmMessage> {
  const minPageCount = readU64Safe(b, o + 16);
  const maxPageNumber = readU64Safe(b, o + 24);
  const caps = b[o + 8];
  return (
    pages(minPageCount, 'min_page_cnt') ??
    pages(maxPageNumber, 'max_page_number') ??
    decoded({
      kind: 'capabilitiesReport',
      transactionId,
      balloon: (caps & 1) !== 0,
      hotAdd: (caps & 2) !== 0,
      hotAddAlignment: (caps >>> 2) & 0xf,
      minPageCount,
      maxPageNumber,
    })
  );
}

/** The fixed size of each message type (0 = not a type this protocol defines). */
function fixedSize(type: number): number {
  switch (type) {
    case DmMessageType.VERSION_REQUEST:
      return DM_VERSION_REQUEST_SIZE;
    case DmMessageType.VERSION_RESPONSE:
      return DM_VERSION_RESPONSE_SIZE;
    case DmMessageType.CAPABILITIES_REPORT:
      return DM_CAPABILITIES_SIZE;
    case DmMessageType.CAPABILITIES_RESPONSE:
      return DM_CAPABILITIES_RESPONSE_SIZE;
    case DmMessageType.STATUS_REPORT:
      return DM_STATUS_SIZE;
    case DmMessageType.BALLOON_REQUEST:
      return DM_BALLOON_SIZE;
    case DmMessageType.BALLOON_RESPONSE:
      return DM_BALLOON_RESPONSE_SIZE;
    case DmMessageType.UNBALLOON_REQUEST:
      return DM_UNBALLOON_REQUEST_SIZE;
    case DmMessageType.UNBALLOON_RESPONSE:
      return DM_UNBALLOON_RESPONSE_SIZE;
    case DmMessageType.MEM_HOT_ADD_REQUEST:
      return DM_HOT_ADD_SIZE;
    case DmMessageType.MEM_HOT_ADD_RESPONSE:
      return DM_HOT_ADD_RESPONSE_SIZE;
    case DmMessageType.INFO_MESSAGE:
      return DM_INFO_MESSAGE_SIZE;
    default:
      return 0;
  }
}

function decodeBody(
  b: Uint8Array,
  o: number,
  type: number,
  size: number,
  transactionId: number,
): DecodeResult<DmMessage> {
  switch (type) {
    case DmMessageType.VERSION_REQUEST:
      return decoded({
        kind: 'versionRequest',
        transactionId,
        version: readU32(b, o + 8),
        isLastAttempt: (b[o + 12] & 1) !== 0,
      });
    case DmMessageType.VERSION_RESPONSE:
      return decoded({ kind: 'versionResponse', transactionId, isAccepted: (b[o + 8] & 1) !== 0 });
    case DmMessageType.CAPABILITIES_REPORT:
      return decodeCapabilities(b, o, transactionId);
    case DmMessageType.CAPABILITIES_RESPONSE:
      return decoded({
        kind: 'capabilitiesResponse',
        transactionId,
        isAccepted: (b[o + 8] & 1) !== 0,
      });
    case DmMessageType.STATUS_REPORT:
      return decodeStatus(b, o, transactionId);
    case DmMessageType.BALLOON_REQUEST:
      return decoded({ kind: 'balloonRequest', transactionId, numPages: readU32(b, o + 8) });
    case DmMessageType.BALLOON_RESPONSE: {
      const word = readU32(b, o + 12);
      const ranges = readRanges(b, o, word >>> 1, size);
      return ranges.ok
        ? decoded({
            kind: 'balloonResponse',
            transactionId,
            morePages: (word & 1) !== 0,
            ranges: ranges.value,
          })
        : ranges;
    }
    case DmMessageType.UNBALLOON_REQUEST: {
      const ranges = readRanges(b, o, readU32(b, o + 12), size);
      return ranges.ok
        ? decoded({
            kind: 'unballoonRequest',
            transactionId,
            morePages: (b[o + 8] & 1) !== 0,
            ranges: ranges.value,
          })
        : ranges;
    }
    case DmMessageType.UNBALLOON_RESPONSE:
      return decoded({ kind: 'unballoonResponse', transactionId });
    case DmMessageType.MEM_HOT_ADD_REQUEST: {
      // L: balloon_onchannelcallback — size == sizeof(struct dm_hot_add) is a plain request,
      // otherwise a region range follows the page range.
      if (size !== DM_HOT_ADD_SIZE && size < DM_HOT_ADD_SIZE + DM_PAGE_RANGE_SIZE) {
        return rejected('length-out-of-range', 'dm.hotAddSize', { size });
      }
      return decoded({
        kind: 'hotAddRequest',
        transactionId,
        range: readDmPageRange(b, o + 8),
        region: size === DM_HOT_ADD_SIZE ? undefined : readDmPageRange(b, o + 16),
      });
    }
    case DmMessageType.MEM_HOT_ADD_RESPONSE:
      return decoded({
        kind: 'hotAddResponse',
        transactionId,
        pageCount: readU32(b, o + 8),
        result: readU32(b, o + 12),
      });
    default: {
      const infoSize = readU32(b, o + 12);
      if (infoSize > size - DM_INFO_MESSAGE_SIZE) {
        return rejected('length-out-of-range', 'field.exceeds', {
          field: 'info_size',
          value: infoSize,
          limit: size,
          what: 'message',
        });
      }
      return decoded({
        kind: 'infoMessage',
        transactionId,
        info: b.subarray(o + 16, o + 16 + infoSize),
      });
    }
  }
}

/**
 * Decodes one Dynamic Memory message. `hdr.size` must cover the type's fixed part and fit in
 * `length`; every field is read inside `hdr.size`; range counts must fit; page counts beyond
 * 2^53 and types no version defines (including DM_ERROR) are rejected.
 * @example
 * const r = decodeDmMessage(payload, 0, payload.length);
 * if (r.ok && r.value.kind === 'statusReport') pressure.sample(r.value.numCommitted);
 */
export function decodeDmMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<DmMessage> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < DM_HEADER_SIZE) return truncated('dm_header', DM_HEADER_SIZE, length);
  const type = readU16(bytes, offset);
  const size = readU16(bytes, offset + 2);
  const fixed = fixedSize(type);
  if (fixed === 0)
    return rejected('unknown-type', 'type.unknown', {
      protocol: 'dynamic-memory',
      code: String(type),
    });
  if (size > length) return truncated(`dm message type ${type} (hdr.size)`, size, length);
  if (size < fixed)
    return rejected('length-out-of-range', 'field.belowMessage', {
      field: 'hdr.size',
      value: size,
      size: fixed,
    });
  return decodeBody(bytes, offset, type, size, readU32(bytes, offset + 4));
}

/**
 * The host's maximum dynamic page count from an info message, if that is what it carries
 * (L: process_info — `dm_info_header { type, data_size }` then a u64 when data_size is 8).
 */
export function readDmMaxPageCountInfo(info: Uint8Array): number | undefined {
  if (info.length < 16) return undefined;
  if (readU32(info, 0) !== DM_INFO_TYPE_MAX_PAGE_CNT || readU32(info, 4) !== 8) return undefined;
  const count = readU64Safe(info, 8);
  return count < 0 ? undefined : count;
}
