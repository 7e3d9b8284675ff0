/**
 * CPU work waiting on a virtual processor: pooled items on intrusive FIFO lists, so queuing and
 * completing work allocates nothing once the pool is warm.
 */
import type { EventType, Ns } from '../engine/index.js';

/** One piece of CPU work: `remainingNs` of run time, then `event(arg)` fires. Pooled; never kept. */
export class WorkItem {
  remainingNs: Ns = 0;
  event: EventType<unknown> | null = null;
  arg: unknown = undefined;
  key = 0;
  next: WorkItem | null = null;
}

/** A FIFO of work items linked through `next`. */
export class WorkFifo {
  head: WorkItem | null = null;
  tail: WorkItem | null = null;
  length = 0;

  push(item: WorkItem): void {
    item.next = null;
    if (this.tail === null) this.head = item;
    else this.tail.next = item;
    this.tail = item;
    this.length++;
  }

  /** Removes the head; the list must not be empty. */
  shift(): WorkItem {
    const item = this.head as WorkItem;
    this.head = item.next;
    if (this.head === null) this.tail = null;
    item.next = null;
    this.length--;
    return item;
  }
}

/** Free list of work items. */
export class WorkItemPool {
  private free: WorkItem | null = null;
  private created = 0;

  acquire(): WorkItem {
    const item = this.free;
    if (item === null) {
      this.created++;
      return new WorkItem();
    }
    this.free = item.next;
    item.next = null;
    return item;
  }

  release(item: WorkItem): void {
    item.event = null;
    item.arg = undefined;
    item.next = this.free;
    this.free = item;
  }

  /** Items ever allocated (the pool's high-water mark). */
  get allocated(): number {
    return this.created;
  }
}
