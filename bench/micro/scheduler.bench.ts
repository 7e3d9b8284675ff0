/**
 * Scheduler benchmark: work items completed per wall-clock second, each case printed next to a
 * baseline measured in the same process (a bare loop of engine events that do nothing).
 *
 *   node --import tsx core/scheduler/scheduler.bench.ts
 *
 * (a) 32 LPs, 64 VMs × 2 VPs, short VMBus-like I/O: guest item → root VSP item → device delay →
 *     guest interrupt item → think time → again;
 * (b) 512 LPs, 1024 VMs × 2 VPs (2048 guest VPs) + 64 root VPs, light load (~1 % per VP);
 * (c) overcommitted: 16 LPs, 64 VPs, half of them CPU-bound, half doing I/O.
 *
 * Each case runs a warm-up (20 % of its length) and then times a steady window. "Outside the
 * engine" subtracts events/item × the depth-matched baseline cost of an event; it is what the
 * scheduler and the benchmark's own handlers cost.
 */
import { Random, SimEngine } from '../../core/engine/index.js';
import type { Ns } from '../../core/engine/index.js';
import { CpuTopology } from '../../core/hardware/cpu/index.js';
import type { ProcessorSpec } from '../../core/hardware/cpu/index.js';
import type { SchedulerType } from '../../core/model/index.js';
import { HypervisorScheduler } from '../../core/scheduler/scheduler.js';
import { WorkClass } from '../../core/scheduler/types.js';

const US = 1_000;
const MS = 1_000_000;
/** Simulated time run before the timed window, as a share of the window. */
const WARM_UP_SHARE = 0.2;

function wallMs(): number {
  return performance.now();
}

/**
 * Events per wall second of self-rescheduling no-op events: the engine's own ceiling. With
 * `chains` > 1, that many run side by side, so the event queue is as deep as in a case.
 */
function baseline(events: number, chains: number): number {
  const engine = new SimEngine();
  let left = events;
  const tick = engine.define<null>('tick', () => {
    if (--left > 0) engine.after(chains, tick, null);
  });
  for (let i = 0; i < chains; i++) engine.at(i, tick, null);
  const t0 = wallMs();
  engine.runUntil(Infinity);
  return engine.log.events / ((wallMs() - t0) / 1000);
}

interface CaseSpec {
  readonly name: string;
  readonly type: SchedulerType;
  readonly processor: ProcessorSpec;
  readonly rootVps: number;
  readonly vms: number;
  readonly vpsPerVm: number;
  readonly simulatedNs: Ns;
  /** Guest item, VSP item in the root, interrupt item back in the guest. */
  readonly guestNs: Ns;
  readonly vspNs: Ns;
  readonly isrNs: Ns;
  readonly deviceNs: Ns;
  /** Mean think time between two requests of one VP. */
  readonly thinkNs: Ns;
  /** Fraction of guest VPs that run a CPU-bound thread instead of doing I/O. */
  readonly cpuBoundShare: number;
}

interface CaseResult {
  readonly items: number;
  readonly wallMs: number;
  readonly events: number;
  readonly busyShare: number;
}

/** One guest VP's request loop: each stage is a work item or a delay, driven by engine events. */
function runCase(spec: CaseSpec): CaseResult {
  const engine = new SimEngine();
  const topology = CpuTopology.fromProcessor(spec.processor);
  const sched = new HypervisorScheduler(engine, topology, {
    type: spec.type,
    rootVps: spec.rootVps,
  });
  const think = new Random(1).stream('think');
  const guestVps: number[] = [];
  for (let vm = 0; vm < spec.vms; vm++) {
    const p = sched.addPartition({ partitionId: vm + 1, vpCount: spec.vpsPerVm });
    guestVps.push(...p.vps);
  }
  const rootOf = (n: number) => sched.root.vps[n % spec.rootVps];
  let items = 0;
  // stage handlers take the index of the requesting guest VP
  const issue = engine.define<number>('bench.issue', (n) => {
    sched.submit(guestVps[n], spec.guestNs, WorkClass.Thread, guestDone, n);
  });
  const guestDone = engine.define<number>('bench.guest-done', (n) => {
    items++;
    sched.submit(rootOf(n), spec.vspNs, WorkClass.Thread, vspDone, n);
  });
  const vspDone = engine.define<number>('bench.vsp-done', (n) => {
    items++;
    engine.after(spec.deviceNs, device, n);
  });
  const device = engine.define<number>('bench.device', (n) => {
    sched.submit(guestVps[n], spec.isrNs, WorkClass.Interrupt, isrDone, n);
  });
  const isrDone = engine.define<number>('bench.isr-done', (n) => {
    items++;
    engine.after(Math.round(think.exponential(spec.thinkNs)), issue, n);
  });
  const cpuBound = Math.round(guestVps.length * spec.cpuBoundShare);
  guestVps.forEach((vp, n) => {
    if (n < cpuBound) sched.setBackground(vp, true);
    else engine.at(Math.round(think.exponential(spec.thinkNs)), issue, n);
  });
  // warm up (JIT, pools, queues reach their working depth), then time a steady window
  const warmNs = Math.round(spec.simulatedNs * WARM_UP_SHARE);
  engine.runUntil(warmNs);
  const items0 = items;
  const events0 = engine.log.events;
  const busy0 = sched.hostMetrics().lpBusyNs.reduce((a, b) => a + b, 0);
  const t0 = wallMs();
  engine.runUntil(warmNs + spec.simulatedNs);
  const wall = wallMs() - t0;
  const busy = sched.hostMetrics().lpBusyNs.reduce((a, b) => a + b, 0) - busy0;
  return {
    items: items - items0,
    wallMs: wall,
    events: engine.log.events - events0,
    busyShare: busy / (topology.lpCount * spec.simulatedNs),
  };
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

function report(spec: CaseSpec): void {
  const r = runCase(spec);
  const events = Math.max(r.events, 1_000_000);
  const bare = baseline(events, 1);
  const deep = baseline(events, spec.vms * spec.vpsPerVm);
  const perSecond = r.items / (r.wallMs / 1000);
  const nsPerItem = (r.wallMs * 1e6) / r.items;
  const outsideEngine = nsPerItem - (r.events / r.items) * (1e9 / deep);
  console.log(
    `${spec.name.padEnd(44)} ${fmt(perSecond).padStart(11)} items/s  ` +
      `${fmt(nsPerItem).padStart(5)} ns/item  ` +
      `${(r.events / r.items).toFixed(2)} events/item  ` +
      `${(r.wallMs / 1000 / (spec.simulatedNs / 1e9)).toFixed(2)} s wall per simulated s  ` +
      `(${fmt(r.items)} items, LPs ${(r.busyShare * 100).toFixed(1)} % busy; ` +
      `≈ ${fmt(outsideEngine)} ns/item outside the engine: scheduler + benchmark handlers)`,
  );
  console.log(
    `${'  baseline: bare engine events'.padEnd(44)} ${fmt(bare).padStart(11)} events/s  ` +
      `${fmt(1e9 / bare).padStart(5)} ns/event; with ${spec.vms * spec.vpsPerVm} chains ` +
      `side by side ${fmt(deep)} events/s, ${fmt(1e9 / deep)} ns/event`,
  );
}

const io = { guestNs: 4 * US, vspNs: 3 * US, isrNs: 2 * US, deviceNs: 50 * US };

for (const type of ['classic', 'core', 'root'] as const) {
  report({
    name: `(a) 32 LPs, 64 VMs × 2 VPs, I/O — ${type}`,
    type,
    processor: { sockets: 1, coresPerSocket: 16, threadsPerCore: 2 },
    rootVps: 8,
    vms: 64,
    vpsPerVm: 2,
    simulatedNs: 200 * MS,
    ...io,
    thinkNs: 20 * US,
    cpuBoundShare: 0,
  });
}
for (const type of ['classic', 'core'] as const) {
  report({
    name: `(b) 512 LPs, 2048 VPs, light load — ${type}`,
    type,
    processor: { sockets: 16, coresPerSocket: 16, threadsPerCore: 2 },
    rootVps: 64,
    vms: 1024,
    vpsPerVm: 2,
    simulatedNs: 1000 * MS,
    guestNs: 20 * US,
    vspNs: 5 * US,
    isrNs: 2 * US,
    deviceNs: 100 * US,
    thinkNs: 2 * MS,
    cpuBoundShare: 0,
  });
}
for (const type of ['classic', 'core'] as const) {
  report({
    name: `(c) overcommitted 16 LPs, 64 VPs — ${type}`,
    type,
    processor: { sockets: 1, coresPerSocket: 8, threadsPerCore: 2 },
    rootVps: 4,
    vms: 32,
    vpsPerVm: 2,
    simulatedNs: 500 * MS,
    ...io,
    thinkNs: 20 * US,
    cpuBoundShare: 0.5,
  });
}
