/**
 * One partition's second-level address translation (SLAT): guest physical pages (GPA) mapped to
 * system physical pages (SPA), kept as extents sorted by GPA. Hot-add and unballooning map more
 * pages; ballooning unmaps them. A GPA that is not mapped has no backing: the hypervisor would
 * take an intercept, the memory manager reports a fault.
 */
import type { Extent } from './extent-set.js';

/** `count` guest pages from `gpa` mapped to `count` host pages from `spa`. */
export interface SlatMapping {
  readonly gpa: number;
  readonly spa: number;
  readonly count: number;
}

/** GPA→SPA mappings of one partition. */
export class Slat {
  private readonly maps: { gpa: number; spa: number; count: number }[] = [];
  private mapped = 0;

  /** Guest pages that have backing. */
  get mappedPages(): number {
    return this.mapped;
  }

  /** Number of mapping extents. */
  get mappingCount(): number {
    return this.maps.length;
  }

  /** All mappings, lowest GPA first (a copy). */
  mappings(): SlatMapping[] {
    return this.maps.map((m) => ({ gpa: m.gpa, spa: m.spa, count: m.count }));
  }

  /** Index of the first mapping whose GPA is greater than `gpaPage`. */
  private upperBound(gpaPage: number): number {
    let lo = 0;
    let hi = this.maps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.maps[mid].gpa <= gpaPage) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The SPA page backing guest page `gpaPage`, or -1 when it is not mapped. */
  translatePage(gpaPage: number): number {
    const i = this.upperBound(gpaPage) - 1;
    if (i < 0) return -1;
    const m = this.maps[i];
    return gpaPage < m.gpa + m.count ? m.spa + (gpaPage - m.gpa) : -1;
  }

  /** True when every guest page of [gpa, gpa + count) is mapped. */
  isMapped(gpa: number, count: number): boolean {
    let page = gpa;
    const end = gpa + count;
    let i = this.upperBound(page) - 1;
    if (i < 0) return false;
    while (page < end) {
      if (i >= this.maps.length) return false;
      const m = this.maps[i];
      if (page < m.gpa || page >= m.gpa + m.count) return false;
      page = m.gpa + m.count;
      i++;
    }
    return true;
  }

  /** True when any guest page of [gpa, gpa + count) is mapped. */
  overlaps(gpa: number, count: number): boolean {
    if (count <= 0) return false;
    const i = this.upperBound(gpa + count - 1) - 1;
    return i >= 0 && this.maps[i].gpa + this.maps[i].count > gpa;
  }

  /**
   * Maps consecutive guest pages from `gpa` onto the host extents in order. The guest pages must
   * be unmapped.
   */
  map(gpa: number, spaExtents: readonly Extent[]): void {
    let next = gpa;
    for (const e of spaExtents) {
      this.mapOne(next, e.start, e.count);
      next += e.count;
    }
  }

  private mapOne(gpa: number, spa: number, count: number): void {
    if (count <= 0) return;
    if (this.overlaps(gpa, count)) throw new RangeError(`GPA pages ${gpa}+${count} already mapped`);
    const i = this.upperBound(gpa);
    const prev = i > 0 ? this.maps[i - 1] : undefined;
    const next = i < this.maps.length ? this.maps[i] : undefined;
    const joinsPrev =
      prev !== undefined && prev.gpa + prev.count === gpa && prev.spa + prev.count === spa;
    const joinsNext = next !== undefined && gpa + count === next.gpa && spa + count === next.spa;
    if (joinsPrev && joinsNext) {
      prev.count += count + next.count;
      this.maps.splice(i, 1);
    } else if (joinsPrev) {
      prev.count += count;
    } else if (joinsNext) {
      next.gpa = gpa;
      next.spa = spa;
      next.count += count;
    } else {
      this.maps.splice(i, 0, { gpa, spa, count });
    }
    this.mapped += count;
  }

  /** Unmaps [gpa, gpa + count), which must be mapped, and returns the host pages it used. */
  unmap(gpa: number, count: number): Extent[] {
    if (!this.isMapped(gpa, count)) throw new RangeError(`GPA pages ${gpa}+${count} not mapped`);
    const freed: Extent[] = [];
    let page = gpa;
    const end = gpa + count;
    while (page < end) {
      const i = this.upperBound(page) - 1;
      const m = this.maps[i];
      const mEnd = m.gpa + m.count;
      const cut = Math.min(end, mEnd) - page;
      freed.push({ start: m.spa + (page - m.gpa), count: cut });
      if (m.gpa === page && cut === m.count) {
        this.maps.splice(i, 1);
      } else if (m.gpa === page) {
        m.gpa += cut;
        m.spa += cut;
        m.count -= cut;
      } else if (page + cut === mEnd) {
        m.count -= cut;
      } else {
        const tail = {
          gpa: page + cut,
          spa: m.spa + (page + cut - m.gpa),
          count: mEnd - page - cut,
        };
        m.count = page - m.gpa;
        this.maps.splice(i + 1, 0, tail);
      }
      page += cut;
    }
    this.mapped -= count;
    return freed;
  }

  /** Mapped guest pages as GPA runs (adjacent mappings merged), lowest first. */
  gpaRuns(): Extent[] {
    const runs: { start: number; count: number }[] = [];
    for (const m of this.maps) {
      const last = runs.length > 0 ? runs[runs.length - 1] : undefined;
      if (last !== undefined && last.start + last.count === m.gpa) last.count += m.count;
      else runs.push({ start: m.gpa, count: m.count });
    }
    return runs;
  }
}
