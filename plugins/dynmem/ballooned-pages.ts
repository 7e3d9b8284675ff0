/**
 * The pages a guest has given the host through its balloon, as the dynamic memory VSP keeps
 * them: sorted, disjoint runs. The host gives pages back lowest first (the memory manager's
 * unballoon does the same), in ranges a dm_mem_page_range can carry (page_cnt is 24 bits).
 */
import { DM_PAGE_RANGE_MAX_COUNT } from '../../core/protocols/index.js';
import type { DmPageRange } from '../../core/protocols/index.js';

interface Run {
  start: number;
  count: number;
}

export class BalloonedPages {
  private readonly runs: Run[] = [];
  private total = 0;

  /** Pages held. */
  get size(): number {
    return this.total;
  }

  /** Adds a range; false (nothing changed) when it is empty or overlaps pages already held. */
  add(range: DmPageRange): boolean {
    const { startPage: start, pageCount: count } = range;
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || start < 0 || count <= 0)
      return false;
    const i = this.firstAfter(start);
    const prev = i > 0 ? this.runs[i - 1] : undefined;
    const next = i < this.runs.length ? this.runs[i] : undefined;
    if (prev !== undefined && prev.start + prev.count > start) return false;
    if (next !== undefined && start + count > next.start) return false;
    const joinsPrev = prev !== undefined && prev.start + prev.count === start;
    const joinsNext = next !== undefined && start + count === next.start;
    if (joinsPrev && joinsNext) {
      prev.count += count + next.count;
      this.runs.splice(i, 1);
    } else if (joinsPrev) prev.count += count;
    else if (joinsNext) {
      next.start = start;
      next.count += count;
    } else this.runs.splice(i, 0, { start, count });
    this.total += count;
    return true;
  }

  /** Removes and returns the lowest `pages` pages (fewer when fewer are held). */
  takeLowest(pages: number): DmPageRange[] {
    const out: DmPageRange[] = [];
    let left = Math.min(Math.max(0, Math.floor(pages)), this.total);
    while (left > 0) {
      const run = this.runs[0];
      const n = Math.min(left, run.count, DM_PAGE_RANGE_MAX_COUNT);
      out.push({ startPage: run.start, pageCount: n });
      run.start += n;
      run.count -= n;
      if (run.count === 0) this.runs.shift();
      this.total -= n;
      left -= n;
    }
    return out;
  }

  /** Index of the first run starting after `page`. */
  private firstAfter(page: number): number {
    let lo = 0;
    let hi = this.runs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.runs[mid].start <= page) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
