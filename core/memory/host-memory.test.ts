import { describe, expect, it } from '@jest/globals';
import { HostMemory, defaultRootReserveMiB } from './host-memory.js';
import { HypervisorPool } from './hypervisor-pool.js';
import { mibToPages } from './units.js';

describe('HostMemory', () => {
  it('keeps the root reserve out of reach: children get only what is left', () => {
    const host = new HostMemory({ memoryMiB: 16384, rootReserveMiB: 2048 });
    expect(host.rootReservePages).toBe(mibToPages(2048));
    expect(host.freePages).toBe(mibToPages(16384 - 2048));
    const all = host.allocate(host.freePages);
    expect(all.ok).toBe(true);
    expect(host.freePages).toBe(0);
    // the reserve's pages (lowest SPAs) were never handed out
    if (all.ok)
      for (const e of all.value) expect(e.start).toBeGreaterThanOrEqual(host.rootReservePages);
  });

  it('refuses an allocation larger than free RAM with host-out-of-memory and changes nothing', () => {
    const host = new HostMemory({ memoryMiB: 4096, rootReserveMiB: 1024 });
    const before = host.freePages;
    const r = host.allocate(before + 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('host-out-of-memory');
    expect(host.freePages).toBe(before);
  });

  it('hands out distinct pages and coalesces them again when they come back', () => {
    const host = new HostMemory({ memoryMiB: 2048, rootReserveMiB: 512 });
    const a = host.allocate(1000);
    const b = host.allocate(3000);
    const c = host.allocate(500);
    if (!a.ok || !b.ok || !c.ok) throw new Error('allocation failed');
    const seen = new Set<number>();
    for (const e of [...a.value, ...b.value, ...c.value]) {
      for (let p = e.start; p < e.start + e.count; p++) {
        expect(seen.has(p)).toBe(false);
        expect(host.isFree(p)).toBe(false);
        seen.add(p);
      }
    }
    host.release(b.value);
    host.release(a.value);
    host.release(c.value);
    expect(host.freeExtentCount).toBe(1);
    expect(host.allocatedPages).toBe(0);
  });

  it('tracks a 24 TB host without per-page state', () => {
    const host = new HostMemory({ memoryMiB: 24 * 1024 * 1024 });
    expect(host.totalPages).toBe(24 * 1024 * 1024 * 256);
    expect(host.freeExtentCount).toBe(1);
  });

  it('keeps a larger default reserve on a larger host, within a cap', () => {
    expect(defaultRootReserveMiB(65536)).toBeGreaterThan(defaultRootReserveMiB(8192));
    expect(defaultRootReserveMiB(24 * 1024 * 1024)).toBe(defaultRootReserveMiB(12 * 1024 * 1024));
  });
});

describe('HypervisorPool', () => {
  it('rule 25: the hypervisor cannot take pages the root has not deposited (INSUFFICIENT_MEMORY)', () => {
    const host = new HostMemory({ memoryMiB: 4096, rootReserveMiB: 1024 });
    const pool = new HypervisorPool(host);
    const refused = pool.take(10);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.kind).toBe('hypervisor-pool-exhausted');
    expect(pool.deposit(16).ok).toBe(true);
    expect(pool.take(10).ok).toBe(true);
    expect(pool.availablePages).toBe(6);
    expect(host.freePages).toBe(mibToPages(3072) - 16);
  });

  it('lets the root withdraw only unused pages', () => {
    const host = new HostMemory({ memoryMiB: 4096, rootReserveMiB: 1024 });
    const pool = new HypervisorPool(host);
    pool.deposit(20);
    pool.take(15);
    const r = pool.withdraw(10);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('hypervisor-pool-in-use');
    expect(pool.withdraw(5).ok).toBe(true);
    expect(pool.depositedPages).toBe(15);
    pool.give(15);
    expect(pool.withdraw(15).ok).toBe(true);
    expect(host.freePages).toBe(mibToPages(3072));
  });

  it('cannot deposit more than the host has free', () => {
    const host = new HostMemory({ memoryMiB: 2048, rootReserveMiB: 1024 });
    const r = new HypervisorPool(host).deposit(host.freePages + 1);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('host-out-of-memory');
  });
});
