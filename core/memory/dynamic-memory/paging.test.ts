import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { pagingEffect } from './paging.js';

describe('pagingEffect', () => {
  it('does not page when the working set fits', () => {
    const e = pagingEffect(4096, 4096);
    expect(e).toMatchObject({
      shortfallMiB: 0,
      readsPerSecond: 0,
      writesPerSecond: 0,
      slowdown: 1,
    });
    expect(pagingEffect(1024, 8192).slowdown).toBe(1);
  });

  it('more shortfall means more paging I/O and a slower workload', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 64, max: 1 << 20 }),
        fc.integer({ min: 1, max: 1 << 20 }),
        fc.integer({ min: 1, max: 1 << 16 }),
        (demand, assigned, less) => {
          const a = pagingEffect(demand, assigned);
          const b = pagingEffect(demand, Math.max(0, assigned - less));
          expect(b.readsPerSecond).toBeGreaterThanOrEqual(a.readsPerSecond);
          expect(b.writesPerSecond).toBeGreaterThanOrEqual(a.writesPerSecond);
          expect(b.slowdown).toBeGreaterThanOrEqual(a.slowdown);
          expect(b.slowdown).toBeLessThanOrEqual(20);
        },
      ),
    );
    const small = pagingEffect(4096, 3584);
    const large = pagingEffect(4096, 2048);
    expect(large.readsPerSecond).toBeGreaterThan(small.readsPerSecond);
    expect(large.slowdown).toBeGreaterThan(small.slowdown);
    expect(small.slowdown).toBeGreaterThan(1);
  });

  it('pages reads more than it writes (only dirty evictions are written)', () => {
    const e = pagingEffect(8192, 6144);
    expect(e.readBytesPerSecond).toBeGreaterThan(e.writeBytesPerSecond);
    expect(e.writeBytesPerSecond).toBeGreaterThan(0);
  });
});
