import { describe, expect, it } from '@jest/globals';
import { SimEngine } from '../../engine/engine.js';
import { ms, seconds } from '../../engine/time.js';
import type { DynamicMemorySettings } from '../../model/configuration.js';
import { MemoryManager } from '../memory-manager.js';
import { HOT_ADD_CHUNK_PAGES, mibToPages } from '../units.js';
import { DynamicMemoryBalancer } from './balancer.js';
import type { DynamicMemoryAction } from './plan.js';
import { guestStatusReport } from './status-report.js';

const MiB = mibToPages(1);

function settings(changes: Partial<DynamicMemorySettings> = {}): DynamicMemorySettings {
  return {
    dynamic: true,
    startupMiB: 2048,
    minimumMiB: 512,
    maximumMiB: 8192,
    bufferPercent: 20,
    priority: 50,
    ...changes,
  };
}

function host(memoryMiB: number) {
  const engine = new SimEngine();
  const memory = new MemoryManager({ memoryMiB, os: 'ws2019', rootReserveMiB: 1024 });
  const balancer = new DynamicMemoryBalancer(memory, engine);
  const boot = (partition: number, s: DynamicMemorySettings) => {
    const created = memory.createPartition({
      partition,
      startupPages: s.startupMiB * MiB,
      maximumPages: s.maximumMiB * MiB,
    });
    if (!created.ok) throw created.error;
    const enabled = balancer.enable(partition, s);
    if (!enabled.ok) throw enabled.error;
    return created.value;
  };
  /** The guest posts its status report (what it commits, plus what it holds for the balloon). */
  const report = (partition: number, demandMiB: number) => {
    const p = memory.partition(partition);
    if (p === undefined) throw new Error('no partition');
    balancer.reportStatus(
      partition,
      guestStatusReport({
        family: 'windows',
        committedPages: demandMiB * MiB,
        availablePages: Math.max(0, p.assignedPages - demandMiB * MiB),
        balloonedPages: p.balloonedPages,
        unbackedPages: p.unbackedPages,
        totalRamPages: p.visiblePages,
      }),
    );
  };
  return { engine, memory, balancer, boot, report };
}

describe('DynamicMemoryBalancer', () => {
  it('rule 34: over 1 Hz rounds a VM follows its demand — balloon, hot-add, balloon, unballoon — and installed memory never shrinks', () => {
    const { engine, balancer, boot, report } = host(32 * 1024);
    const vm = boot(1, settings());
    // the guest reports every second, just before each balancing round
    const demandAt = (second: number): number =>
      second <= 3 ? 1000 : second <= 6 ? 3000 : second <= 9 ? 500 : 2500;
    const reportEvent = engine.define<number>('guest.report', (second) => {
      report(1, demandAt(second));
      if (second < 12) engine.at(seconds(second + 1) - ms(1), reportEvent, second + 1);
    });
    engine.at(seconds(1) - ms(1), reportEvent, 1);
    balancer.start();

    const seen: { assigned: number; visible: number; ballooned: number }[] = [];
    for (let s = 1; s <= 12; s++) {
      engine.runUntil(seconds(s));
      seen.push({
        assigned: vm.assignedPages / MiB,
        visible: vm.visiblePages / MiB,
        ballooned: vm.balloonedPages / MiB,
      });
    }
    expect(balancer.rounds).toBe(12);
    // demand 1000 MiB, buffer 20 % → 1200 MiB: 848 MiB ballooned out of the 2048 MiB it booted with
    expect(seen[0]).toEqual({ assigned: 1200, visible: 2048, ballooned: 848 });
    expect(seen[2]).toEqual(seen[0]);
    // demand 3000 → 3600 MiB: the 848 ballooned MiB come back first, then 1552 MiB more are
    // hot-added, in 128 MiB chunks: 13 chunks = 1664 MiB of new installed memory
    expect(seen[3]).toEqual({ assigned: 3600, visible: 2048 + 13 * 128, ballooned: 0 });
    expect(vm.unbackedPages / MiB).toBe(1664 - 1552);
    // demand 500 → 600 MiB: ballooned, installed memory unchanged
    expect(seen[6]).toEqual({ assigned: 600, visible: 3712, ballooned: 3000 });
    // demand 2500 → 3000 MiB: unballooned, no hot-add needed
    expect(seen[9]).toEqual({ assigned: 3000, visible: 3712, ballooned: 600 });
    for (let i = 1; i < seen.length; i++)
      expect(seen[i].visible).toBeGreaterThanOrEqual(seen[i - 1].visible);
    expect(balancer.status(1)).toMatchObject({
      dynamic: true,
      demandPages: 2500 * MiB,
      pressurePercent: 83,
    });
    expect(balancer.failedActions).toBe(0);
  });

  it('rule 34: under contention the higher-priority VM keeps more, nobody drops below minimum, and the split holds', () => {
    const { memory, balancer, boot, report } = host(8 * 1024); // 7 GiB for guests
    const a = boot(1, settings({ priority: 80, minimumMiB: 1024, maximumMiB: 6144 }));
    const b = boot(2, settings({ priority: 20, minimumMiB: 1024, maximumMiB: 6144 }));
    const history: [number, number][] = [];
    for (let round = 0; round < 6; round++) {
      report(1, 5000);
      report(2, 5000);
      balancer.tick();
      history.push([a.assignedPages, b.assignedPages]);
    }
    const [assignedA, assignedB] = history[history.length - 1];
    expect(assignedA).toBeGreaterThan(assignedB);
    expect(assignedB).toBeGreaterThanOrEqual(1024 * MiB);
    expect(assignedA).toBeLessThan(6000 * MiB); // short of its target: there is not enough
    expect(memory.host.freePages).toBeLessThan(HOT_ADD_CHUNK_PAGES); // the host handed out what it had
    expect(history[history.length - 2]).toEqual(history[history.length - 1]); // no flapping
    // the low-priority VM's demand falls: the other one gets what it frees
    report(1, 5000);
    report(2, 1000);
    balancer.tick();
    report(1, 5000);
    report(2, 1000);
    balancer.tick();
    expect(b.assignedPages).toBe(1200 * MiB); // its own target: 1000 MiB + 20 %
    expect(a.assignedPages).toBe(7168 * MiB - 1200 * MiB); // everything else the host has
    expect(memory.host.freePages).toBe(0);
  });

  it('hands actions to the balloon protocol when one is registered, leaving memory alone', () => {
    const { balancer, boot, report } = host(16 * 1024);
    const vm = boot(1, settings());
    const actions: DynamicMemoryAction[] = [];
    balancer.setProtocol({ round: (round) => actions.push(...round), inFlightPages: () => 0 });
    report(1, 100);
    balancer.tick();
    expect(actions).toEqual([{ kind: 'balloon', partition: 1, pages: (2048 - 512) * MiB }]);
    expect(vm.assignedPages).toBe(2048 * MiB);
    expect(balancer.status(1).targetPages).toBe(512 * MiB);
  });

  it('rule 34: plans pages promised to a grow the guest has not confirmed as held, so a slow guest is not asked twice', () => {
    const { balancer, boot, report } = host(8 * 1024); // 7 GiB for guests
    boot(1, settings({ startupMiB: 2048 }));
    boot(2, settings({ startupMiB: 2048 }));
    const promised = new Map<number, number>();
    const rounds: DynamicMemoryAction[][] = [];
    balancer.setProtocol({
      round: (actions) => {
        rounds.push([...actions]);
        for (const a of actions) if (a.kind !== 'balloon') promised.set(a.partition, a.pages); // nobody confirms
      },
      inFlightPages: (partition) => promised.get(partition) ?? 0,
    });
    report(1, 3000);
    report(2, 1700);
    balancer.tick();
    const grown = rounds[0].filter((a) => a.partition === 1 && a.kind !== 'balloon');
    expect(grown.reduce((sum, a) => sum + a.pages, 0)).toBe(3600 * MiB - 2048 * MiB);
    // the next rounds: partition 1 has what it was promised; 2 grows only from what is left
    report(1, 3000);
    report(2, 2900); // wants 3480 MiB: 1432 more, and 1520 MiB are free but not promised
    balancer.tick();
    expect(rounds[1].filter((a) => a.partition === 1)).toEqual([]);
    const toTwo = rounds[1].filter((a) => a.partition === 2).reduce((sum, a) => sum + a.pages, 0);
    expect(toTwo).toBe(3480 * MiB - 2048 * MiB);
  });

  it('leaves a VM that has not reported (Linux waits 45 s) at its startup memory', () => {
    const { balancer, boot } = host(16 * 1024);
    const vm = boot(1, settings());
    balancer.tick();
    balancer.tick();
    expect(vm.assignedPages).toBe(2048 * MiB);
    expect(balancer.status(1)).toMatchObject({
      demandPages: undefined,
      pressurePercent: undefined,
    });
  });

  it('refuses settings that break rule 33 and partitions built with a lower ceiling', () => {
    const { memory, balancer } = host(16 * 1024);
    memory.createPartition({ partition: 1, startupPages: 2048 * MiB, maximumPages: 2048 * MiB });
    expect(balancer.enable(1, settings({ startupMiB: 256 })).ok).toBe(false);
    const low = balancer.enable(1, settings());
    expect(low.ok).toBe(false);
    expect(balancer.enable(1, settings({ maximumMiB: 2048 })).ok).toBe(true);
    expect(balancer.enable(7, settings()).ok).toBe(false);
  });

  it('forgets a partition when it is deleted', () => {
    const { memory, balancer, boot, report } = host(16 * 1024);
    boot(1, settings());
    report(1, 1000);
    memory.destroyPartition(1);
    expect(balancer.snapshot()).toEqual([]);
    expect(balancer.tick().actions).toEqual([]);
  });
});
