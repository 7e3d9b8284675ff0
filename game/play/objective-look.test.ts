import { describe, expect, it } from '@jest/globals';
import { CUMULATIVE_METRICS } from '../../levels/metric-text.js';
import { objectiveLook, projectedCount } from './objective-look.js';

describe('an objective as the player reads it during and after a run', () => {
  it('a rate or a share met now is ✓, missed now is ○ (it may still be met); after the run ✓ or ✗', () => {
    expect(objectiveLook(true, false, null).mark).toBe('✓');
    expect(objectiveLook(false, false, null)).toMatchObject({ mark: '○', state: 'unmet' });
    expect(objectiveLook(false, true, null)).toMatchObject({ mark: '✗', state: 'missed' });
    expect(objectiveLook(null, false, null).mark).toBe('·');
  });

  it('level 8: "at most 33,000 interrupts" at 32,407 mid-run is holding (○), not ✓ — it can still go over', () => {
    expect(CUMULATIVE_METRICS.has('interrupts')).toBe(true);
    expect(objectiveLook(true, false, '<=')).toEqual({
      mark: '○',
      className: 'holding',
      state: 'holding',
    });
    // Over the cap, a count that only grows is missed for good: ✗ at once, not "not met yet".
    expect(objectiveLook(false, false, '<=')).toMatchObject({ mark: '✗', state: 'missed' });
    // At the end, under the cap is met.
    expect(objectiveLook(true, true, '<=')).toMatchObject({ mark: '✓', state: 'met' });
  });

  it('a floor on a count ("at least N completed") is ✓ for good once reached', () => {
    expect(CUMULATIVE_METRICS.has('completed')).toBe(true);
    expect(objectiveLook(true, false, '>=')).toMatchObject({ mark: '✓', state: 'met' });
    expect(objectiveLook(false, false, '>=')).toMatchObject({ mark: '○', state: 'unmet' });
  });

  it('rates, latencies and shares are not counts', () => {
    for (const m of ['iops', 'p99LatencyUs', 'ringFullPercent', 'rootCpuPercent'])
      expect(CUMULATIVE_METRICS.has(m)).toBe(false);
  });
});

describe('where a count under its cap is heading', () => {
  it('at its recent pace, not its average since the VMs booted (level 8: the average promised 28,909, the run ended at 37,007)', () => {
    // Few interrupts while booting (0–34 ms), then a steady 130 per ms.
    const samples = [0, 20, 34, 50, 70, 90, 101.8].map((atMs) => ({
      atMs,
      value: atMs <= 34 ? atMs * 10 : 340 + (atMs - 34) * 130,
    }));
    const pace = projectedCount(samples, 300);
    const last = samples[samples.length - 1];
    const average = (last.value * 300) / last.atMs;
    expect(pace).toBeCloseTo(340 + (300 - 34) * 130, 0);
    expect(average).toBeLessThan(pace ?? 0);
  });

  it('says nothing before a quarter of the run, or without an earlier sample', () => {
    expect(projectedCount([{ atMs: 50, value: 100 }], 300)).toBeNull();
    expect(projectedCount([{ atMs: 80, value: 100 }], 300)).toBeNull();
    expect(projectedCount([], 300)).toBeNull();
  });
});
