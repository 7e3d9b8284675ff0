import { badWindow, checkTarget, checkU8, checkUint, truncated } from '../../codec/bounds.js';
import { zero } from '../../codec/le.js';
import { decoded } from '../../codec/result.js';
import type { DecodeResult } from '../../codec/result.js';
import { readAsciiField, writeAsciiField } from './ascii.js';
import { STANDARD_INQUIRY_DATA_SIZE } from './constants.js';

/**
 * Standard INQUIRY data (SPC-4 §6.6.2), the 36 bytes a guest reads first from every LUN:
 *
 * byte 0: peripheral qualifier (7..5) | device type (4..0); byte 1: RMB (bit 7)
 * byte 2: VERSION; byte 3: NORMACA (5) | HISUP (4) | response data format (3..0)
 * byte 4: additional length (n - 4 = 31); byte 5: TPGS (5..4) | 3PC (3) | PROTECT (0)
 * byte 7: CMDQUE (bit 1); bytes 8..15 vendor, 16..31 product, 32..35 revision (ASCII)
 */
export interface StandardInquiryData {
  readonly peripheralQualifier: number;
  readonly deviceType: number;
  readonly removable: boolean;
  /** 5 = SPC-3, 6 = SPC-4. */
  readonly version: number;
  readonly normAca: boolean;
  readonly hiSup: boolean;
  /** Always 2 for current devices. */
  readonly responseDataFormat: number;
  readonly tpgs: number;
  readonly thirdPartyCopy: boolean;
  readonly protect: boolean;
  readonly cmdQue: boolean;
  /** T10 vendor identification, e.g. "Msft". */
  readonly vendorId: string;
  /** e.g. "Virtual Disk". */
  readonly productId: string;
  readonly productRevision: string;
}

/** Writes the 36-byte standard INQUIRY data; returns 36. */
export function encodeStandardInquiry(
  data: StandardInquiryData,
  target: Uint8Array,
  offset: number,
): number {
  const o = offset;
  checkTarget(target, o, STANDARD_INQUIRY_DATA_SIZE, 'inquiry data');
  zero(target, o, o + STANDARD_INQUIRY_DATA_SIZE);
  target[o] =
    (checkUint(data.peripheralQualifier, 7, 'inquiry.peripheralQualifier') << 5) |
    checkUint(data.deviceType, 0x1f, 'inquiry.deviceType');
  target[o + 1] = data.removable ? 0x80 : 0;
  target[o + 2] = checkU8(data.version, 'inquiry.version');
  target[o + 3] =
    (data.normAca ? 0x20 : 0) |
    (data.hiSup ? 0x10 : 0) |
    checkUint(data.responseDataFormat, 0xf, 'inquiry.responseDataFormat');
  target[o + 4] = STANDARD_INQUIRY_DATA_SIZE - 5;
  target[o + 5] =
    (checkUint(data.tpgs, 3, 'inquiry.tpgs') << 4) |
    (data.thirdPartyCopy ? 0x08 : 0) |
    (data.protect ? 0x01 : 0);
  target[o + 7] = data.cmdQue ? 0x02 : 0;
  writeAsciiField(target, o + 8, 8, data.vendorId, 'inquiry.vendorId');
  writeAsciiField(target, o + 16, 16, data.productId, 'inquiry.productId');
  writeAsciiField(target, o + 32, 4, data.productRevision, 'inquiry.productRevision');
  return STANDARD_INQUIRY_DATA_SIZE;
}

/** Reads standard INQUIRY data; needs the first 36 bytes. */
export function decodeStandardInquiry(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<StandardInquiryData> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < STANDARD_INQUIRY_DATA_SIZE) {
    return truncated('standard INQUIRY data', STANDARD_INQUIRY_DATA_SIZE, length);
  }
  const o = offset;
  return decoded({
    peripheralQualifier: bytes[o] >>> 5,
    deviceType: bytes[o] & 0x1f,
    removable: (bytes[o + 1] & 0x80) !== 0,
    version: bytes[o + 2],
    normAca: (bytes[o + 3] & 0x20) !== 0,
    hiSup: (bytes[o + 3] & 0x10) !== 0,
    responseDataFormat: bytes[o + 3] & 0xf,
    tpgs: (bytes[o + 5] >>> 4) & 3,
    thirdPartyCopy: (bytes[o + 5] & 0x08) !== 0,
    protect: (bytes[o + 5] & 0x01) !== 0,
    cmdQue: (bytes[o + 7] & 0x02) !== 0,
    vendorId: readAsciiField(bytes, o + 8, 8),
    productId: readAsciiField(bytes, o + 16, 16),
    productRevision: readAsciiField(bytes, o + 32, 4),
  });
}
