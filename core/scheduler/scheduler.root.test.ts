import { describe, expect, it } from '@jest/globals';
import { SimEngine } from '../engine/index.js';
import { CpuTopology } from '../hardware/cpu/index.js';
import { HypervisorScheduler } from './scheduler.js';

const MS = 1_000_000;

function oneLpHost(type: 'root' | 'classic') {
  const engine = new SimEngine();
  const topology = CpuTopology.fromProcessor({ sockets: 1, coresPerSocket: 1, threadsPerCore: 1 });
  return { engine, sched: new HypervisorScheduler(engine, topology, { type, rootVps: 1 }) };
}

describe('root scheduler (rule 30: the root OS places VPs; weight, reserve, limit not honoured)', () => {
  it('rule 30: weights 10000 and 1 share an LP equally (round-robin)', () => {
    const { engine, sched } = oneLpHost('root');
    const heavy = sched.addPartition({ partitionId: 1, vpCount: 1, controls: { weight: 10_000 } });
    const light = sched.addPartition({ partitionId: 2, vpCount: 1, controls: { weight: 1 } });
    sched.setBackground(heavy.vps[0], true);
    sched.setBackground(light.vps[0], true);
    engine.runUntil(1000 * MS);
    const ratio = sched.vpMetrics(heavy.vps[0]).runNs / sched.vpMetrics(light.vps[0]).runNs;
    expect(ratio).toBeGreaterThan(0.95);
    expect(ratio).toBeLessThan(1.05);
    expect(sched.vpControls(heavy.vps[0])).toMatchObject({ weight: 10_000, honoured: false });
  });

  it('rule 30: a 10 % limit does not cap and a 90 % reserve does not guarantee', () => {
    const run = (type: 'root' | 'classic') => {
      const { engine, sched } = oneLpHost(type);
      const capped = sched.addPartition({
        partitionId: 1,
        vpCount: 1,
        controls: { limitPercent: 10 },
      });
      const reserved = sched.addPartition({
        partitionId: 2,
        vpCount: 1,
        controls: { reservePercent: 90 },
      });
      const other = sched.addPartition({ partitionId: 3, vpCount: 1 });
      for (const p of [capped, reserved, other]) sched.setBackground(p.vps[0], true);
      engine.runUntil(1200 * MS);
      return [capped, reserved, other].map((p) => sched.vpMetrics(p.vps[0]).runNs / (1200 * MS));
    };
    const [cappedShare, reservedShare, otherShare] = run('root');
    for (const share of [cappedShare, reservedShare, otherShare]) {
      expect(share).toBeGreaterThan(0.3);
      expect(share).toBeLessThan(0.37);
    }
    // the same settings do bite under classic
    const [cappedClassic, reservedClassic] = run('classic');
    expect(cappedClassic).toBeLessThanOrEqual(0.1);
    expect(reservedClassic).toBeGreaterThanOrEqual(0.85);
  });

  it('rule 30: round-robin rotates through waiting VPs in arrival order, one quantum each', () => {
    const { engine, sched } = oneLpHost('root');
    const vms = [1, 2, 3].map((id) => sched.addPartition({ partitionId: id, vpCount: 1 }));
    for (const vm of vms) sched.setBackground(vm.vps[0], true);
    const order: number[] = [];
    let last = -1;
    const observe = () => {
      const occupant = sched.snapshot().lps[0];
      const id = occupant === null ? -1 : occupant.partitionId;
      if (id !== last && id !== -1) order.push(id);
      last = id;
    };
    observe();
    while (engine.nextEventTime() <= 100 * MS) {
      engine.step();
      observe();
    }
    expect(order.slice(0, 9)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3]);
  });
});
