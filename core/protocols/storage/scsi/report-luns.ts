import { badWindow, checkTarget, checkUint, truncated } from '../../codec/bounds.js';
import { readU32BE, writeU32BE, zero } from '../../codec/le.js';
import { decoded, rejected } from '../../codec/result.js';
import type { DecodeResult } from '../../codec/result.js';

/**
 * REPORT LUNS parameter data (SPC-4 §6.33): LUN LIST LENGTH (bytes, big-endian u32), 4
 * reserved bytes, then one 8-byte LUN per logical unit. LUNs here use peripheral device
 * addressing (byte 0 = 0, byte 1 = LUN), which covers storvsc's 0..254 LUNs per target.
 */
export interface ReportLunsData {
  readonly luns: readonly number[];
}

const HEADER = 8;
const ENTRY = 8;

/** Size of the REPORT LUNS data for `lunCount` LUNs. */
export function reportLunsSize(lunCount: number): number {
  return HEADER + ENTRY * lunCount;
}

export function encodeReportLuns(data: ReportLunsData, target: Uint8Array, offset: number): number {
  const size = reportLunsSize(data.luns.length);
  checkTarget(target, offset, size, 'report luns data');
  zero(target, offset, offset + size);
  writeU32BE(target, offset, ENTRY * data.luns.length);
  let o = offset + HEADER;
  for (const lun of data.luns) {
    target[o + 1] = checkUint(lun, 0xff, 'reportLuns.lun');
    o += ENTRY;
  }
  return size;
}

/**
 * The LUN LIST LENGTH alone: a guest whose allocation length was too small reads this, then
 * asks again with a larger buffer.
 */
export function readReportLunsListLength(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<number> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < 4) return truncated('LUN LIST LENGTH', 4, length);
  return decoded(readU32BE(bytes, offset));
}

/** Reads the whole LUN list; every listed entry must be present in the bytes supplied. */
export function decodeReportLuns(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<ReportLunsData> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < HEADER) return truncated('REPORT LUNS header', HEADER, length);
  const listLength = readU32BE(bytes, offset);
  if (listLength % ENTRY !== 0) {
    return rejected('length-out-of-range', 'scsi.lunListLength', { length: listLength });
  }
  if (listLength > length - HEADER) return truncated('LUN list', HEADER + listLength, length);
  const luns: number[] = [];
  for (let o = offset + HEADER; o < offset + HEADER + listLength; o += ENTRY) {
    for (let i = 2; i < ENTRY; i++) {
      if (bytes[o + i] !== 0) return rejected('reserved-value', 'scsi.multiLevelLun', {});
    }
    if (bytes[o] !== 0) return rejected('reserved-value', 'scsi.lunAddressing', {});
    luns.push(bytes[o + 1]);
  }
  return decoded({ luns });
}
