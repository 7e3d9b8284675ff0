/**
 * How fast a level's run plays at first. The toolbar's ×1 shows 40 ms of simulated time per real
 * second — a 400 ms level in 10 s — which turns a 10 s level (level 7, Dynamic Memory's
 * once-a-second rounds) into a four-minute wait for a player who just presses Run. So a level
 * that would take longer than {@link LONGEST_FIRST_RUN_S} at the session's speed starts at the
 * slowest speed that fits; the player can still pick any other.
 */
import { SPEEDS } from '../save/settings.js';
import type { Speed } from '../save/settings.js';

/** The longest a run may take at its first speed, real seconds. */
export const LONGEST_FIRST_RUN_S = 20;

/**
 * The speed a level of `durationMs` starts at: `speed` when a run takes at most
 * {@link LONGEST_FIRST_RUN_S} at it, else the slowest speed at which it does (×64 at most).
 *
 * @example
 * fittingSpeed(400, 1, 40); // 1: 10 s
 * fittingSpeed(10_000, 1, 40); // 16: 15.6 s (×8 would take 31 s)
 */
export function fittingSpeed(durationMs: number, speed: Speed, simMsPerSecondAt1: number): Speed {
  const seconds = (s: Speed): number => durationMs / (simMsPerSecondAt1 * s);
  if (seconds(speed) <= LONGEST_FIRST_RUN_S) return speed;
  return (
    SPEEDS.find((s) => s > speed && seconds(s) <= LONGEST_FIRST_RUN_S) ?? SPEEDS[SPEEDS.length - 1]
  );
}

/** Real seconds a run of `durationMs` takes at `speed`, rounded up. */
export function runSeconds(durationMs: number, speed: Speed, simMsPerSecondAt1: number): number {
  return Math.ceil(durationMs / (simMsPerSecondAt1 * speed));
}
