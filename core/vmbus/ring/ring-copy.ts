/**
 * Copies between the ring's data area and private buffers, wrapping at the end of the data
 * area (Linux maps the data pages twice to avoid this; the model splits the copy instead).
 * No allocation for small copies; large ones use `subarray` + `set`, whose one view object is
 * negligible next to the bytes moved.
 */

/**
 * At or above this many units a native `set` beats a JS loop (measured in bench/micro/ring.bench.ts).
 * Bytes cross over later than words: a byte copy from inside a buffer needs a `subarray` view,
 * one allocation per packet that the micro benchmark does not see but the GC does.
 */
const NATIVE_COPY_THRESHOLD = 64;
const NATIVE_BYTE_COPY_THRESHOLD = 256;

/**
 * Copies `wordCount` u32 words out of the ring, starting at word `fromWord` (wrapping at
 * `ringWords.length`), into `target` at `targetWord`.
 */
export function copyWordsOutOfRing(
  ringWords: Uint32Array,
  fromWord: number,
  target: Uint32Array,
  targetWord: number,
  wordCount: number,
): void {
  const ringWordCount = ringWords.length;
  const firstRun = Math.min(wordCount, ringWordCount - fromWord);
  copyWords(ringWords, fromWord, target, targetWord, firstRun);
  if (firstRun < wordCount) {
    copyWords(ringWords, 0, target, targetWord + firstRun, wordCount - firstRun);
  }
}

function copyWords(
  source: Uint32Array,
  sourceWord: number,
  target: Uint32Array,
  targetWord: number,
  count: number,
): void {
  if (count >= NATIVE_COPY_THRESHOLD) {
    target.set(source.subarray(sourceWord, sourceWord + count), targetWord);
    return;
  }
  for (let i = 0; i < count; i++) target[targetWord + i] = source[sourceWord + i];
}

/**
 * Copies `length` bytes of `source` (from `sourceOffset`) into the ring data area `ring` at
 * byte `to`, wrapping at the end of the data area.
 */
export function copyBytesIntoRing(
  ring: Uint8Array,
  to: number,
  source: Uint8Array,
  sourceOffset: number,
  length: number,
): void {
  const firstRun = Math.min(length, ring.length - to);
  copyBytes(source, sourceOffset, ring, to, firstRun);
  if (firstRun < length) copyBytes(source, sourceOffset + firstRun, ring, 0, length - firstRun);
}

function copyBytes(
  source: Uint8Array,
  sourceOffset: number,
  target: Uint8Array,
  targetOffset: number,
  count: number,
): void {
  if (sourceOffset === 0 && count === source.length && count >= NATIVE_COPY_THRESHOLD) {
    target.set(source, targetOffset);
    return;
  }
  if (count >= NATIVE_BYTE_COPY_THRESHOLD) {
    target.set(source.subarray(sourceOffset, sourceOffset + count), targetOffset);
    return;
  }
  for (let i = 0; i < count; i++) target[targetOffset + i] = source[sourceOffset + i];
}

/** Zeroes `length` bytes of the ring data area from byte `at`, wrapping (packet padding). */
export function zeroRingBytes(ring: Uint8Array, at: number, length: number): void {
  let index = at;
  for (let i = 0; i < length; i++) {
    if (index === ring.length) index = 0;
    ring[index++] = 0;
  }
}
