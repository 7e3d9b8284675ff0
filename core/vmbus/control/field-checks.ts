/**
 * Checks the encoder runs on fields our own code supplies. A failure is a programming error and
 * throws {@link VmbusControlError}; the decoder never uses these.
 */
import {
  isValidChildRelid,
  MAX_CHILD_RELID,
  MAX_USER_DEFINED_BYTES,
  MIN_CHILD_RELID,
} from './constants.js';
import { VmbusControlError } from './errors.js';
import { isCanonicalGuid } from './guid.js';

function fail(field: string, expected: string, value: unknown): never {
  const shown = typeof value === 'bigint' ? `${value}n` : String(value);
  throw new VmbusControlError(`${field}: expected ${expected}, got ${shown}`);
}

function unsigned(field: string, value: number, max: number, name: string): void {
  if (!Number.isInteger(value) || value < 0 || value > max) fail(field, name, value);
}

export function checkU8(field: string, value: number): void {
  unsigned(field, value, 0xff, 'a u8');
}

export function checkU16(field: string, value: number): void {
  unsigned(field, value, 0xffff, 'a u16');
}

export function checkU32(field: string, value: number): void {
  unsigned(field, value, 0xffff_ffff, 'a u32');
}

export function checkU64(field: string, value: bigint): void {
  if (value < 0n || value > 0xffff_ffff_ffff_ffffn) fail(field, 'a u64', value);
}

/** A page number as a safe integer (≤ 2^53 − 1). */
export function checkPfn(field: string, value: number): void {
  unsigned(field, value, Number.MAX_SAFE_INTEGER, 'a page number (safe integer ≥ 0)');
}

/** Rule 15: relids 1 … 2047. */
export function checkRelid(field: string, value: number): void {
  if (!isValidChildRelid(value))
    fail(field, `a relid in ${MIN_CHILD_RELID}…${MAX_CHILD_RELID}`, value);
}

export function checkUserDefined(field: string, value: Uint8Array): void {
  if (value.length !== MAX_USER_DEFINED_BYTES) {
    fail(field, `exactly ${MAX_USER_DEFINED_BYTES} bytes`, `${value.length} bytes`);
  }
}

export function checkGuid(field: string, value: string): void {
  if (!isCanonicalGuid(value)) fail(field, 'a lowercase canonical GUID', JSON.stringify(value));
}

export function checkCondition(ok: boolean, field: string, expected: string, value: unknown): void {
  if (!ok) fail(field, expected, value);
}
