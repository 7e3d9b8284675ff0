/**
 * Renders a frame only when something on the canvas changed. Phaser redraws every object every
 * frame; on a software renderer (Canvas on a machine without a GPU) that costs most of the frame
 * even when nothing moves, e.g. while the player builds a level. A scene that knows when its
 * picture changes turns `onDemand` on and calls `invalidate()` whenever it draws something new;
 * the other frames still update (input, tweens, the scene's `update`) but skip the render, and
 * the canvas keeps showing the last picture. Off by default: every frame renders.
 */
export class FrameGate {
  private owed = 1;
  private demand = false;
  /** Rendered and skipped frames, for the benchmark and tests. */
  rendered = 0;
  skipped = 0;

  /** Whether frames render only when invalidated. Switching it on still renders the next frame. */
  get onDemand(): boolean {
    return this.demand;
  }

  set onDemand(value: boolean) {
    this.demand = value;
    this.invalidate();
  }

  /**
   * The picture changed: render the next frame. A change made during a frame's update is drawn by
   * that frame when it renders anyway, else by the next one (one frame late, never lost).
   */
  invalidate(): void {
    this.owed = 1;
  }

  /** Called once per frame, before its update: whether this frame renders. */
  take(): boolean {
    if (!this.demand || this.owed > 0) {
      this.owed = 0;
      this.rendered++;
      return true;
    }
    this.skipped++;
    return false;
  }
}

/** The two halves of Phaser's game step this needs (`Phaser.Game` has both). */
export interface SteppedGame {
  step(time: number, delta: number): void;
  headlessStep(time: number, delta: number): void;
}

/**
 * Makes the game's step consult the gate: a full step (update + render) when it says so, else
 * Phaser's own update-only step. Call before the game starts its loop (e.g. in `postBoot`).
 *
 * @example
 * new Phaser.Game({ ..., callbacks: { postBoot: (game) => { gateFrames(game, gate); } } });
 */
export function gateFrames(game: SteppedGame, gate: FrameGate): void {
  const full = game.step.bind(game);
  const updateOnly = game.headlessStep.bind(game);
  game.step = (time, delta) => {
    if (gate.take()) full(time, delta);
    else updateOnly(time, delta);
  };
}
