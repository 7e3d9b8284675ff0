/**
 * The messages between the Play scene and the simulation host (a Web Worker, or the page itself
 * where workers are unavailable). The scene paces the run with its fixed-step loop and asks for
 * whole steps; the host advances the core through its public API and answers with a frame: a
 * small, plain snapshot of what the canvas draws. Rendering reads frames only, never the core.
 * Everything here is structured-clone friendly (plain objects, arrays, numbers, strings).
 */
import type { InputIssue, NarrationMessage } from '../../core/index.js';
import type { Level, LevelResult, RunJson, Solution } from '../../levels/index.js';

/** Simulated time per fixed step, ns (0.25 ms). */
export const STEP_NS = 250_000;
/** Sparkline length: the samples the view draws per VM. */
export const SPARKLINE_SAMPLES = 90;
/** Narration lines a frame carries at most: at high speed only the latest are worth reading. */
export const NARRATION_PER_FRAME = 12;

/** Who runs on a logical processor: a VM's index (0…), the root, a guest not yet known, nobody. */
export const LP_IDLE = -2;
export const LP_ROOT = -1;
export const LP_GUEST = -3;

/** A solution to check: one already read as JSON, or the text of a solution file. */
export type SolutionFrom = { readonly json: unknown } | { readonly text: string };

export type SimRequest =
  /** Parses a bundled level file (the levels/ schema, with zod, lives on the host's side). */
  | { readonly kind: 'load'; readonly id: number; readonly raw: unknown }
  /** Checks a saved or shared solution (its schema, its level) before the scene drafts it. */
  | {
      readonly kind: 'check';
      readonly id: number;
      /** The id of the level it must belong to. */
      readonly levelId: string;
      /** Already read as JSON (saved progress, a share link), or a file's text. */
      readonly from: SolutionFrom;
      /** How the error names it, e.g. `saved solution “Fast path”`. */
      readonly source: string;
    }
  /** Builds the run for a solution (drops any previous run). */
  | {
      readonly kind: 'start';
      readonly id: number;
      readonly level: Level;
      readonly solution: Solution;
    }
  /**
   * Advances up to `steps` fixed steps (fewer when `budgetMs` of real time runs out first or the
   * run ends); `report` asks for the live objectives and counters (a `report()`, a few ms).
   */
  | {
      readonly kind: 'advance';
      readonly id: number;
      readonly steps: number;
      readonly budgetMs: number;
      readonly report: boolean;
    }
  /** Drops the run (Reset, leaving the level). */
  | { readonly kind: 'stop'; readonly id: number };

export interface LiveCounters {
  hypercalls: number;
  interrupts: number;
  /** Intercepts the hypervisor delivered to the root (emulated devices' register accesses, rule 21). */
  intercepts: number;
  /** Misrouted + dropped + failed requests per VM. */
  bad: Record<string, number>;
}

export interface LiveObjective {
  readonly id: string;
  readonly met: boolean;
  readonly value: number;
}

export interface FrameVm {
  /** Completed I/O per sample interval, oldest first (at most {@link SPARKLINE_SAMPLES}). */
  readonly completed: readonly number[];
  /** The latest guest→host ring fill, 0..1: the backlog the root has not read yet. */
  readonly ringFill: number;
  /**
   * Share of the simulated time since the previous frame that the guest waited for room in its
   * rings, 0..1 — what the "ring full" objectives count. A ring can be nearly empty and still
   * "full" this way: storvsc keeps no more requests in flight than the ring could hold (rule 18),
   * and while they wait on the disk the ring itself has drained.
   */
  readonly ringWait: number;
  /** Operations completed since the run began. */
  readonly totalCompleted: number;
  /**
   * Requests lost so far (misrouted, dropped or failed) by device id: the snapshot's
   * `lostByDevice`, so the board marks the device that lost them.
   */
  readonly lost: Readonly<Record<string, number>>;
}

export interface FrameNarration {
  /** Simulated time, ns. */
  readonly time: number;
  readonly source: string;
  /** The line in English (the core's text). */
  readonly text: string;
  /** Its id and parameters, for the Play scene to say it in the player's language. */
  readonly message: NarrationMessage;
}

/** What the canvas and the live panels show after a request. */
export interface SimFrame {
  /** Simulated time, ns. */
  readonly now: number;
  readonly finished: boolean;
  /** Steps this request advanced. */
  readonly steps: number;
  /** Per logical processor: {@link LP_IDLE}, {@link LP_ROOT}, {@link LP_GUEST} or a VM's index. */
  readonly lps: readonly number[];
  readonly vms: Readonly<Record<string, FrameVm>>;
  /** The latest narration lines since the previous frame. */
  readonly narration: readonly FrameNarration[];
  /** When asked for (and always at the end). */
  readonly live: {
    readonly counters: LiveCounters;
    readonly objectives: readonly LiveObjective[];
  } | null;
  /** The score, once the run has finished: exactly what `hyperkata run --json` prints. */
  readonly final: { readonly result: LevelResult; readonly json: RunJson } | null;
}

export type SimReply =
  | { readonly kind: 'loaded'; readonly id: number; readonly level: Level }
  | { readonly kind: 'checked'; readonly id: number; readonly solution: Solution }
  | { readonly kind: 'started'; readonly id: number }
  /**
   * The solution was refused (a ConfigurationError's message, and its `issues` so the scene can
   * say them in the player's language), or the request failed (no `issues`).
   */
  | {
      readonly kind: 'failed';
      readonly id: number;
      readonly reason: string;
      readonly issues?: readonly InputIssue[];
    }
  | { readonly kind: 'frame'; readonly id: number; readonly frame: SimFrame }
  | { readonly kind: 'stopped'; readonly id: number };
