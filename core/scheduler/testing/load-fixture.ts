/**
 * Test fixture: drives a scheduler with a described load (VMs, CPU-bound threads, timed work
 * items, suspensions) through the engine, and records what completed when. Used by the property
 * tests (fast-check generates the loads) and by the determinism tests. Not part of the API.
 */
import fc from 'fast-check';
import { SimEngine } from '../../engine/index.js';
import type { Ns } from '../../engine/index.js';
import { CpuTopology } from '../../hardware/cpu/index.js';
import type { ProcessorSpec } from '../../hardware/cpu/index.js';
import type { SchedulerType } from '../../model/index.js';
import { HypervisorScheduler } from '../scheduler.js';
import { SuspendReason, WorkClass } from '../types.js';

export interface LoadVm {
  readonly vpCount: number;
  readonly weight: number;
  readonly reservePercent: number;
  readonly limitPercent: number;
  /** Which VPs run a CPU-bound background thread from the start. */
  readonly background: readonly boolean[];
}

export interface LoadItem {
  /** Index into `vms`, or -1 for the root partition. */
  readonly vm: number;
  readonly vp: number;
  readonly atNs: Ns;
  readonly costNs: Ns;
  readonly interrupt: boolean;
}

export interface LoadSuspension {
  readonly vm: number;
  readonly vp: number;
  readonly atNs: Ns;
  readonly forNs: Ns;
}

export interface Load {
  readonly vms: readonly LoadVm[];
  readonly items: readonly LoadItem[];
  readonly suspensions: readonly LoadSuspension[];
}

export interface LoadRun {
  readonly engine: SimEngine;
  readonly scheduler: HypervisorScheduler;
  /** `time label` for every completed item, in firing order. */
  readonly completions: string[];
}

export interface LoadOptions {
  readonly type: SchedulerType;
  readonly processor: ProcessorSpec;
  readonly rootVps: number;
  readonly load: Load;
  readonly untilNs: Ns;
  readonly quantumNs?: Ns;
  /** Called after every engine event: the state between two events holds for that whole span. */
  readonly onStep?: (scheduler: HypervisorScheduler) => void;
}

/** Runs `load` and returns what happened. */
export function runLoad(opts: LoadOptions): LoadRun {
  const engine = new SimEngine();
  const topology = CpuTopology.fromProcessor(opts.processor);
  const scheduler = new HypervisorScheduler(engine, topology, {
    type: opts.type,
    rootVps: opts.rootVps,
    quantumNs: opts.quantumNs,
  });
  const completions: string[] = [];
  const vpIds = opts.load.vms.map((vm, i) => {
    const p = scheduler.addPartition({
      partitionId: 100 + i,
      vpCount: vm.vpCount,
      controls: {
        weight: vm.weight,
        reservePercent: vm.reservePercent,
        limitPercent: vm.limitPercent,
      },
    });
    vm.background.forEach((on, vp) => {
      if (on && vp < p.vps.length) scheduler.setBackground(p.vps[vp], true);
    });
    return p.vps;
  });
  const vpOf = (vm: number, vp: number): number => {
    const ids = vm < 0 ? scheduler.root.vps : vpIds[vm];
    return ids[vp % ids.length];
  };
  const done = engine.define<number>('load.done', (n) => completions.push(`${engine.now} #${n}`));
  const submit = engine.define<number>('load.submit', (n) => {
    const it = opts.load.items[n];
    const cls = it.interrupt ? WorkClass.Interrupt : WorkClass.Thread;
    scheduler.submit(vpOf(it.vm, it.vp), it.costNs, cls, done, n, n);
  });
  const hold = engine.define<number>('load.suspend', (n) => {
    const s = opts.load.suspensions[n];
    scheduler.suspend(vpOf(s.vm, s.vp), SuspendReason.VmPaused);
  });
  const release = engine.define<number>('load.resume', (n) => {
    const s = opts.load.suspensions[n];
    scheduler.resume(vpOf(s.vm, s.vp), SuspendReason.VmPaused);
  });
  opts.load.items.forEach((it, n) => {
    engine.at(it.atNs, submit, n, n);
  });
  opts.load.suspensions.forEach((s, n) => {
    engine.at(s.atNs, hold, n, n);
    engine.at(s.atNs + s.forNs, release, n, n);
  });
  while (engine.nextEventTime() <= opts.untilNs) {
    engine.step();
    opts.onStep?.(scheduler);
  }
  engine.runUntil(opts.untilNs);
  return { engine, scheduler, completions };
}

const US = 1_000;

/** fast-check arbitrary for a small random load: up to `maxVms` VMs of 1–`maxVps` VPs. */
export function arbitraryLoad(opts: {
  maxVms: number;
  maxVps: number;
  horizonNs: Ns;
  withRoot: boolean;
}): fc.Arbitrary<Load> {
  const vm = fc.record({
    vpCount: fc.integer({ min: 1, max: opts.maxVps }),
    weight: fc.constantFrom(1, 50, 100, 200, 10_000),
    reservePercent: fc.constantFrom(0, 0, 10, 30),
    limitPercent: fc.constantFrom(100, 100, 50, 40),
    background: fc.array(fc.boolean(), { minLength: opts.maxVps, maxLength: opts.maxVps }),
  });
  const item = fc.record({
    vm: fc.integer({ min: opts.withRoot ? -1 : 0, max: opts.maxVms - 1 }),
    vp: fc.integer({ min: 0, max: opts.maxVps - 1 }),
    atNs: fc.integer({ min: 0, max: opts.horizonNs }),
    costNs: fc.oneof(
      fc.integer({ min: 0, max: 50 * US }),
      fc.integer({ min: 1_000 * US, max: 30_000 * US }),
    ),
    interrupt: fc.boolean(),
  });
  const suspension = fc.record({
    vm: fc.integer({ min: 0, max: opts.maxVms - 1 }),
    vp: fc.integer({ min: 0, max: opts.maxVps - 1 }),
    atNs: fc.integer({ min: 0, max: opts.horizonNs }),
    forNs: fc.integer({ min: 1, max: 20_000 * US }),
  });
  return fc
    .record({
      vms: fc.array(vm, { minLength: 1, maxLength: opts.maxVms }),
      items: fc.array(item, { maxLength: 60 }),
      suspensions: fc.array(suspension, { maxLength: 4 }),
    })
    .map((load) => ({
      ...load,
      items: load.items.filter((i) => i.vm < load.vms.length),
      suspensions: load.suspensions.filter((s) => s.vm < load.vms.length),
    }));
}
