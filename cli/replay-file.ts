/**
 * Replay files: everything needed to run a game again and check it came out the same — the level
 * (embedded, so custom levels replay too), the solution, the seed, which plugins ran (id and code
 * digest) and the event-log hash the run ended with.
 */
import { z } from 'zod';
import type { SimReport, VspModule } from '../core/index.js';
import { issuesFromZod, SeedSchema } from '../core/index.js';
import { FileFormatError, LevelSchema, parseJsonText, SolutionSchema } from '../levels/index.js';
import type { Level, Solution } from '../levels/index.js';

export const ReplaySchema = z.strictObject({
  format: z.literal(1),
  level: LevelSchema,
  solution: SolutionSchema.nullable(),
  seed: SeedSchema,
  plugins: z.array(z.strictObject({ id: z.string(), digest: z.string() })),
  hash: z.string().regex(/^[0-9a-f]{16}$/),
  stars: z.number().int().min(0).max(3),
});
export type Replay = z.infer<typeof ReplaySchema>;

export function replayOf(
  level: Level,
  solution: Solution | null,
  report: SimReport,
  vsps: readonly VspModule[],
  stars: number,
): Replay {
  const used = new Set(report.faults.plugins.map((f) => f.plugin));
  const named = new Set([
    ...level.defaults.vsps.map((v) => v.plugin),
    ...(solution?.vsps ?? []).map((v) => v.plugin),
    ...used,
  ]);
  return {
    format: 1,
    level,
    solution,
    seed: report.seed,
    plugins: vsps.filter((m) => named.has(m.id)).map((m) => ({ id: m.id, digest: m.digest })),
    hash: report.hash,
    stars,
  };
}

export function parseReplay(text: string, source: string): Replay {
  const json = parseJsonText(text, source);
  const result = ReplaySchema.safeParse(json);
  if (!result.success)
    throw new FileFormatError(source, issuesFromZod(result.error, json, ReplaySchema));
  return result.data;
}
