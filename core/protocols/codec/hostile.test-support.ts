/**
 * Shared helpers for the hostile-input tests of every codec (not a test file itself).
 */
import { expect } from '@jest/globals';
import fc from 'fast-check';
import { decodeInSentinelWindows } from './window-probe.js';

/** Any `decodeX(bytes, offset, length)`. */
export type WindowDecoder = (bytes: Uint8Array, offset: number, length: number) => unknown;

const INTERESTING_U32 = [
  0, 1, 2, 7, 8, 12, 16, 36, 0x7f, 0xff, 0x100, 0xffff, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff,
];

/** Rewrites a little-endian u32 in place. */
function putU32(b: Uint8Array, o: number, v: number): void {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
}

/**
 * Mutations of valid encodings — the bytes a hostile peer is most likely to get through a
 * careless parser: flipped bytes, length/offset/count fields overwritten with edge values,
 * truncation and trailing garbage.
 */
export function mutatedBytes(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(
      valid,
      fc.array(
        fc.oneof(
          fc.record({
            kind: fc.constant('byte' as const),
            at: fc.nat(),
            value: fc.integer({ min: 0, max: 255 }),
          }),
          fc.record({
            kind: fc.constant('u32' as const),
            at: fc.nat(),
            value: fc.constantFrom(...INTERESTING_U32),
          }),
          fc.record({
            kind: fc.constant('truncate' as const),
            at: fc.nat(),
            value: fc.constant(0),
          }),
          fc.record({
            kind: fc.constant('extend' as const),
            at: fc.nat({ max: 64 }),
            value: fc.integer({ min: 0, max: 255 }),
          }),
        ),
        { minLength: 1, maxLength: 4 },
      ),
    )
    .map(([bytes, mutations]) => {
      let b = Uint8Array.from(bytes);
      for (const m of mutations) {
        if (m.kind === 'truncate') {
          b = b.slice(0, b.length === 0 ? 0 : m.at % (b.length + 1));
        } else if (m.kind === 'extend') {
          const longer = new Uint8Array(b.length + m.at).fill(m.value);
          longer.set(b);
          b = longer;
        } else if (b.length > 0 && m.kind === 'byte') {
          b[m.at % b.length] = m.value;
        } else if (b.length >= 4) {
          putU32(b, 4 * (m.at % Math.floor(b.length / 4)), m.value);
        }
      }
      return b;
    });
}

/** Random bytes or mutated valid encodings. */
export function hostileBytes(valid: fc.Arbitrary<Uint8Array>): fc.Arbitrary<Uint8Array> {
  return fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedBytes(valid));
}

/**
 * Decodes `bytes` exactly, inside 0x00 padding and inside 0xFF padding, and expects the three
 * answers to be equal (a read outside the window would see the padding) and nothing thrown.
 */
export function expectWindowSafe(decode: WindowDecoder, bytes: Uint8Array): void {
  const r = decodeInSentinelWindows(decode, bytes);
  expect(r.insideZeros).toEqual(r.exact);
  expect(r.insideOnes).toEqual(r.exact);
}

/** Encodes into a fresh, exactly sized array using an encoder's return value. */
export function encodeToBytes<M>(
  encode: (message: M, target: Uint8Array, offset: number) => number,
  message: M,
  capacity = 70_000,
): Uint8Array {
  const scratch = new Uint8Array(capacity);
  const n = encode(message, scratch, 0);
  return scratch.slice(0, n);
}

/** Little-endian readers for known-answer tests (independent of the codec under test). */
export function u16At(b: Uint8Array, o: number): number {
  return b[o] + b[o + 1] * 0x100;
}
export function u32At(b: Uint8Array, o: number): number {
  return b[o] + b[o + 1] * 0x100 + b[o + 2] * 0x1_0000 + b[o + 3] * 0x100_0000;
}

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
export const u64 = fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn });
export const i32 = fc.integer({ min: -0x8000_0000, max: 0x7fff_ffff });
export const safeU64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
