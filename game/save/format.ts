/**
 * The saved-data format (version 2): settings, per-level progress (stars, best scores, saved
 * solutions). Stored as JSON under one localStorage key and exported as the same JSON in a file.
 * Older formats are migrated (migrate.ts); anything unreadable is a SaveFormatError.
 */
import * as z from 'zod/mini';
import { HyperkataError } from '../../core/model/errors.js';
import type { Settings } from './settings.js';

export const SAVE_FORMAT = 'hyperkata-save';
export const SAVE_VERSION = 2;
/** The localStorage key of the save. */
export const SAVE_KEY = 'hyperkata.save';
/** Unreadable saves are kept under this prefix plus a timestamp. */
export const BACKUP_KEY_PREFIX = 'hyperkata.save.backup.';
/** A save (or an imported file) longer than this is refused: localStorage holds ~5 MB anyway. */
export const MAX_SAVE_CHARS = 2_000_000;
/** Solutions kept per level; the oldest go first. */
export const MAX_SOLUTIONS_PER_LEVEL = 20;

export const SCORE_KINDS = ['throughput', 'p99LatencyUs', 'rootCpuPercent', 'cost'] as const;
export type ScoreKind = (typeof SCORE_KINDS)[number];

/** Throughput is better higher; latency, root CPU and cost are better lower. */
export const HIGHER_IS_BETTER: Readonly<Record<ScoreKind, boolean>> = {
  throughput: true,
  p99LatencyUs: false,
  rootCpuPercent: false,
  cost: false,
};

export const SOLUTION_ORIGINS = ['player', 'shared', 'imported'] as const;
export type SolutionOrigin = (typeof SOLUTION_ORIGINS)[number];

export type JsonObject = Readonly<Record<string, unknown>>;

export interface SavedSolution {
  readonly id: string;
  readonly name: string;
  /** ISO 8601. */
  readonly savedAt: string;
  readonly origin: SolutionOrigin;
  /** The solution file's content (levels/ validates it; the save only keeps it). */
  readonly data: JsonObject;
}

export type BestScores = Readonly<Partial<Record<ScoreKind, number>>>;

export interface LevelProgress {
  /** 0–3. */
  readonly stars: number;
  readonly best: BestScores;
  readonly solutions: readonly SavedSolution[];
}

export interface SaveV2 {
  readonly format: typeof SAVE_FORMAT;
  readonly version: typeof SAVE_VERSION;
  /** ISO 8601. */
  readonly savedAt: string;
  readonly settings: Settings;
  /** Keyed by level id. */
  readonly progress: Readonly<Record<string, LevelProgress>>;
  /** The level played last, for "Continue". */
  readonly lastLevelId?: string;
}

export const LEVEL_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

const score = z.number().check(z.refine(Number.isFinite, 'a finite number'), z.gte(0));

export const SavedSolutionSchema = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  name: z.string().check(z.maxLength(120)),
  savedAt: z.string().check(z.maxLength(40)),
  origin: z.enum(SOLUTION_ORIGINS),
  data: z.record(z.string(), z.unknown()),
});

const LevelProgressSchema = z.object({
  stars: z.int().check(z.gte(0), z.lte(3)),
  best: z.object({
    throughput: z.optional(score),
    p99LatencyUs: z.optional(score),
    rootCpuPercent: z.optional(score),
    cost: z.optional(score),
  }),
  solutions: z.array(SavedSolutionSchema).check(z.maxLength(MAX_SOLUTIONS_PER_LEVEL)),
});

/** Version 2 without settings: settings are read leniently (settings.ts). */
export const SaveV2Schema = z.object({
  format: z.literal(SAVE_FORMAT),
  version: z.literal(SAVE_VERSION),
  savedAt: z.string().check(z.maxLength(40)),
  settings: z.unknown(),
  progress: z.record(z.string().check(z.regex(LEVEL_ID_PATTERN)), LevelProgressSchema),
  lastLevelId: z.optional(z.string().check(z.regex(LEVEL_ID_PATTERN))),
});

export type SaveErrorKind = 'not-json' | 'not-a-save' | 'invalid' | 'newer-version' | 'too-large';

/** Saved data (in storage or an imported file) that cannot be read. */
export class SaveFormatError extends HyperkataError {
  declare readonly kind: SaveErrorKind;

  constructor(
    kind: SaveErrorKind,
    message: string,
    /** For `invalid`: where, e.g. `progress.two-lanes.stars`. */
    readonly path = '',
    /** For `newer-version`: the version found. */
    readonly version = 0,
  ) {
    super(kind, message);
    this.name = 'SaveFormatError';
  }

  static override is(value: unknown): value is SaveFormatError {
    return value instanceof SaveFormatError;
  }
}

export function emptyProgress(): LevelProgress {
  return { stars: 0, best: {}, solutions: [] };
}
