import { badWindow, checkTarget, checkU8, truncated } from '../../codec/bounds.js';
import { readU16BE, writeU16BE, zero } from '../../codec/le.js';
import { decoded, rejected } from '../../codec/result.js';
import type { DecodeResult } from '../../codec/result.js';
import { ModePageCode } from './constants.js';

/**
 * MODE SENSE(6)/(10) parameter data (SPC-4 §7.5) as a synthetic disk returns it: the mode
 * parameter header, no block descriptors, and optionally the caching mode page (SBC-3 §6.5.5)
 * Linux sd reads to learn whether the write cache is on.
 *
 * Header(6):  0 MODE DATA LENGTH (n-1), 1 medium type, 2 WP (7) | DPOFUA (4), 3 BD length
 * Header(10): 0..1 MODE DATA LENGTH (n-2), 2 medium type, 3 WP | DPOFUA, 4 LONGLBA, 6..7 BD length
 * Caching page: 0 page code 0x08, 1 page length 0x12, 2 WCE (2) | RCD (0)
 */
export interface ModeSenseData {
  /** Which CDB asked: the header differs. */
  readonly variant: 6 | 10;
  readonly mediumType: number;
  readonly writeProtected: boolean;
  /** The device honours DPO and FUA. */
  readonly dpoFua: boolean;
  readonly caching: CachingModePage | undefined;
}

/** The two caching bits a guest acts on. */
export interface CachingModePage {
  readonly writeCacheEnabled: boolean;
  readonly readCacheDisabled: boolean;
}

const CACHING_PAGE_SIZE = 20;

/** Bytes {@link encodeModeSense} writes. */
export function modeSenseSize(data: ModeSenseData): number {
  return (data.variant === 6 ? 4 : 8) + (data.caching !== undefined ? CACHING_PAGE_SIZE : 0);
}

export function encodeModeSense(data: ModeSenseData, target: Uint8Array, offset: number): number {
  const size = modeSenseSize(data);
  checkTarget(target, offset, size, 'mode sense data');
  zero(target, offset, offset + size);
  const deviceSpecific = (data.writeProtected ? 0x80 : 0) | (data.dpoFua ? 0x10 : 0);
  let o = offset;
  if (data.variant === 6) {
    target[o] = size - 1;
    target[o + 1] = checkU8(data.mediumType, 'modeSense.mediumType');
    target[o + 2] = deviceSpecific;
    o += 4;
  } else {
    writeU16BE(target, o, size - 2);
    target[o + 2] = checkU8(data.mediumType, 'modeSense.mediumType');
    target[o + 3] = deviceSpecific;
    o += 8;
  }
  if (data.caching !== undefined) {
    target[o] = ModePageCode.CACHING;
    target[o + 1] = CACHING_PAGE_SIZE - 2;
    target[o + 2] =
      (data.caching.writeCacheEnabled ? 0x04 : 0) | (data.caching.readCacheDisabled ? 0x01 : 0);
  }
  return size;
}

/**
 * Reads mode parameter data of the given `variant`. Block descriptors are skipped (their
 * length must fit); of the pages only the caching page is interpreted, others are skipped.
 * Every length field must stay inside the MODE DATA LENGTH and the bytes supplied.
 */
export function decodeModeSense(
  bytes: Uint8Array,
  offset: number,
  length: number,
  variant: 6 | 10,
): DecodeResult<ModeSenseData> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  const header = variant === 6 ? 4 : 8;
  if (length < header) return truncated(`mode parameter header(${variant})`, header, length);
  const o = offset;
  const total = variant === 6 ? bytes[o] + 1 : readU16BE(bytes, o) + 2;
  if (total < header)
    return rejected('length-out-of-range', 'scsi.modeDataBelowHeader', { length: total });
  if (total > length) return truncated('mode parameter data', total, length);
  const mediumType = variant === 6 ? bytes[o + 1] : bytes[o + 2];
  const deviceSpecific = variant === 6 ? bytes[o + 2] : bytes[o + 3];
  const blockDescriptors = variant === 6 ? bytes[o + 3] : readU16BE(bytes, o + 6);
  let p = header + blockDescriptors;
  if (p > total) return rejected('length-out-of-range', 'scsi.blockDescriptors', {});
  let caching: CachingModePage | undefined;
  while (p < total) {
    if (total - p < 2) return truncated('mode page header', 2, total - p);
    const pageCode = bytes[o + p] & 0x3f;
    const spf = (bytes[o + p] & 0x40) !== 0;
    const pageHeader = spf ? 4 : 2;
    if (total - p < pageHeader) return truncated('sub-page header', pageHeader, total - p);
    const pageLength = spf ? readU16BE(bytes, o + p + 2) : bytes[o + p + 1];
    if (pageHeader + pageLength > total - p) {
      return rejected('length-out-of-range', 'scsi.modePage', {
        page: `0x${pageCode.toString(16)}`,
      });
    }
    if (!spf && pageCode === ModePageCode.CACHING && pageLength >= 1) {
      const bits = bytes[o + p + 2];
      caching = { writeCacheEnabled: (bits & 0x04) !== 0, readCacheDisabled: (bits & 0x01) !== 0 };
    }
    p += pageHeader + pageLength;
  }
  return decoded({
    variant,
    mediumType,
    writeProtected: (deviceSpecific & 0x80) !== 0,
    dpoFua: (deviceSpecific & 0x10) !== 0,
    caching,
  });
}
