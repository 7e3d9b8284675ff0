import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ExtentSet } from './extent-set.js';

/** The pages of a set, one by one (tests only: sets here are small). */
function pagesOf(set: ExtentSet): number[] {
  return set.extents().flatMap((e) => Array.from({ length: e.count }, (_, i) => e.start + i));
}

describe('ExtentSet', () => {
  it('coalesces touching runs and splits a run when pages are taken from its middle', () => {
    const set = new ExtentSet();
    set.add(0, 10);
    set.add(20, 10);
    set.add(10, 10);
    expect(set.extents()).toEqual([{ start: 0, count: 30 }]);
    set.remove(5, 5);
    expect(set.extents()).toEqual([
      { start: 0, count: 5 },
      { start: 10, count: 20 },
    ]);
    expect(set.size).toBe(25);
  });

  it('refuses to add pages it already holds or remove pages it does not', () => {
    const set = new ExtentSet();
    set.add(100, 10);
    expect(() => {
      set.add(105, 10);
    }).toThrow(RangeError);
    expect(() => {
      set.remove(95, 10);
    }).toThrow(RangeError);
  });

  it('holds a 24 TB host (6 Gi pages) as a single run', () => {
    const set = new ExtentSet();
    set.add(0, 24 * 1024 * 1024 * 256);
    expect(set.extentCount).toBe(1);
    expect(set.takeLowest(5)).toEqual([{ start: 0, count: 5 }]);
    expect(set.size).toBe(24 * 1024 * 1024 * 256 - 5);
  });

  it('behaves like a plain set of pages under random adds, removes and takes', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('add' as const),
        start: fc.nat(200),
        count: fc.integer({ min: 1, max: 20 }),
      }),
      fc.record({
        kind: fc.constant('remove' as const),
        start: fc.nat(200),
        count: fc.integer({ min: 1, max: 20 }),
      }),
      fc.record({
        kind: fc.constant('low' as const),
        start: fc.constant(0),
        count: fc.integer({ min: 1, max: 30 }),
      }),
      fc.record({
        kind: fc.constant('high' as const),
        start: fc.constant(0),
        count: fc.integer({ min: 1, max: 30 }),
      }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const set = new ExtentSet();
        const model = new Set<number>();
        for (const o of ops) {
          const range = Array.from({ length: o.count }, (_, i) => o.start + i);
          if (o.kind === 'add' && range.every((p) => !model.has(p))) {
            set.add(o.start, o.count);
            range.forEach((p) => model.add(p));
          } else if (o.kind === 'remove' && range.every((p) => model.has(p))) {
            set.remove(o.start, o.count);
            range.forEach((p) => model.delete(p));
          } else if (o.kind === 'low' || o.kind === 'high') {
            const sorted = [...model].sort((a, b) => a - b);
            const expected = o.kind === 'low' ? sorted.slice(0, o.count) : sorted.slice(-o.count);
            const taken = o.kind === 'low' ? set.takeLowest(o.count) : set.takeHighest(o.count);
            const got = taken.flatMap((e) =>
              Array.from({ length: e.count }, (_, i) => e.start + i),
            );
            expect(got.sort((a, b) => a - b)).toEqual(expected);
            expected.forEach((p) => model.delete(p));
          }
          expect(pagesOf(set)).toEqual([...model].sort((a, b) => a - b));
          const runs = set.extents();
          for (let i = 1; i < runs.length; i++) {
            expect(runs[i].start).toBeGreaterThan(runs[i - 1].start + runs[i - 1].count);
          }
        }
      }),
    );
  });
});
