/**
 * Playing a level headless: resolve the player's solution against the level, build the simulation,
 * run it to the end, evaluate. The game does the same steps, advancing the simulation one frame at
 * a time (`startLevel` then `finishLevel`), so a solution scores exactly the same in both.
 */
import { catalogOf, ConfigurationError, parseConfiguration, Simulation } from '../core/index.js';
import type { InputIssue, SimReport, VspModule } from '../core/index.js';
import { checkLevel, locatedIn } from './check-level.js';
import type { JsonPath } from './check-level.js';
import { resolveConfiguration } from './resolve.js';
import { evaluate } from './scoring.js';
import type { LevelResult } from './scoring.js';
import type { Level } from './schema/level.js';
import type { Solution } from './schema/solution.js';

export interface PlayOptions {
  readonly level: Level;
  /** The player's solution; null plays the level's defaults as they are. */
  readonly solution: Solution | null;
  readonly vsps: readonly VspModule[];
  /** Overrides the level's seed. */
  readonly seed?: number;
  /**
   * File names for error messages and, when the level or the solution sits inside a larger file
   * (a replay), the path of each in it.
   */
  readonly sources?: {
    readonly level?: string;
    readonly solution?: string;
    readonly levelPath?: JsonPath;
    readonly solutionPath?: JsonPath;
  };
}

export interface PlayResult {
  readonly report: SimReport;
  readonly result: LevelResult;
  readonly simulation: Simulation;
}

/**
 * Builds the simulation for a level and a solution. Throws ConfigurationError on bad input: a
 * problem of the level (its scenario, its defaults, its objectives) names the level's source, one
 * that the solution brings names the solution's.
 */
export function startLevel(options: PlayOptions): Simulation {
  const levelSource = options.sources?.level ?? options.level.id;
  const solutionSource = options.sources?.solution ?? 'solution';
  const scenario = checkLevel(options.level, options.vsps, levelSource, options.sources?.levelPath);
  const configuration = locatedIn(solutionSource, options.sources?.solutionPath ?? [], () => {
    const merged = resolveConfiguration(options.level, options.solution, solutionSource);
    try {
      parseConfiguration(scenario, merged, catalogOf(options.vsps));
    } catch (e) {
      throw options.solution === null ? e : pointAtDefaults(e, options.solution);
    }
    return merged;
  });
  return Simulation.create({
    scenario: options.level.scenario,
    configuration,
    vsps: options.vsps,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    sources: { scenario: levelSource, configuration: solutionSource },
  });
}

/** The lists a solution either gives whole or leaves to the level's defaults. */
const WHOLE_LISTS = ['vsps', 'channels', 'emulated'] as const;

/**
 * A problem the solution's change brings out in an entry it did not write — a route kept from the
 * level's defaults, say, that no longer fits a VM the solution changed — is still the solution's to
 * fix, but the entry is not in its file: say where it comes from.
 */
function pointAtDefaults(e: unknown, solution: Solution): unknown {
  if (!ConfigurationError.is(e)) return e;
  const issues = e.issues.map((i): InputIssue => {
    const list = WHOLE_LISTS.find((l) => l === i.path[0]);
    if (list === undefined || solution[list] !== undefined || typeof i.path[1] !== 'number')
      return i;
    const entry = `${list}[${String(i.path[1])}]`;
    return {
      ...i,
      found: `${i.found} (${entry} is not in this solution: it is the level's defaults.${entry}, kept because the solution has no "${list}" — give it its own "${list}" to change it)`,
    };
  });
  return new ConfigurationError(e.source, issues);
}

/** Evaluates a finished (or stopped) simulation against its level. */
export function finishLevel(level: Level, simulation: Simulation): PlayResult {
  const report = simulation.report();
  return { report, result: evaluate(level, simulation.configuration, report), simulation };
}

/** Plays a level to the end. */
export function playLevel(options: PlayOptions): PlayResult {
  const sim = startLevel(options);
  sim.runToEnd();
  return finishLevel(options.level, sim);
}
