/**
 * The bytes of one partition's guest physical memory — only where the simulation touches them.
 * A guest may own terabytes; we hold real bytes only for what guest kernels allocate for VMBus
 * (rings, NetVSC buffers, small request structures) and for single pages the host writes through
 * a GPADL or a GPA-direct grant. Everything else reads as zeros: valid guest memory, untouched.
 */
import { ByteArena } from './byte-arena.js';
import { PAGE_SIZE } from './units.js';

/**
 * A run of guest memory the guest kernel allocated. A dense allocation has one contiguous
 * `bytes` view (what rings need); a sparse one gets bytes page by page when first written
 * (for large buffers the host fills sparsely, like a 16 MiB NetVSC receive buffer).
 */
export class GuestAllocation {
  /** First guest page (PFN). */
  readonly pfn: number;
  /** Guest physical address of the first byte. */
  readonly gpa: number;
  /** Length in bytes (`pages × 4096`). */
  readonly byteLength: number;

  constructor(
    /** The partition whose memory this is. */
    readonly partition: number,
    pfn: number,
    /** Length in pages. */
    readonly pages: number,
    /** The bytes of a dense allocation; `null` for a sparse one. */
    readonly bytes: Uint8Array | null,
    private readonly store: GuestPhysicalBytes,
  ) {
    this.pfn = pfn;
    this.gpa = pfn * PAGE_SIZE;
    this.byteLength = pages * PAGE_SIZE;
  }

  /** Copies `dest.length` bytes from byte `offset` of this allocation (the guest reading its own memory). */
  read(offset: number, dest: Uint8Array): boolean {
    if (!this.inside(offset, dest.length)) return false;
    if (this.bytes !== null) dest.set(this.bytes.subarray(offset, offset + dest.length));
    else this.store.readBytes(this.gpa + offset, dest, 0, dest.length);
    return true;
  }

  /** Copies `src` to byte `offset` of this allocation (the guest writing its own memory). */
  write(offset: number, src: Uint8Array): boolean {
    if (!this.inside(offset, src.length)) return false;
    if (this.bytes !== null) this.bytes.set(src, offset);
    else this.store.writeBytes(this.gpa + offset, src, 0, src.length);
    return true;
  }

  private inside(offset: number, length: number): boolean {
    return Number.isSafeInteger(offset) && offset >= 0 && offset + length <= this.byteLength;
  }
}

/** Real bytes behind a partition's guest physical memory, only where touched. */
export class GuestPhysicalBytes {
  private readonly regions: GuestAllocation[] = [];
  /** Single pages materialized outside dense allocations, by PFN. */
  private readonly loose = new Map<number, Uint8Array>();
  private denseBytes = 0;

  constructor(
    readonly partition: number,
    /** Where dense allocations' bytes come from (the host's, shared by its partitions). */
    private readonly arena: ByteArena = new ByteArena(),
  ) {}

  /** Bytes held for this partition (dense allocations + materialized pages). */
  get backedBytes(): number {
    return this.denseBytes + this.loose.size * PAGE_SIZE;
  }

  /** Guest allocations, lowest GPA first (a copy). */
  allocations(): GuestAllocation[] {
    return this.regions.slice();
  }

  /** Records a new allocation of `pages` pages at `pfn` (the caller checked the range is free). */
  addAllocation(pfn: number, pages: number, dense: boolean): GuestAllocation {
    const bytes = dense ? this.arena.take(pages * PAGE_SIZE) : null;
    const allocation = new GuestAllocation(this.partition, pfn, pages, bytes, this);
    this.regions.splice(this.upperBound(pfn), 0, allocation);
    if (dense) this.denseBytes += pages * PAGE_SIZE;
    return allocation;
  }

  /** Forgets an allocation (and any pages materialized inside a sparse one). */
  removeAllocation(allocation: GuestAllocation): boolean {
    const i = this.regions.indexOf(allocation);
    if (i < 0) return false;
    this.regions.splice(i, 1);
    if (allocation.bytes !== null) this.denseBytes -= allocation.byteLength;
    else this.dropPages(allocation.pfn, allocation.pages);
    return true;
  }

  private upperBound(pfn: number): number {
    let lo = 0;
    let hi = this.regions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.regions[mid].pfn <= pfn) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The allocation containing guest page `pfn`, if any. */
  allocationAt(pfn: number): GuestAllocation | undefined {
    const i = this.upperBound(pfn) - 1;
    if (i < 0) return undefined;
    const r = this.regions[i];
    return pfn < r.pfn + r.pages ? r : undefined;
  }

  /** True when any page of [pfn, pfn + pages) belongs to a guest allocation. */
  overlapsAllocation(pfn: number, pages: number): boolean {
    if (pages <= 0) return false;
    const i = this.upperBound(pfn + pages - 1) - 1;
    return i >= 0 && this.regions[i].pfn + this.regions[i].pages > pfn;
  }

  /** True when any page of [pfn, pfn + pages) was materialized outside dense allocations. */
  hasLoosePagesIn(pfn: number, pages: number): boolean {
    if (this.loose.size === 0 || pages <= 0) return false;
    if (pages <= this.loose.size) {
      for (let p = pfn; p < pfn + pages; p++) if (this.loose.has(p)) return true;
      return false;
    }
    for (const p of this.loose.keys()) if (p >= pfn && p < pfn + pages) return true;
    return false;
  }

  /** Allocations as page runs, lowest first. */
  allocatedRuns(): { start: number; count: number }[] {
    return this.regions.map((r) => ({ start: r.pfn, count: r.pages }));
  }

  /** Materialized single pages, as page numbers in ascending order. */
  loosePages(): number[] {
    return Array.from(this.loose.keys()).sort((a, b) => a - b);
  }

  /** The 4 KiB of guest page `pfn` for reading, or `null` when untouched (reads as zeros). */
  pageForRead(pfn: number): Uint8Array | null {
    const r = this.allocationAt(pfn);
    if (r?.bytes != null) {
      const off = (pfn - r.pfn) * PAGE_SIZE;
      return r.bytes.subarray(off, off + PAGE_SIZE);
    }
    return this.loose.get(pfn) ?? null;
  }

  /** The 4 KiB of guest page `pfn` for writing, materialized if needed. */
  pageForWrite(pfn: number): Uint8Array {
    const page = this.pageForRead(pfn);
    if (page !== null) return page;
    const fresh = new Uint8Array(PAGE_SIZE);
    this.loose.set(pfn, fresh);
    return fresh;
  }

  /** Drops materialized pages in [pfn, pfn + pages) (their guest pages were given back). */
  dropPages(pfn: number, pages: number): void {
    if (this.loose.size === 0) return;
    if (pages <= this.loose.size) {
      for (let p = pfn; p < pfn + pages; p++) this.loose.delete(p);
      return;
    }
    for (const p of this.loosePages()) if (p >= pfn && p < pfn + pages) this.loose.delete(p);
  }

  /** Copies `length` bytes at guest address `gpa` into `dest`; untouched memory reads as zeros. */
  readBytes(gpa: number, dest: Uint8Array, destOffset: number, length: number): void {
    let done = 0;
    while (done < length) {
      const addr = gpa + done;
      const pfn = Math.floor(addr / PAGE_SIZE);
      const inPage = addr - pfn * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      const page = this.pageForRead(pfn);
      if (page === null) dest.fill(0, destOffset + done, destOffset + done + n);
      else dest.set(page.subarray(inPage, inPage + n), destOffset + done);
      done += n;
    }
  }

  /** Copies `length` bytes of `src` from `srcOffset` to guest address `gpa`. */
  writeBytes(gpa: number, src: Uint8Array, srcOffset: number, length: number): void {
    let done = 0;
    while (done < length) {
      const addr = gpa + done;
      const pfn = Math.floor(addr / PAGE_SIZE);
      const inPage = addr - pfn * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, length - done);
      this.pageForWrite(pfn).set(src.subarray(srcOffset + done, srcOffset + done + n), inPage);
      done += n;
    }
  }
}
