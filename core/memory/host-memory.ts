/**
 * Host RAM: system physical address (SPA) space in 4 KiB pages, tracked as free extents.
 * The root partition keeps a reserve for the management OS; child partitions and the
 * hypervisor's pool take pages from what is left, and an allocation that cannot be satisfied is
 * refused, never partly made.
 */
import { ByteArena } from './byte-arena.js';
import { fail, succeed, type MemoryResult } from './errors.js';
import { ExtentSet, type Extent } from './extent-set.js';
import { mibToPages, PAGES_PER_MIB } from './units.js';

/** What the host's RAM is built from. */
export interface HostMemoryOptions {
  /** Installed RAM, MiB (`HostSpec.memoryMiB`). */
  readonly memoryMiB: number;
  /** Memory the root partition keeps for itself, MiB; default {@link defaultRootReserveMiB}. */
  readonly rootReserveMiB?: number;
}

export { defaultRootReserveMiB } from '../model/index.js';
import { defaultRootReserveMiB } from '../model/index.js';

/** The host's physical pages: the root reserve, and free pages handed out as SPA extents. */
export class HostMemory {
  /** Installed RAM in pages. */
  readonly totalPages: number;
  /** Pages the root partition keeps (lowest SPAs: the root boots first). */
  readonly rootReservePages: number;
  private readonly free = new ExtentSet();
  /** The real bytes of the partitions' dense guest allocations (rings), carved from shared slabs. */
  readonly arena = new ByteArena();

  constructor(options: HostMemoryOptions) {
    this.totalPages = mibToPages(options.memoryMiB);
    const reserveMiB = options.rootReserveMiB ?? defaultRootReserveMiB(options.memoryMiB);
    this.rootReservePages = Math.min(this.totalPages, Math.round(reserveMiB * PAGES_PER_MIB));
    this.free.add(this.rootReservePages, this.totalPages - this.rootReservePages);
  }

  /** Pages nobody holds. */
  get freePages(): number {
    return this.free.size;
  }

  /** Pages held by child partitions and the hypervisor's pool. */
  get allocatedPages(): number {
    return this.totalPages - this.rootReservePages - this.free.size;
  }

  /** Number of free runs (fragmentation of host RAM). */
  get freeExtentCount(): number {
    return this.free.extentCount;
  }

  /**
   * Takes `pages` pages: one run when a free run is large enough (first fit), otherwise the
   * lowest free pages in several runs. Refused with `host-out-of-memory` when RAM is short.
   */
  allocate(pages: number): MemoryResult<Extent[]> {
    if (!Number.isSafeInteger(pages) || pages < 0) {
      return fail('invalid-request', `cannot allocate ${pages} pages`);
    }
    if (pages > this.free.size) {
      return fail(
        'host-out-of-memory',
        `host RAM exhausted: asked for ${pages} pages, ${this.free.size} free`,
      );
    }
    if (pages === 0) return succeed([]);
    const run = this.free.takeContiguous(pages);
    return succeed(run === undefined ? this.free.takeLowest(pages) : [run]);
  }

  /** Gives pages back to the free pool. */
  release(extents: readonly Extent[]): void {
    for (const e of extents) this.free.add(e.start, e.count);
  }

  /** True when the SPA page is free (for tests and invariants). */
  isFree(spaPage: number): boolean {
    return this.free.has(spaPage);
  }
}
