import { describe, expect, it } from '@jest/globals';
import { Random, ms, seconds } from '../engine/index.js';
import { WorkloadSpecSchema } from '../model/index.js';
import type { WorkloadSpec } from '../model/index.js';
import { Workload } from './workload.js';

function make(spec: Partial<WorkloadSpec> & Pick<WorkloadSpec, 'kind'>, seed = 1) {
  const parsed = WorkloadSpecSchema.parse({ memoryMiB: 1024, ...spec });
  const random = new Random(seed);
  return new Workload(parsed, random.stream('w'), random.stream('w:bursts'), 0);
}

function countUntil(w: Workload, until: number): Partial<Record<string, number>> {
  const counts: Partial<Record<string, number>> = {};
  while (w.nextArrival() <= until) {
    const op = w.take();
    const key = op.access?.op ?? op.stream.class;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

describe('Workload', () => {
  it('generates a database mix at about 4000 ops/s with reads dominating', () => {
    const c = countUntil(make({ kind: 'database' }), seconds(2));
    const total = (c.read ?? 0) + (c.write ?? 0) + (c.flush ?? 0);
    expect(total / 2).toBeGreaterThan(3800);
    expect(total / 2).toBeLessThan(4200);
    expect(c.read ?? 0).toBeGreaterThan(2 * (c.write ?? 0));
  });

  it('scales with intensity', () => {
    const low = countUntil(make({ kind: 'web', intensity: 0.5 }), seconds(1));
    const high = countUntil(make({ kind: 'web', intensity: 2 }), seconds(1));
    expect((high.network ?? 0) / (low.network ?? 1)).toBeGreaterThan(3.5);
  });

  it('follows its phases: a quiet phase generates almost nothing', () => {
    const w = make({
      kind: 'database',
      phases: [
        { durationMs: 100, intensity: 1 },
        { durationMs: 100, intensity: 0 },
      ],
    });
    const arrivals: number[] = [];
    while (w.nextArrival() <= ms(400)) arrivals.push(w.take().arrivedAt);
    const quiet = arrivals.filter((t) => t % ms(200) >= ms(100));
    expect(arrivals.length).toBeGreaterThan(700);
    expect(quiet).toEqual([]);
  });

  it('bursts multiply the rate for their duration', () => {
    const calm = countUntil(make({ kind: 'database' }, 5), seconds(2));
    const bursty = countUntil(
      make({ kind: 'database', bursts: { meanIntervalMs: 200, durationMs: 100, factor: 5 } }, 5),
      seconds(2),
    );
    const total = (c: Partial<Record<string, number>>) =>
      Object.values(c).reduce<number>((a, b) => a + (b ?? 0), 0);
    expect(total(bursty)).toBeGreaterThan(1.8 * total(calm));
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const trace = (seed: number) => {
      const w = make(
        { kind: 'web', bursts: { meanIntervalMs: 50, durationMs: 10, factor: 3 } },
        seed,
      );
      return Array.from({ length: 50 }, () => w.take().arrivedAt);
    };
    expect(trace(3)).toEqual(trace(3));
    expect(trace(3)).not.toEqual(trace(4));
  });

  it('an idle guest generates nothing', () => {
    expect(make({ kind: 'idle' }).nextArrival()).toBe(Infinity);
  });

  it('asks for more memory under load, less when quiet', () => {
    const w = make({
      kind: 'database',
      memoryMiB: 2000,
      phases: [
        { durationMs: 100, intensity: 2 },
        { durationMs: 100, intensity: 0 },
      ],
    });
    expect(w.memoryDemandMiB(ms(50))).toBe(3000);
    expect(w.memoryDemandMiB(ms(150))).toBe(1000);
  });
});
