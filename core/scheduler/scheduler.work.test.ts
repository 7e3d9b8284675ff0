import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SimEngine } from '../engine/index.js';
import { CpuTopology } from '../hardware/cpu/index.js';
import { SchedulerError } from './errors.js';
import { arbitraryLoad, runLoad } from './testing/load-fixture.js';
import { HypervisorScheduler } from './scheduler.js';
import { SCHEDULER_TYPES } from './testing/scheduler-types.js';
import { SuspendReason, WorkClass } from './types.js';

const MS = 1_000_000;
const US = 1_000;

function oneLp() {
  const engine = new SimEngine();
  const topology = CpuTopology.fromProcessor({ sockets: 1, coresPerSocket: 1, threadsPerCore: 1 });
  const sched = new HypervisorScheduler(engine, topology, { type: 'classic', rootVps: 1 });
  const log: string[] = [];
  const done = engine.define<string>('done', (label) => log.push(`${label}@${engine.now}`));
  const vm = sched.addPartition({ partitionId: 1, vpCount: 1 });
  return { engine, sched, log, done, vp: vm.vps[0] };
}

describe('VP work model', () => {
  it('runs interrupt work before queued thread work, pausing the thread item in progress', () => {
    const { engine, sched, log, done, vp } = oneLp();
    sched.submit(vp, 100 * US, WorkClass.Thread, done, 't1');
    sched.submit(vp, 100 * US, WorkClass.Thread, done, 't2');
    engine.runUntil(30 * US);
    sched.submit(vp, 10 * US, WorkClass.Interrupt, done, 'isr');
    sched.submit(vp, 10 * US, WorkClass.Interrupt, done, 'dpc');
    engine.runUntil(MS);
    // t1 had 70 µs left when the ISR arrived; it resumes after both interrupt items
    expect(log).toEqual([`isr@${40 * US}`, `dpc@${50 * US}`, `t1@${120 * US}`, `t2@${220 * US}`]);
  });

  it('holds queued work while a VP is suspended, until every reason is released', () => {
    const { engine, sched, log, done, vp } = oneLp();
    sched.submit(vp, 100 * US, WorkClass.Thread, done, 'a');
    engine.runUntil(40 * US);
    sched.suspend(vp, SuspendReason.InterceptPending);
    sched.suspend(vp, SuspendReason.VmPaused);
    sched.submit(vp, 10 * US, WorkClass.Interrupt, done, 'isr');
    engine.runUntil(MS);
    sched.resume(vp, SuspendReason.InterceptPending);
    expect(sched.stateOf(vp)).toBe('suspended');
    expect(sched.isSuspended(vp, SuspendReason.VmPaused)).toBe(true);
    engine.runUntil(2 * MS);
    expect(log).toEqual([]);
    sched.resume(vp, SuspendReason.VmPaused);
    engine.runUntil(3 * MS);
    expect(log).toEqual([`isr@${2 * MS + 10 * US}`, `a@${2 * MS + 70 * US}`]);
    const m = sched.vpMetrics(vp);
    expect(m.suspendedNs).toBe(2 * MS - 40 * US);
    expect(m.runNs).toBe(110 * US);
  });

  it('lets a CPU-bound background thread soak idle time, and accounts what it got', () => {
    const { engine, sched, log, done, vp } = oneLp();
    sched.setBackground(vp, true);
    engine.runUntil(10 * MS);
    sched.submit(vp, MS, WorkClass.Thread, done, 'work');
    engine.runUntil(20 * MS);
    expect(log).toEqual([`work@${11 * MS}`]); // queued work goes before the background thread
    const m = sched.vpMetrics(vp);
    expect(m.runNs).toBe(20 * MS);
    expect(m.backgroundNs).toBe(19 * MS);
    sched.setBackground(vp, false);
    engine.runUntil(30 * MS);
    expect(sched.stateOf(vp)).toBe('idle');
    expect(sched.vpMetrics(vp).backgroundNs).toBe(19 * MS);
  });

  it('measures ready time: a VP waiting behind a CPU hog accumulates ready ns', () => {
    const { engine, sched } = oneLp();
    const hog = sched.addPartition({ partitionId: 2, vpCount: 1 });
    const other = sched.addPartition({ partitionId: 3, vpCount: 1 });
    sched.setBackground(hog.vps[0], true);
    sched.setBackground(other.vps[0], true);
    engine.runUntil(500 * MS);
    const a = sched.vpMetrics(hog.vps[0]);
    const b = sched.vpMetrics(other.vps[0]);
    expect(a.runNs + a.readyNs).toBe(500 * MS);
    expect(b.readyNs).toBeGreaterThan(200 * MS);
    expect(b.waitPerDispatchNs).toBeGreaterThan(5 * MS);
    const part = sched.partitionMetrics(3);
    expect(part.readyNs).toBe(b.readyNs);
  });

  it('completes zero-cost work as soon as the VP is scheduled, in order', () => {
    const { engine, sched, log, done, vp } = oneLp();
    sched.submit(vp, 0, WorkClass.Thread, done, 'z1');
    sched.submit(vp, 0, WorkClass.Thread, done, 'z2');
    engine.runUntil(MS);
    expect(log).toEqual(['z1@0', 'z2@0']);
    expect(sched.stateOf(vp)).toBe('idle');
  });

  it('reuses pooled work items: a long run of requests allocates no more than the queue depth', () => {
    const { engine, sched, done, vp } = oneLp();
    const next = engine.define<number>('next', (n) => {
      sched.submit(vp, 5 * US, WorkClass.Thread, done, 'x');
      sched.submit(vp, 2 * US, WorkClass.Interrupt, done, 'y');
      if (n > 0) engine.after(10 * US, next, n - 1);
    });
    engine.at(0, next, 10_000);
    engine.runUntil(200 * MS);
    expect(sched.vpMetrics(vp).runNs).toBe(10_001 * 7 * US);
    expect(sched.workItemsAllocated).toBeLessThanOrEqual(2);
  });

  it('refuses misuse with typed errors, never a silent corruption', () => {
    const { sched, done, vp } = oneLp();
    expect(() => {
      sched.submit(vp, -1, WorkClass.Thread, done, 'x');
    }).toThrow(SchedulerError);
    expect(() => {
      sched.submit(vp, Number.NaN, WorkClass.Thread, done, 'x');
    }).toThrow(SchedulerError);
    expect(() => {
      sched.submit(999, 1, WorkClass.Thread, done, 'x');
    }).toThrow(SchedulerError);
    expect(() => sched.addPartition({ partitionId: 1, vpCount: 1 })).toThrow(/already exists/);
    expect(() => sched.addPartition({ partitionId: 2, vpCount: 241 })).toThrow(SchedulerError);
  });
});

describe('host limits by release (rule 40)', () => {
  // WS "Hyper-V maximum scale limits in Windows Server": 240 VPs per VM on 2016, 1,024 on 2022;
  // the root sees 320 LPs on 2016, 1,024 on 2022.
  const topology = CpuTopology.fromProcessor({
    sockets: 2,
    coresPerSocket: 256,
    threadsPerCore: 2,
  });

  it('rule 40: a Windows Server 2022 scheduler takes a 1024-VP VM and a 1024-VP root; 2016 refuses both', () => {
    const wide = new HypervisorScheduler(new SimEngine(), topology, {
      type: 'classic',
      rootVps: 1024,
      hostOs: 'ws2022',
    });
    expect(wide.root.vps).toHaveLength(1024);
    expect(wide.addPartition({ partitionId: 2, vpCount: 1024 }).vps).toHaveLength(1024);
    expect(
      () =>
        new HypervisorScheduler(new SimEngine(), topology, {
          type: 'classic',
          rootVps: 1024,
          hostOs: 'ws2016',
        }),
    ).toThrow(/Windows Server 2016 allows at most 320 root virtual processors/);
    const narrow = new HypervisorScheduler(new SimEngine(), topology, {
      type: 'classic',
      rootVps: 4,
      hostOs: 'ws2016',
    });
    expect(() => narrow.addPartition({ partitionId: 2, vpCount: 241 })).toThrow(
      /Windows Server 2016 allows at most 240 virtual processors per VM/,
    );
  });
});

describe('engine economy', () => {
  it('leaves nothing pending once every VP is idle (an idle host costs no events)', () => {
    const { engine, sched, done, vp } = oneLp();
    sched.submit(vp, 3 * MS, WorkClass.Thread, done, 'a');
    sched.setBackground(vp, true);
    engine.runUntil(250 * MS);
    sched.setBackground(vp, false);
    engine.runUntil(10_000 * MS);
    expect(engine.pending).toBe(0);
    sched.submit(vp, 1 * MS, WorkClass.Thread, done, 'b'); // and wakes up again after the lull
    engine.runUntil(20_000 * MS);
    expect(sched.vpMetrics(vp).runNs).toBe(251 * MS);
    expect(engine.pending).toBe(0);
  });

  it('keeps at most two pending events per LP while I/O wakeups keep preempting CPU hogs', () => {
    const engine = new SimEngine();
    const topology = CpuTopology.fromProcessor({
      sockets: 1,
      coresPerSocket: 2,
      threadsPerCore: 2,
    });
    const sched = new HypervisorScheduler(engine, topology, { type: 'core', rootVps: 1 });
    const hogs = sched.addPartition({ partitionId: 1, vpCount: 4 });
    for (const vp of hogs.vps) sched.setBackground(vp, true);
    const io = sched.addPartition({ partitionId: 2, vpCount: 2 });
    const done = engine.define<null>('done', () => undefined);
    const tick = engine.define<number>('tick', (n) => {
      sched.submit(io.vps[n & 1], 5 * US, WorkClass.Interrupt, done, null);
      engine.after(40 * US, tick, n + 1);
    });
    engine.at(0, tick, 0);
    let most = 0;
    while (engine.nextEventTime() <= 300 * MS) {
      engine.step();
      most = Math.max(most, engine.pending);
    }
    // 2 per LP, the accounting period, the tick, and a done event or two at the same instant
    expect(most).toBeLessThanOrEqual(2 * 4 + 4);
    expect(sched.partitionMetrics(2).dispatches).toBeGreaterThan(7000);
  });
});

describe('determinism', () => {
  it.each(SCHEDULER_TYPES)(
    'same inputs give identical completions, meters and event log under %s',
    (type) => {
      fc.assert(
        fc.property(
          arbitraryLoad({ maxVms: 4, maxVps: 3, horizonNs: 60 * MS, withRoot: true }),
          (load) => {
            const run = (observe: boolean) => {
              const r = runLoad({
                type,
                processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: 2 },
                rootVps: 2,
                load,
                untilNs: 100 * MS,
                // reading meters and snapshots at every event must not change the outcome
                onStep: observe
                  ? (s) => {
                      s.snapshot();
                      s.hostMetrics();
                      s.partitionMetrics(100);
                    }
                  : undefined,
              });
              const vps = r.scheduler.snapshot().vps.map((v) => r.scheduler.vpMetrics(v.vp));
              return {
                c: r.completions,
                vps,
                host: r.scheduler.hostMetrics(),
                hash: r.engine.log.hash,
              };
            };
            const first = run(false);
            const second = run(true);
            expect(second).toEqual(first);
          },
        ),
        { numRuns: 25 },
      );
    },
  );

  it('accounts every nanosecond: each VP is in exactly one state at a time', () => {
    fc.assert(
      fc.property(
        arbitraryLoad({ maxVms: 4, maxVps: 3, horizonNs: 60 * MS, withRoot: false }),
        (load) => {
          const r = runLoad({
            type: 'classic',
            processor: { sockets: 1, coresPerSocket: 2, threadsPerCore: 1 },
            rootVps: 1,
            load,
            untilNs: 100 * MS,
          });
          const busy = r.scheduler.hostMetrics().lpBusyNs.reduce((a, b) => a + b, 0);
          let run = 0;
          for (const v of r.scheduler.snapshot().vps) {
            const m = r.scheduler.vpMetrics(v.vp);
            run += m.runNs;
            expect(m.runNs + m.readyNs + m.suspendedNs + m.cappedNs).toBeLessThanOrEqual(100 * MS);
            expect(m.backgroundNs).toBeLessThanOrEqual(m.runNs);
          }
          expect(run).toBe(busy);
          expect(busy).toBeLessThanOrEqual(2 * 100 * MS);
        },
      ),
      { numRuns: 40 },
    );
  });
});
