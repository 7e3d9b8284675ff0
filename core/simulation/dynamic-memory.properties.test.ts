/**
 * Property-based checks of Dynamic Memory as an admin relies on it (HYPERV.md rules 33–34), on
 * random but valid hosts built through the public API (`Simulation.create` with plain scenario
 * and configuration data, the built-in Dynamic Memory VSP) and read back only through the report:
 * assigned memory stays within [minimum, maximum] and within the host, installed memory never
 * shrinks, pressure reports come once a second, pressure with free host memory is met by hot-add,
 * and under contention the higher memory weight keeps more. Seeds are fixed.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { NS_PER_MS, NS_PER_S } from '../engine/index.js';
import type { ConfigurationInput, ScenarioInput } from '../model/index.js';
import { defaultRootReserveMiB } from '../model/index.js';
import { linuxBalloonFloorPages } from '../memory/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { vmOf } from './by-name.js';
import type { SimReport, VmMemoryReport } from './report.js';
import { Simulation } from './simulation.js';

const vsps = BUILT_IN_VSPS;

interface DmVm {
  readonly minimumMiB: number;
  readonly startupMiB: number;
  readonly maximumMiB: number;
  readonly bufferPercent: number;
  readonly priority: number;
  /** The working set at nominal load; the demand is half of it at intensity 0, 1.5× at 3. */
  readonly workingSetMiB: number;
  /** Load before and after `switchMs` (0–3: the demand moves from ½ to 1½ of the working set). */
  readonly intensity: readonly [number, number];
  readonly switchMs: number;
  readonly family: 'linux' | 'windows';
}

interface DmHost {
  readonly memoryMiB: number;
  readonly vms: readonly DmVm[];
  readonly seed: number;
}

const even = (min: number, max: number) =>
  fc.integer({ min: min / 2, max: max / 2 }).map((n) => n * 2);

/** Rule 33's valid settings: minimum ≤ startup ≤ maximum (2 MB units), buffer 5–2000, priority 0–100. */
const dmVm: fc.Arbitrary<DmVm> = fc
  .record({
    sizes: fc.tuple(even(256, 6144), even(256, 6144), even(256, 6144)),
    bufferPercent: fc.oneof(fc.constantFrom(5, 20, 50, 2000), fc.integer({ min: 5, max: 2000 })),
    priority: fc.integer({ min: 0, max: 100 }),
    workingSetMiB: fc.integer({ min: 128, max: 4096 }),
    intensity: fc.tuple(fc.constantFrom(0, 1, 2, 3), fc.constantFrom(0, 1, 2, 3)),
    switchMs: fc.integer({ min: 1000, max: 2500 }),
    family: fc.constantFrom<'linux' | 'windows'>('linux', 'windows'),
  })
  .map(({ sizes, ...rest }) => {
    const [minimumMiB, startupMiB, maximumMiB] = [...sizes].sort((a, b) => a - b);
    return { minimumMiB, startupMiB, maximumMiB, ...rest };
  });

const names = (h: DmHost) => h.vms.map((_, i) => `dm${String(i)}`);

function build(
  h: DmHost,
  durationMs: number,
): { scenario: ScenarioInput; configuration: ConfigurationInput } {
  const vmNames = names(h);
  return {
    scenario: {
      host: {
        processor: { sockets: 1, coresPerSocket: 4, threadsPerCore: 2 },
        memoryMiB: h.memoryMiB,
      },
      vms: h.vms.map((vm, i) => ({
        name: vmNames[i],
        generation: 2,
        os:
          vm.family === 'linux'
            ? { family: 'linux', release: 'Ubuntu 22.04' }
            : { family: 'windows', release: 'Windows Server 2019' },
        devices: [],
        workload: {
          kind: 'idle',
          memoryMiB: vm.workingSetMiB,
          phases: [
            { durationMs: vm.switchMs, intensity: vm.intensity[0] },
            { durationMs: 600_000, intensity: vm.intensity[1] },
          ],
        },
      })),
      durationMs,
      seed: h.seed,
    },
    configuration: {
      host: { scheduler: 'classic', rootVps: 2 },
      vms: Object.fromEntries(
        h.vms.map((vm, i) => [
          vmNames[i],
          {
            integrationComponents: true,
            processor: { count: 2 },
            memory: {
              dynamic: true,
              minimumMiB: vm.minimumMiB,
              startupMiB: vm.startupMiB,
              maximumMiB: vm.maximumMiB,
              bufferPercent: vm.bufferPercent,
              priority: vm.priority,
            },
          },
        ]),
      ),
      vsps: [{ id: 'dm', plugin: 'hyperkata.dynmem' }],
      channels: [],
    },
  };
}

/** Guests' memory available on a host: what its root does not keep (rule 33's check uses it). */
const availableMiB = (memoryMiB: number) => memoryMiB - defaultRootReserveMiB(memoryMiB);

/**
 * A host where every VM starts (its startup memory fits beside the others'; a VM whose startup
 * memory does not fit fails to start, as on Hyper-V), just big enough or — `roomy` — with room
 * for every VM's maximum.
 */
function dmHost(options: { maxVms: number; roomy?: boolean }): fc.Arbitrary<DmHost> {
  return fc
    .record({
      vms: fc.array(dmVm, { minLength: 1, maxLength: options.maxVms }),
      spare: fc.integer({ min: 0, max: 8192 }),
      seed: fc.integer({ min: 1, max: 1000 }),
    })
    .map(({ vms, spare, seed }) => {
      const need = vms.reduce(
        (a, v) => a + (options.roomy === true ? v.maximumMiB : v.startupMiB),
        0,
      );
      // the smallest host (1 GiB steps) whose guests' share covers `need`, then some spare
      let memoryMiB = 4096;
      while (availableMiB(memoryMiB) < need) memoryMiB += 1024;
      return { memoryMiB: memoryMiB + (options.roomy === true ? 1024 : 0) + spare, vms, seed };
    });
}

interface Sample {
  readonly t: number;
  readonly report: SimReport;
}

/** Runs `h` for `durationMs`, reading the report every `stepMs`. */
function sample(h: DmHost, durationMs: number, stepMs: number): Sample[] {
  const { scenario, configuration } = build(h, durationMs);
  const sim = Simulation.create({ scenario, configuration, vsps });
  const out: Sample[] = [];
  while (!sim.finished) {
    sim.advance(stepMs * NS_PER_MS);
    out.push({ t: sim.now, report: sim.report() });
  }
  return out;
}

/** demand × (1 + buffer), clamped to [minimum, maximum] — what a VM with room should get. */
const targetMiB = (vm: DmVm, demandMiB: number) =>
  Math.min(
    vm.maximumMiB,
    Math.max(vm.minimumMiB, Math.ceil((demandMiB * (100 + vm.bufferPercent)) / 100)),
  );

// The report rounds MiB to 0.1.
const ROUND = 0.1;

describe('Dynamic Memory properties on random hosts (rules 33–34)', () => {
  it('rules 33–34: a running VM’s assigned memory stays within [minimum, maximum] and the host’s memory; installed memory never shrinks', () => {
    fc.assert(
      fc.property(dmHost({ maxVms: 3 }), (h) => {
        const samples = sample(h, 4000, 250);
        const installedBefore = new Map<string, number>();
        for (const { report } of samples) {
          let assigned = 0;
          h.vms.forEach((vm, i) => {
            const name = `dm${String(i)}`;
            const r = vmOf(report.vms, name);
            if (r.state !== 'Running') return;
            const m: VmMemoryReport = r.memory;
            assigned += m.assignedMiB;
            expect(m.assignedMiB).toBeGreaterThanOrEqual(vm.minimumMiB - ROUND);
            expect(m.assignedMiB).toBeLessThanOrEqual(vm.maximumMiB + ROUND);
            expect(m.installedMiB).toBeLessThanOrEqual(vm.maximumMiB + ROUND);
            expect(m.assignedMiB).toBeLessThanOrEqual(m.installedMiB + ROUND);
            expect(m.installedMiB).toBeGreaterThanOrEqual(installedBefore.get(name) ?? 0);
            installedBefore.set(name, m.installedMiB);
          });
          expect(report.host.memory.freeMiB).toBeGreaterThanOrEqual(0);
          expect(assigned).toBeLessThanOrEqual(availableMiB(h.memoryMiB) + ROUND * h.vms.length);
          expect(assigned + report.host.memory.freeMiB).toBeLessThanOrEqual(
            availableMiB(h.memoryMiB) + ROUND * h.vms.length + 1,
          );
        }
      }),
      { numRuns: 6 },
    );
  });

  it('rule 34: each VM’s guest reports its memory pressure once a second — none missed, none doubled', () => {
    fc.assert(
      fc.property(dmHost({ maxVms: 3 }), (h) => {
        const { scenario, configuration } = build(h, 7000);
        const sim = Simulation.create({ scenario, configuration, vsps });
        const count = (name: string) => vmOf(sim.report().vms, name).memory.statusReports;
        for (const name of names(h)) {
          // the first report: then the beat is one second, give or take a few ms of guest CPU
          const start = sim.now;
          while (count(name) === 0 && sim.now < start + 3 * NS_PER_S) sim.advance(10 * NS_PER_MS);
        }
        // half a beat after the last VM's first report, then one reading per second
        sim.advance(500 * NS_PER_MS);
        const before = names(h).map(count);
        expect(before.every((n) => n >= 1)).toBe(true);
        for (let k = 1; k <= 3; k++) {
          sim.advance(NS_PER_S);
          names(h).forEach((name, i) => {
            expect(count(name) - before[i]).toBe(k);
          });
        }
      }),
      { numRuns: 6 },
    );
  });

  it('rule 34: with free host memory, a VM under pressure is grown (unballoon, hot-add) to demand + buffer, up to its maximum', () => {
    let hotAdded = 0;
    fc.assert(
      fc.property(dmHost({ maxVms: 3, roomy: true }), (h) => {
        // the demand settles by 2.5 s; the balancer acts once a second, after each report
        const [{ report }] = sample(h, 6000, 6000);
        h.vms.forEach((vm, i) => {
          const m = vmOf(report.vms, `dm${String(i)}`).memory;
          // A Linux guest reports its balloon floor as committed too (L: hv_balloon.c
          // compute_balloon_floor, post_status), so the host sees more than the working set:
          // the floor of its installed memory bounds what that adds.
          const floorMiB =
            vm.family === 'linux' ? linuxBalloonFloorPages(m.installedMiB * 256) / 256 : 0;
          const low = targetMiB(vm, m.demandMiB);
          const high = targetMiB(vm, m.demandMiB + floorMiB);
          // the balancer's dead band: 1 % of the target, at least 1 MiB
          const band = (t: number) => Math.max(1, 0.01 * t) + ROUND;
          expect(m.assignedMiB).toBeGreaterThanOrEqual(low - band(low));
          expect(m.assignedMiB).toBeLessThanOrEqual(high + band(high));
          // growth past the startup memory needs memory the guest never had: hot-add
          if (low - band(low) > vm.startupMiB) {
            expect(m.installedMiB).toBeGreaterThan(vm.startupMiB);
            hotAdded++;
          }
        });
      }),
      { numRuns: 8 },
    );
    // the draws did include VMs that had to grow past their startup memory
    expect(hotAdded).toBeGreaterThanOrEqual(3);
  });

  it('rule 34: under host contention, of two VMs alike but for memory weight (priority) the heavier keeps at least as much', () => {
    let contended = 0;
    fc.assert(
      fc.property(
        dmVm,
        fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })),
        fc.integer({ min: 100, max: 2000 }),
        fc.integer({ min: 0, max: 2048 }),
        fc.integer({ min: 1, max: 1000 }),
        (base, [p, q], buffer, spare, seed) => {
          // Both want their maximum from the start through a large buffer, not a working set
          // above their minimum: the contention is for the buffer, and neither guest pages.
          const vm: DmVm = {
            ...base,
            workingSetMiB: Math.max(32, Math.floor((base.minimumMiB * 2) / 3)),
            intensity: [3, 3],
            bufferPercent: buffer,
          };
          const vms = [
            { ...vm, priority: Math.max(p, q) },
            { ...vm, priority: Math.min(p, q) },
          ];
          // a host where both start (room for both startups), with up to 2 GiB more
          let memoryMiB = 4096;
          while (availableMiB(memoryMiB) < 2 * vm.startupMiB) memoryMiB += 1024;
          memoryMiB += spare;
          const h: DmHost = { memoryMiB, vms, seed };
          const [{ report }] = sample(h, 5000, 5000);
          const heavy = vmOf(report.vms, 'dm0').memory;
          const light = vmOf(report.vms, 'dm1').memory;
          if (heavy.assignedMiB + light.assignedMiB < 2 * vm.maximumMiB - 256) contended++;
          const band = Math.max(1, 0.01 * vm.maximumMiB) + ROUND;
          expect(heavy.assignedMiB).toBeGreaterThanOrEqual(light.assignedMiB - band);
          expect(light.assignedMiB).toBeGreaterThanOrEqual(vm.minimumMiB - ROUND);
        },
      ),
      { numRuns: 10 },
    );
    // the draws did put the two under contention (neither could have its maximum) most times
    expect(contended).toBeGreaterThanOrEqual(5);
  });

  it('rules 33–34: the same configuration and seed give the same report and event-log hash', () => {
    fc.assert(
      fc.property(dmHost({ maxVms: 2 }), (h) => {
        const [a] = sample(h, 2500, 2500);
        const [b] = sample(h, 2500, 2500);
        expect(b.report.hash).toBe(a.report.hash);
        expect(JSON.stringify(b.report)).toBe(JSON.stringify(a.report));
      }),
      { numRuns: 3 },
    );
  });
});
