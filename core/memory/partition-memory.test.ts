import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HostMemory } from './host-memory.js';
import { PartitionMemory } from './partition-memory.js';
import { HOT_ADD_CHUNK_PAGES, mibToPages, PAGE_SIZE } from './units.js';

function setup(startupMiB = 1024, maximumMiB = startupMiB, hostMiB = 16384) {
  const host = new HostMemory({ memoryMiB: hostMiB, rootReserveMiB: 1024 });
  const created = PartitionMemory.create(host, {
    partition: 1,
    startupPages: mibToPages(startupMiB),
    maximumPages: mibToPages(maximumMiB),
  });
  if (!created.ok) throw created.error;
  return { host, vm: created.value };
}

describe('PartitionMemory', () => {
  it('maps startup memory at GPA 0 and faults outside it', () => {
    const { vm } = setup(512);
    const t = vm.translate(0x1234);
    expect(t.ok).toBe(true);
    if (t.ok) expect(t.spa % PAGE_SIZE).toBe(0x234);
    expect(vm.translate(512 * 1024 * 1024)).toEqual({ ok: false, reason: 'outside-guest' });
    expect(vm.translate(-1)).toEqual({ ok: false, reason: 'outside-guest' });
    expect(vm.assignedPages).toBe(mibToPages(512));
    expect(vm.visiblePages).toBe(mibToPages(512));
  });

  it('refuses to boot a partition when host RAM is short', () => {
    const host = new HostMemory({ memoryMiB: 2048, rootReserveMiB: 1024 });
    const r = PartitionMemory.create(host, { partition: 1, startupPages: mibToPages(1025) });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('host-out-of-memory');
    expect(host.freePages).toBe(mibToPages(1024));
  });

  it('rule 34: translate after hot-add maps new GPAs; the unbacked rest of the chunk faults', () => {
    const { vm, host } = setup(1024, 4096);
    const free = host.freePages;
    const r = vm.hotAdd(1000, HOT_ADD_CHUNK_PAGES);
    expect(r.ok).toBe(true);
    const top = mibToPages(1024);
    expect(vm.visiblePages).toBe(top + HOT_ADD_CHUNK_PAGES);
    expect(vm.translate(top * PAGE_SIZE).ok).toBe(true);
    expect(vm.translate((top + 999) * PAGE_SIZE).ok).toBe(true);
    expect(vm.translate((top + 1000) * PAGE_SIZE)).toEqual({ ok: false, reason: 'not-backed' });
    expect(vm.unbackedPages).toBe(HOT_ADD_CHUNK_PAGES - 1000);
    expect(host.freePages).toBe(free - 1000);
    // a later hot-add backs the rest of the chunk without growing installed memory
    expect(vm.hotAdd(500, 0).ok).toBe(true);
    expect(vm.translate((top + 1499) * PAGE_SIZE).ok).toBe(true);
    expect(vm.visiblePages).toBe(top + HOT_ADD_CHUNK_PAGES);
  });

  it('rule 34: hot-add never takes installed memory past the maximum', () => {
    const { vm } = setup(1024, 1100);
    const r = vm.hotAdd(10, HOT_ADD_CHUNK_PAGES);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('over-maximum');
    expect(vm.visiblePages).toBe(mibToPages(1024));
    expect(vm.hotAdd(10, mibToPages(76)).ok).toBe(true);
    expect(vm.visiblePages).toBe(vm.maximumPages);
  });

  it('rule 34: ballooning unmaps the pages and returns their host pages; installed memory stays', () => {
    const { vm, host } = setup(1024);
    const free = host.freePages;
    const spaOf = vm.translate(0x3000_0000);
    const r = vm.balloon([{ start: 0x3000_0000 / PAGE_SIZE, count: 256 }]);
    expect(r).toEqual({ ok: true, value: 256 });
    expect(vm.translate(0x3000_0000)).toEqual({ ok: false, reason: 'ballooned' });
    expect(vm.assignedPages).toBe(mibToPages(1024) - 256);
    expect(vm.visiblePages).toBe(mibToPages(1024));
    expect(vm.balloonedPages).toBe(256);
    expect(host.freePages).toBe(free + 256);
    if (spaOf.ok) expect(host.isFree(spaOf.spa / PAGE_SIZE)).toBe(true);
  });

  it('unballoon gives back previously ballooned pages first, lowest first, with fresh backing', () => {
    const { vm } = setup(1024);
    vm.balloon([
      { start: 100_000, count: 100 },
      { start: 50_000, count: 100 },
    ]);
    const r = vm.unballoon(150);
    expect(r).toEqual({
      ok: true,
      value: [
        { start: 50_000, count: 100 },
        { start: 100_000, count: 50 },
      ],
    });
    expect(vm.translate(100_049 * PAGE_SIZE).ok).toBe(true);
    expect(vm.translate(100_050 * PAGE_SIZE)).toEqual({ ok: false, reason: 'ballooned' });
    expect(vm.balloonedPages).toBe(50);
  });

  it('refuses a balloon response naming pages the guest cannot give back, and changes nothing', () => {
    const { vm } = setup(1024, 2048);
    vm.hotAdd(0, HOT_ADD_CHUNK_PAGES);
    const allocation = vm.bytes.addAllocation(8000, 4, true);
    const pin = vm.pin([{ start: 9000, count: 2 }]);
    const bad = [
      [{ start: 10, count: 0 }],
      [{ start: 1.5, count: 1 }],
      [
        { start: 100, count: 10 },
        { start: 105, count: 10 },
      ],
      [{ start: mibToPages(1024), count: 1 }], // hot-added, not backed
      [{ start: mibToPages(4096), count: 1 }], // outside the guest
      [{ start: 9001, count: 1 }], // shared through a GPADL
      [{ start: allocation.pfn + 3, count: 1 }], // a driver allocation
    ];
    for (const ranges of bad) {
      const r = vm.balloon(ranges);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.kind).toBe('balloon-rejected');
    }
    expect(vm.balloonedPages).toBe(0);
    expect(vm.assignedPages).toBe(mibToPages(1024));
    vm.unpin(pin);
    expect(vm.balloon([{ start: 9001, count: 1 }]).ok).toBe(true);
  });

  it('chooses balloon pages from the top, skipping driver allocations and shared pages', () => {
    const { vm } = setup(64);
    const top = mibToPages(64);
    vm.bytes.addAllocation(top - 10, 5, true);
    vm.pin([{ start: top - 2, count: 1 }]);
    const ranges = vm.chooseBalloonRanges(8);
    expect(ranges).toEqual([
      { start: top - 1, count: 1 },
      { start: top - 5, count: 3 },
      { start: top - 14, count: 4 },
    ]);
    expect(vm.balloon(ranges).ok).toBe(true);
  });

  it('returns every host page when the partition is deleted', () => {
    const { vm, host } = setup(1024, 2048);
    const free = host.freePages + vm.assignedPages;
    vm.hotAdd(100, HOT_ADD_CHUNK_PAGES);
    vm.balloon([{ start: 5000, count: 100 }]);
    vm.destroy();
    expect(host.freePages).toBe(free);
    expect(vm.alive).toBe(false);
  });

  it('rule 34: under any mix of balloon, unballoon and hot-add, installed = assigned + ballooned + unbacked and never shrinks', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('balloon' as const), n: fc.integer({ min: 1, max: 40_000 }) }),
      fc.record({
        kind: fc.constant('unballoon' as const),
        n: fc.integer({ min: 1, max: 40_000 }),
      }),
      fc.record({
        kind: fc.constant('hot-add' as const),
        n: fc.integer({ min: 0, max: 40_000 }),
        chunks: fc.integer({ min: 0, max: 2 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const { vm, host } = setup(512, 2048, 4096);
        const total = host.freePages + vm.assignedPages;
        let installed = vm.visiblePages;
        for (const o of ops) {
          if (o.kind === 'balloon') vm.balloon(vm.chooseBalloonRanges(o.n));
          else if (o.kind === 'unballoon') vm.unballoon(Math.min(o.n, vm.balloonedPages));
          else
            vm.hotAdd(
              Math.min(o.n, vm.unbackedPages + o.chunks * HOT_ADD_CHUNK_PAGES),
              o.chunks * HOT_ADD_CHUNK_PAGES,
            );
          expect(vm.visiblePages).toBeGreaterThanOrEqual(installed);
          installed = vm.visiblePages;
          expect(vm.assignedPages + vm.balloonedPages + vm.unbackedPages).toBe(vm.visiblePages);
          expect(host.freePages + vm.assignedPages).toBe(total);
          expect(vm.visiblePages).toBeLessThanOrEqual(vm.maximumPages);
        }
        // every backed page maps to its own host page, never a free one
        const seen = new Set<number>();
        let shared = 0;
        for (const m of vm.slat.mappings()) {
          for (let i = 0; i < m.count; i += 97) {
            if (host.isFree(m.spa + i) || seen.has(m.spa + i)) shared++;
            seen.add(m.spa + i);
          }
        }
        expect(shared).toBe(0);
      }),
      { numRuns: 60 },
    );
  });
});
