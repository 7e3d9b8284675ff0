import type { Ns } from '../../engine/index.js';
import { NS_PER_S } from '../../engine/index.js';
import { RingConfigurationError } from './errors.js';

/**
 * Rule 7. L: Documentation/virt/hyperv/vmbus.rst — "The host expects that the guest will send
 * an interrupt only when an 'out' ring buffer transitions from empty to non-empty. If the guest
 * sends interrupts at other times, the host deems such interrupts to be unnecessary. If a guest
 * sends an excessive number of unnecessary interrupts, the host may throttle that guest by
 * suspending its execution for a few seconds". L: ring_buffer.c (KYS, 2016) — Windows hosts
 * expect interrupts only on empty→non-empty (or full→non-full). Hyper-V publishes neither the
 * window, the threshold nor the exact suspension: the defaults below are estimates.
 */
export interface SignalThrottleOptions {
  /** Sliding window over which unnecessary signals are counted. */
  readonly windowNs: Ns;
  /** Unnecessary signals within one window that get the guest throttled. */
  readonly maxUnnecessarySignals: number;
  /** How long a throttled guest stays suspended. */
  readonly suspensionNs: Ns;
  /** Sub-windows the window is cut into (the window slides by one sub-window at a time). */
  readonly buckets: number;
}

export const DEFAULT_SIGNAL_THROTTLE: SignalThrottleOptions = {
  // estimate: Hyper-V publishes no window; one second keeps the rule readable in the game.
  windowNs: NS_PER_S,
  // estimate: far above what a rule-4-abiding guest sends by accident (0), and reached within a
  // second by a guest that signals on every packet at ≥10k packets/s, as pre-2016 Linux did.
  maxUnnecessarySignals: 10_000,
  // estimate: vmbus.rst says "a few seconds".
  suspensionNs: 2 * NS_PER_S,
  buckets: 16,
};

/**
 * Counts the signals a guest sends on one channel and says when the guest must be throttled
 * (rule 7). Pure and deterministic: time comes from the caller (simulated ns). Only signals the
 * caller classifies as unnecessary count — a signal is necessary when the guest's write turned
 * the ring from empty to non-empty with interrupts unmasked (`WriteStatus.WrittenSignalReader`)
 * or when its read freed room a blocked host asked for (`DrainEnd.SignalWriter`).
 * Fixed memory: a bucketed sliding window, no per-signal allocation.
 *
 * @example
 * ```ts
 * const throttle = new SignalThrottle();
 * if (throttle.recordSignal(engine.now, status === WriteStatus.WrittenSignalReader)) {
 *   suspendGuest(throttle.suspendedUntil);
 * }
 * ```
 */
export class SignalThrottle {
  /** End of the current suspension (exclusive); -1 if the guest was never throttled. */
  suspendedUntil: Ns = -1;
  /** Times the guest was throttled. */
  throttleEvents = 0;
  /** Signals recorded as necessary. */
  necessarySignals = 0;
  /** Signals recorded as unnecessary (all time). */
  unnecessarySignals = 0;

  private readonly options: SignalThrottleOptions;
  private readonly bucketNs: number;
  private readonly counts: Uint32Array;
  private readonly bucketNumbers: Float64Array;

  constructor(options: Partial<SignalThrottleOptions> = {}) {
    this.options = { ...DEFAULT_SIGNAL_THROTTLE, ...options };
    const { windowNs, buckets, maxUnnecessarySignals, suspensionNs } = this.options;
    if (!Number.isInteger(buckets) || buckets < 1 || windowNs < buckets || suspensionNs < 0) {
      throw new RingConfigurationError('signal throttle needs windowNs ≥ buckets ≥ 1');
    }
    if (maxUnnecessarySignals < 1) {
      throw new RingConfigurationError('signal throttle needs maxUnnecessarySignals ≥ 1');
    }
    this.bucketNs = Math.floor(windowNs / buckets);
    this.counts = new Uint32Array(buckets);
    this.bucketNumbers = new Float64Array(buckets).fill(-1);
  }

  /** Whether the guest is suspended at `now`. */
  isSuspended(now: Ns): boolean {
    return now < this.suspendedUntil;
  }

  /**
   * Records one signal at simulated time `now` and returns true when the guest must be (or still
   * is) suspended; `suspendedUntil` then says until when. Throttling clears the counting interval.
   */
  recordSignal(now: Ns, necessary: boolean): boolean {
    if (this.isSuspended(now)) return true;
    if (necessary) {
      this.necessarySignals++;
      return false;
    }
    this.unnecessarySignals++;
    const bucketCount = this.counts.length;
    const bucket = Math.floor(now / this.bucketNs);
    const slot = bucket % bucketCount;
    if (this.bucketNumbers[slot] !== bucket) {
      this.bucketNumbers[slot] = bucket;
      this.counts[slot] = 0;
    }
    this.counts[slot]++;
    if (this.unnecessaryInWindow(bucket) < this.options.maxUnnecessarySignals) return false;
    this.suspendedUntil = now + this.options.suspensionNs;
    this.throttleEvents++;
    this.counts.fill(0);
    this.bucketNumbers.fill(-1);
    return true;
  }

  /** Unnecessary signals counted in the window ending at `now`. */
  unnecessarySignalsInWindow(now: Ns): number {
    return this.unnecessaryInWindow(Math.floor(now / this.bucketNs));
  }

  private unnecessaryInWindow(currentBucket: number): number {
    let total = 0;
    const oldest = currentBucket - this.counts.length;
    for (let slot = 0; slot < this.counts.length; slot++) {
      const bucket = this.bucketNumbers[slot];
      if (bucket > oldest && bucket <= currentBucket) total += this.counts[slot];
    }
    return total;
  }
}
