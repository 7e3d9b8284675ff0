/**
 * The simulation side of a level, loaded on demand (a dynamic import: the core, zod and the VSP
 * plugins are only downloaded when a level opens). It parses the level file with the levels/
 * schema, builds the run with `startLevel` — the CLI's own entry point — and evaluates it with
 * `finishLevel`, so a solution scores exactly what `hyperkata run` prints.
 */
import {
  FileFormatError,
  finishLevel,
  LevelSchema,
  runJson,
  parseSolution,
  solutionFromJson,
  startLevel,
} from '../../levels/index.js';
import type { Level, PlayResult, RunJson, Solution } from '../../levels/index.js';
import type { DeviceClass, Simulation } from '../../core/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { EXAMPLE_VSPS } from '../../plugins/examples/index.js';
import type { SolutionFrom } from './sim-protocol.js';

/** Parses a bundled level file (throws on a malformed file: the build ships only valid ones). */
export function parseLevelFile(raw: unknown): Level {
  return LevelSchema.parse(raw);
}

/**
 * Checks a solution before the game opens it — a saved or shared one, or a solution file's text:
 * JSON syntax (with line and column), the solution schema, and that it belongs to the level
 * `levelId`. Throws a FileFormatError naming `source` and each place in it that is wrong.
 */
export function checkSolution(levelId: string, from: SolutionFrom, source: string): Solution {
  const solution =
    'text' in from ? parseSolution(from.text, source) : solutionFromJson(from.json, source);
  if (solution.level !== levelId) {
    throw new FileFormatError(source, [
      {
        path: ['level'],
        expected: `${JSON.stringify(levelId)}, the level it is opened in`,
        found: JSON.stringify(solution.level),
      },
    ]);
  }
  return solution;
}

/**
 * The VSP plugins a level can use: the built-ins and the campaign's example plugins (level 11
 * opens with the third-party "turbo" storvsp), the same list `hyperkata run` loads (cli/env.ts).
 */
const GAME_VSPS = [...BUILT_IN_VSPS, ...EXAMPLE_VSPS];

/** Builds the run for a solution (throws ConfigurationError when the solution is refused). */
export function startRun(level: Level, solution: Solution): Simulation {
  return startLevel({ level, solution, vsps: GAME_VSPS });
}

/** Scores a finished run: the report, the level result and the CLI's JSON. */
export function finishRun(
  level: Level,
  sim: Simulation,
): { readonly play: PlayResult; readonly json: RunJson } {
  const play = finishLevel(level, sim);
  return { play, json: runJson(play.result, play.report) };
}

/** The device class a VSP plugin serves (the built-ins and the campaign's examples). */
export function vspClassOf(plugin: string): DeviceClass | undefined {
  return GAME_VSPS.find((m) => m.id === plugin)?.deviceClass;
}
