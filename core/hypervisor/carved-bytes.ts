/**
 * Small fixed buffers the hypervisor keeps by the thousand — each VP's two SynIC overlay pages,
 * each port's 16 message buffers — as zeroed views carved from shared 1 MiB chunks. A typed array
 * above 64 bytes gets a backing store of its own, and thousands of them cost a 1024-VM host
 * ≈ 0.14 s to create (allocation, external-memory accounting, GC); a view of a chunk costs an
 * object.
 *
 * Carved bytes are never handed out twice, so no two owners share a byte; a chunk is freed when
 * no view of it is left. Nothing about the simulation depends on where the bytes live.
 */
const CHUNK_BYTES = 1 << 20;

let chunk = new Uint8Array(0);
let used = 0;

/**
 * `length` zeroed bytes whose offset in their buffer is a multiple of `align` (a power of two,
 * at most 4096), so wider typed arrays and DataViews can be laid over them with `byteOffset`.
 *
 * @example
 * const page = carveBytes(4096, 4096);
 * const words = new Uint32Array(page.buffer, page.byteOffset, 1024);
 */
export function carveBytes(length: number, align = 8): Uint8Array {
  if (length > CHUNK_BYTES / 16) return new Uint8Array(length);
  let at = (used + align - 1) & ~(align - 1);
  if (at + length > chunk.length) {
    chunk = new Uint8Array(CHUNK_BYTES);
    at = 0;
  }
  used = at + length;
  return chunk.subarray(at, at + length);
}
