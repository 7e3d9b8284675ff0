import { describe, expect, it } from '@jest/globals';
import { SimEngine } from '../engine/index.js';
import type { Ns } from '../engine/index.js';
import { CpuTopology } from '../hardware/cpu/index.js';
import type { ProcessorSpec } from '../hardware/cpu/index.js';
import type { SchedulerType } from '../model/index.js';
import { SLEEPER_CREDIT_NS } from './constants.js';
import { HypervisorScheduler } from './scheduler.js';
import { WorkClass } from './types.js';
import fc from 'fast-check';
import { arbitraryLoad, runLoad } from './testing/load-fixture.js';
import { idleWhileWaiting } from './testing/work-conserving.js';

const MS = 1_000_000;
const ONE_LP: ProcessorSpec = { sockets: 1, coresPerSocket: 1, threadsPerCore: 1 };

function host(opts: { type?: SchedulerType; processor?: ProcessorSpec; quantumNs?: Ns } = {}) {
  const engine = new SimEngine();
  const topology = CpuTopology.fromProcessor(opts.processor ?? ONE_LP);
  const sched = new HypervisorScheduler(engine, topology, {
    type: opts.type ?? 'classic',
    rootVps: 1,
    quantumNs: opts.quantumNs,
  });
  const finished = new Map<string, Ns>();
  const done = engine.define<string>('done', (label) => finished.set(label, engine.now));
  return { engine, sched, finished, done };
}

describe('classic scheduler (rule 28: fair-share, preemptive round-robin)', () => {
  it('rule 28: two CPU-bound VMs with equal weights share one LP about 50/50', () => {
    const { engine, sched } = host();
    const a = sched.addPartition({ partitionId: 1, vpCount: 1 });
    const b = sched.addPartition({ partitionId: 2, vpCount: 1 });
    sched.setBackground(a.vps[0], true);
    sched.setBackground(b.vps[0], true);
    engine.runUntil(1000 * MS);
    const ra = sched.vpMetrics(a.vps[0]).runNs;
    const rb = sched.vpMetrics(b.vps[0]).runNs;
    expect(ra + rb).toBe(1000 * MS); // the LP never idles while both want it
    expect(ra / rb).toBeGreaterThan(0.95);
    expect(ra / rb).toBeLessThan(1.05);
  });

  it('rule 28: weights 200:100 share one LP about 2:1', () => {
    const { engine, sched } = host();
    const a = sched.addPartition({ partitionId: 1, vpCount: 1, controls: { weight: 200 } });
    const b = sched.addPartition({ partitionId: 2, vpCount: 1, controls: { weight: 100 } });
    sched.setBackground(a.vps[0], true);
    sched.setBackground(b.vps[0], true);
    engine.runUntil(1000 * MS);
    const ratio = sched.vpMetrics(a.vps[0]).runNs / sched.vpMetrics(b.vps[0]).runNs;
    expect(ratio).toBeGreaterThan(1.9);
    expect(ratio).toBeLessThan(2.1);
  });

  it('rule 28: work progresses only while scheduled — 5 ms of work on half an LP takes ~10 ms', () => {
    const { engine, sched, finished, done } = host({ quantumNs: MS / 2 });
    const a = sched.addPartition({ partitionId: 1, vpCount: 1 });
    const b = sched.addPartition({ partitionId: 2, vpCount: 1 });
    sched.setBackground(a.vps[0], true);
    sched.setBackground(b.vps[0], true);
    engine.runUntil(200 * MS);
    sched.submit(b.vps[0], 5 * MS, WorkClass.Thread, done, 'item');
    engine.runUntil(300 * MS);
    const took = (finished.get('item') ?? Infinity) - 200 * MS;
    expect(took).toBeGreaterThanOrEqual(9 * MS);
    expect(took).toBeLessThanOrEqual(11 * MS);
  });

  it('rule 28: with the default quantum, 50 ms of work next to a CPU hog takes ~100 ms', () => {
    const { engine, sched, finished, done } = host();
    const a = sched.addPartition({ partitionId: 1, vpCount: 1 });
    const b = sched.addPartition({ partitionId: 2, vpCount: 1 });
    sched.setBackground(a.vps[0], true);
    sched.setBackground(b.vps[0], true);
    engine.runUntil(200 * MS);
    sched.submit(b.vps[0], 50 * MS, WorkClass.Thread, done, 'item');
    engine.runUntil(400 * MS);
    const took = (finished.get('item') ?? Infinity) - 200 * MS;
    expect(took).toBeGreaterThanOrEqual(90 * MS);
    expect(took).toBeLessThanOrEqual(110 * MS);
    // and alone on the LP the same work takes exactly its cost
    const solo = host();
    const c = solo.sched.addPartition({ partitionId: 1, vpCount: 1 });
    solo.sched.submit(c.vps[0], 50 * MS, WorkClass.Thread, solo.done, 'item');
    solo.engine.runUntil(400 * MS);
    expect(solo.finished.get('item')).toBe(50 * MS);
  });

  it('rule 28: a VP waking with a little I/O work preempts a CPU hog instead of waiting a slice', () => {
    const { engine, sched, finished, done } = host();
    const hog = sched.addPartition({ partitionId: 1, vpCount: 1 });
    const io = sched.addPartition({ partitionId: 2, vpCount: 1 });
    sched.setBackground(hog.vps[0], true);
    const tick = engine.define<number>('tick', (n) => {
      sched.submit(io.vps[0], 20_000, WorkClass.Interrupt, done, `io${n}`);
      if (n < 50) engine.after(2 * MS, tick, n + 1);
    });
    engine.at(3 * MS, tick, 0);
    engine.runUntil(200 * MS);
    for (let n = 0; n <= 50; n++) {
      expect((finished.get(`io${n}`) ?? Infinity) - (3 + 2 * n) * MS).toBe(20_000);
    }
    expect(sched.vpMetrics(hog.vps[0]).runNs).toBe(200 * MS - 51 * 20_000);
  });

  it('rule 28: a long sleeper gets only a bounded head start, not its whole absence as credit', () => {
    const { engine, sched } = host();
    const a = sched.addPartition({ partitionId: 1, vpCount: 1 });
    const b = sched.addPartition({ partitionId: 2, vpCount: 1 });
    sched.setBackground(a.vps[0], true);
    engine.runUntil(1000 * MS); // b slept through a second of a's running
    sched.setBackground(b.vps[0], true);
    engine.runUntil(1200 * MS);
    const bRan = sched.vpMetrics(b.vps[0]).runNs;
    // fair share of the 200 ms is 100 ms; b may be ahead by at most its credit and a slice
    expect(bRan).toBeGreaterThan(90 * MS);
    expect(bRan).toBeLessThanOrEqual(100 * MS + SLEEPER_CREDIT_NS + 10 * MS);
  });

  it('rule 28: a VM that had idle LPs to itself does not pay that time back once others compete', () => {
    // Fair share divides the LPs under contention; CPU nobody else wanted is not a debt. a (weight
    // 50) runs alone for 80 ms, b wakes onto the idle LP, c arrives 10 ms later and the three
    // contend for 2 LPs: from then on a is owed 50 / 250 of 2 LPs, 80 ms of the next 200.
    const { engine, sched } = host({
      processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: 1 },
    });
    const a = sched.addPartition({ partitionId: 1, vpCount: 1, controls: { weight: 50 } });
    const b = sched.addPartition({ partitionId: 2, vpCount: 1 });
    const c = sched.addPartition({ partitionId: 3, vpCount: 1 });
    sched.setBackground(a.vps[0], true);
    engine.runUntil(80 * MS);
    sched.setBackground(b.vps[0], true);
    engine.runUntil(90 * MS);
    sched.setBackground(c.vps[0], true);
    const before = sched.vpMetrics(a.vps[0]).runNs;
    engine.runUntil(290 * MS);
    const aRan = sched.vpMetrics(a.vps[0]).runNs - before;
    // a slice either way, and the sleeper credit b and c may start with
    expect(aRan).toBeGreaterThan(80 * MS - 10 * MS - SLEEPER_CREDIT_NS);
    expect(aRan).toBeLessThan(80 * MS + 10 * MS);
  });

  it('rule 28: VPs float across LPs and use every LP when they are many', () => {
    const { engine, sched } = host({
      processor: { sockets: 1, coresPerSocket: 4, threadsPerCore: 1 },
    });
    const vm = sched.addPartition({ partitionId: 1, vpCount: 6 });
    for (const vp of vm.vps) sched.setBackground(vp, true);
    engine.runUntil(600 * MS);
    const busy = sched.hostMetrics().lpBusyNs;
    for (const b of busy) expect(b).toBe(600 * MS);
    const runs = vm.vps.map((vp) => sched.vpMetrics(vp).runNs);
    for (const r of runs) {
      expect(r).toBeGreaterThan(380 * MS); // 4 LPs / 6 VPs = 400 ms each
      expect(r).toBeLessThan(420 * MS);
    }
  });

  it.each<SchedulerType>(['classic', 'root'])(
    'rule 28: %s is work-conserving: no runnable VP waits while an LP it may use is idle',
    (type) => {
      fc.assert(
        fc.property(
          arbitraryLoad({ maxVms: 4, maxVps: 3, horizonNs: 60 * MS, withRoot: true }),
          (load) => {
            const problems: string[] = [];
            runLoad({
              type,
              processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: 2 },
              rootVps: 2,
              load,
              untilNs: 100 * MS,
              onStep: (s) => problems.push(...idleWhileWaiting(s, false)),
            });
            expect(problems).toEqual([]);
          },
        ),
        { numRuns: 40 },
      );
    },
  );
});
