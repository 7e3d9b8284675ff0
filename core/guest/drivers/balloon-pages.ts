/**
 * The page bookkeeping of the guest's balloon driver: which pages it gives the host, how it
 * describes them on the wire, and how it takes back the ones the host returns. Pure functions
 * over the guest's own memory view; nothing here trusts the host's ranges (they are intersected
 * with what the driver really holds).
 */
import type { Extent, PartitionMemory } from '../../memory/index.js';
import { ExtentSet } from '../../memory/index.js';
import type { DmPageRange } from '../../protocols/index.js';

/** L: hv_balloon.c — balloon_up tries 2 MiB allocations (alloc_unit = 512 pages) first. */
export const BALLOON_ALLOC_UNIT_PAGES = 512;
/**
 * L: hv_balloon.c — a balloon response is built in a one-page send buffer: a 16-byte
 * dm_balloon_response, then 8-byte ranges while they fit in 4096 bytes (510 ranges).
 */
export const BALLOON_RESPONSE_MAX_RANGES = (4096 - 16) / 8;

/**
 * The pages the guest gives for a balloon request of `pages`: the highest backed pages that no
 * driver allocation or GPADL holds ({@link PartitionMemory.chooseBalloonRanges}), minus any the
 * driver already holds for the host (a response the host refused leaves them backed).
 */
export function chooseBalloonPages(
  memory: PartitionMemory,
  held: ExtentSet,
  pages: number,
): Extent[] {
  if (pages <= 0) return [];
  const free = new ExtentSet();
  for (const e of memory.chooseBalloonRanges(pages + held.size)) free.add(e.start, e.count);
  for (const e of held.extents()) removeOverlap(free, e.start, e.count);
  return free.takeHighest(pages);
}

/** Splits runs into 2 MiB allocation units as the driver's allocator hands them out. */
export function toAllocationUnits(extents: readonly Extent[]): DmPageRange[] {
  const ranges: DmPageRange[] = [];
  for (const e of extents) {
    for (let done = 0; done < e.count; done += BALLOON_ALLOC_UNIT_PAGES) {
      ranges.push({
        startPage: e.start + done,
        pageCount: Math.min(BALLOON_ALLOC_UNIT_PAGES, e.count - done),
      });
    }
  }
  return ranges;
}

/** Removes from `set` the part of [start, start + count) it holds; returns how many pages. */
export function removeOverlap(set: ExtentSet, start: number, count: number): number {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || count <= 0) return 0;
  let removed = 0;
  for (const e of set.extents()) {
    const from = Math.max(start, e.start);
    const to = Math.min(start + count, e.start + e.count);
    if (from < to) {
      set.remove(from, to - from);
      removed += to - from;
    }
  }
  return removed;
}
