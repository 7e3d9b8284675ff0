/**
 * A set of page numbers kept as sorted, disjoint, coalesced extents. Host RAM (6 Gi pages on a
 * 24 TB host) and guest address spaces are tracked this way, never page by page.
 */

/** A run of `count` consecutive pages starting at page `start`. */
export interface Extent {
  readonly start: number;
  readonly count: number;
}

/** Sorted, disjoint, coalesced extents of page numbers. */
export class ExtentSet {
  private readonly runs: { start: number; count: number }[] = [];
  private total = 0;

  /** Pages in the set. */
  get size(): number {
    return this.total;
  }

  /** Number of separate runs (a measure of fragmentation). */
  get extentCount(): number {
    return this.runs.length;
  }

  /** The runs, lowest first (a copy). */
  extents(): Extent[] {
    return this.runs.map((r) => ({ start: r.start, count: r.count }));
  }

  /** Index of the first run whose start is greater than `page`. */
  private upperBound(page: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runs[mid].start <= page) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** True when `page` is in the set. */
  has(page: number): boolean {
    const i = this.upperBound(page) - 1;
    return i >= 0 && page < this.runs[i].start + this.runs[i].count;
  }

  /** True when every page of [start, start + count) is in the set. */
  covers(start: number, count: number): boolean {
    const i = this.upperBound(start) - 1;
    return i >= 0 && start + count <= this.runs[i].start + this.runs[i].count;
  }

  /** True when any page of [start, start + count) is in the set. */
  overlaps(start: number, count: number): boolean {
    if (count <= 0) return false;
    const i = this.upperBound(start + count - 1) - 1;
    return i >= 0 && this.runs[i].start + this.runs[i].count > start;
  }

  /** Adds [start, start + count); the pages must not be in the set already. */
  add(start: number, count: number): void {
    if (count <= 0) return;
    if (this.overlaps(start, count)) {
      throw new RangeError(`pages ${start}+${count} are already in the set`);
    }
    const i = this.upperBound(start);
    const prev = i > 0 ? this.runs[i - 1] : undefined;
    const next = i < this.runs.length ? this.runs[i] : undefined;
    const joinsPrev = prev !== undefined && prev.start + prev.count === start;
    const joinsNext = next !== undefined && start + count === next.start;
    if (joinsPrev && joinsNext) {
      prev.count += count + next.count;
      this.runs.splice(i, 1);
    } else if (joinsPrev) {
      prev.count += count;
    } else if (joinsNext) {
      next.start = start;
      next.count += count;
    } else {
      this.runs.splice(i, 0, { start, count });
    }
    this.total += count;
  }

  /** Removes [start, start + count); every page must be in the set. */
  remove(start: number, count: number): void {
    if (count <= 0) return;
    if (!this.covers(start, count)) {
      throw new RangeError(`pages ${start}+${count} are not all in the set`);
    }
    const i = this.upperBound(start) - 1;
    const run = this.runs[i];
    const end = start + count;
    const runEnd = run.start + run.count;
    if (run.start === start && runEnd === end) {
      this.runs.splice(i, 1);
    } else if (run.start === start) {
      run.start = end;
      run.count = runEnd - end;
    } else if (runEnd === end) {
      run.count = start - run.start;
    } else {
      run.count = start - run.start;
      this.runs.splice(i + 1, 0, { start: end, count: runEnd - end });
    }
    this.total -= count;
  }

  /** Removes and returns the lowest `pages` pages (fewer if the set is smaller). */
  takeLowest(pages: number): Extent[] {
    const taken: Extent[] = [];
    let left = Math.min(pages, this.total);
    while (left > 0) {
      const run = this.runs[0];
      const n = Math.min(left, run.count);
      taken.push({ start: run.start, count: n });
      this.remove(run.start, n);
      left -= n;
    }
    return taken;
  }

  /** Removes and returns the highest `pages` pages (fewer if the set is smaller), highest first. */
  takeHighest(pages: number): Extent[] {
    const taken: Extent[] = [];
    let left = Math.min(pages, this.total);
    while (left > 0) {
      const run = this.runs[this.runs.length - 1];
      const n = Math.min(left, run.count);
      const start = run.start + run.count - n;
      taken.push({ start, count: n });
      this.remove(start, n);
      left -= n;
    }
    return taken;
  }

  /**
   * Removes and returns `pages` pages as one run: the lowest run large enough (first fit), or
   * `undefined` when no single run is.
   */
  takeContiguous(pages: number): Extent | undefined {
    for (const run of this.runs) {
      if (run.count >= pages) {
        const start = run.start;
        this.remove(start, pages);
        return { start, count: pages };
      }
    }
    return undefined;
  }
}
