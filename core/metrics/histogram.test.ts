import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { LatencyHistogram } from './histogram.js';

describe('LatencyHistogram', () => {
  it('reports percentiles within 3 % of the exact order statistic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 10_000_000_000 }), { minLength: 1, maxLength: 400 }),
        fc.constantFrom(0.5, 0.9, 0.99, 1),
        (values, q) => {
          const h = new LatencyHistogram();
          values.forEach((v) => {
            h.record(v);
          });
          const sorted = [...values].sort((a, b) => a - b);
          const exact = sorted[Math.max(1, Math.ceil(q * values.length)) - 1];
          const got = h.quantile(q);
          expect(got).toBeGreaterThanOrEqual(exact);
          expect(got).toBeLessThanOrEqual(Math.max(exact * 1.032, exact + 1));
        },
      ),
    );
  });

  it('keeps small values exact and never reports above the maximum', () => {
    const h = new LatencyHistogram();
    [3, 7, 7, 20].forEach((v) => {
      h.record(v);
    });
    expect(h.quantile(0.5)).toBe(7);
    expect(h.quantile(1)).toBe(20);
    expect(h.max).toBe(20);
    expect(h.min).toBe(3);
  });

  it('merges two histograms into the same distribution as recording everything in one', () => {
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 1; i <= 1000; i++) {
      (i % 3 === 0 ? a : b).record(i * 1013);
      all.record(i * 1013);
    }
    a.merge(b);
    for (const q of [0.1, 0.5, 0.99]) expect(a.quantile(q)).toBe(all.quantile(q));
    expect(a.count).toBe(1000);
    expect(a.mean).toBeCloseTo(all.mean, 6);
  });

  it('is empty-safe', () => {
    const h = new LatencyHistogram();
    expect(h.quantile(0.99)).toBe(0);
    expect(h.mean).toBe(0);
  });
});
