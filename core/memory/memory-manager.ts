/**
 * The memory manager: host RAM, the hypervisor's pool and every child partition's memory, in one
 * place. Other subsystems reach partitions through it by id; VSPs never do — they get a
 * {@link VspMemoryPort} (gpadl-table.ts) that only sees what the guest granted.
 */
import { inject, injectable } from 'inversify';
import type { HostSpec } from '../model/scenario.js';
import { fail, type MemoryResult } from './errors.js';
import type { Extent } from './extent-set.js';
import type { GuestAllocation } from './guest-bytes.js';
import {
  allocateGuestMemory,
  freeGuestMemory,
  type GuestAllocationOptions,
} from './guest-allocator.js';
import { HostMemory } from './host-memory.js';
import { HypervisorPool } from './hypervisor-pool.js';
import { PartitionMemory, type Translation } from './partition-memory.js';
import { MEMORY_TOKENS } from './tokens.js';
import { PAGE_SIZE } from './units.js';

/** What the memory manager needs to know about the host. */
export interface MemoryHostSpec {
  readonly memoryMiB: HostSpec['memoryMiB'];
  readonly os: HostSpec['os'];
  /** Override of the root partition's reserve, MiB. */
  readonly rootReserveMiB?: number;
}

/** How a child partition's memory starts. */
export interface CreatePartitionMemory {
  readonly partition: number;
  /** Memory the guest boots with, pages. */
  readonly startupPages: number;
  /** Ceiling for hot-add, pages; default `startupPages` (static memory). */
  readonly maximumPages?: number;
}

/**
 * Host RAM, the hypervisor pool and all child partitions' memory.
 *
 * @example
 * ```ts
 * const memory = new MemoryManager({ memoryMiB: 65536, os: 'ws2019' });
 * memory.createPartition({ partition: 1, startupPages: mibToPages(4096) });
 * const ring = memory.allocate(1, 33); // 4 KiB header + 128 KiB data, real bytes
 * if (ring.ok) ring.value.bytes?.set([1, 2, 3]);
 * memory.translate(1, 0x1000); // { ok: true, spa: … }
 * ```
 */
@injectable()
export class MemoryManager {
  readonly host: HostMemory;
  readonly hypervisorPool: HypervisorPool;
  readonly hostOs: HostSpec['os'];
  private readonly partitions = new Map<number, PartitionMemory>();
  private readonly destroyListeners: ((partition: number) => void)[] = [];

  constructor(@inject(MEMORY_TOKENS.hostSpec) spec: MemoryHostSpec) {
    this.host = new HostMemory({ memoryMiB: spec.memoryMiB, rootReserveMiB: spec.rootReserveMiB });
    this.hypervisorPool = new HypervisorPool(this.host);
    this.hostOs = spec.os;
  }

  /** Backs a new child partition's startup memory; refused when host RAM is short. */
  createPartition(options: CreatePartitionMemory): MemoryResult<PartitionMemory> {
    if (this.partitions.has(options.partition)) {
      return fail('partition-exists', `partition ${options.partition} already has memory`);
    }
    const created = PartitionMemory.create(this.host, options);
    if (created.ok) this.partitions.set(options.partition, created.value);
    return created;
  }

  /** Deletes a partition: its GPADLs go first (listeners), then its host pages return to the pool. */
  destroyPartition(partition: number): boolean {
    const p = this.partitions.get(partition);
    if (p === undefined) return false;
    for (const listener of this.destroyListeners) listener(partition);
    p.destroy();
    this.partitions.delete(partition);
    return true;
  }

  /** Registers code to run before a partition's memory goes away (the GPADL table uses it). */
  onPartitionDestroyed(listener: (partition: number) => void): void {
    this.destroyListeners.push(listener);
  }

  /** A partition's memory, if it exists. */
  partition(partition: number): PartitionMemory | undefined {
    return this.partitions.get(partition);
  }

  /** Ids of partitions with memory, ascending (a stable order for deterministic loops). */
  partitionIds(): number[] {
    return Array.from(this.partitions.keys()).sort((a, b) => a - b);
  }

  /** GPA → SPA through the partition's SLAT. */
  translate(partition: number, gpa: number): Translation {
    const p = this.partitions.get(partition);
    return p === undefined ? { ok: false, reason: 'outside-guest' } : p.translate(gpa);
  }

  /**
   * The guest kernel allocates `pages` contiguous pages for VMBus use and gets their bytes.
   *
   * @example
   * ```ts
   * const r = memory.allocate(1, 129); // a 512 KiB ring + header page
   * if (r.ok) console.log(r.value.gpa, r.value.bytes?.length); // …, 528384
   * ```
   */
  allocate(
    partition: number,
    pages: number,
    options?: GuestAllocationOptions,
  ): MemoryResult<GuestAllocation> {
    const p = this.partitions.get(partition);
    if (p === undefined) return fail('unknown-partition', `no partition ${partition}`);
    return allocateGuestMemory(p, pages, options);
  }

  /** The guest frees an allocation (refused while a GPADL shares it). */
  free(allocation: GuestAllocation): MemoryResult<number> {
    const p = this.partitions.get(allocation.partition);
    if (p === undefined) return fail('unknown-partition', `no partition ${allocation.partition}`);
    return freeGuestMemory(p, allocation);
  }

  /**
   * The guest reads its own memory: copies `dest.length` bytes at `gpa`. Untouched memory reads
   * as zeros and is not materialized. False when any byte is outside backed guest memory.
   */
  readGuest(partition: number, gpa: number, dest: Uint8Array): boolean {
    const p = this.partitions.get(partition);
    if (p === undefined || !Number.isSafeInteger(gpa) || gpa < 0) return false;
    if (dest.length === 0) return true;
    const first = Math.floor(gpa / PAGE_SIZE);
    const last = Math.floor((gpa + dest.length - 1) / PAGE_SIZE);
    if (!p.isBacked(first, last - first + 1)) return false;
    p.bytes.readBytes(gpa, dest, 0, dest.length);
    return true;
  }

  /** See {@link PartitionMemory.balloon}. */
  balloon(partition: number, ranges: readonly Extent[]): MemoryResult<number> {
    const p = this.partitions.get(partition);
    return p === undefined
      ? fail('unknown-partition', `no partition ${partition}`)
      : p.balloon(ranges);
  }

  /** See {@link PartitionMemory.unballoon}. */
  unballoon(partition: number, pages: number): MemoryResult<Extent[]> {
    const p = this.partitions.get(partition);
    return p === undefined
      ? fail('unknown-partition', `no partition ${partition}`)
      : p.unballoon(pages);
  }

  /** See {@link PartitionMemory.hotAdd}. */
  hotAdd(partition: number, pages: number, regionPages: number): MemoryResult<Extent[]> {
    const p = this.partitions.get(partition);
    return p === undefined
      ? fail('unknown-partition', `no partition ${partition}`)
      : p.hotAdd(pages, regionPages);
  }

  /** Save-VM: the partition's host pages go back to the host (see {@link PartitionMemory.saveOut}). */
  saveOut(partition: number): number {
    return this.partitions.get(partition)?.saveOut() ?? 0;
  }

  /** Restore: host pages back the saved partition again, or refused when RAM is short. */
  restoreIn(partition: number): MemoryResult<number> {
    const p = this.partitions.get(partition);
    return p === undefined ? fail('unknown-partition', `no partition ${partition}`) : p.restoreIn();
  }

  /** Bytes the simulation holds for guest memory, all partitions. */
  guestBytesHeld(): number {
    let total = 0;
    for (const p of this.partitions.values()) total += p.bytes.backedBytes;
    return total;
  }

  /** Pages assigned to child partitions, all together. */
  childAssignedPages(): number {
    let total = 0;
    for (const p of this.partitions.values()) total += p.assignedPages;
    return total;
  }
}
