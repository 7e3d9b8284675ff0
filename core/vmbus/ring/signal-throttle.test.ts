import { describe, expect, it } from '@jest/globals';
import { NS_PER_MS, NS_PER_S } from '../../engine/index.js';
import { RingConfigurationError } from './errors.js';
import { DEFAULT_SIGNAL_THROTTLE, SignalThrottle } from './signal-throttle.js';

const options = { windowNs: NS_PER_S, maxUnnecessarySignals: 100, suspensionNs: 3 * NS_PER_S };

describe('guest signal flood throttling (rule 7)', () => {
  it('rule 7: never throttles a guest whose signals are all necessary, however many', () => {
    const throttle = new SignalThrottle(options);
    for (let i = 0; i < 100_000; i++) expect(throttle.recordSignal(i, true)).toBe(false);
    expect(throttle.throttleEvents).toBe(0);
  });

  it('rule 7: suspends a guest that sends too many unnecessary signals within the window', () => {
    const throttle = new SignalThrottle(options);
    const results: boolean[] = [];
    for (let i = 0; i < 100; i++) results.push(throttle.recordSignal(i * NS_PER_MS, false));
    expect(results.indexOf(true)).toBe(99);
    expect(throttle.suspendedUntil).toBe(99 * NS_PER_MS + 3 * NS_PER_S);
    expect(throttle.isSuspended(NS_PER_S)).toBe(true);
    expect(throttle.throttleEvents).toBe(1);
  });

  it('rule 7: the same number of unnecessary signals spread thinner than the window is tolerated', () => {
    const throttle = new SignalThrottle(options);
    // 99 per second, forever: just under the limit in any one-second window.
    for (let i = 0; i < 2000; i++) {
      expect(throttle.recordSignal(Math.floor((i * NS_PER_S) / 90), false)).toBe(false);
    }
  });

  it('rule 7: a suspended guest stays suspended until the end, then starts with a clean window', () => {
    const throttle = new SignalThrottle(options);
    for (let i = 0; i < 100; i++) throttle.recordSignal(i, false);
    const end = throttle.suspendedUntil;
    expect(throttle.recordSignal(end - 1, true)).toBe(true);
    expect(throttle.isSuspended(end)).toBe(false);
    expect(throttle.recordSignal(end, false)).toBe(false);
    expect(throttle.unnecessarySignalsInWindow(end)).toBe(1);
  });

  it('rule 7: defaults are the documented estimates: a one-second window and a few seconds of suspension', () => {
    expect(DEFAULT_SIGNAL_THROTTLE.windowNs).toBe(NS_PER_S);
    expect(DEFAULT_SIGNAL_THROTTLE.suspensionNs).toBeGreaterThanOrEqual(2 * NS_PER_S);
    expect(new SignalThrottle().recordSignal(0, false)).toBe(false);
  });

  it('refuses a configuration it cannot run', () => {
    expect(() => new SignalThrottle({ buckets: 0 })).toThrow(RingConfigurationError);
    expect(() => new SignalThrottle({ maxUnnecessarySignals: 0 })).toThrow(RingConfigurationError);
  });
});
