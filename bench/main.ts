/**
 * `npm run bench`: runs each benchmark scenario and prints its figures next to a baseline measured
 * in the same process. `npm run bench -- --json` prints one JSON object per line, one per scenario.
 * `npm run bench -- --only NAME` runs one scenario.
 *
 * Each scenario runs twice in the same process. The first run is the headline (`wallSeconds`,
 * `packetsPerSecond`, …): what a fresh `hyperkata run` pays, JIT compilation included. The second
 * (`warm*` keys) is the steady state a long-running host (the game's worker, a grader looping over
 * solutions) reaches once V8 has optimised the hot paths. Both runs must produce the same log hash.
 */
import { performance } from 'node:perf_hooks';
import { Simulation, valuesOf } from '../core/index.js';
import { minimalStorvsp } from '../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { baselineEventsPerSecond } from './baseline.js';
import { formatSandboxBench, measureSandboxOverhead } from './sandbox.bench.js';
import { mixedHost } from './scenarios.js';
import type { BenchScenario, BenchTarget } from './scenarios.js';
import { internalsOf } from '../core/simulation/simulation.js';

interface BenchResult {
  scenario: string;
  wallSeconds: number;
  simulatedSeconds: number;
  events: number;
  eventsPerSecond: number;
  packets: number;
  packetsPerSecond: number;
  realTimeFactor: number;
  peakHeapBytes: number;
  baselineEventsPerSecond: number;
  ratioToBaseline: number;
  vms: number;
  completedOps: number;
  /** The same scenario run again in this process, after the first run compiled the hot paths. */
  warmWallSeconds: number;
  warmEventsPerSecond: number;
  warmPacketsPerSecond: number;
  warmRealTimeFactor: number;
  /** The event log's hash, identical for both runs (the benchmark checks it). */
  hash: string;
  /** The scenario's target (issue 2), in words, e.g. "≥ 500000 packets/s". Empty when it has none. */
  target: string;
  /** Whether the first run met every part of its target (true when it has none). */
  meetsTarget: boolean;
}

interface RunFigures {
  wall: number;
  peak: number;
  events: number;
  packets: number;
  simulated: number;
  completed: number;
  vms: number;
  hash: string;
}

/** Issue 2: datacenter-64 pushes ≥ 500k VMBus packets per wall second on one core. */
const DATACENTER_TARGET = { minPacketsPerSecond: 500_000 };
/** Issue 2: max-host finishes its simulated second in ≤ 10 s wall with a peak heap ≤ 2 GB. */
const MAX_HOST_TARGET = { maxWallSeconds: 10, maxPeakHeapBytes: 2 * 1024 ** 3 };

function scenarios(): BenchScenario[] {
  const vsps = [minimalStorvsp()];
  const datacenter = {
    vms: 64,
    sockets: 1,
    coresPerSocket: 16,
    memoryMiB: 512 * 1024,
    rootVps: 4,
    vpsPerVm: 2,
    disks: 4,
    intensity: 1,
  };
  return [
    mixedHost({
      ...datacenter,
      name: 'datacenter-64',
      vsps,
      storagePlugin: 'test.minimal-storage',
      target: DATACENTER_TARGET,
    }),
    // The same host served by the product's storvsp (plugins/storvsp), run natively as built-ins are.
    mixedHost({
      ...datacenter,
      name: 'datacenter-64-storvsp',
      vsps: BUILT_IN_VSPS,
      storagePlugin: 'hyperkata.storvsp',
      // Issue 3: with the real VSPs, datacenter-64 still meets the core's figure.
      target: DATACENTER_TARGET,
    }),
    mixedHost({
      name: 'max-host',
      vms: 1024,
      sockets: 8,
      coresPerSocket: 32,
      memoryMiB: 24 * 1024 * 1024,
      rootVps: 64,
      vpsPerVm: 2,
      disks: 16,
      vsps,
      storagePlugin: 'test.minimal-storage',
      intensity: 0.25,
      target: MAX_HOST_TARGET,
    }),
  ];
}

/** Builds and runs the scenario for its simulated duration; wall time covers both. */
function once(bench: BenchScenario): RunFigures {
  const start = performance.now();
  const sim = Simulation.create({
    scenario: bench.scenario,
    configuration: bench.configuration,
    vsps: bench.vsps,
  });
  let peak = 0;
  const sample = (): void => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  };
  while (!sim.finished) {
    sim.advance(50_000_000);
    sample();
  }
  const wall = (performance.now() - start) / 1000;
  const report = sim.report();
  let packets = 0;
  for (const vsp of internalsOf(sim).vsps.values())
    for (const ch of vsp.channels) packets += ch.packetsIn + ch.packetsOut;
  return {
    wall,
    peak,
    events: report.events,
    packets,
    simulated: sim.now / 1e9,
    completed: valuesOf(report.vms).reduce((a, v) => a + v.completed, 0),
    vms: Object.keys(report.vms).length,
    hash: report.hash,
  };
}

function run(bench: BenchScenario): BenchResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = baselineEventsPerSecond();
  gc?.();
  const cold = once(bench);
  gc?.();
  const warm = once(bench);
  if (warm.hash !== cold.hash) {
    throw new Error(`${bench.name}: the second run's hash ${warm.hash} differs from ${cold.hash}`);
  }
  return {
    scenario: bench.name,
    wallSeconds: round(cold.wall, 3),
    simulatedSeconds: cold.simulated,
    events: cold.events,
    eventsPerSecond: Math.round(cold.events / cold.wall),
    packets: cold.packets,
    packetsPerSecond: Math.round(cold.packets / cold.wall),
    realTimeFactor: round(cold.simulated / cold.wall, 3),
    peakHeapBytes: cold.peak,
    baselineEventsPerSecond: Math.round(baseline),
    ratioToBaseline: round(cold.events / cold.wall / baseline, 3),
    vms: cold.vms,
    completedOps: cold.completed,
    warmWallSeconds: round(warm.wall, 3),
    warmEventsPerSecond: Math.round(warm.events / warm.wall),
    warmPacketsPerSecond: Math.round(warm.packets / warm.wall),
    warmRealTimeFactor: round(warm.simulated / warm.wall, 3),
    hash: cold.hash,
    ...checkTarget(bench.target, cold),
  };
}

/** The target in words and whether the run met it: each part the run missed is marked ✗. */
function checkTarget(
  target: BenchTarget,
  run: RunFigures,
): { target: string; meetsTarget: boolean } {
  const parts: string[] = [];
  let met = true;
  const part = (ok: boolean, text: string) => {
    met &&= ok;
    parts.push(ok ? text : `${text} ✗`);
  };
  if (target.minPacketsPerSecond !== undefined)
    part(
      run.packets / run.wall >= target.minPacketsPerSecond,
      `≥ ${target.minPacketsPerSecond} packets/s`,
    );
  if (target.maxWallSeconds !== undefined)
    part(run.wall <= target.maxWallSeconds, `≤ ${target.maxWallSeconds} s`);
  if (target.maxPeakHeapBytes !== undefined)
    part(run.peak <= target.maxPeakHeapBytes, `≤ ${target.maxPeakHeapBytes / 1024 ** 3} GB heap`);
  return { target: parts.join(', '), meetsTarget: met };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const results: BenchResult[] = [];
for (const bench of scenarios()) {
  if (only !== undefined && bench.name !== only) continue;
  const r = run(bench);
  results.push(r);
  if (json) console.log(JSON.stringify(r));
}
if (!json && results.length > 0) {
  console.table(
    results.map((r) => ({
      scenario: r.scenario,
      'wall s': r.wallSeconds,
      'sim s': r.simulatedSeconds,
      'events/s': r.eventsPerSecond,
      'packets/s': r.packetsPerSecond,
      'real-time ×': r.realTimeFactor,
      'peak heap MB': Math.round(r.peakHeapBytes / 1e6),
      'baseline events/s': r.baselineEventsPerSecond,
      'ratio to baseline': r.ratioToBaseline,
      'warm wall s': r.warmWallSeconds,
      'warm packets/s': r.warmPacketsPerSecond,
      target: r.target === '' ? '—' : `${r.meetsTarget ? 'met' : 'NOT met'}: ${r.target}`,
    })),
  );
}

// The sandbox's overhead per packet: storvsp native and the same plugin sandboxed, side by side.
if (only === undefined || only === 'sandbox') {
  const sandbox = await measureSandboxOverhead();
  console.log(json ? JSON.stringify(sandbox) : formatSandboxBench(sandbox));
}
