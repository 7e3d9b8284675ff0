/**
 * Levels and solutions: the file formats (zod schemas with generated JSON Schema), reading files a
 * person wrote, resolving a solution against its level, playing, scoring and diagnosing.
 */
export * from './schema/level.js';
export * from './schema/solution.js';
export * from './schema/text.js';
export {
  FileFormatError,
  MAX_FILE_BYTES,
  MAX_JSON_DEPTH,
  parseJsonText,
  parseLevel,
  parseSolution,
  solutionFromJson,
} from './parse-file.js';
export { resolveConfiguration } from './resolve.js';
export { checkLevel, locatedIn } from './check-level.js';
export type { JsonPath } from './check-level.js';
export { costOf, evaluate, scoresOf } from './scoring.js';
export type { LevelResult, ObjectiveResult, ObjectiveScope, Scores } from './scoring.js';
export { diagnose } from './diagnosis.js';
export {
  formatMetric,
  formatPercent,
  formatScore,
  metricName,
  neededText,
  objectiveOutcome,
  opSymbol,
} from './metric-text.js';
export type { TextLanguage } from './metric-text.js';
export type { Diagnosis } from './diagnosis.js';
export { finishLevel, playLevel, startLevel } from './play.js';
export type { PlayOptions, PlayResult } from './play.js';
export { runJson } from './json-report.js';
export type { RunJson } from './json-report.js';
