/**
 * The hypervisor's memory pool. The hypervisor owns no RAM of its own: the root deposits pages
 * into the pool (T: HvCallDepositMemory 0x48) and the hypervisor builds partition state from
 * them. When the pool runs dry a hypercall fails with HV_STATUS_INSUFFICIENT_MEMORY and the root
 * must deposit more before retrying (HYPERV.md rule 25).
 */
import { fail, succeed, type MemoryResult } from './errors.js';
import { ExtentSet } from './extent-set.js';
import type { HostMemory } from './host-memory.js';

/** Pages the root deposited for the hypervisor, and how many the hypervisor uses. */
export class HypervisorPool {
  private readonly pages = new ExtentSet();
  private used = 0;

  constructor(private readonly host: HostMemory) {}

  /** Pages deposited and not withdrawn. */
  get depositedPages(): number {
    return this.pages.size;
  }

  /** Deposited pages the hypervisor is using. */
  get usedPages(): number {
    return this.used;
  }

  /** Deposited pages still unused. */
  get availablePages(): number {
    return this.pages.size - this.used;
  }

  /** The root deposits `count` pages from host RAM (T: HvCallDepositMemory). */
  deposit(count: number): MemoryResult<number> {
    const taken = this.host.allocate(count);
    if (!taken.ok) return taken;
    for (const e of taken.value) this.pages.add(e.start, e.count);
    return succeed(this.pages.size);
  }

  /** The root takes back `count` unused pages (T: HvCallWithdrawMemory). */
  withdraw(count: number): MemoryResult<number> {
    if (!Number.isSafeInteger(count) || count < 0) {
      return fail('invalid-request', `cannot withdraw ${count} pages`);
    }
    if (count > this.availablePages) {
      return fail(
        'hypervisor-pool-in-use',
        `only ${this.availablePages} of ${this.pages.size} deposited pages are unused`,
      );
    }
    this.host.release(this.pages.takeHighest(count));
    return succeed(this.pages.size);
  }

  /**
   * The hypervisor takes `count` pages for its own structures (partition state, SLAT tables,
   * VP state, message buffers). Refused with `hypervisor-pool-exhausted` — the hypercall's
   * HV_STATUS_INSUFFICIENT_MEMORY — when too few deposited pages are unused.
   */
  take(count: number): MemoryResult<number> {
    if (!Number.isSafeInteger(count) || count < 0) {
      return fail('invalid-request', `cannot take ${count} pages`);
    }
    if (count > this.availablePages) {
      return fail(
        'hypervisor-pool-exhausted',
        `hypervisor pool has ${this.availablePages} unused pages, ${count} needed: the root must deposit more`,
      );
    }
    this.used += count;
    return succeed(this.availablePages);
  }

  /** The hypervisor gives back pages it no longer uses (they stay deposited). */
  give(count: number): void {
    this.used = Math.max(0, this.used - count);
  }
}
