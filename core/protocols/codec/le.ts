/**
 * Little- and big-endian field access on a `Uint8Array`, allocation-free and branch-light.
 * Hyper-V wire structures are little-endian packed C structs (L: `__packed` throughout
 * include/linux/hyperv.h); SCSI CDBs and their data are big-endian (T10 SPC/SBC).
 *
 * These helpers do not check bounds: every decoder checks its window first, so the hot path
 * pays for one comparison per message instead of one per field.
 */

const TWO_POW_32 = 0x1_0000_0000;
/** `Number.MAX_SAFE_INTEGER` split: the high 32-bit word may be at most this. */
const MAX_SAFE_HIGH_WORD = 0x1f_ffff;

export function readU8(b: Uint8Array, o: number): number {
  return b[o];
}

export function readU16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

export function readU32(b: Uint8Array, o: number): number {
  return (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;
}

export function readI32(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
}

/** A full 64-bit value (sequence numbers, opaque contexts, addresses). */
export function readU64(b: Uint8Array, o: number): bigint {
  return BigInt(readU32(b, o)) | (BigInt(readU32(b, o + 4)) << 32n);
}

/**
 * A 64-bit count as a `number`, or -1 when it exceeds `Number.MAX_SAFE_INTEGER`
 * (decoders turn -1 into a `count-out-of-range` rejection rather than lose precision).
 */
export function readU64Safe(b: Uint8Array, o: number): number {
  const high = readU32(b, o + 4);
  if (high > MAX_SAFE_HIGH_WORD) return -1;
  return high * TWO_POW_32 + readU32(b, o);
}

export function writeU8(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
}

export function writeU16(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
}

export function writeU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v;
  b[o + 1] = v >>> 8;
  b[o + 2] = v >>> 16;
  b[o + 3] = v >>> 24;
}

export function writeU64(b: Uint8Array, o: number, v: bigint): void {
  writeU32(b, o, Number(v & 0xffff_ffffn));
  writeU32(b, o + 4, Number((v >> 32n) & 0xffff_ffffn));
}

/** Writes a non-negative safe integer as a 64-bit little-endian value. */
export function writeU64Number(b: Uint8Array, o: number, v: number): void {
  writeU32(b, o, v % TWO_POW_32);
  writeU32(b, o + 4, Math.floor(v / TWO_POW_32));
}

export function readU16BE(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function readU24BE(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

export function readU32BE(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

/** A big-endian 64-bit value as a `number`, or -1 above `Number.MAX_SAFE_INTEGER`. */
export function readU64BESafe(b: Uint8Array, o: number): number {
  const high = readU32BE(b, o);
  if (high > MAX_SAFE_HIGH_WORD) return -1;
  return high * TWO_POW_32 + readU32BE(b, o + 4);
}

export function writeU16BE(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 8;
  b[o + 1] = v;
}

export function writeU24BE(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 16;
  b[o + 1] = v >>> 8;
  b[o + 2] = v;
}

export function writeU32BE(b: Uint8Array, o: number, v: number): void {
  b[o] = v >>> 24;
  b[o + 1] = v >>> 16;
  b[o + 2] = v >>> 8;
  b[o + 3] = v;
}

export function writeU64BENumber(b: Uint8Array, o: number, v: number): void {
  writeU32BE(b, o, Math.floor(v / TWO_POW_32));
  writeU32BE(b, o + 4, v % TWO_POW_32);
}

/** Zeroes `[from, to)`; used for reserved fields and padding. */
export function zero(b: Uint8Array, from: number, to: number): void {
  for (let i = from; i < to; i++) b[i] = 0;
}

/** Copies `count` bytes without creating a subarray (no allocation on the hot path). */
export function copyBytes(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  count: number,
): void {
  for (let i = 0; i < count; i++) dst[dstOffset + i] = src[srcOffset + i];
}
