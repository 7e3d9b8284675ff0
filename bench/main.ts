/**
 * `npm run bench`: runs each benchmark scenario and prints its figures next to a baseline measured
 * in the same process. `npm run bench -- --json` prints one JSON object per line, one per scenario.
 * `npm run bench -- --only NAME` runs one scenario.
 */
import { performance } from 'node:perf_hooks';
import { Simulation } from '../core/index.js';
import { minimalStorvsp } from '../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { baselineEventsPerSecond } from './baseline.js';
import { formatSandboxBench, measureSandboxOverhead } from './sandbox.bench.js';
import { mixedHost } from './scenarios.js';
import type { BenchScenario } from './scenarios.js';

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
}

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
    }),
    // The same host served by the product's storvsp (plugins/storvsp), run natively as built-ins are.
    mixedHost({
      ...datacenter,
      name: 'datacenter-64-storvsp',
      vsps: BUILT_IN_VSPS,
      storagePlugin: 'hyperkata.storvsp',
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
    }),
  ];
}

function run(bench: BenchScenario): BenchResult {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const baseline = baselineEventsPerSecond();
  gc?.();
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
  for (const vsp of sim.internals.vsps.values())
    for (const ch of vsp.channels) packets += ch.packetsIn + ch.packetsOut;
  const simulated = sim.now / 1e9;
  const completed = Object.values(report.vms).reduce((a, v) => a + v.completed, 0);
  return {
    scenario: bench.name,
    wallSeconds: round(wall, 3),
    simulatedSeconds: simulated,
    events: report.events,
    eventsPerSecond: Math.round(report.events / wall),
    packets,
    packetsPerSecond: Math.round(packets / wall),
    realTimeFactor: round(simulated / wall, 3),
    peakHeapBytes: peak,
    baselineEventsPerSecond: Math.round(baseline),
    ratioToBaseline: round(report.events / wall / baseline, 3),
    vms: Object.keys(report.vms).length,
    completedOps: completed,
  };
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
    })),
  );
}

// The sandbox's overhead per packet: storvsp native and the same plugin sandboxed, side by side.
if (only === undefined || only === 'sandbox') {
  const sandbox = await measureSandboxOverhead();
  console.log(json ? JSON.stringify(sandbox) : formatSandboxBench(sandbox));
}
