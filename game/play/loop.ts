/**
 * The Play scene's fixed-step loop: real frame time in, a whole number of equal simulation steps
 * out. The simulation never sees the frame rate, so a run looks the same at 30 or 144 fps and its
 * result is the CLI's. Rendering only reads the simulation between ticks.
 */

export interface FixedStepLoopOptions {
  /** Simulated time per step, ns (integer: the core's clock is integer nanoseconds). */
  readonly stepNs: number;
  /** Real time one step stands for at 1×, ms. Default: one 60 Hz frame. */
  readonly realMsPerStep?: number;
  /** Most steps in one frame, so a stalled tab does not try to catch up forever. Default 8. */
  readonly maxStepsPerFrame?: number;
  /**
   * Real time one frame may spend stepping, ms: past it the frame stops and the remaining steps
   * wait (the simulation only ever advances in whole, equal steps, so results do not change).
   */
  readonly budgetMs?: number;
  /** Clock for the budget (default performance.now). */
  readonly clock?: () => number;
  /** Advances the simulation, e.g. `(ns) => sim.advance(ns)`. */
  readonly advance: (ns: number) => void;
}

/**
 * @example
 * const loop = new FixedStepLoop({ stepNs: 100_000, advance: (ns) => sim.advance(ns) });
 * loop.speed = settings.speed;
 * // in Phaser's update(time, delta):
 * loop.tick(delta);
 * renderer.draw(sim);  // reads only
 */
export class FixedStepLoop {
  /** Multiplier of real time (1×, 2×, 4×, 8×). */
  speed = 1;
  paused = false;
  private accumulatedMs = 0;
  private readonly stepNs: number;
  private readonly realMsPerStep: number;
  private readonly maxSteps: number;
  private readonly advance: (ns: number) => void;
  private readonly budgetMs: number;
  private readonly clock: () => number;

  constructor(options: FixedStepLoopOptions) {
    if (!Number.isInteger(options.stepNs) || options.stepNs <= 0) {
      throw new RangeError('stepNs must be a positive integer');
    }
    this.stepNs = options.stepNs;
    this.realMsPerStep = options.realMsPerStep ?? 1000 / 60;
    this.maxSteps = options.maxStepsPerFrame ?? 8;
    this.advance = options.advance;
    this.budgetMs = options.budgetMs ?? Number.POSITIVE_INFINITY;
    this.clock = options.clock ?? (() => performance.now());
  }

  /** Feeds one frame's real time; runs the steps it is worth and returns how many. */
  tick(deltaMs: number): number {
    if (this.paused || !(deltaMs > 0)) return 0;
    this.accumulatedMs += deltaMs * this.speed;
    let steps = 0;
    const started = this.budgetMs === Number.POSITIVE_INFINITY ? 0 : this.clock();
    let overBudget = false;
    while (this.accumulatedMs >= this.realMsPerStep && steps < this.maxSteps && !overBudget) {
      this.advance(this.stepNs);
      this.accumulatedMs -= this.realMsPerStep;
      steps++;
      if (this.budgetMs !== Number.POSITIVE_INFINITY)
        overBudget = this.clock() - started >= this.budgetMs;
    }
    if (steps === this.maxSteps || overBudget)
      this.accumulatedMs = Math.min(this.accumulatedMs, this.realMsPerStep);
    return steps;
  }

  /** How far the next step is, 0–1: for interpolating what is drawn. */
  get alpha(): number {
    return this.accumulatedMs / this.realMsPerStep;
  }

  reset(): void {
    this.accumulatedMs = 0;
  }
}
