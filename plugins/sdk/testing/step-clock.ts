/**
 * The harness's clock: whole steps, and events that run in (step, scheduling order) — the same
 * inputs always give the same order. No wall-clock time is involved.
 */

/**
 * What an event is, so the harness can tell device work from timers a VSP keeps re-arming.
 *
 * @example
 * ```ts
 * const deviceWorkLeft = h.clock.pending('device' satisfies StepEventKind);
 * ```
 */
export type StepEventKind = 'device' | 'timer';

interface StepEvent {
  readonly step: number;
  readonly seq: number;
  readonly kind: StepEventKind;
  readonly run: () => void;
}

/**
 * A deterministic step scheduler.
 *
 * @example
 * ```ts
 * const clock = new StepClock();
 * clock.schedule(2, 'device', () => console.log('done'));
 * clock.advance(2); // prints "done"
 * ```
 */
export class StepClock {
  private readonly queue: StepEvent[] = [];
  private seq = 0;
  /** The current step. */
  now = 0;

  /** Runs `run` `delaySteps` (≥ 0, whole) steps from now, after events already due then. */
  schedule(delaySteps: number, kind: StepEventKind, run: () => void): void {
    const step = this.now + Math.max(0, Math.ceil(delaySteps));
    const event: StepEvent = { step, seq: this.seq++, kind, run };
    let lo = 0;
    let hi = this.queue.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.queue[mid].step <= step) lo = mid + 1;
      else hi = mid;
    }
    this.queue.splice(lo, 0, event);
  }

  /** Events still to run, of one kind or all. */
  pending(kind?: StepEventKind): number {
    if (kind === undefined) return this.queue.length;
    let n = 0;
    for (const e of this.queue) if (e.kind === kind) n++;
    return n;
  }

  /** Advances `steps` steps, running every event due on the way. Returns how many ran. */
  advance(steps: number): number {
    const target = this.now + Math.max(0, Math.floor(steps));
    let ran = 0;
    while (this.queue.length > 0 && this.queue[0].step <= target) {
      const event = this.queue[0];
      this.queue.shift();
      this.now = event.step;
      event.run();
      ran++;
    }
    this.now = target;
    return ran;
  }

  /** The step of the next event, or undefined when none is waiting. */
  nextStep(kind?: StepEventKind): number | undefined {
    for (const e of this.queue) if (kind === undefined || e.kind === kind) return e.step;
    return undefined;
  }
}
