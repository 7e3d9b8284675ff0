import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HOT_ADD_CHUNK_PAGES, mibToPages } from '../units.js';
import { planDynamicMemory, targetPages, type DynamicMemoryVmState } from './plan.js';

const MiB = mibToPages(1);

/** A VM with Dynamic Memory that booted with its startup memory and has not changed since. */
function vm(partition: number, changes: Partial<DynamicMemoryVmState> = {}): DynamicMemoryVmState {
  const startup = 2048 * MiB;
  return {
    partition,
    minimumPages: 512 * MiB,
    maximumPages: 8192 * MiB,
    bufferPercent: 20,
    priority: 50,
    demandPages: 1000 * MiB,
    assignedPages: startup,
    balloonedPages: 0,
    unbackedPages: 0,
    visiblePages: startup,
    ...changes,
  };
}

describe('planDynamicMemory', () => {
  it('rule 34: the target is demand × (1 + buffer), clamped to [minimum, maximum]', () => {
    expect(targetPages(vm(1, { demandPages: 1000 * MiB, bufferPercent: 20 }))).toBe(1200 * MiB);
    expect(targetPages(vm(1, { demandPages: 100 * MiB }))).toBe(512 * MiB);
    expect(targetPages(vm(1, { demandPages: 8000 * MiB }))).toBe(8192 * MiB);
    expect(targetPages(vm(1, { demandPages: undefined }))).toBe(2048 * MiB);
  });

  it('rule 34: a VM with surplus is ballooned down to its target', () => {
    const { actions } = planDynamicMemory({ hostFreePages: 0, vms: [vm(1)] });
    expect(actions).toEqual([{ kind: 'balloon', partition: 1, pages: (2048 - 1200) * MiB }]);
  });

  it('rule 34: ballooning never goes below the minimum', () => {
    const { actions, targets } = planDynamicMemory({
      hostFreePages: 0,
      vms: [vm(1, { demandPages: 0 })],
    });
    expect(targets[0].allocatedPages).toBe(512 * MiB);
    expect(actions).toEqual([{ kind: 'balloon', partition: 1, pages: (2048 - 512) * MiB }]);
  });

  it('rule 34: growth gives back ballooned pages first, then backs hot-added pages, then hot-adds 128 MiB chunks', () => {
    const state = vm(3, {
      demandPages: 3000 * MiB, // target 3600 MiB
      assignedPages: 1800 * MiB,
      balloonedPages: 300 * MiB,
      unbackedPages: 50 * MiB,
      visiblePages: 2150 * MiB,
    });
    const { actions } = planDynamicMemory({ hostFreePages: 100_000 * MiB, vms: [state] });
    const newPages = (3600 - 1800 - 300 - 50) * MiB; // 1450 MiB beyond what the guest has seen
    const region = Math.ceil(newPages / HOT_ADD_CHUNK_PAGES) * HOT_ADD_CHUNK_PAGES;
    expect(actions).toEqual([
      { kind: 'unballoon', partition: 3, pages: 300 * MiB },
      { kind: 'hot-add', partition: 3, pages: 50 * MiB + newPages, regionPages: region },
    ]);
    expect(region % HOT_ADD_CHUNK_PAGES).toBe(0);
    expect(region).toBe(1536 * MiB); // 12 chunks of 128 MiB
  });

  it('rule 34: hot-add never takes installed memory past the maximum', () => {
    const state = vm(1, { demandPages: 10_000 * MiB, maximumPages: 2100 * MiB });
    const { actions } = planDynamicMemory({ hostFreePages: 100_000 * MiB, vms: [state] });
    expect(actions).toEqual([
      { kind: 'hot-add', partition: 1, pages: 52 * MiB, regionPages: 52 * MiB },
    ]);
  });

  it('rule 34: a VM that has not reported keeps what it has', () => {
    const { actions } = planDynamicMemory({
      hostFreePages: 0,
      vms: [vm(1, { demandPages: undefined })],
    });
    expect(actions).toEqual([]);
  });

  it('rule 34: ignores corrections too small to matter', () => {
    const { actions } = planDynamicMemory({
      hostFreePages: 10_000 * MiB,
      vms: [vm(1, { demandPages: Math.floor((2048 * MiB) / 1.2) + 10 })],
    });
    expect(actions).toEqual([]);
  });

  it('rule 34: under contention memory is shared by priority, and no one goes below minimum', () => {
    const high = vm(1, { priority: 90, demandPages: 5000 * MiB });
    const low = vm(2, { priority: 10, demandPages: 5000 * MiB });
    const { targets, actions } = planDynamicMemory({ hostFreePages: 2048 * MiB, vms: [low, high] });
    const [a, b] = targets;
    expect(a.partition).toBe(1);
    expect(a.allocatedPages).toBeGreaterThan(b.allocatedPages);
    expect(b.allocatedPages).toBeGreaterThanOrEqual(512 * MiB);
    expect(a.allocatedPages + b.allocatedPages).toBe(6144 * MiB); // everything the host has
    expect(a.allocatedPages).toBeLessThan(a.targetPages);
    // the low-priority VM gives memory up so the high-priority one can grow
    expect(actions.map((x) => [x.kind, x.partition])).toEqual([
      ['balloon', 2],
      ['hot-add', 1],
    ]);
  });

  it('rule 34: under contention a low-priority VM is ballooned to make room for a high-priority one', () => {
    const high = vm(1, {
      priority: 100,
      demandPages: 3000 * MiB,
      assignedPages: 1024 * MiB,
      visiblePages: 1024 * MiB,
    });
    const low = vm(2, {
      priority: 0,
      demandPages: 3000 * MiB,
      assignedPages: 3072 * MiB,
      visiblePages: 3072 * MiB,
    });
    const { actions, targets } = planDynamicMemory({ hostFreePages: 0, vms: [high, low] });
    expect(actions[0]).toMatchObject({ kind: 'balloon', partition: 2 });
    expect(actions[1]).toMatchObject({ kind: 'hot-add', partition: 1 });
    expect(targets[0].allocatedPages).toBeGreaterThan(targets[1].allocatedPages);
    expect(targets[1].allocatedPages).toBeGreaterThanOrEqual(512 * MiB);
  });

  it('rule 34: shares fairly and deterministically for any host and any VMs', () => {
    const vmArb = fc.record({
      minimum: fc.integer({ min: 32, max: 2048 }),
      extraStartup: fc.integer({ min: 0, max: 2048 }),
      extraMaximum: fc.integer({ min: 0, max: 8192 }),
      demand: fc.option(fc.integer({ min: 0, max: 16_384 }), { nil: undefined }),
      buffer: fc.integer({ min: 5, max: 2000 }),
      priority: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(
        fc.array(vmArb, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 20_000 }),
        (specs, freeMiB) => {
          const vms = specs.map((s, i) =>
            vm(i + 1, {
              minimumPages: s.minimum * MiB,
              assignedPages: (s.minimum + s.extraStartup) * MiB,
              visiblePages: (s.minimum + s.extraStartup) * MiB,
              maximumPages: (s.minimum + s.extraStartup + s.extraMaximum) * MiB,
              demandPages: s.demand === undefined ? undefined : s.demand * MiB,
              bufferPercent: s.buffer,
              priority: s.priority,
            }),
          );
          const input = { hostFreePages: freeMiB * MiB, vms };
          const plan = planDynamicMemory(input);
          const pool = input.hostFreePages + vms.reduce((sum, v) => sum + v.assignedPages, 0);
          const total = plan.targets.reduce((sum, t) => sum + t.allocatedPages, 0);
          expect(total).toBeLessThanOrEqual(pool);
          const allFit = vms.reduce((sum, v) => sum + targetPages(v), 0) <= pool;
          plan.targets.forEach((t, i) => {
            const v = vms[i];
            expect(t.allocatedPages).toBeGreaterThanOrEqual(v.minimumPages);
            expect(t.allocatedPages).toBeLessThanOrEqual(Math.max(t.targetPages, v.assignedPages));
            if (v.demandPages === undefined) expect(t.allocatedPages).toBe(v.assignedPages);
            else if (allFit) expect(t.allocatedPages).toBe(t.targetPages);
          });
          // no action takes a VM below minimum or past maximum
          for (const a of plan.actions) {
            const v = vms.find((x) => x.partition === a.partition);
            if (v === undefined) throw new Error('action for unknown VM');
            if (a.kind === 'balloon')
              expect(v.assignedPages - a.pages).toBeGreaterThanOrEqual(v.minimumPages);
            if (a.kind === 'hot-add') {
              expect(v.visiblePages + a.regionPages).toBeLessThanOrEqual(v.maximumPages);
              const atMax = v.visiblePages + a.regionPages === v.maximumPages;
              expect(a.regionPages % HOT_ADD_CHUNK_PAGES === 0 || atMax).toBe(true);
            }
          }
          // the same VMs in another order get the same plan
          expect(planDynamicMemory({ ...input, vms: [...vms].reverse() })).toEqual(plan);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rule 34: between two VMs that want the same, the one with higher priority never gets less', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 100 }),
        fc.integer({ min: 0, max: 8000 }),
        fc.integer({ min: 600, max: 8000 }),
        (p1, p2, freeMiB, demandMiB) => {
          const a = vm(1, { priority: p1, demandPages: demandMiB * MiB });
          const b = vm(2, { priority: p2, demandPages: demandMiB * MiB });
          const [ta, tb] = planDynamicMemory({ hostFreePages: freeMiB * MiB, vms: [a, b] }).targets;
          if (p1 > p2) expect(ta.allocatedPages).toBeGreaterThanOrEqual(tb.allocatedPages);
          if (p1 === p2)
            expect(Math.abs(ta.allocatedPages - tb.allocatedPages)).toBeLessThanOrEqual(1);
        },
      ),
    );
  });
});
