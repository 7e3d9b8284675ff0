/**
 * How an objective's live state reads: ✓ met, ○ still open, ✗ missed for good. Mid-run, a rate or
 * a share met now may be lost later and one missed may still be met (○ when missed, ✓ when met).
 * A count that only grows (`growing`: its comparison) differs: under an "at most" cap it is
 * holding — ○, not ✓, since it can still go over — and over it, it is missed for good (✗ at
 * once); reaching an "at least" floor is for good (✓).
 */
export function objectiveLook(
  met: boolean | null,
  done: boolean,
  growing: '<=' | '>=' | null,
): { mark: string; className: string; state: 'met' | 'unmet' | 'missed' | 'holding' | null } {
  if (met === null) return { mark: '·', className: '', state: null };
  if (met && growing === '<=' && !done)
    return { mark: '○', className: 'holding', state: 'holding' };
  if (met) return { mark: '✓', className: 'met', state: 'met' };
  if (done || growing === '<=') return { mark: '✗', className: 'unmet', state: 'missed' };
  return { mark: '○', className: 'unmet', state: 'unmet' };
}

/** A count's value at a simulated time, ms. */
export interface CountSample {
  readonly atMs: number;
  readonly value: number;
}

/**
 * Where a count that only grows will end at its recent pace: its value now plus the rate over
 * the last quarter of the run so far (at least 10 ms of it) times the time left. The recent rate,
 * not the average since 0: a run's first tens of ms are the VMs booting, when little is counted,
 * and the average would promise a count far below the one the run ends with. Null until a
 * quarter of the run has passed, or without an earlier sample to measure from.
 *
 * @example
 * projectedCount([{ atMs: 50, value: 2000 }, { atMs: 100, value: 12_000 }], 300); // 52 000
 */
export function projectedCount(samples: readonly CountSample[], durationMs: number): number | null {
  const last = samples.at(-1);
  if (!last || last.atMs < durationMs / 4 || last.atMs >= durationMs) return null;
  const window = Math.max(10, last.atMs / 4);
  let from: CountSample | undefined;
  for (const s of samples) if (s.atMs <= last.atMs - window) from = s;
  if (!from) return null;
  const rate = (last.value - from.value) / (last.atMs - from.atMs);
  return last.value + rate * (durationMs - last.atMs);
}
