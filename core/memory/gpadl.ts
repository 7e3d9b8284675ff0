/**
 * One GPADL (Guest Physical Address Descriptor List): a list of guest pages the guest granted to
 * one channel (L: channel.c __vmbus_establish_gpadl; O: vmbus_server GpadlHeader/GpadlBody).
 * Byte `i` of the GPADL lives in guest page `pfns[i >> 12]` at offset `i & 4095`.
 *
 * When the pages are consecutive and inside one dense guest allocation (the usual ring buffer or
 * NetVSC buffer), `contiguous` is a direct view of those bytes, computed once at creation, so
 * ring access costs nothing per packet. Other lists go page by page through `GuestPhysicalBytes`,
 * caching each page's view on first touch.
 */
import type { PartitionMemory } from './partition-memory.js';
import { PAGE_SIZE } from './units.js';

/** A live or torn-down GPADL (internal: VSPs see it through a `GpadlView`). */
export class GpadlRecord {
  /** Bytes the GPADL describes (`pfns.length × 4096`). */
  readonly byteLength: number;
  /** Direct view when the pages are one run inside a dense allocation; else `null`. */
  readonly contiguous: Uint8Array | null;
  private readonly pageCache: (Uint8Array | null)[];
  live = true;

  constructor(
    readonly handle: number,
    readonly partition: PartitionMemory,
    readonly channel: number,
    /** The id the guest chose in GPADL_HEADER, if it gave one. */
    readonly guestId: number | undefined,
    /** The host's own copy of the guest's page list. */
    readonly pfns: readonly number[],
    readonly pinToken: number,
  ) {
    this.byteLength = pfns.length * PAGE_SIZE;
    this.contiguous = contiguousView(partition, pfns);
    this.pageCache =
      this.contiguous === null ? new Array<Uint8Array | null>(pfns.length).fill(null) : [];
  }

  /** Copies `length` bytes at GPADL offset `offset` into `dest` (bounds already checked). */
  read(offset: number, dest: Uint8Array, destOffset: number, length: number): void {
    const direct = this.contiguous;
    if (direct !== null) {
      copyBytes(direct, offset, dest, destOffset, length);
      return;
    }
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const index = Math.floor(at / PAGE_SIZE);
      const inPage = at - index * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      const page = this.pageForRead(index);
      if (page === null) dest.fill(0, destOffset + done, destOffset + done + n);
      else copyBytes(page, inPage, dest, destOffset + done, n);
      done += n;
    }
  }

  /** Copies `length` bytes of `src` from `srcOffset` to GPADL offset `offset` (bounds checked). */
  write(offset: number, src: Uint8Array, srcOffset: number, length: number): void {
    const direct = this.contiguous;
    if (direct !== null) {
      copyBytes(src, srcOffset, direct, offset, length);
      return;
    }
    let done = 0;
    while (done < length) {
      const at = offset + done;
      const index = Math.floor(at / PAGE_SIZE);
      const inPage = at - index * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      copyBytes(src, srcOffset + done, this.pageForWrite(index), inPage, n);
      done += n;
    }
  }

  private pageForRead(index: number): Uint8Array | null {
    const cached = this.pageCache[index];
    if (cached !== null) return cached;
    const page = this.partition.bytes.pageForRead(this.pfns[index]);
    this.pageCache[index] = page;
    return page;
  }

  private pageForWrite(index: number): Uint8Array {
    const cached = this.pageCache[index];
    if (cached !== null) return cached;
    const page = this.partition.bytes.pageForWrite(this.pfns[index]);
    this.pageCache[index] = page;
    return page;
  }
}

/** The direct byte view of a page list, when it is one run inside one dense allocation. */
function contiguousView(partition: PartitionMemory, pfns: readonly number[]): Uint8Array | null {
  const first = pfns[0];
  for (let i = 1; i < pfns.length; i++) if (pfns[i] !== first + i) return null;
  const allocation = partition.bytes.allocationAt(first);
  if (allocation?.bytes == null) return null;
  if (first + pfns.length > allocation.pfn + allocation.pages) return null;
  const start = (first - allocation.pfn) * PAGE_SIZE;
  return allocation.bytes.subarray(start, start + pfns.length * PAGE_SIZE);
}

/** Small copies byte by byte (no view allocated), large ones with `set`. */
export function copyBytes(
  src: Uint8Array,
  srcOffset: number,
  dest: Uint8Array,
  destOffset: number,
  length: number,
): void {
  if (length <= 32) {
    for (let i = 0; i < length; i++) dest[destOffset + i] = src[srcOffset + i];
  } else {
    dest.set(src.subarray(srcOffset, srcOffset + length), destOffset);
  }
}
