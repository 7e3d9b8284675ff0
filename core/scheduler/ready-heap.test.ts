import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { Bitset } from './bitset.js';
import { ReadyHeap, runsBefore } from './ready-heap.js';
import type { ReadyEntry } from './ready-heap.js';

describe('ReadyHeap', () => {
  it('hands out entries in (rank, order, id) order through any mix of pushes and removals', () => {
    const op = fc.oneof(
      fc.record({
        push: fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 20 })),
      }),
      fc.record({ remove: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new ReadyHeap<ReadyEntry>();
        const inside: ReadyEntry[] = [];
        let id = 0;
        for (const o of ops) {
          if ('push' in o) {
            const e = { id: id++, rank: o.push[0], order: o.push[1], heapPos: -1 };
            heap.push(e);
            inside.push(e);
          } else if (inside.length > 0) {
            const [e] = inside.splice(o.remove % inside.length, 1);
            heap.remove(e);
            expect(e.heapPos).toBe(-1);
          }
        }
        const expected = [...inside].sort((a, b) => (runsBefore(a, b) ? -1 : 1)).map((e) => e.id);
        const got: number[] = [];
        while (heap.size > 0) got.push(heap.pop().id);
        expect(got).toEqual(expected);
      }),
      {},
    );
  });
});

describe('Bitset', () => {
  it('reports the lowest member across word boundaries', () => {
    const set = new Bitset(512);
    expect(set.first()).toBe(-1);
    set.add(511);
    set.add(64);
    set.add(31);
    expect(set.first()).toBe(31);
    set.delete(31);
    expect(set.first()).toBe(64);
    expect(set.has(511)).toBe(true);
    set.delete(64);
    expect(set.first()).toBe(511);
  });
});
