/**
 * The ready queue: a binary min-heap of runnable VPs ordered by (rank, order, id). Rank 0 means
 * "still owed its reserve this period"; order is minus what is still owed (rank 0), virtual
 * runtime (fair share) or arrival sequence (round-robin); the id breaks ties so the order never
 * depends on insertion history.
 * Entries remember their slot, so a VP that is suspended while waiting leaves in O(log n).
 */

/** What the heap needs from an entry. */
export interface ReadyEntry {
  readonly id: number;
  rank: number;
  order: number;
  heapPos: number;
}

/** True when `a` must run before `b`. */
export function runsBefore(a: ReadyEntry, b: ReadyEntry): boolean {
  if (a.rank !== b.rank) return a.rank < b.rank;
  if (a.order !== b.order) return a.order < b.order;
  return a.id < b.id;
}

export class ReadyHeap<T extends ReadyEntry> {
  private readonly items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  /** The entry that runs next, or null. */
  top(): T | null {
    return this.items.length > 0 ? this.items[0] : null;
  }

  /** The entries in heap order (for read-only scans). */
  entries(): readonly T[] {
    return this.items;
  }

  push(entry: T): void {
    this.items.push(entry);
    this.up(this.items.length - 1, entry);
  }

  /** Removes and returns the top; the heap must not be empty. */
  pop(): T {
    const top = this.items[0];
    this.remove(top);
    return top;
  }

  remove(entry: T): void {
    const items = this.items;
    const i = entry.heapPos;
    entry.heapPos = -1;
    const last = items.pop() as T;
    if (last === entry) return;
    items[i] = last;
    last.heapPos = i;
    if (i > 0 && runsBefore(last, items[(i - 1) >> 1])) this.up(i, last);
    else this.down(i, last);
  }

  /** Restores heap order after ranks changed (the accounting period rolled over). */
  rebuild(): void {
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i, this.items[i]);
  }

  private up(i: number, entry: T): void {
    const items = this.items;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent];
      if (!runsBefore(entry, p)) break;
      items[i] = p;
      p.heapPos = i;
      i = parent;
    }
    items[i] = entry;
    entry.heapPos = i;
  }

  private down(i: number, entry: T): void {
    const items = this.items;
    const n = items.length;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      let child = items[l];
      if (l + 1 < n && runsBefore(items[l + 1], child)) {
        c = l + 1;
        child = items[c];
      }
      if (!runsBefore(child, entry)) break;
      items[i] = child;
      child.heapPos = i;
      i = c;
    }
    items[i] = entry;
    entry.heapPos = i;
  }
}
