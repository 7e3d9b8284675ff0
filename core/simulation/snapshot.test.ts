/**
 * `Simulation.snapshot()`: what a display reads of the host at one instant, through the public
 * API alone — the LP grid, each VM's state and VPs, completions and recent history.
 */
import { describe, expect, it } from '@jest/globals';
import { Simulation, entriesOf, valuesOf } from '../index.js';
import type { HostSnapshot } from '../index.js';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';

function host(options: Partial<Parameters<typeof storageHost>[0]> = {}) {
  const { scenario, configuration } = storageHost({
    vms: [{ name: 'db01', vps: 2 }, { name: 'web01', kind: 'web', vps: 4 }, { name: 'db02' }],
    ...options,
  });
  return Simulation.create({ scenario, configuration, vsps: [minimalStorvsp()] });
}

describe('Simulation.snapshot', () => {
  it('before the VMs start: every VM is there, Off or Starting, with no partition and no VPs', () => {
    const view = host().snapshot();
    expect(Object.keys(view.vms)).toEqual(['db01', 'web01', 'db02']);
    for (const vm of valuesOf(view.vms)) {
      expect(['Off', 'Starting']).toContain(vm.state);
      expect(vm).toMatchObject({ partitionId: 0, vps: [], completed: 0, recent: [] });
    }
    expect(view.lps.every((lp) => lp.runs !== 'vm')).toBe(true);
    expect(view).toMatchObject({ time: 0, finished: false });
  });

  it('while running: states, partitions, VP states and completions agree with the report', () => {
    const sim = host();
    sim.advance(50_000_000);
    const view = sim.snapshot({ history: 20 });
    const report = sim.report();
    expect(view.time).toBe(sim.now);
    const ids = new Set<number>();
    for (const [name, vm] of entriesOf(view.vms)) {
      expect(vm.state).toBe('Running');
      expect(vm.partitionId).toBeGreaterThan(0);
      ids.add(vm.partitionId);
      expect(vm.completed).toBe(report.vms[name]?.completed);
      expect(vm.recent).toHaveLength(20);
      for (const sample of vm.recent) {
        expect(sample.ringFill).toBeGreaterThanOrEqual(0);
        expect(sample.ringFill).toBeLessThanOrEqual(1);
      }
      // The last 20 ms cannot have completed more than the whole run.
      expect(vm.recent.reduce((a, s) => a + s.completed, 0)).toBeLessThanOrEqual(vm.completed);
    }
    expect(ids.size).toBe(3);
    expect(view.vms.db01?.vps).toHaveLength(2);
    expect(view.vms.web01?.vps).toHaveLength(4);
    expect(view.vms.db01?.completed).toBeGreaterThan(0);
  });

  it('the LP grid: each VM VP on at most one LP, shown running; root VPs only on their own LP (rule 31)', () => {
    const sim = host({ rootVps: 2 });
    let sawGuest = false;
    for (let step = 0; step < 200; step++) {
      sim.advance(250_000);
      const view = sim.snapshot();
      const placed = new Set<string>();
      view.lps.forEach((lp, index) => {
        if (lp.runs === 'root') expect(lp.vp).toBe(index);
        if (lp.runs !== 'vm') return;
        sawGuest = true;
        const key = `${lp.vm}/${String(lp.vp)}`;
        expect(placed.has(key)).toBe(false);
        placed.add(key);
        expect(view.vms[lp.vm]?.vps[lp.vp]).toBe('running');
      });
      // …and every VP the scheduler calls running is on some LP.
      for (const [name, vm] of entriesOf(view.vms))
        vm.vps.forEach((state, vp) => {
          if (state === 'running') expect(placed.has(`${name}/${String(vp)}`)).toBe(true);
        });
    }
    expect(sawGuest).toBe(true);
  });

  it('rule 29: under the core scheduler, the two LPs of a core never show VPs of two VMs', () => {
    const sim = host({ scheduler: 'core', threadsPerCore: 2, cores: 4 });
    let shared = 0;
    for (let step = 0; step < 400; step++) {
      sim.advance(100_000);
      const { lps } = sim.snapshot({ history: 0 });
      for (let lp = 0; lp + 1 < lps.length; lp += 2) {
        const [a, b] = [lps[lp], lps[lp + 1]];
        if (a.runs === 'vm' && b.runs === 'vm' && a.vm !== b.vm) shared++;
      }
    }
    expect(shared).toBe(0);
  });

  it('taking snapshots changes nothing: the same hash with and without them', () => {
    const quiet = host();
    const watched = host();
    let views: HostSnapshot[] = [];
    while (!watched.finished) {
      watched.advance(1_000_000);
      views.push(watched.snapshot({ history: 600 }));
      if (views.length > 10) views = [];
    }
    expect(watched.report().hash).toBe(quiet.runToEnd().hash);
    expect(watched.snapshot().finished).toBe(true);
  });

  it('is plain data: it survives structured cloning (a worker can post it) unchanged', () => {
    const sim = host();
    sim.advance(30_000_000);
    const view = sim.snapshot();
    expect(structuredClone(view)).toEqual(view);
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });

  it('lost requests by device: a disk with no channel loses every request, a wired one none; the sums are the report’s', () => {
    const { scenario, configuration } = storageHost({
      vms: [{ name: 'db01' }, { name: 'db02' }],
    });
    // db01's only disk is left without a channel (a generation 2 VM has no emulated disk to fall
    // back on); db02's is wired. (A VM with a second, wired disk would not lose any: the guest
    // sends its I/O to the disks that work.)
    const channels = (configuration.channels ?? []).filter((c) => c.vm !== 'db01');
    const sim = Simulation.create({
      scenario,
      configuration: { ...configuration, channels },
      vsps: [minimalStorvsp()],
    });
    expect(sim.snapshot().vms.db01?.lostByDevice).toEqual({ scsi0: 0 });
    sim.advance(100_000_000);
    const view = sim.snapshot();
    const report = sim.report();
    expect(view.vms.db01?.lostByDevice.scsi0).toBeGreaterThan(0);
    expect(view.vms.db02?.lostByDevice).toEqual({ scsi0: 0 });
    for (const [name, vm] of entriesOf(view.vms)) {
      const r = report.vms[name];
      const total = Object.values(vm.lostByDevice).reduce((a, b) => a + b, 0);
      expect(total).toBe((r?.misrouted ?? 0) + (r?.dropped ?? 0) + (r?.failed ?? 0));
    }
  });
});
