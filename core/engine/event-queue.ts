/**
 * The pending-event set of the discrete-event engine: a binary min-heap ordered by
 * (time, insertion sequence), so two events at the same instant always fire in the order
 * they were scheduled. Entries are recycled through a free list: the hot path allocates nothing.
 */
import type { Ns } from './time.js';

/** One scheduled occurrence. Internal to the engine; handlers never keep a reference. */
export interface QueueEntry {
  time: Ns;
  seq: number;
  type: number;
  arg: unknown;
  key: number;
}

export class EventQueue {
  private heap: QueueEntry[] = [];
  private free: QueueEntry[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Time of the earliest pending event, or `Infinity` when none is pending. */
  peekTime(): Ns {
    return this.heap.length === 0 ? Infinity : this.heap[0].time;
  }

  push(time: Ns, type: number, arg: unknown, key: number): void {
    const entry = this.free.pop() ?? { time: 0, seq: 0, type: 0, arg: undefined, key: 0 };
    entry.time = time;
    entry.seq = this.nextSeq++;
    entry.type = type;
    entry.arg = arg;
    entry.key = key;
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (p.time < time || (p.time === time && p.seq < entry.seq)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** Removes and returns the earliest entry. The entry is valid until the next `push`. */
  pop(): QueueEntry | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as QueueEntry;
    const n = heap.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        let child = heap[l];
        if (r < n) {
          const right = heap[r];
          if (right.time < child.time || (right.time === child.time && right.seq < child.seq)) {
            c = r;
            child = right;
          }
        }
        if (last.time < child.time || (last.time === child.time && last.seq < child.seq)) break;
        heap[i] = child;
        i = c;
      }
      heap[i] = last;
    }
    this.free.push(top);
    return top;
  }

  /**
   * Removes the earliest pending entry of `type` whose arg is `arg` (by identity). False when there
   * is none. Scans the heap: meant for rare removals (timeouts), not the hot path.
   */
  remove(type: number, arg: unknown): boolean {
    const heap = this.heap;
    let at = -1;
    for (let i = 0; i < heap.length; i++) {
      const e = heap[i];
      if (e.type !== type || e.arg !== arg) continue;
      if (at < 0 || before(e, heap[at])) at = i;
    }
    if (at < 0) return false;
    const removed = heap[at];
    const last = heap.pop() as QueueEntry;
    if (removed !== last) {
      heap[at] = last;
      if (this.siftUp(at) === at) this.siftDown(at);
    }
    removed.arg = undefined;
    this.free.push(removed);
    return true;
  }

  /** Moves entry `i` up to its place; returns where it ended. */
  private siftUp(i: number): number {
    const heap = this.heap;
    const entry = heap[i];
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
    return i;
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    const n = heap.length;
    const entry = heap[i];
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[c], entry)) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = entry;
  }

  /** Sequence number the next scheduled event will get (part of the determinism contract). */
  get sequence(): number {
    return this.nextSeq;
  }
}

/** Whether `a` fires before `b`: earlier time, or the same time and scheduled first. */
function before(a: QueueEntry, b: QueueEntry): boolean {
  return a.time < b.time || (a.time === b.time && a.seq < b.seq);
}
