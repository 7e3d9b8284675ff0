/**
 * A partition's hypervisor memory pool (rule 25). The root deposits its own physical pages
 * (HvCallDepositMemory); the hypervisor allocates its per-partition structures from them and
 * answers INSUFFICIENT_MEMORY when the pool is short. Withdrawn pages go back to the root.
 */

/** Pool pages each object takes. */
export const PoolPages = {
  // estimate: the partition object and its top-level tables, taken from the creating partition's
  // pool (L: mshv deposits one page at a time into the *current* partition until
  // HvCallCreatePartition stops returning INSUFFICIENT_MEMORY).
  createPartition: 4,
  // L: mshv_root_hv_call.c HV_INIT_PARTITION_DEPOSIT_PAGES = 208 ("Determined empirically").
  initializePartition: 208,
  // L: hv_proc.c hv_call_create_vp — "The value 90 is empirically determined"; root VPs need none.
  createVp: 90,
  // estimate: 16 message buffers × 256 bytes = one page, plus the port object; T: ports come
  // from the receiver's pool.
  createPort: 2,
  // estimate: one page for the connection object; T: connections come from the sender's pool.
  connectPort: 1,
} as const;

/** The pages deposited into one partition: a stack of free page numbers plus the pages in use. */
export class HvMemoryPool {
  private readonly free: number[] = [];
  private readonly used: number[] = [];

  /** Pages available for new allocations. */
  get freePages(): number {
    return this.free.length;
  }

  /** Pages backing hypervisor structures of this partition. */
  get usedPages(): number {
    return this.used.length;
  }

  /** Every page deposited and not withdrawn. */
  get totalPages(): number {
    return this.free.length + this.used.length;
  }

  deposit(pageNumber: number): void {
    this.free.push(pageNumber);
  }

  /** Takes `count` free pages into use; false (and nothing taken) when the pool is short. */
  allocate(count: number): boolean {
    if (this.free.length < count) return false;
    for (let i = 0; i < count; i++) this.used.push(this.free.pop() as number);
    return true;
  }

  /** Returns `count` in-use pages to the free list. */
  release(count: number): void {
    const n = Math.min(count, this.used.length);
    for (let i = 0; i < n; i++) this.free.push(this.used.pop() as number);
  }

  /** Removes one free page for withdrawal; -1 when none is free. */
  withdraw(): number {
    return this.free.length > 0 ? (this.free.pop() as number) : -1;
  }

  /** Moves every page (free and used) into `target`, emptying this pool. */
  drainInto(target: HvMemoryPool): void {
    for (const page of this.used) target.free.push(page);
    for (const page of this.free) target.free.push(page);
    this.used.length = 0;
    this.free.length = 0;
  }
}
