import { describe, expect, it } from '@jest/globals';
import { NS_PER_MS, NS_PER_S } from '../../core/engine/index.js';
import { entriesOf, vmOf } from '../../core/simulation/by-name.js';
import { Simulation, internalsOf } from '../../core/simulation/simulation.js';
import { memoryHost } from '../../core/testing/memory-scenarios.js';
import type { MemoryVmOptions } from '../../core/testing/memory-scenarios.js';
import { minimalStorvsp } from '../../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../index.js';

const vsps = [minimalStorvsp(), ...BUILT_IN_VSPS];

interface Sample {
  readonly t: number;
  readonly assignedMiB: number;
  readonly installedMiB: number;
  readonly balloonedMiB: number;
  readonly demandMiB: number;
}

/** Runs a host, sampling each VM's memory every `stepMs`. */
function run(
  vms: readonly MemoryVmOptions[],
  options: { durationMs: number; hostMemoryMiB?: number; stepMs?: number },
) {
  const { scenario, configuration } = memoryHost({ vms, ...options });
  const sim = Simulation.create({ scenario, configuration, vsps });
  const samples: Record<string, Sample[]> = {};
  while (!sim.finished) {
    sim.advance((options.stepMs ?? 250) * NS_PER_MS);
    for (const [name, vm] of entriesOf(sim.report().vms))
      (samples[name] ??= []).push({ t: sim.now / NS_PER_S, ...vm.memory });
  }
  return { sim, report: sim.report(), samples };
}

const neverShrinks = (samples: readonly Sample[]) => {
  for (let i = 1; i < samples.length; i++)
    expect(samples[i].installedMiB).toBeGreaterThanOrEqual(samples[i - 1].installedMiB);
};

// An idle guest whose working set follows its load: 1024 MiB at first, then 3072 MiB (the
// working set moves ±50 % with the load). No disk, so its paging (tested below) costs no time.
const growing: MemoryVmOptions = {
  name: 'app01',
  kind: 'idle',
  storage: false,
  workingSetMiB: 2048,
  phases: [
    { durationMs: 2500, intensity: 0 },
    { durationMs: 60_000, intensity: 3 },
  ],
  dynamic: { startupMiB: 2048, minimumMiB: 512, maximumMiB: 4096 },
};

describe('Dynamic Memory in a running host', () => {
  it('rule 34: a VM gives memory back when its demand falls, then gets it by unballooning and hot-add up to its maximum; installed memory never shrinks', () => {
    const { report, samples, sim } = run([growing], { durationMs: 6000 });
    const s = samples.app01;
    const at = (t: number) => s.find((x) => x.t >= t) ?? s[s.length - 1];
    // low demand: ballooned below startup, installed memory unchanged
    expect(at(2.25).balloonedMiB).toBeGreaterThan(0);
    expect(at(2.25).assignedMiB).toBeLessThan(2048);
    expect(at(2.25).installedMiB).toBe(2048);
    // high demand: the ballooned pages came back and memory was hot-added, up to the maximum
    const end = s[s.length - 1];
    expect(end.demandMiB).toBe(3072);
    expect(end.balloonedMiB).toBe(0);
    expect(end.installedMiB).toBe(4096);
    expect(end.assignedMiB).toBeGreaterThan(end.demandMiB);
    expect(end.assignedMiB).toBeLessThanOrEqual(4096);
    neverShrinks(s);
    const stats = internalsOf(sim).dynamicMemory.statsOf('app01');
    expect(stats.balloons).toBeGreaterThan(0);
    expect(stats.unballoons).toBeGreaterThan(0);
    expect(stats.hotAdds).toBeGreaterThan(0);
    expect(stats.refused).toBe(0);
    expect(report.vms.app01?.memoryPressure).toBeLessThan(100);
  });

  it('rule 34: the guest reports its memory pressure every second', () => {
    const { sim, report } = run([growing], { durationMs: 5000, stepMs: 1000 });
    const times = internalsOf(sim).dynamicMemory.statsOf('app01').reportTimes;
    expect(times.length).toBeGreaterThanOrEqual(4);
    expect(report.vms.app01?.memory.statusReports).toBe(times.length);
    for (let i = 1; i < times.length; i++) {
      // on a one-second beat, give or take the CPU time the guest's VP was busy with other
      // work (a hot-add onlines pages for tens of ms): no drift, none missed, none doubled
      expect(Math.abs(times[i] - times[0] - i * NS_PER_S)).toBeLessThan(50 * NS_PER_MS);
    }
  });

  it('rule 34: under host contention the higher-priority VM keeps more, and no one drops below minimum', () => {
    const vm = (name: string, priority: number): MemoryVmOptions => ({
      ...growing,
      name,
      phases: [{ durationMs: 60_000, intensity: 3 }],
      dynamic: { startupMiB: 2048, minimumMiB: 1024, maximumMiB: 6144, priority },
    });
    // 8 GiB host: 7.3 GiB for guests after the root's reserve; both want ~4.3 GiB
    const { samples, sim } = run([vm('high', 80), vm('low', 20)], {
      durationMs: 5000,
      hostMemoryMiB: 8192,
    });
    const high = samples.high[samples.high.length - 1];
    const low = samples.low[samples.low.length - 1];
    expect(high.demandMiB).toBe(low.demandMiB);
    expect(high.assignedMiB).toBeGreaterThan(low.assignedMiB);
    expect(low.assignedMiB).toBeGreaterThanOrEqual(1024);
    // the host handed out what it had: less than a hot-add chunk is left
    expect(sim.report().host.memory.freeMiB).toBeLessThan(128);
    // and both are short of their targets (demand + buffer)
    for (const name of ['high', 'low']) {
      const pid = internalsOf(sim).vms.get(name)?.managed.partitionId ?? 0;
      const target = (internalsOf(sim).balancer.status(pid).targetPages ?? 0) / 256;
      expect(samples[name][samples[name].length - 1].assignedMiB).toBeLessThan(target);
    }
    neverShrinks(samples.high);
    neverShrinks(samples.low);
  });

  it('rule 34: Dynamic Memory ends the paging a static VM of the same startup memory keeps doing', () => {
    const db = (memory: Partial<MemoryVmOptions>): MemoryVmOptions => ({
      name: 'db01',
      kind: 'database',
      intensity: 0.1,
      workingSetMiB: 1280,
      ...memory,
    });
    const perSecond = (vm: MemoryVmOptions): number[] => {
      const { scenario, configuration } = memoryHost({ vms: [vm], durationMs: 3000 });
      const sim = Simulation.create({ scenario, configuration, vsps });
      const ops: number[] = [];
      let before = 0;
      while (!sim.finished) {
        sim.advance(NS_PER_S);
        const now = vmOf(sim.report().vms, 'db01').memory.pagingOps;
        ops.push(now - before);
        before = now;
      }
      return ops;
    };
    const fixed = perSecond(db({ staticMiB: 1024 }));
    const dynamic = perSecond(
      db({ dynamic: { startupMiB: 1024, minimumMiB: 512, maximumMiB: 4096 } }),
    );
    // both page while they wait for the balancer's first round (after the first report)…
    expect(fixed[0]).toBeGreaterThan(1000);
    expect(dynamic[0]).toBe(fixed[0]);
    // …then the dynamic VM has its memory and stops (the last paging window before the hot-add
    // landed still drains), while the static one pages on
    expect(fixed[2]).toBeGreaterThan(1000);
    expect(dynamic[2]).toBeLessThan(fixed[2] / 10);
  });

  it('rule 34: memory a balloon takes from one VM reaches the VM that needs it in the same round', () => {
    // No free host memory: 896 MiB of the 8 GiB stay with the root, the two VMs hold the rest.
    // `giver`'s working set falls to 1024 MiB, `taker`'s rises to 3072 MiB.
    const vm = (name: string, intensity: number): MemoryVmOptions => ({
      ...growing,
      name,
      phases: [{ durationMs: 60_000, intensity }],
      dynamic: { startupMiB: 3648, minimumMiB: 512, maximumMiB: 6144 },
    });
    const { scenario, configuration } = memoryHost({
      vms: [vm('giver', 0), vm('taker', 3)],
      hostMemoryMiB: 8192,
      durationMs: 3000,
    });
    const sim = Simulation.create({ scenario, configuration, vsps });
    const assigned = () => vmOf(sim.report().vms, 'taker').memory.assignedMiB;
    sim.advance(1990 * NS_PER_MS); // the first reports (at ~1 s) are in; the next round is at 2 s
    expect(sim.report().host.memory.freeMiB).toBeLessThan(1);
    const before = assigned();
    expect(before).toBe(3648);
    sim.advance(200 * NS_PER_MS); // the round, the giver's balloon, and the taker's hot-add
    const pid = internalsOf(sim).vms.get('taker')?.managed.partitionId ?? 0;
    const target = (internalsOf(sim).balancer.status(pid).targetPages ?? 0) / 256;
    expect(target).toBeGreaterThan(before + 256);
    expect(sim.report().vms.giver?.memory.balloonedMiB).toBeGreaterThan(target - before);
    // the taker did not wait for the next round to get what the giver gave back
    expect(assigned()).toBeGreaterThanOrEqual(target * 0.99);
    expect(assigned()).toBeLessThanOrEqual(target);
  });

  it('gives the same run for the same seed', () => {
    const a = run([growing], { durationMs: 3000, stepMs: 3000 }).report;
    const b = run([growing], { durationMs: 3000, stepMs: 3000 }).report;
    expect(b.hash).toBe(a.hash);
    expect(JSON.stringify(b.vms)).toBe(JSON.stringify(a.vms));
  });
});
