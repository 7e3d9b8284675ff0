/**
 * The guest kernel's allocator for memory it shares over VMBus: ring buffers, NetVSC send and
 * receive buffers, small request structures. It finds the lowest run of backed guest pages that
 * no other allocation, GPADL or host-written page uses, and gives it real bytes.
 */
import { fail, succeed, type MemoryResult } from './errors.js';
import type { Extent } from './extent-set.js';
import type { GuestAllocation } from './guest-bytes.js';
import { mergeRuns, type PartitionMemory } from './partition-memory.js';
import { PAGES_PER_MIB } from './units.js';

/**
 * First guest page the allocator hands out. Guest kernels place driver buffers above their own
 * image and early allocations; we start at 16 MiB (a placement choice, not a Hyper-V number).
 */
export const GUEST_ALLOCATION_BASE_PFN = 16 * PAGES_PER_MIB;

/** Options of {@link allocateGuestMemory}. */
export interface GuestAllocationOptions {
  /**
   * `dense` (default) gives one contiguous `Uint8Array` (rings need it); `sparse` gives bytes
   * page by page when first written (large buffers the host fills sparsely).
   */
  readonly backing?: 'dense' | 'sparse';
}

/**
 * Allocates `pages` contiguous, backed guest pages. Refused with `guest-out-of-memory` when no
 * such run is free.
 */
export function allocateGuestMemory(
  partition: PartitionMemory,
  pages: number,
  options: GuestAllocationOptions = {},
): MemoryResult<GuestAllocation> {
  if (!Number.isSafeInteger(pages) || pages <= 0) {
    return fail('invalid-request', `cannot allocate ${pages} guest pages`);
  }
  const start = findFreeRun(partition, pages);
  if (start < 0) {
    return fail(
      'guest-out-of-memory',
      `partition ${partition.id} has no free run of ${pages} backed pages`,
    );
  }
  return succeed(partition.bytes.addAllocation(start, pages, options.backing !== 'sparse'));
}

/** Frees a guest allocation; refused while a GPADL still shares any of its pages. */
export function freeGuestMemory(
  partition: PartitionMemory,
  allocation: GuestAllocation,
): MemoryResult<number> {
  if (partition.isPinned(allocation.pfn, allocation.pages)) {
    return fail(
      'guest-memory-shared',
      `guest pages ${allocation.pfn}+${allocation.pages} are still shared through a GPADL`,
    );
  }
  if (!partition.bytes.removeAllocation(allocation)) {
    return fail('invalid-request', `no such allocation in partition ${partition.id}`);
  }
  return succeed(allocation.pages);
}

/** Lowest start of `pages` free, backed pages at or above the base, or -1. */
function findFreeRun(partition: PartitionMemory, pages: number): number {
  const busy = busyIncludingLoose(partition);
  for (const run of partition.slat.gpaRuns()) {
    let cursor = Math.max(run.start, GUEST_ALLOCATION_BASE_PFN);
    const end = run.start + run.count;
    for (const b of busy) {
      if (b.start + b.count <= cursor) continue;
      if (b.start >= end) break;
      if (b.start - cursor >= pages) return cursor;
      cursor = Math.max(cursor, b.start + b.count);
    }
    if (end - cursor >= pages) return cursor;
  }
  return -1;
}

function busyIncludingLoose(partition: PartitionMemory): Extent[] {
  const runs = partition.busyRuns();
  for (const page of partition.bytes.loosePages()) runs.push({ start: page, count: 1 });
  return mergeRuns(runs);
}
