import { badWindow, checkTarget, checkU32, checkUint, truncated } from '../../codec/bounds.js';
import {
  readU16BE,
  readU32BE,
  readU64BESafe,
  writeU32BE,
  writeU64BENumber,
  zero,
} from '../../codec/le.js';
import { decoded, rejected } from '../../codec/result.js';
import type { DecodeResult } from '../../codec/result.js';

/** READ CAPACITY(10) parameter data (SBC-3 §5.16.2): 8 bytes, big-endian. */
export interface ReadCapacity10Data {
  /** The last LBA, or 0xFFFFFFFF when it does not fit (then the guest asks READ CAPACITY(16)). */
  readonly lastLba: number;
  readonly blockLength: number;
}

export const READ_CAPACITY_10_DATA_SIZE = 8;
export const READ_CAPACITY_16_DATA_SIZE = 32;

/** READ CAPACITY(10) data for a disk of `sectorCount` blocks (last LBA clamped to 0xFFFFFFFF). */
export function readCapacity10For(sectorCount: number, blockLength: number): ReadCapacity10Data {
  return { lastLba: Math.min(Math.max(sectorCount - 1, 0), 0xffff_ffff), blockLength };
}

export function encodeReadCapacity10(
  data: ReadCapacity10Data,
  target: Uint8Array,
  offset: number,
): number {
  checkTarget(target, offset, READ_CAPACITY_10_DATA_SIZE, 'read capacity(10) data');
  writeU32BE(target, offset, checkU32(data.lastLba, 'readCapacity10.lastLba'));
  writeU32BE(target, offset + 4, checkU32(data.blockLength, 'readCapacity10.blockLength'));
  return READ_CAPACITY_10_DATA_SIZE;
}

export function decodeReadCapacity10(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<ReadCapacity10Data> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < READ_CAPACITY_10_DATA_SIZE) {
    return truncated('READ CAPACITY(10) data', READ_CAPACITY_10_DATA_SIZE, length);
  }
  return decoded({ lastLba: readU32BE(bytes, offset), blockLength: readU32BE(bytes, offset + 4) });
}

/**
 * READ CAPACITY(16) parameter data (SBC-3 §5.16.2): bytes 0..7 last LBA, 8..11 block length,
 * 12 P_TYPE (3..1) | PROT_EN (0), 13 LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT (3..0),
 * 14..15 LBPME (15) | LBPRZ (14) | LOWEST ALIGNED LBA (13..0).
 */
export interface ReadCapacity16Data {
  /** Safe-integer LBA (a 2^53-block disk is beyond any simulated host). */
  readonly lastLba: number;
  readonly blockLength: number;
  readonly protectionType: number;
  readonly protectionEnabled: boolean;
  /** log2(physical / logical block size): 3 for 4 KiB physical, 512 B logical. */
  readonly logicalBlocksPerPhysicalBlockExponent: number;
  /** Logical block provisioning management enabled (thin/unmap). */
  readonly lbpme: boolean;
  readonly lbprz: boolean;
  readonly lowestAlignedLba: number;
}

export function encodeReadCapacity16(
  data: ReadCapacity16Data,
  target: Uint8Array,
  offset: number,
): number {
  const o = offset;
  checkTarget(target, o, READ_CAPACITY_16_DATA_SIZE, 'read capacity(16) data');
  zero(target, o, o + READ_CAPACITY_16_DATA_SIZE);
  writeU64BENumber(
    target,
    o,
    checkUint(data.lastLba, Number.MAX_SAFE_INTEGER, 'readCapacity16.lastLba'),
  );
  writeU32BE(target, o + 8, checkU32(data.blockLength, 'readCapacity16.blockLength'));
  target[o + 12] =
    (checkUint(data.protectionType, 7, 'readCapacity16.protectionType') << 1) |
    (data.protectionEnabled ? 1 : 0);
  target[o + 13] = checkUint(
    data.logicalBlocksPerPhysicalBlockExponent,
    0xf,
    'readCapacity16.lbppbe',
  );
  const aligned = checkUint(data.lowestAlignedLba, 0x3fff, 'readCapacity16.lowestAlignedLba');
  target[o + 14] = (data.lbpme ? 0x80 : 0) | (data.lbprz ? 0x40 : 0) | (aligned >>> 8);
  target[o + 15] = aligned & 0xff;
  return READ_CAPACITY_16_DATA_SIZE;
}

export function decodeReadCapacity16(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<ReadCapacity16Data> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < 16) return truncated('READ CAPACITY(16) data through byte 15', 16, length);
  const o = offset;
  const lastLba = readU64BESafe(bytes, o);
  if (lastLba < 0) return rejected('count-out-of-range', 'scsi.lastLba', {});
  return decoded({
    lastLba,
    blockLength: readU32BE(bytes, o + 8),
    protectionType: (bytes[o + 12] >>> 1) & 7,
    protectionEnabled: (bytes[o + 12] & 1) !== 0,
    logicalBlocksPerPhysicalBlockExponent: bytes[o + 13] & 0xf,
    lbpme: (bytes[o + 14] & 0x80) !== 0,
    lbprz: (bytes[o + 14] & 0x40) !== 0,
    lowestAlignedLba: readU16BE(bytes, o + 14) & 0x3fff,
  });
}
