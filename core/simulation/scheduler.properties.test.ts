/**
 * Property-based checks of the scheduler relations a Hyper-V admin relies on (HYPERV.md rules
 * 28–32), on random but valid hosts built through the public API (`Simulation.create` with plain
 * scenario and configuration data) and read back only through what the game and CLI read: the
 * report and the snapshot. Every VM runs a batch job — a CPU-bound thread on each VP — so it
 * always has "enough demand". Seeds are fixed: a failure names its counterexample and replays.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { NS_PER_MS } from '../engine/index.js';
import type { ConfigurationInput, HostOs, ScenarioInput, SchedulerType } from '../model/index.js';
import { ConfigurationError } from '../model/index.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { valuesOf, vmOf } from './by-name.js';
import { Simulation } from './simulation.js';
import type { SimReport } from './report.js';

const vsps = [minimalStorvsp()];

interface CpuVm {
  readonly vps: number;
  readonly weight: number;
  readonly reservePercent: number;
  readonly limitPercent: number;
}

interface CpuHost {
  readonly cores: number;
  readonly threadsPerCore: 1 | 2;
  readonly rootVps: number;
  readonly scheduler: SchedulerType;
  /** ws2016 VMs are non-SMT under the core scheduler (rule 29); the root scheduler needs 2019+. */
  readonly os: HostOs;
  readonly vms: readonly CpuVm[];
  readonly seed: number;
}

const lpsOf = (h: Pick<CpuHost, 'cores' | 'threadsPerCore'>): number => h.cores * h.threadsPerCore;
/** What the scheduler hands out: LPs, or cores under the core scheduler on an SMT host (rule 29). */
const unitsOf = (h: Pick<CpuHost, 'cores' | 'threadsPerCore' | 'scheduler'>): number =>
  h.scheduler === 'core' && h.threadsPerCore === 2 ? h.cores : lpsOf(h);
/**
 * The host's reserves in those units (rule 32): count × reserve LPs; under the core scheduler on
 * an SMT host a core runs one VM at a time, so an SMT VM's VPs take a core two by two and a
 * non-SMT one's (ws2016's default, unless it has more VPs than the host has cores) one each.
 */
const reservedOf = (h: Omit<CpuHost, 'rootVps' | 'seed'>): number =>
  h.vms.reduce((a, v) => {
    if (unitsOf(h) === lpsOf(h)) return a + (v.vps * v.reservePercent) / 100;
    const smt = h.os !== 'ws2016' || v.vps > h.cores;
    return a + ((smt ? Math.ceil(v.vps / 2) : v.vps) * v.reservePercent) / 100;
  }, 0);

/** Plain scenario and configuration for a draw: a host with one disk, one batch VM per entry. */
function build(
  h: CpuHost,
  durationMs: number,
): { scenario: ScenarioInput; configuration: ConfigurationInput } {
  const names = h.vms.map((_, i) => `vm${String(i)}`);
  return {
    scenario: {
      host: {
        os: h.os,
        processor: { sockets: 1, coresPerSocket: h.cores, threadsPerCore: h.threadsPerCore },
        memoryMiB: 65_536,
        disks: [
          { id: 'ssd0', kind: 'nvme', iops: 400_000, mbps: 3000, latencyUs: 80, queueDepth: 256 },
        ],
      },
      vms: names.map((name) => ({
        name,
        generation: 2,
        os: { family: 'linux', release: 'Ubuntu 22.04' },
        devices: [{ id: 'scsi0', class: 'storage', sizeGiB: 100 }],
        workload: { kind: 'batch', intensity: 1, memoryMiB: 512 },
      })),
      durationMs,
      seed: h.seed,
    },
    configuration: {
      host: { scheduler: h.scheduler, rootVps: h.rootVps },
      vms: Object.fromEntries(
        h.vms.map((v, i) => [
          names[i],
          {
            integrationComponents: true,
            processor: {
              count: v.vps,
              weight: v.weight,
              reservePercent: v.reservePercent,
              limitPercent: v.limitPercent,
            },
            memory: { dynamic: false, startupMiB: 1024 },
          },
        ]),
      ),
      vsps: [{ id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' }],
      channels: names.map((vm) => ({ vm, device: 'scsi0', vsp: 'stor' })),
    },
  };
}

/** Whole percents and a few round values, so counterexamples read like Set-VMProcessor calls. */
const percent = fc.oneof(fc.constantFrom(0, 10, 25, 50, 100), fc.integer({ min: 0, max: 100 }));

function cpuVm(options: {
  reserves: boolean;
  limits: boolean;
  maxVps: number;
}): fc.Arbitrary<CpuVm> {
  return fc
    .record({
      vps: fc.integer({ min: 1, max: options.maxVps }),
      weight: fc.oneof(fc.constantFrom(1, 100, 200, 10_000), fc.integer({ min: 1, max: 10_000 })),
      a: options.reserves ? percent : fc.constant(0),
      b: options.limits ? percent : fc.constant(100),
    })
    .map(({ vps, weight, a, b }) => ({
      vps,
      weight,
      // rule 32: reserve ≤ limit; draw two percents and order them
      reservePercent: options.reserves && options.limits ? Math.min(a, b) : a,
      limitPercent: options.reserves && options.limits ? Math.max(a, b) : b,
    }));
}

/** A valid host: VPs per VM at most the host's LPs, reserves that fit the host (rule 32). */
function cpuHost(options: {
  schedulers: readonly SchedulerType[];
  reserves?: boolean;
  limits?: boolean;
  maxVms?: number;
  /** Only hosts whose VMs together want more than the LPs (each VP up to its limit). */
  contended?: boolean;
}): fc.Arbitrary<CpuHost> {
  return (
    fc
      .record({
        cores: fc.integer({ min: 1, max: 4 }),
        threadsPerCore: fc.constantFrom<1 | 2>(1, 2),
        scheduler: fc.constantFrom(...options.schedulers),
        os: fc.constantFrom<HostOs>('ws2016', 'ws2019', 'ws2022'),
        rootVps: fc.integer({ min: 1, max: 2 }),
        seed: fc.integer({ min: 1, max: 1000 }),
      })
      .chain((h) => {
        const lps = lpsOf(h);
        return fc
          .array(
            cpuVm({
              reserves: options.reserves ?? true,
              limits: options.limits ?? true,
              maxVps: Math.min(lps, 4),
            }),
            { minLength: 1, maxLength: options.maxVms ?? 4 },
          )
          .map((vms) => ({
            ...h,
            // rule 30: no root scheduler on Windows Server 2016
            os: h.scheduler === 'root' && h.os === 'ws2016' ? ('ws2019' as const) : h.os,
            rootVps: Math.min(h.rootVps, lps),
            vms,
          }));
      })
      // Reserves may take at most all LPs (cores under the core scheduler on an SMT host) but
      // half of one: a host reserved to the last LP starves the root's VPs (no reserve of their
      // own), and VMMS cannot start the next VM.
      .filter((h) => reservedOf(h) <= unitsOf(h) - 0.5)
      .filter(
        (h) =>
          options.contended !== true ||
          h.vms.reduce((a, v) => a + (v.vps * v.limitPercent) / 100, 0) > lpsOf(h),
      )
  );
}

interface Window {
  /** Each VM's CPU over the window, percent of its VPs' time (as the report counts it). */
  readonly vmCpu: number[];
  /** The root's CPU over the window, LP-ms. */
  readonly rootLpMs: number;
  /** How far the report's rounding (0.1 % of the run) can move a VM's window figure, points. */
  readonly rounding: number;
  readonly first: SimReport;
  readonly last: SimReport;
}

/**
 * Runs a draw for `lengthMs` of measurement: the window opens on the 100 ms accounting grid, at
 * `fromMs` or one whole period after the last VM reached Running (a VM starting on a saturated
 * host boots slowly: its worker's work in the root competes for the LPs), and `onStep` sees the
 * live simulation every `stepUs` through it.
 */
function runWindow(
  h: CpuHost,
  fromMs: number,
  lengthMs: number,
  onStep?: (sim: Simulation) => void,
  stepUs = 1000,
): Window {
  const period = 100 * NS_PER_MS;
  const { scenario, configuration } = build(h, fromMs + lengthMs + 3000);
  const sim = Simulation.create({ scenario, configuration, vsps });
  const running = () =>
    valuesOf(sim.snapshot({ history: 0 }).vms).every((v) => v.state === 'Running');
  while (!running() && sim.now < 3000 * NS_PER_MS) sim.advance(NS_PER_MS);
  expect(running()).toBe(true);
  const from = Math.max(fromMs * NS_PER_MS, (Math.ceil(sim.now / period) + 1) * period);
  sim.advance(from - sim.now);
  const first = sim.report();
  const to = from + lengthMs * NS_PER_MS;
  if (onStep === undefined) sim.advance(to - from);
  else {
    while (sim.now < to) {
      sim.advance(Math.min(stepUs * 1000, to - sim.now));
      onStep(sim);
    }
  }
  const last = sim.report();
  const runMs = (r: SimReport, name: string, vps: number) =>
    (vmOf(r.vms, name).cpuPercent / 100) * r.durationMs * vps;
  const vmCpu = h.vms.map((v, i) => {
    const name = `vm${String(i)}`;
    return (100 * (runMs(last, name, v.vps) - runMs(first, name, v.vps))) / (lengthMs * v.vps);
  });
  const rootMs = (r: SimReport) => (r.host.rootCpuPercent / 100) * r.durationMs * h.rootVps;
  const rounding = (0.05 * (first.durationMs + last.durationMs)) / lengthMs;
  return { vmCpu, rootLpMs: rootMs(last) - rootMs(first), rounding, first, last };
}

describe('scheduler properties on random hosts (rules 28–32)', () => {
  it('rule 32: a VM never uses more than its limit of its VPs’ time, under classic and core', () => {
    fc.assert(
      fc.property(cpuHost({ schedulers: ['classic', 'core'] }), (h) => {
        const w = runWindow(h, 200, 1000);
        h.vms.forEach((v, i) => {
          // the window is whole accounting periods, so the limit holds in it exactly
          expect(w.vmCpu[i]).toBeLessThanOrEqual(v.limitPercent + w.rounding);
          // and over the whole run too (the report's own figure)
          expect(vmOf(w.last.vms, `vm${String(i)}`).cpuPercent).toBeLessThanOrEqual(
            v.limitPercent + 0.1,
          );
        });
      }),
      { numRuns: 12 },
    );
  });

  it.each<SchedulerType>(['classic', 'core'])(
    'rule 32: a CPU-bound VM with a reserve gets at least its reserve under contention (%s)',
    (scheduler) => {
      fc.assert(
        // No tolerance but the report's rounding: the window is whole accounting periods, and
        // reserves that fit the host are met in full in each one (the VP most owed goes first,
        // and one with no slack left preempts one owed less).
        fc.property(cpuHost({ schedulers: [scheduler], maxVms: 6, contended: true }), (h) => {
          const w = runWindow(h, 200, 1000);
          h.vms.forEach((v, i) => {
            if (v.reservePercent > 0)
              expect(w.vmCpu[i]).toBeGreaterThanOrEqual(v.reservePercent - w.rounding);
          });
        }),
        { numRuns: 12 },
      );
    },
  );

  it('rule 28: under contention, CPU-bound VMs share the LPs by weight (weighted fair share, each VP at most one LP)', () => {
    // No limits here: a limit is a per-period budget, and when capped VPs leave their LPs late
    // in a period, fewer VPs than LPs may be left to use them — time the fluid share below does
    // not lose. Limits have their own property above.
    fc.assert(
      fc.property(
        cpuHost({
          schedulers: ['classic'],
          reserves: false,
          limits: false,
          maxVms: 5,
          contended: true,
        }),
        (h) => {
          const w = runWindow(h, 1500, 1000);
          const lps = lpsOf(h);
          // Measured from 1.5 s: fair share is reached over a few periods, not in the first
          // one. A VM that starts late begins at the virtual-runtime floor, the least-served VP
          // running; when that is a heavy VP alone on its LP (its virtual runtime hardly moves),
          // the newcomer runs ahead of the light VMs it shares with until it catches up with
          // them — a few hundred ms.
          // What the guests can have: the LPs less what the root used.
          const capacity = lps - w.rootLpMs / 1000;
          const expected = waterFill(h.vms, capacity);
          h.vms.forEach((_, i) => {
            // 5 points or 10 %: 10 ms slices, the wakeup granularity and sleeper credit (rule
            // 28's estimates) keep a 1 s window from the fluid share by a few slices
            const tolerance = Math.max(5, 0.1 * expected[i]);
            expect(Math.abs(w.vmCpu[i] - expected[i])).toBeLessThanOrEqual(tolerance);
          });
        },
      ),
      { numRuns: 12 },
    );
  });

  it('rules 28–31: the CPU used never exceeds the LPs, no VP runs on two LPs at once, and root VP i runs only on LP i', () => {
    fc.assert(
      fc.property(cpuHost({ schedulers: ['classic', 'core', 'root'] }), (h) => {
        const lps = lpsOf(h);
        const w = runWindow(
          h,
          0,
          200,
          (sim) => {
            const seen = new Set<string>();
            sim.snapshot({ history: 0 }).lps.forEach((lp, i) => {
              if (lp.runs === 'idle') return;
              if (lp.runs === 'root') expect(lp.vp).toBe(i);
              const key =
                lp.runs === 'root' ? `root/${String(lp.vp)}` : `${lp.vm}/${String(lp.vp)}`;
              expect(seen.has(key)).toBe(false);
              seen.add(key);
            });
          },
          131,
        );
        const used =
          h.vms.reduce(
            (a, v, i) => a + (vmOf(w.last.vms, `vm${String(i)}`).cpuPercent * v.vps) / 100,
            0,
          ) +
          (w.last.host.rootCpuPercent * h.rootVps) / 100;
        // each figure is rounded to 0.1 % of its VPs
        const rounding = (0.05 * (h.vms.reduce((a, v) => a + v.vps, 0) + h.rootVps)) / 100;
        expect(used).toBeLessThanOrEqual(lps + rounding);
        expect(w.last.host.lpUtilizationPercent).toBeLessThanOrEqual(100);
        expect(Math.abs(used - (w.last.host.lpUtilizationPercent * lps) / 100)).toBeLessThanOrEqual(
          rounding + (0.05 * lps) / 100,
        );
      }),
      { numRuns: 6 },
    );
  });

  it('rule 29: under the core scheduler the SMT siblings of a core never run two partitions at the same instant', () => {
    fc.assert(
      fc.property(
        cpuHost({ schedulers: ['core'] }).filter((h) => h.threadsPerCore === 2),
        (h) => {
          let mixed = 0;
          let instants = 0;
          const w = runWindow(
            h,
            0,
            300,
            (sim) => {
              const lps = sim.snapshot({ history: 0 }).lps;
              instants++;
              for (let lp = 0; lp + 1 < lps.length; lp += 2) {
                const owner = (s: (typeof lps)[number]) =>
                  s.runs === 'idle' ? null : s.runs === 'root' ? '(root)' : s.vm;
                const a = owner(lps[lp]);
                const b = owner(lps[lp + 1]);
                if (a !== null && b !== null && a !== b) mixed++;
              }
            },
            37,
          );
          expect(instants).toBeGreaterThan(5000);
          expect(mixed).toBe(0);
          expect(w.last.host.siblingSharingPercent).toBe(0);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('rules 29, 32: reserves adding up to more than the host’s LPs (cores, under the core scheduler on an SMT host) are refused before the run, naming the total', () => {
    fc.assert(
      fc.property(
        fc
          .record({
            cores: fc.integer({ min: 1, max: 4 }),
            threadsPerCore: fc.constantFrom<1 | 2>(1, 2),
            scheduler: fc.constantFrom<SchedulerType>('classic', 'core'),
            os: fc.constantFrom<HostOs>('ws2016', 'ws2019', 'ws2022'),
          })
          .chain((h) =>
            fc
              .array(
                fc.record({
                  vps: fc.integer({ min: 1, max: lpsOf(h) }),
                  weight: fc.constant(100),
                  reservePercent: fc.integer({ min: 1, max: 100 }),
                  limitPercent: fc.constant(100),
                }),
                { minLength: 1, maxLength: 6 },
              )
              .map((vms) => ({ ...h, vms })),
          ),
        (d) => {
          const h: CpuHost = { ...d, rootVps: 1, seed: 1 };
          const { scenario, configuration } = build(h, 10);
          const create = () => Simulation.create({ scenario, configuration, vsps });
          const reserved = reservedOf(h);
          if (reserved <= unitsOf(h) + 1e-9) {
            expect(create).not.toThrow();
            return;
          }
          expect(create).toThrow(ConfigurationError);
          const unit = unitsOf(h) === lpsOf(h) ? 'logical processors' : 'cores';
          expect(create).toThrow(`${reserved.toFixed(2)} ${unit} reserved`);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('rules 29, 32: under the core scheduler a Windows Server 2016 host counts reserves in cores — three non-SMT VMs reserving 90 % each (2.7 of 4 LPs) are refused on 2 cores', () => {
    // Each non-SMT VP owed its reserve holds a whole core, its sibling idle: 2.7 cores' worth
    // of reserves cannot be met on 2. Counted in LPs (2.7 ≤ 4) the check let them through.
    const vm = { vps: 1, weight: 100, reservePercent: 90, limitPercent: 100 };
    const h: CpuHost = {
      cores: 2,
      threadsPerCore: 2,
      scheduler: 'core',
      os: 'ws2016',
      rootVps: 1,
      seed: 1,
      vms: [vm, vm, vm],
    };
    const { scenario, configuration } = build(h, 10);
    const create = () => Simulation.create({ scenario, configuration, vsps });
    expect(create).toThrow(ConfigurationError);
    expect(create).toThrow('2.70 cores reserved');
    // the same VMs under classic share the siblings: 2.7 of 4 LPs fit
    const classic = build({ ...h, scheduler: 'classic' }, 10);
    expect(() => Simulation.create({ ...classic, vsps })).not.toThrow();
  });

  it.each<HostOs>(['ws2016', 'ws2019'])(
    'rules 29, 32: under the core scheduler on a %s SMT host, reserves that fit the cores are met beside a CPU-bound VM with no reserve',
    (os) => {
      // ws2016: non-SMT VMs, 2 × 70 % of a core each = 1.4 of 2 cores. ws2019: SMT VMs, whose two
      // VPs share a core: 2 VMs × 2 VPs × 70 % = 1.4 of 2 cores (2.8 LPs of 4).
      const vps = os === 'ws2016' ? 1 : 2;
      const reserved = { vps, weight: 1, reservePercent: 70, limitPercent: 100 };
      const hog = { vps: 2, weight: 10_000, reservePercent: 0, limitPercent: 100 };
      const h: CpuHost = {
        cores: 2,
        threadsPerCore: 2,
        scheduler: 'core',
        os,
        rootVps: 1,
        seed: 7,
        vms: [reserved, reserved, hog],
      };
      const w = runWindow(h, 200, 1000);
      expect(w.vmCpu[0]).toBeGreaterThanOrEqual(70 - w.rounding);
      expect(w.vmCpu[1]).toBeGreaterThanOrEqual(70 - w.rounding);
    },
  );

  it('rules 28–32: the same configuration and seed give the same report and event-log hash', () => {
    fc.assert(
      fc.property(cpuHost({ schedulers: ['classic', 'core', 'root'] }), (h) => {
        const a = runWindow(h, 100, 200).last;
        const b = runWindow(h, 100, 200).last;
        expect(b.hash).toBe(a.hash);
        expect(b.events).toBe(a.events);
        expect(JSON.stringify(b)).toBe(JSON.stringify(a));
        expect(valuesOf(a.vms).length).toBe(h.vms.length);
      }),
      { numRuns: 6 },
    );
  });
});

/**
 * Weighted max-min fair share of `capacity` LPs among CPU-bound VPs: each VP's share grows in
 * proportion to its weight until it reaches its cap (its limit, at most one LP); what a capped
 * VP cannot take goes to the others. Returns each VM's expected CPU, percent of its VPs.
 */
function waterFill(vms: readonly CpuVm[], capacity: number): number[] {
  const caps = vms.map((v) => v.limitPercent / 100);
  const share = vms.map(() => 0);
  let open = vms.map((_, i) => i).filter((i) => caps[i] > 0);
  let left = capacity;
  while (open.length > 0 && left > 1e-12) {
    const weight = open.reduce((a, i) => a + vms[i].weight * vms[i].vps, 0);
    const per = left / weight; // LPs per unit of weight, per VP
    const full = open.filter((i) => vms[i].weight * per >= caps[i] - share[i]);
    if (full.length === 0) {
      for (const i of open) share[i] += vms[i].weight * per;
      break;
    }
    for (const i of full) {
      left -= (caps[i] - share[i]) * vms[i].vps;
      share[i] = caps[i];
    }
    open = open.filter((i) => !full.includes(i));
  }
  return share.map((s) => 100 * s);
}
