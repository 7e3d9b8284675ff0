/**
 * Playing a level headless: resolve the player's solution against the level, build the simulation,
 * run it to the end, evaluate. The game does the same steps, advancing the simulation one frame at
 * a time (`startLevel` then `finishLevel`), so a solution scores exactly the same in both.
 */
import { Simulation } from '../core/index.js';
import type { SimReport, VspModule } from '../core/index.js';
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
  /** File names for error messages. */
  readonly sources?: { readonly level?: string; readonly solution?: string };
}

export interface PlayResult {
  readonly report: SimReport;
  readonly result: LevelResult;
  readonly simulation: Simulation;
}

/** Builds the simulation for a level and a solution (throws ConfigurationError on bad input). */
export function startLevel(options: PlayOptions): Simulation {
  const config = resolveConfiguration(
    options.level,
    options.solution,
    options.sources?.solution ?? 'solution',
  );
  return Simulation.create({
    scenario: options.level.scenario,
    configuration: config,
    vsps: options.vsps,
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    sources: {
      scenario: options.sources?.level ?? options.level.id,
      configuration: options.sources?.solution ?? 'solution',
    },
  });
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
