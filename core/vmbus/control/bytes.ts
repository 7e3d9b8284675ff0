/**
 * Little-endian field access on a byte array, without DataView allocations. Readers assume the
 * caller already checked the bounds; writers are only used on buffers the encoder sized.
 */

const TWO_POW_32 = 0x1_0000_0000;

export function readU8(bytes: Uint8Array, at: number): number {
  return bytes[at];
}

export function readU16(bytes: Uint8Array, at: number): number {
  return bytes[at] | (bytes[at + 1] << 8);
}

export function readU32(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** A u64 as a bigint (for GPAs, which can exceed 2^53). */
export function readU64Big(bytes: Uint8Array, at: number): bigint {
  return BigInt(readU32(bytes, at)) | (BigInt(readU32(bytes, at + 4)) << 32n);
}

/** A u64 as a number, or -1 when it is above `Number.MAX_SAFE_INTEGER` (2^53 − 1). */
export function readU64Safe(bytes: Uint8Array, at: number): number {
  const high = readU32(bytes, at + 4);
  if (high >= 0x20_0000) return -1;
  return high * TWO_POW_32 + readU32(bytes, at);
}

export function writeU8(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value;
}

export function writeU16(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
}

export function writeU32(bytes: Uint8Array, at: number, value: number): void {
  bytes[at] = value & 0xff;
  bytes[at + 1] = (value >>> 8) & 0xff;
  bytes[at + 2] = (value >>> 16) & 0xff;
  bytes[at + 3] = (value >>> 24) & 0xff;
}

/** Writes a u64 given as a bigint in 0 … 2^64 − 1 (checked by the caller). */
export function writeU64Big(bytes: Uint8Array, at: number, value: bigint): void {
  writeU32(bytes, at, Number(value & 0xffff_ffffn));
  writeU32(bytes, at + 4, Number(value >> 32n));
}

/** Writes a u64 given as a safe non-negative integer (checked by the caller). */
export function writeU64Safe(bytes: Uint8Array, at: number, value: number): void {
  const high = Math.floor(value / TWO_POW_32);
  writeU32(bytes, at, value - high * TWO_POW_32);
  writeU32(bytes, at + 4, high);
}
