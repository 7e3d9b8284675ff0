import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SimEngine } from '../engine/index.js';
import { CpuTopology } from '../hardware/cpu/index.js';
import type { ProcessorSpec } from '../hardware/cpu/index.js';
import type { SchedulerType } from '../model/index.js';
import { arbitraryLoad, runLoad } from './testing/load-fixture.js';
import type { Load } from './testing/load-fixture.js';
import { HypervisorScheduler } from './scheduler.js';
import type { HypervisorScheduler as Scheduler } from './scheduler.js';
import { idleWhileWaiting } from './testing/work-conserving.js';

const MS = 1_000_000;
const SMT_HOST: ProcessorSpec = { sockets: 1, coresPerSocket: 3, threadsPerCore: 2 };
const NO_SMT_HOST: ProcessorSpec = { sockets: 1, coresPerSocket: 4, threadsPerCore: 1 };

/** Partition ids on each core's siblings, at this instant. */
function mixedCores(s: Scheduler): number[] {
  const lps = s.snapshot().lps;
  const mixed: number[] = [];
  for (let lp = 0; lp + 1 < lps.length; lp += 2) {
    const a = lps[lp];
    const b = lps[lp + 1];
    if (a !== null && b !== null && a.partitionId !== b.partitionId) mixed.push(lp >> 1);
  }
  return mixed;
}

function fourLpHost(type: SchedulerType) {
  const engine = new SimEngine();
  const topology = CpuTopology.fromProcessor({ sockets: 1, coresPerSocket: 2, threadsPerCore: 2 });
  const sched = new HypervisorScheduler(engine, topology, { type, rootVps: 1 });
  return { engine, sched };
}

describe('core scheduler (rule 29: a core is never shared between VMs)', () => {
  it('rule 29: under random loads, SMT siblings never run VPs of different partitions, and no usable LP idles while a VP waits', () => {
    fc.assert(
      fc.property(
        arbitraryLoad({ maxVms: 4, maxVps: 3, horizonNs: 60 * MS, withRoot: true }),
        (load) => {
          let violations = 0;
          const lostWakeups: string[] = [];
          const { scheduler } = runLoad({
            type: 'core',
            processor: SMT_HOST,
            rootVps: 2,
            load,
            untilNs: 100 * MS,
            onStep: (s) => {
              violations += mixedCores(s).length;
              lostWakeups.push(...idleWhileWaiting(s, true));
            },
          });
          expect(violations).toBe(0);
          expect(lostWakeups).toEqual([]);
          expect(scheduler.hostMetrics().siblingSharingNs).toBe(0);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rule 29: the same kind of load under classic does put two VMs on one core (the exposure the core scheduler removes)', () => {
    const load: Load = {
      vms: [0, 1, 2].map(() => ({
        vpCount: 3,
        weight: 100,
        reservePercent: 0,
        limitPercent: 100,
        background: [true, true, true],
      })),
      items: [],
      suspensions: [],
    };
    const classic = runLoad({
      type: 'classic',
      processor: SMT_HOST,
      rootVps: 1,
      load,
      untilNs: 200 * MS,
    });
    const host = classic.scheduler.hostMetrics();
    expect(host.siblingSharingNs).toBeGreaterThan(0);
    expect(host.siblingSharingByPair.length).toBeGreaterThan(0);
    const core = runLoad({
      type: 'core',
      processor: SMT_HOST,
      rootVps: 1,
      load,
      untilNs: 200 * MS,
    });
    expect(core.scheduler.hostMetrics().siblingSharingNs).toBe(0);
  });

  it('rule 29: a 3-VP VM next to a 1-VP VM leaves siblings idle rather than share a core', () => {
    const run = (type: SchedulerType) => {
      const { engine, sched } = fourLpHost(type);
      const big = sched.addPartition({ partitionId: 1, vpCount: 3 });
      const small = sched.addPartition({ partitionId: 2, vpCount: 1 });
      for (const vp of [...big.vps, ...small.vps]) sched.setBackground(vp, true);
      let idleSiblingSeen = false;
      while (engine.nextEventTime() <= 500 * MS) {
        engine.step();
        const lps = sched.snapshot().lps;
        for (let lp = 0; lp < 4; lp += 2) {
          if ((lps[lp] === null) !== (lps[lp + 1] === null)) idleSiblingSeen = true;
        }
      }
      engine.runUntil(500 * MS);
      const busy = sched.hostMetrics().lpBusyNs.reduce((x, y) => x + y, 0);
      return { busy, idleSiblingSeen };
    };
    const classic = run('classic');
    const core = run('core');
    expect(classic.busy).toBe(4 * 500 * MS); // 4 CPU-bound VPs keep 4 LPs busy
    expect(core.idleSiblingSeen).toBe(true);
    expect(core.busy).toBeLessThan(3.8 * 500 * MS);
  });

  it('rule 29: a VM holding a core runs its VPs on both siblings together', () => {
    const { engine, sched } = fourLpHost('core');
    const vm = sched.addPartition({ partitionId: 1, vpCount: 2 });
    sched.setBackground(vm.vps[0], true);
    sched.setBackground(vm.vps[1], true);
    engine.runUntil(10 * MS);
    const lps = sched.snapshot().lps;
    const cores = lps.flatMap((o, lp) => (o !== null && o.partitionId === 1 ? [lp >> 1] : []));
    expect(cores).toHaveLength(2);
    expect(cores[0]).toBe(cores[1]);
  });

  /** A Windows Server 2016 host with two cores of two threads under the core scheduler. */
  const ws2016CoreHost = () => {
    const engine = new SimEngine();
    const topology = CpuTopology.fromProcessor({
      sockets: 1,
      coresPerSocket: 2,
      threadsPerCore: 2,
    });
    const sched = new HypervisorScheduler(engine, topology, {
      type: 'core',
      rootVps: 1,
      hostOs: 'ws2016',
    });
    return { engine, sched };
  };

  // WS "About Hyper-V hypervisor scheduler type selection": VMs created on Windows Server 2016
  // have HwThreadCountPerCore = 1 (non-SMT); "when the VP is scheduled for a virtual machine
  // without SMT enabled, that VP will consume the entire core when it runs, and the core's
  // sibling SMT thread will be left idle" — unless the VM has more VPs than the host has cores.
  it('rule 29: on a ws2016 host a VM is non-SMT: each of its VPs takes a whole core and leaves the sibling idle', () => {
    const { engine, sched } = ws2016CoreHost();
    const vm = sched.addPartition({ partitionId: 1, vpCount: 2 });
    sched.setBackground(vm.vps[0], true);
    sched.setBackground(vm.vps[1], true);
    let siblingsTogether = 0;
    while (engine.nextEventTime() <= 200 * MS) {
      engine.step();
      const lps = sched.snapshot().lps;
      for (let lp = 0; lp < 4; lp += 2) {
        if (lps[lp]?.partitionId === 1 && lps[lp + 1]?.partitionId === 1) siblingsTogether++;
      }
    }
    engine.runUntil(200 * MS);
    expect(siblingsTogether).toBe(0);
    // Both VPs still run, each on a core of its own: two LPs' worth, not four.
    const run = vm.vps.map((vp) => sched.vpMetrics(vp).runNs);
    expect(run[0] + run[1]).toBeGreaterThan(1.9 * 200 * MS);
  });

  it('rule 29: on a ws2016 host a VM with more VPs than the host has cores is scheduled as SMT', () => {
    const { engine, sched } = ws2016CoreHost();
    const vm = sched.addPartition({ partitionId: 1, vpCount: 3 });
    for (const vp of vm.vps) sched.setBackground(vp, true);
    engine.runUntil(10 * MS);
    const lps = sched.snapshot().lps;
    const cores = lps.flatMap((o, lp) => (o !== null && o.partitionId === 1 ? [lp >> 1] : []));
    expect(cores).toHaveLength(3);
  });

  it('rule 29: with threadsPerCore = 1, core behaves exactly as classic (same completions, meters and event log)', () => {
    fc.assert(
      fc.property(
        arbitraryLoad({ maxVms: 4, maxVps: 3, horizonNs: 60 * MS, withRoot: true }),
        (load) => {
          const run = (type: SchedulerType) => {
            const r = runLoad({
              type,
              processor: NO_SMT_HOST,
              rootVps: 2,
              load,
              untilNs: 100 * MS,
            });
            const vps = r.scheduler.snapshot().vps.map((v) => r.scheduler.vpMetrics(v.vp));
            return {
              completions: r.completions,
              vps,
              hash: r.engine.log.hash,
              host: r.scheduler.hostMetrics(),
            };
          };
          const classic = run('classic');
          const core = run('core');
          expect(core.completions).toEqual(classic.completions);
          expect(core.vps).toEqual(classic.vps);
          expect(core.host).toEqual(classic.host);
          expect(core.hash).toBe(classic.hash);
        },
      ),
      { numRuns: 60 },
    );
  });
});
