import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_WORKER_SHARE, WorkerShare } from './worker-share.js';

const ON_TIME = 1000 / 60;
const MISSED = 2 * ON_TIME;

function feed(share: WorkerShare, deltas: readonly number[]): void {
  for (const d of deltas) share.onFrame(d);
}

describe('WorkerShare', () => {
  it('lets the worker run flat out while every frame is on time', () => {
    const share = new WorkerShare();
    feed(share, Array<number>(600).fill(ON_TIME));
    expect(share.budgetMs).toBe(DEFAULT_WORKER_SHARE.maxBudgetMs);
    expect(share.maxInFlight).toBe(2);
  });

  it('ignores one stray missed frame (a GC pause, the end of a run)', () => {
    const share = new WorkerShare();
    feed(share, [ON_TIME, MISSED, ...Array<number>(40).fill(ON_TIME), MISSED, ON_TIME]);
    expect(share.budgetMs).toBe(DEFAULT_WORKER_SHARE.maxBudgetMs);
  });

  it('throttles the worker to one short request at a time when the page keeps missing frames', () => {
    const share = new WorkerShare();
    feed(share, [MISSED, ON_TIME, MISSED]);
    expect(share.budgetMs).toBe(DEFAULT_WORKER_SHARE.maxBudgetMs / 2);
    expect(share.maxInFlight).toBe(1);
    feed(share, Array<number>(20).fill(MISSED));
    expect(share.budgetMs).toBe(DEFAULT_WORKER_SHARE.minBudgetMs);
  });

  it('gives the worker its speed back gradually once frames are on time again', () => {
    const share = new WorkerShare();
    feed(share, Array<number>(20).fill(MISSED));
    feed(share, Array<number>(10).fill(ON_TIME));
    const partway = share.budgetMs;
    expect(partway).toBeGreaterThan(DEFAULT_WORKER_SHARE.minBudgetMs);
    expect(partway).toBeLessThan(DEFAULT_WORKER_SHARE.maxBudgetMs);
    feed(share, Array<number>(200).fill(ON_TIME));
    expect(share.budgetMs).toBe(DEFAULT_WORKER_SHARE.maxBudgetMs);
    expect(share.maxInFlight).toBe(2);
  });

  it('keeps the budget within its bounds for any frame times', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 500, noNaN: true }), { maxLength: 300 }),
        (ds) => {
          const share = new WorkerShare();
          for (const d of ds) {
            share.onFrame(d);
            expect(share.budgetMs).toBeGreaterThanOrEqual(DEFAULT_WORKER_SHARE.minBudgetMs);
            expect(share.budgetMs).toBeLessThanOrEqual(DEFAULT_WORKER_SHARE.maxBudgetMs);
          }
        },
      ),
    );
  });
});
