import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, MAX_RING_KIB } from '../model/index.js';
import type { ConfigurationInput } from '../model/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { smallConfiguration, smallScenario } from '../testing/fixtures.js';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { Simulation, SimulationUsageError, internalsOf } from './simulation.js';
import type { NarrationLine } from './event-log.js';

const vsps = [minimalStorvsp()];

describe('Simulation (public API)', () => {
  it('runs a database VM end to end: storvsc → VMBus → storage VSP → disk → completion', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }] });
    const sim = Simulation.create({ scenario, configuration, vsps });
    const lines: string[] = [];
    sim.on((l) => lines.push(l.text));
    const report = sim.runToEnd();
    const db = report.vms.db01;
    expect(db?.state).toBe('Running');
    expect(db?.path).toEqual({ scsi0: 'synthetic' });
    // 4000 ops/s offered for ~178 ms after boot: the synthetic path keeps up with all of it.
    expect(db?.completed).toBeGreaterThan(600);
    expect(db?.dropped).toBe(0);
    // Latency is the NVMe's 80 µs plus guest, VMBus and VSP overheads of some tens of µs.
    expect(db?.p50LatencyUs).toBeGreaterThan(80);
    expect(db?.p50LatencyUs).toBeLessThan(300);
    expect(report.host.openChannels).toBe(1);
    expect(lines.some((l) => l.includes('channel opened'))).toBe(true);
    expect(lines.some((l) => l.includes('storvsc ready'))).toBe(true);
  });

  it('gives the same hash and report for the same seed, and a different hash for another seed', () => {
    const run = (seed: number) => {
      const { scenario, configuration } = storageHost({
        vms: [{ name: 'a' }, { name: 'b', kind: 'file' }],
        seed,
      });
      return Simulation.create({ scenario, configuration, vsps }).runToEnd();
    };
    const first = run(5);
    const again = run(5);
    expect(again.hash).toBe(first.hash);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(run(6).hash).not.toBe(first.hash);
  });

  it('advances in steps to exactly the same result as one run to the end', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }] });
    const stepped = Simulation.create({ scenario, configuration, vsps });
    while (!stepped.finished) stepped.advance(16_666_667);
    const whole = Simulation.create({ scenario, configuration, vsps }).runToEnd();
    expect(stepped.report().hash).toBe(whole.hash);
  });

  it('refuses an impossible configuration before the run, naming the field', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01', vps: 300 }] });
    expect(() =>
      Simulation.create({
        scenario,
        configuration,
        vsps,
        sources: { configuration: 'my.solution.json' },
      }),
    ).toThrow(ConfigurationError);
    expect(() =>
      Simulation.create({
        scenario,
        configuration,
        vsps,
        sources: { configuration: 'my.solution.json' },
      }),
    ).toThrow(/my\.solution\.json: vms\.db01\.processor\.count/);
  });

  it('refuses at create, not inside the run, what the host would refuse when the VM starts', () => {
    // Rule 32: a reserve above the limit. Rule 9: a ring too large for one GPADL.
    const reserve = storageHost({ vms: [{ name: 'db01' }] });
    const vm = reserve.configuration.vms.db01;
    reserve.configuration.vms.db01 = {
      ...vm,
      processor: { ...vm.processor, reservePercent: 80, limitPercent: 20 },
    };
    const ring = storageHost({ vms: [{ name: 'db01' }] });
    ring.configuration.channels = [{ vm: 'db01', device: 'scsi0', vsp: 'stor', ringKiB: 16_384 }];
    for (const [inputs, path] of [
      [reserve, /my\.solution\.json: vms\.db01\.processor\.reservePercent/],
      [ring, /my\.solution\.json: channels\[0\]\.ringKiB/],
    ] as const) {
      expect(() =>
        Simulation.create({ ...inputs, vsps, sources: { configuration: 'my.solution.json' } }),
      ).toThrow(path);
    }
  });

  it('refuses a seed override that is not a 32-bit unsigned integer, like the scenario seed', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }] });
    // 2^32 would alias seed 0 and NaN would run as 0, each reported as a different seed.
    for (const seed of [-1, 1.5, Number.NaN, Infinity, 2 ** 32]) {
      expect(() => Simulation.create({ scenario, configuration, vsps, seed })).toThrow(
        /seed: expected an integer from 0 to 4294967295/,
      );
    }
    const sim = Simulation.create({ scenario, configuration, vsps, seed: 0xffffffff });
    expect(sim.report().seed).toBe(0xffffffff);
  });

  it('rule 9: a channel with the largest ring the configuration accepts opens and carries I/O', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 60 });
    configuration.channels = [{ vm: 'db01', device: 'scsi0', vsp: 'stor', ringKiB: MAX_RING_KIB }];
    const report = Simulation.create({ scenario, configuration, vsps }).runToEnd();
    expect(report.host.openChannels).toBe(1);
    expect(report.vms.db01?.completed).toBeGreaterThan(0);
  });

  it('rule 33: a VM whose startup memory the host cannot give fails to start; the report says so', () => {
    // Minimums fit the host (so the configuration is accepted), startup memory does not: the
    // first Dynamic Memory VM takes 3000 MiB at boot and old01's 512 MiB no longer fit.
    const scenario = smallScenario();
    scenario.host.memoryMiB = 4096;
    const configuration = smallConfiguration();
    configuration.vms.db01.memory = {
      dynamic: true,
      startupMiB: 3000,
      minimumMiB: 512,
      maximumMiB: 3000,
    };
    configuration.vms.old01.memory = { dynamic: false, startupMiB: 512 };
    configuration.vsps = [...(configuration.vsps ?? []), { id: 'dm', plugin: 'hyperkata.dynmem' }];
    const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
    const report = sim.runToEnd();
    expect(report.vms.db01?.state).toBe('Running');
    expect(report.vms.old01).toMatchObject({ state: 'Off', cpuPercent: 0, completed: 0 });
    expect(report.vms.old01?.failure).toMatch(/^not enough host memory for 512 MiB/);
  });

  it('rule 33: a VM that fails to start gives back its partition, its deposits and its memory', () => {
    // a (Dynamic Memory) takes 3000 MiB of the 4 GiB host at boot; b's 1024 MiB no longer fit,
    // c's 256 MiB do. The same host without b is what the failed start must leave behind.
    const run = (names: readonly string[]) => {
      const { scenario, configuration } = storageHost({ vms: names.map((name) => ({ name })) });
      scenario.host.memoryMiB = 4096;
      const memory: Record<string, ConfigurationInput['vms'][string]['memory']> = {
        a: { dynamic: true, startupMiB: 3000, minimumMiB: 512, maximumMiB: 3000 },
        b: { dynamic: false, startupMiB: 1024 },
        c: { dynamic: false, startupMiB: 256 },
      };
      for (const name of names) configuration.vms[name].memory = memory[name];
      configuration.vsps = [
        ...(configuration.vsps ?? []),
        { id: 'dm', plugin: 'hyperkata.dynmem' },
      ];
      const sim = Simulation.create({ scenario, configuration, vsps: [...vsps, ...BUILT_IN_VSPS] });
      const report = sim.runToEnd();
      const rt = internalsOf(sim);
      return {
        report,
        partitions: rt.hv.partitions.all().map((p) => rt.vmNameOf(p.id)),
        hypervisor: {
          runningChildren: rt.hv.partitions.activeChildren,
          childVps: rt.hv.partitions.childVps,
          rootPagesNoChildHolds: rt.winhv.rootFreePages + rt.hv.root.pool.freePages,
        },
        schedulerVps: rt.scheduler.snapshot().vps.length,
        hostFreePages: rt.memory.host.freePages,
      };
    };
    const failed = run(['a', 'b', 'c']);
    const without = run(['a', 'c']);
    expect(failed.report.vms.b).toMatchObject({ state: 'Off', cpuPercent: 0, completed: 0 });
    expect(failed.report.vms.b?.failure).toMatch(/^not enough host memory for 1024 MiB/);
    expect(failed.partitions).toEqual(['root', 'a', 'c']);
    expect(failed.hypervisor).toEqual(without.hypervisor);
    expect(failed.schedulerVps).toBe(without.schedulerVps);
    expect(failed.hostFreePages).toBe(without.hostFreePages);
    expect(failed.report.host.memory).toEqual(without.report.host.memory);
    for (const vm of ['a', 'c']) {
      expect(failed.report.vms[vm]?.state).toBe('Running');
      expect(failed.report.vms[vm]?.completed).toBeGreaterThan(0);
    }
  });

  describe('narration listeners cannot break the run they follow', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 60 });
    const create = () => Simulation.create({ scenario, configuration, vsps });
    const untouched = create().runToEnd().hash;

    it('a listener that throws: the step still completes, then advance rethrows its error', () => {
      const sim = create();
      const boom = new Error('listener bug');
      let lines = 0;
      sim.on(() => {
        if (lines++ === 0) throw boom;
      });
      const caught: unknown[] = [];
      while (!sim.finished) {
        try {
          sim.advance(1_000_000);
        } catch (e) {
          caught.push(e);
        }
      }
      expect(caught).toEqual([boom]);
      expect(lines).toBeGreaterThan(1);
      expect(sim.report().hash).toBe(untouched);
    });

    it('advance or runToEnd called from a listener is refused, and the run is unaffected', () => {
      const sim = create();
      let tried = false;
      sim.on(() => {
        if (tried) return;
        tried = true;
        sim.runToEnd();
      });
      expect(() => {
        sim.advance(10_000_000);
      }).toThrow(SimulationUsageError);
      expect(sim.now).toBe(10_000_000);
      expect(sim.runToEnd().hash).toBe(untouched);
    });

    it("a listener subscribed by another listener hears the lines after the one being delivered (the DOM's addEventListener)", () => {
      const sim = create();
      let delivering: NarrationLine | null = null;
      const late: NarrationLine[] = [];
      sim.on((line) => {
        if (delivering !== null) return;
        delivering = line;
        sim.on((l) => late.push(l));
      });
      sim.advance(25_000_000);
      const all = sim.recent(10_000);
      expect(all[0]).toBe(delivering);
      expect(late).not.toContain(delivering);
      expect(late).toEqual(all.slice(1));
    });

    it('a listener unsubscribed by an earlier listener does not hear the line being delivered', () => {
      const sim = create();
      const heard: NarrationLine[] = [];
      let stopSecond: (() => void) | null = null;
      sim.on(() => {
        stopSecond?.();
      });
      stopSecond = sim.on((l) => heard.push(l));
      sim.advance(25_000_000);
      expect(sim.recent(10_000).length).toBeGreaterThan(0);
      expect(heard).toEqual([]);
    });
  });

  it('recent(n) gives at most the last n narration lines, and none for 0, a negative or NaN', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 40 });
    const sim = Simulation.create({ scenario, configuration, vsps });
    sim.runToEnd();
    const all = sim.recent(1_000);
    expect(all.length).toBeGreaterThan(3);
    expect(sim.recent(2)).toEqual(all.slice(-2));
    expect(sim.recent(2.7)).toEqual(all.slice(-2));
    for (const n of [0, -1, 0.5, Number.NaN]) expect(sim.recent(n)).toEqual([]);
  });

  it('rule 31: the root partition has exactly the VPs the host gives it (minroot), each pinned to its own LP', () => {
    // 8 LPs, 2 root VPs: the hypervisor creates 2 root VPs, not one per LP.
    const { scenario, configuration } = storageHost({
      vms: [{ name: 'db01' }],
      cores: 4,
      rootVps: 2,
      durationMs: 20,
    });
    const sim = Simulation.create({ scenario, configuration, vsps });
    sim.runToEnd();
    const root = internalsOf(sim).hv.root;
    expect(root.vpCount).toBe(2);
    expect(internalsOf(sim).cpu.vpCount(root.id)).toBe(2);
    // Every root VP the hypervisor knows is one the scheduler runs: its work was scheduled.
    const used = sim.report().host.rootCpuPercent;
    expect(used).toBeGreaterThan(0);
  });
});
