/**
 * Reading saved data of any known format: parse, migrate step by step to the current version,
 * validate. Migrations are frozen history — they never import today's campaign, because a save
 * written by version N must keep meaning what it meant then.
 */
import * as z from 'zod/mini';
import {
  LEVEL_ID_PATTERN,
  MAX_SAVE_CHARS,
  SAVE_FORMAT,
  SAVE_VERSION,
  SaveFormatError,
  SaveV2Schema,
} from './format.js';
import type { LevelProgress, SaveV2 } from './format.js';
import { readSettings } from './settings.js';
import type { Settings } from './settings.js';

export interface ReadContext {
  /** Settings to use where the save has none or a bad one. */
  readonly defaults: Settings;
  readonly now: () => Date;
}

export interface ReadResult {
  readonly save: SaveV2;
  /** The version the data was written in, when it had to be migrated. */
  readonly migratedFrom?: number;
}

// ---------------------------------------------------------------------------------------------
// Format 1 (the first public build): progress keyed by level number, one score, one solution.
//   { "version": 1, "lang": "en" | "pt", "sound": true,
//     "levels": { "3": { "stars": 2, "score": 1840, "solution": { … } } } }

/**
 * Level n of format 1 is V1_LEVEL_IDS[n - 1], under the id its level file has now (levels
 * format 1 dropped "two-lanes" and "consolidation": their progress is kept under the old id).
 */
export const V1_LEVEL_IDS: readonly string[] = [
  '01-first-partition',
  'two-lanes',
  '03-legacy-guest',
  '04-the-root-works-too',
  '05-noisy-neighbour',
  '06-isolated-cores',
  '07-memory-pressure',
  '08-interrupt-storm',
  '09-ring-full',
  '10-two-disks',
  '11-hostile-guest',
  'consolidation',
];

const SaveV1Schema = z.object({
  version: z.literal(1),
  lang: z.optional(z.string()),
  sound: z.optional(z.boolean()),
  levels: z.record(
    z.string().check(z.regex(/^[1-9][0-9]{0,2}$/)),
    z.object({
      stars: z.int().check(z.gte(0), z.lte(3)),
      score: z.optional(z.number().check(z.gte(0))),
      solution: z.optional(z.record(z.string(), z.unknown())),
    }),
  ),
});

/** Format 1 → 2: numbers become ids, `lang: "pt"` becomes pt-BR, `sound` becomes `muted`. */
export function migrateV1toV2(raw: unknown, ctx: ReadContext): unknown {
  const v1 = validate(SaveV1Schema, raw);
  const savedAt = ctx.now().toISOString();
  const progress: Record<string, LevelProgress> = {};
  for (const [number, level] of Object.entries(v1.levels)) {
    const id = V1_LEVEL_IDS[Number(number) - 1] ?? `level-${number}`;
    progress[id] = {
      stars: level.stars,
      // Format 1 kept a single score: the throughput of the best run.
      best: level.score === undefined ? {} : { throughput: level.score },
      solutions: level.solution
        ? [
            {
              id: `v1-${number}`,
              name: 'Solution (format 1)',
              savedAt,
              origin: 'player',
              data: level.solution,
            },
          ]
        : [],
    };
  }
  return {
    format: SAVE_FORMAT,
    version: 2,
    savedAt,
    settings: {
      ...(v1.lang === 'pt' ? { language: 'pt-BR' } : v1.lang === 'en' ? { language: 'en' } : {}),
      ...(v1.sound === undefined ? {} : { muted: !v1.sound }),
    },
    progress,
  };
}

/** Migration from version n to n + 1, by n. */
const MIGRATIONS: Readonly<Partial<Record<number, (raw: unknown, ctx: ReadContext) => unknown>>> = {
  1: migrateV1toV2,
};

// ---------------------------------------------------------------------------------------------

function validate<T>(schema: z.ZodMiniType<T>, raw: unknown): T {
  const result = z.safeParse(schema, raw);
  if (result.success) return result.data;
  const issue = result.error.issues.at(0);
  const path = issue ? issue.path.map(String).join('.') : '';
  throw new SaveFormatError(
    'invalid',
    `unexpected content at ${path || '(top level)'}: ${issue?.message ?? 'invalid'}`,
    path || '(top level)',
  );
}

function versionOf(data: unknown): number {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new SaveFormatError('not-a-save', 'not a Hyperkata save: not a JSON object');
  }
  const record = data as Record<string, unknown>;
  const version = record.version;
  const isCurrentFormat = record.format === SAVE_FORMAT;
  const isFormat1 = record.format === undefined && version === 1 && 'levels' in record;
  if (!isCurrentFormat && !isFormat1) {
    throw new SaveFormatError('not-a-save', 'not a Hyperkata save: no "format" field');
  }
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SaveFormatError('invalid', 'unexpected content at version', 'version');
  }
  if (version > SAVE_VERSION) {
    throw new SaveFormatError(
      'newer-version',
      `written by a newer version of Hyperkata (format ${version}, this one reads up to ${SAVE_VERSION})`,
      'version',
      version,
    );
  }
  return version;
}

/**
 * Parses saved JSON of any known format and returns it as the current format.
 * Throws {@link SaveFormatError} for anything it cannot read.
 *
 * @example
 * const { save, migratedFrom } = readSave(localStorage.getItem(SAVE_KEY) ?? '', ctx);
 */
export function readSave(text: string, ctx: ReadContext): ReadResult {
  if (text.length > MAX_SAVE_CHARS) {
    throw new SaveFormatError('too-large', `larger than ${MAX_SAVE_CHARS} characters`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new SaveFormatError('not-json', 'not valid JSON');
  }
  const from = versionOf(data);
  for (let version = from; version < SAVE_VERSION; version++) {
    const step = MIGRATIONS[version];
    if (!step)
      throw new SaveFormatError('invalid', `no migration from format ${version}`, 'version');
    data = step(data, ctx);
  }
  const v2 = validate(SaveV2Schema, data);
  const save: SaveV2 = {
    format: SAVE_FORMAT,
    version: SAVE_VERSION,
    savedAt: v2.savedAt,
    settings: readSettings(v2.settings, ctx.defaults),
    progress: v2.progress,
    ...(v2.lastLevelId === undefined ? {} : { lastLevelId: v2.lastLevelId }),
  };
  return from === SAVE_VERSION ? { save } : { save, migratedFrom: from };
}

export function isLevelId(value: string): boolean {
  return LEVEL_ID_PATTERN.test(value);
}
