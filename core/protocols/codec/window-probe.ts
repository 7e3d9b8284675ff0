/**
 * A probe for decoders of hostile bytes: it decodes the same message three times, once from an
 * exact-size copy and twice from the middle of a larger buffer whose surrounding bytes are a
 * sentinel (0x00, then 0xFF). A decoder that never looks outside its window gives three equal
 * answers; one that peeks past either end sees the sentinels change and answers differently.
 */

/** The three answers of {@link decodeInSentinelWindows}. */
export interface SentinelWindowResults<T> {
  /** From a copy exactly as long as the message, at offset 0. */
  readonly exact: T;
  /** From inside `pad` bytes of 0x00 on both sides. */
  readonly insideZeros: T;
  /** From inside `pad` bytes of 0xFF on both sides. */
  readonly insideOnes: T;
}

/**
 * Runs `decode(bytes, offset, length)` on `message` placed in three different buffers.
 *
 * @example
 * const r = decodeInSentinelWindows(decodeDmMessage, bytes);
 * expect(r.insideZeros).toEqual(r.exact);
 * expect(r.insideOnes).toEqual(r.exact);
 */
export function decodeInSentinelWindows<T>(
  decode: (bytes: Uint8Array, offset: number, length: number) => T,
  message: Uint8Array,
  pad = 24,
): SentinelWindowResults<T> {
  const exact = Uint8Array.from(message);
  const zeros = new Uint8Array(message.length + 2 * pad);
  zeros.set(message, pad);
  const ones = new Uint8Array(message.length + 2 * pad).fill(0xff);
  ones.set(message, pad);
  return {
    exact: decode(exact, 0, exact.length),
    insideZeros: decode(zeros, pad, message.length),
    insideOnes: decode(ones, pad, message.length),
  };
}
