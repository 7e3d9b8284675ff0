import { ProtocolEncodeError } from './errors.js';
import { rejected } from './result.js';
import type { DecodeFailure } from './result.js';

/**
 * Checks the window a decoder was handed. Returns a rejection when `offset`/`length` are not
 * non-negative integers or the window runs past the array; `undefined` when it is usable.
 */
export function badWindow(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeFailure | undefined {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > bytes.length
  ) {
    return rejected('bad-window', 'span.outside', { offset, length, size: bytes.length });
  }
  return undefined;
}

/** The standard rejection for a message shorter than its fixed part. */
export function truncated(what: string, need: number, have: number): DecodeFailure {
  return rejected('truncated', 'truncated', { what, need, have });
}

/** Throws unless `target[offset, offset + size)` exists. */
export function checkTarget(target: Uint8Array, offset: number, size: number, what: string): void {
  if (!Number.isInteger(offset) || offset < 0 || offset + size > target.length) {
    throw new ProtocolEncodeError(
      what,
      `needs ${size} bytes at offset ${offset}, target holds ${target.length}`,
    );
  }
}

/** Throws unless `value` is an integer in `[0, max]`; returns it for inline use. */
export function checkUint(value: number, max: number, field: string): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new ProtocolEncodeError(field, `expected an integer 0..${max}, got ${value}`);
  }
  return value;
}

export function checkU8(value: number, field: string): number {
  return checkUint(value, 0xff, field);
}

export function checkU16(value: number, field: string): number {
  return checkUint(value, 0xffff, field);
}

export function checkU32(value: number, field: string): number {
  return checkUint(value, 0xffff_ffff, field);
}

/** A 64-bit count carried as a `number`. */
export function checkSafeU64(value: number, field: string): number {
  return checkUint(value, Number.MAX_SAFE_INTEGER, field);
}

export function checkU64(value: bigint, field: string): bigint {
  if (value < 0n || value > 0xffff_ffff_ffff_ffffn) {
    throw new ProtocolEncodeError(field, `expected 0..2^64-1, got ${value}`);
  }
  return value;
}

/** Throws unless a byte field is at most `max` bytes long. */
export function checkMaxBytes(bytes: Uint8Array, max: number, field: string): Uint8Array {
  if (bytes.length > max) {
    throw new ProtocolEncodeError(field, `at most ${max} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Throws unless a byte field is exactly `size` bytes long. */
export function checkExactBytes(bytes: Uint8Array, size: number, field: string): Uint8Array {
  if (bytes.length !== size) {
    throw new ProtocolEncodeError(field, `exactly ${size} bytes, got ${bytes.length}`);
  }
  return bytes;
}

/** Throws the encoder's typed error; for checks the helpers above do not cover. */
export function encodeFail(field: string, message: string): never {
  throw new ProtocolEncodeError(field, message);
}
