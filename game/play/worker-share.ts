/**
 * How much of the machine the simulation worker may take while a run plays. With a core to spare
 * the worker steps flat out (long requests, two in flight) and the page never notices. When the
 * page starts missing frames — a small machine, another program busy — the worker is throttled:
 * one request at a time, each cut to a shorter budget, so between two frames the page and the
 * compositor get the CPU they need. The budget halves when frames are missed and grows back
 * slowly while they are on time (additive increase, multiplicative decrease).
 *
 * What it learnt carries over from one run to the next in the same scene (the machine is as
 * busy as it was). Only the pace of a run changes: the steps are the same whole steps in the same order, so the
 * score is the CLI's whatever the budget (the clock shows the true simulated rate).
 */
export interface WorkerShareOptions {
  /** Budget of one request when nothing is throttled, ms (the worker's full speed). */
  readonly maxBudgetMs: number;
  /** The least a throttled request may step, ms. */
  readonly minBudgetMs: number;
  /** A frame longer than this missed a vsync, ms (1.5 refresh intervals at 60 Hz: 25). */
  readonly missedFrameMs: number;
  /** Misses within `windowFrames` frames that cut the budget (one stray miss does not). */
  readonly missesToThrottle: number;
  readonly windowFrames: number;
  /** Budget regained per frame on time, ms. */
  readonly recoverMsPerFrame: number;
}

export const DEFAULT_WORKER_SHARE: WorkerShareOptions = {
  maxBudgetMs: 25,
  minBudgetMs: 4,
  missedFrameMs: 25,
  missesToThrottle: 2,
  windowFrames: 30,
  recoverMsPerFrame: 0.25,
};

export class WorkerShare {
  private budget: number;
  /** Frame numbers of the recent misses (at most `missesToThrottle`). */
  private readonly misses: number[] = [];
  private frames = 0;

  constructor(private readonly options: WorkerShareOptions = DEFAULT_WORKER_SHARE) {
    this.budget = options.maxBudgetMs;
  }

  /** Real time one request may step now, ms. */
  get budgetMs(): number {
    return this.budget;
  }

  /** Requests to keep in flight: two at full speed, one while throttled. */
  get maxInFlight(): number {
    return this.budget >= this.options.maxBudgetMs ? 2 : 1;
  }

  /**
   * Feeds the real duration of one frame of a run.
   *
   * @example
   * share.onFrame(delta);
   * worker.advance(steps, { budgetMs: share.budgetMs });
   */
  onFrame(deltaMs: number): void {
    const o = this.options;
    this.frames++;
    if (deltaMs > o.missedFrameMs) {
      this.misses.push(this.frames);
      if (this.misses.length > o.missesToThrottle) this.misses.shift();
      const first = this.misses[0];
      if (this.misses.length >= o.missesToThrottle && this.frames - first < o.windowFrames) {
        this.budget = Math.max(o.minBudgetMs, this.budget / 2);
        this.misses.length = 0;
      }
      return;
    }
    this.budget = Math.min(o.maxBudgetMs, this.budget + o.recoverMsPerFrame);
  }
}
