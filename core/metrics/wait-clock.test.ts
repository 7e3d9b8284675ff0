/**
 * A VM's "ring full" time is the time at least one of its drivers waited for room to send: two
 * disks held up over the same millisecond are one millisecond of the VM held up, so the report's
 * `ringFullPercent` never passes 100 %. Before, the waits of its channels and drivers were summed.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { WaitClock } from './wait-clock.js';

describe('WaitClock: the union of waits', () => {
  it('two devices waiting over the same span count it once', () => {
    const clock = new WaitClock();
    clock.enter(1_000); // scsi0's ring fills
    clock.enter(2_000); // scsi1's too
    clock.leave(5_000); // scsi0 drains
    expect(clock.until(6_000)).toBe(5_000); // 1 000 → 6 000, scsi1 still waiting
    clock.leave(8_000);
    expect(clock.until(10_000)).toBe(7_000);
  });

  it('a wait that has not ended counts up to now; an extra leave changes nothing', () => {
    const clock = new WaitClock();
    clock.leave(10);
    clock.enter(100);
    expect(clock.until(250)).toBe(150);
    clock.leave(300);
    clock.leave(400);
    expect(clock.until(1_000)).toBe(200);
  });

  it('never exceeds the time elapsed nor falls below the longest single wait, however waits overlap', () => {
    const span = fc
      .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 1_000_000 }))
      .map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), (spans) => {
        const clock = new WaitClock();
        const edges = spans.flatMap(([from, to], i) => [
          { t: from, enter: true, i },
          { t: to, enter: false, i },
        ]);
        edges.sort((a, b) => a.t - b.t || Number(b.enter) - Number(a.enter));
        for (const e of edges) {
          if (e.enter) clock.enter(e.t);
          else clock.leave(e.t);
        }
        const end = 1_000_000;
        const total = clock.until(end);
        expect(total).toBeLessThanOrEqual(end);
        const longest = Math.max(0, ...spans.map(([a, b]) => b - a));
        expect(total).toBeGreaterThanOrEqual(longest);
        expect(total).toBeLessThanOrEqual(spans.reduce((s, [a, b]) => s + b - a, 0));
      }),
      { numRuns: 200 },
    );
  });
});
