/**
 * One child partition's memory: its GPA space (what the guest sees as installed), the SLAT that
 * backs it with host pages, the pages Dynamic Memory ballooned out, hot-added pages not backed
 * yet, and the bytes the simulation keeps for it.
 *
 * Invariant: every guest page below `visiblePages` is exactly one of backed (in the SLAT),
 * ballooned, or hot-added-but-unbacked. Installed memory (`visiblePages`) never shrinks:
 * ballooning takes backing away, not address space (HYPERV.md rule 34).
 */
import { fail, succeed, type MemoryResult } from './errors.js';
import { ExtentSet, type Extent } from './extent-set.js';
import { GuestPhysicalBytes } from './guest-bytes.js';
import type { HostMemory } from './host-memory.js';
import { Slat } from './slat.js';
import { PAGE_SIZE } from './units.js';

/** Why a guest physical address has no host page behind it. */
export type GpaFaultReason =
  /** Not an address inside the guest's installed memory. */
  | 'outside-guest'
  /** Installed, but Dynamic Memory ballooned it out. */
  | 'ballooned'
  /** Hot-added address space not backed yet. */
  | 'not-backed';

/** Result of translating a guest physical address through the SLAT. */
export type Translation =
  | { readonly ok: true; readonly spa: number }
  | { readonly ok: false; readonly reason: GpaFaultReason };

/** How a partition's memory starts. */
export interface PartitionMemoryOptions {
  readonly partition: number;
  /** Memory the guest boots with, pages (startup memory). */
  readonly startupPages: number;
  /** Ceiling for hot-add, pages (Dynamic Memory maximum); default: `startupPages`. */
  readonly maximumPages?: number;
}

/** A partition's GPA space, its SLAT and the bytes behind the parts the simulation touches. */
export class PartitionMemory {
  readonly id: number;
  readonly maximumPages: number;
  readonly slat = new Slat();
  readonly bytes: GuestPhysicalBytes;
  private readonly balloonedSet = new ExtentSet();
  private readonly unbackedSet = new ExtentSet();
  private visible: number;
  private readonly pins = new Map<number, readonly Extent[]>();
  private nextPin = 1;
  private destroyed = false;
  /** While the VM is Saved: the guest runs its memory had, now in the saved-state file. */
  private savedRuns: Extent[] | null = null;

  private constructor(
    private readonly host: HostMemory,
    options: PartitionMemoryOptions,
  ) {
    this.id = options.partition;
    this.visible = options.startupPages;
    this.maximumPages = Math.max(options.startupPages, options.maximumPages ?? 0);
    this.bytes = new GuestPhysicalBytes(options.partition, host.arena);
  }

  /** Builds a partition and backs its startup memory, or refuses when host RAM is short. */
  static create(host: HostMemory, options: PartitionMemoryOptions): MemoryResult<PartitionMemory> {
    const { startupPages } = options;
    if (!Number.isSafeInteger(startupPages) || startupPages <= 0) {
      return fail('invalid-request', `startup memory of ${startupPages} pages`);
    }
    const spa = host.allocate(startupPages);
    if (!spa.ok) return spa;
    const partition = new PartitionMemory(host, options);
    partition.slat.map(0, spa.value);
    return succeed(partition);
  }

  /** False once the partition was deleted: every view or grant of its memory is dead. */
  get alive(): boolean {
    return !this.destroyed;
  }

  /** Installed memory the guest sees, pages. Never shrinks. */
  get visiblePages(): number {
    return this.visible;
  }

  /** Guest pages backed by host pages (assigned memory). */
  get assignedPages(): number {
    return this.slat.mappedPages;
  }

  /** Guest pages Dynamic Memory took back. */
  get balloonedPages(): number {
    return this.balloonedSet.size;
  }

  /** Hot-added guest pages not backed yet (Linux: added but not onlined). */
  get unbackedPages(): number {
    return this.unbackedSet.size;
  }

  /** Ballooned guest pages as runs, lowest first. */
  balloonedRuns(): Extent[] {
    return this.balloonedSet.extents();
  }

  /** Translates a guest physical address to a system physical address. */
  translate(gpa: number): Translation {
    if (!Number.isSafeInteger(gpa) || gpa < 0) return { ok: false, reason: 'outside-guest' };
    const pfn = Math.floor(gpa / PAGE_SIZE);
    const spaPage = this.slat.translatePage(pfn);
    if (spaPage >= 0) return { ok: true, spa: spaPage * PAGE_SIZE + (gpa - pfn * PAGE_SIZE) };
    if (this.balloonedSet.has(pfn)) return { ok: false, reason: 'ballooned' };
    if (this.unbackedSet.has(pfn)) return { ok: false, reason: 'not-backed' };
    return { ok: false, reason: 'outside-guest' };
  }

  /** True when every page of [pfn, pfn + pages) is backed guest memory. */
  isBacked(pfn: number, pages: number): boolean {
    return Number.isSafeInteger(pfn) && pfn >= 0 && this.slat.isMapped(pfn, pages);
  }

  /** Marks guest pages as shared with the host (a GPADL): they cannot be ballooned or freed. */
  pin(extents: readonly Extent[]): number {
    const token = this.nextPin++;
    this.pins.set(token, extents);
    return token;
  }

  /** Ends a {@link pin}. */
  unpin(token: number): void {
    this.pins.delete(token);
  }

  /** True when any page of [pfn, pfn + pages) is pinned. */
  isPinned(pfn: number, pages: number): boolean {
    for (const extents of this.pins.values()) {
      for (const e of extents) if (e.start < pfn + pages && pfn < e.start + e.count) return true;
    }
    return false;
  }

  /** Pinned runs and guest allocations, sorted and merged: pages the guest cannot give back. */
  busyRuns(): Extent[] {
    const all: Extent[] = this.bytes.allocatedRuns();
    for (const extents of this.pins.values()) all.push(...extents);
    return mergeRuns(all);
  }

  /**
   * The guest gives back the pages in `ranges` (its balloon response, L: hv_balloon.c
   * dm_balloon_response.range_array). Each page must be backed, not pinned by a GPADL and not
   * part of a guest allocation; otherwise the whole response is rejected. The host unmaps the
   * pages and returns their host pages to the free pool.
   */
  balloon(ranges: readonly Extent[]): MemoryResult<number> {
    const sorted = ranges.slice().sort((a, b) => a.start - b.start);
    let total = 0;
    let end = -1;
    for (const r of sorted) {
      const why = this.whyNotBalloonable(r, end);
      if (why !== undefined) return fail('balloon-rejected', why);
      end = r.start + r.count;
      total += r.count;
    }
    for (const r of sorted) {
      this.host.release(this.slat.unmap(r.start, r.count));
      this.bytes.dropPages(r.start, r.count);
      this.balloonedSet.add(r.start, r.count);
    }
    return succeed(total);
  }

  private whyNotBalloonable(r: Extent, previousEnd: number): string | undefined {
    if (!Number.isSafeInteger(r.start) || !Number.isSafeInteger(r.count) || r.count <= 0) {
      return `malformed range ${r.start}+${r.count}`;
    }
    if (r.start < previousEnd) return `range ${r.start}+${r.count} overlaps another`;
    if (!this.isBacked(r.start, r.count)) return `pages ${r.start}+${r.count} are not backed`;
    if (this.isPinned(r.start, r.count)) return `pages ${r.start}+${r.count} are shared by a GPADL`;
    if (this.bytes.overlapsAllocation(r.start, r.count)) {
      return `pages ${r.start}+${r.count} hold a guest driver allocation`;
    }
    return undefined;
  }

  /**
   * Pages a guest balloon driver would give back: the highest backed pages that are neither
   * pinned nor allocated, highest first (deterministic; a real driver returns whatever its
   * page allocator hands it).
   */
  chooseBalloonRanges(pages: number): Extent[] {
    const free = new ExtentSet();
    for (const run of this.slat.gpaRuns()) free.add(run.start, run.count);
    for (const busy of this.busyRuns()) {
      for (const part of intersect(busy, free)) free.remove(part.start, part.count);
    }
    return free.takeHighest(pages);
  }

  /**
   * The host gives back `pages` ballooned pages, lowest first (L: hv_balloon.c
   * DM_UNBALLOON_REQUEST), backing them with fresh host pages. Returns the guest ranges given
   * back. Refused, with nothing changed, when host RAM is short.
   */
  unballoon(pages: number): MemoryResult<Extent[]> {
    if (!Number.isSafeInteger(pages) || pages < 0 || pages > this.balloonedSet.size) {
      return fail(
        'invalid-request',
        `cannot unballoon ${pages} of ${this.balloonedSet.size} pages`,
      );
    }
    const spa = this.host.allocate(pages);
    if (!spa.ok) return spa;
    const ranges = this.balloonedSet.takeLowest(pages);
    mapRuns(this.slat, ranges, spa.value);
    return succeed(ranges);
  }

  /**
   * Hot-add (L: hv_balloon.c DM_MEM_HOT_ADD_REQUEST): grows installed memory by `regionPages`
   * at the top of the GPA space, then backs `pages` of the unbacked hot-added pages, lowest
   * first. Refused past `maximumPages` or when host RAM is short; nothing changes then.
   */
  hotAdd(pages: number, regionPages: number): MemoryResult<Extent[]> {
    if (!Number.isSafeInteger(pages) || !Number.isSafeInteger(regionPages)) {
      return fail('invalid-request', `hot-add of ${pages} pages in ${regionPages}`);
    }
    if (pages < 0 || regionPages < 0 || pages > this.unbackedSet.size + regionPages) {
      return fail(
        'invalid-request',
        `cannot back ${pages} pages of ${this.unbackedSet.size + regionPages} unbacked`,
      );
    }
    if (this.visible + regionPages > this.maximumPages) {
      return fail(
        'over-maximum',
        `hot-add to ${this.visible + regionPages} pages would pass the maximum of ${this.maximumPages}`,
      );
    }
    const spa = this.host.allocate(pages);
    if (!spa.ok) return spa;
    this.unbackedSet.add(this.visible, regionPages);
    this.visible += regionPages;
    const ranges = this.unbackedSet.takeLowest(pages);
    mapRuns(this.slat, ranges, spa.value);
    return succeed(ranges);
  }

  /** False while the VM is Saved: its memory is in its saved-state file, not in host RAM. */
  get resident(): boolean {
    return this.savedRuns === null;
  }

  /**
   * Save-VM: the worker process has written the guest's memory to the saved-state file; the host
   * takes its pages back. The guest's contents stay (the model keeps them as the file's), the
   * SLAT maps nothing until {@link restoreIn}. Returns the pages the host got back.
   */
  saveOut(): number {
    if (this.savedRuns !== null) return 0;
    const runs = this.slat.gpaRuns();
    let pages = 0;
    for (const run of runs) {
      this.host.release(this.slat.unmap(run.start, run.count));
      pages += run.count;
    }
    this.savedRuns = runs;
    return pages;
  }

  /**
   * Start-VM on a Saved VM: host pages back the guest runs it had again. Refused, with nothing
   * changed, when host RAM is short.
   */
  restoreIn(): MemoryResult<number> {
    const runs = this.savedRuns;
    if (runs === null) return succeed(0);
    let pages = 0;
    for (const run of runs) pages += run.count;
    const spa = this.host.allocate(pages);
    if (!spa.ok) return spa;
    mapRuns(this.slat, runs, spa.value);
    this.savedRuns = null;
    return succeed(pages);
  }

  /** Pages the guest had when it was saved (0 while resident). */
  get savedPages(): number {
    let pages = 0;
    for (const run of this.savedRuns ?? []) pages += run.count;
    return pages;
  }

  /** Unmaps everything and returns all host pages (the partition is being deleted). */
  destroy(): void {
    for (const run of this.slat.gpaRuns()) this.host.release(this.slat.unmap(run.start, run.count));
    this.pins.clear();
    this.destroyed = true;
  }
}

/** Maps guest runs onto host runs of the same total length, splitting as needed. */
function mapRuns(slat: Slat, gpaRuns: readonly Extent[], spaRuns: readonly Extent[]): void {
  let s = 0;
  let sUsed = 0;
  for (const g of gpaRuns) {
    let done = 0;
    while (done < g.count) {
      const spa = spaRuns[s];
      const n = Math.min(g.count - done, spa.count - sUsed);
      slat.map(g.start + done, [{ start: spa.start + sUsed, count: n }]);
      done += n;
      sUsed += n;
      if (sUsed === spa.count) {
        s++;
        sUsed = 0;
      }
    }
  }
}

/** Sorts runs and merges overlapping or touching ones. */
export function mergeRuns(runs: readonly Extent[]): Extent[] {
  const sorted = runs.filter((r) => r.count > 0).sort((a, b) => a.start - b.start);
  const out: { start: number; count: number }[] = [];
  for (const r of sorted) {
    const last = out.length > 0 ? out[out.length - 1] : undefined;
    if (last !== undefined && r.start <= last.start + last.count) {
      last.count = Math.max(last.count, r.start + r.count - last.start);
    } else {
      out.push({ start: r.start, count: r.count });
    }
  }
  return out;
}

/** Appends `pfns` to `runs` as runs of consecutive pages, in list order (not sorted). */
export function appendPageRuns(runs: Extent[], pfns: readonly number[]): void {
  let start = -1;
  let count = 0;
  for (const pfn of pfns) {
    if (count > 0 && pfn === start + count) {
      count++;
      continue;
    }
    if (count > 0) runs.push({ start, count });
    start = pfn;
    count = 1;
  }
  if (count > 0) runs.push({ start, count });
}

/** A page list as sorted runs, repeated pages counted once. */
export function sortedPageRuns(pfns: readonly number[]): Extent[] {
  const sorted = Float64Array.from(pfns).sort();
  const runs: { start: number; count: number }[] = [];
  for (const pfn of sorted) {
    const last = runs.length > 0 ? runs[runs.length - 1] : undefined;
    if (last !== undefined && pfn < last.start + last.count) continue;
    if (last !== undefined && pfn === last.start + last.count) last.count++;
    else runs.push({ start: pfn, count: 1 });
  }
  return runs;
}

/** The parts of `run` that lie in `set`. */
function intersect(run: Extent, set: ExtentSet): Extent[] {
  const parts: Extent[] = [];
  for (const e of set.extents()) {
    const start = Math.max(run.start, e.start);
    const end = Math.min(run.start + run.count, e.start + e.count);
    if (start < end) parts.push({ start, count: end - start });
  }
  return parts;
}
