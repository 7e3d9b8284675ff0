/**
 * `hyperkata verify [LEVEL.json...] [--json]`: every campaign level's — or every level file given's —
 * reference solution earns three stars, its naive solution fails for the reason the level is about,
 * and two runs of the reference give byte-identical reports. Exit 0 when all hold, 1 otherwise.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import {
  formatScore,
  objectiveOutcome,
  parseLevel,
  playLevel,
  runJson,
  SCORES,
} from '../../levels/index.js';
import type { PlayOptions, PlayResult } from '../../levels/index.js';
import { loadCampaign, readSolution } from '../campaign.js';
import type { CampaignEntry } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { pluginsFor } from '../env.js';
import { EXIT_NOT_MET, EXIT_OK, UsageError } from '../errors.js';
import { readText } from '../files.js';
import { collect } from '../options.js';
import { pointAtPluginOption } from '../plugin-usage.js';

export interface LevelVerdict {
  readonly id: string;
  readonly reference: { readonly stars: number };
  readonly naive: {
    readonly stars: number;
    readonly failedObjectives: readonly string[];
    readonly expected: readonly string[];
  };
  readonly deterministic: boolean;
  readonly ok: boolean;
}

export function registerVerify(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('verify')
    .description(
      'check every campaign level (or the level files given): reference earns 3 stars, naive fails as expected, runs are deterministic',
    )
    .option('--json', 'print JSON')
    .option('--plugin <file>', 'load a VSP plugin file (repeatable)', collect)
    .option('--only <id>', 'verify one level')
    .argument(
      '[levels...]',
      'level files of your own to verify instead of the campaign, each with NAME.reference.solution.json and NAME.naive.solution.json beside it',
    )
    .action(async (files: string[], opts: { json?: boolean; plugin?: string[]; only?: string }) => {
      const vsps = await pluginsFor(env, opts.plugin ?? []);
      const verdicts: LevelVerdict[] = [];
      const entries = files.length === 0 ? loadCampaign(env.campaignDir) : files.map(levelEntry);
      for (const entry of entries) {
        const level = entry.level;
        if (opts.only !== undefined && !matchesLevel(level, opts.only)) continue;
        const reference = readSolution(entry.referenceFile);
        const naive = readSolution(entry.naiveFile);
        // Errors name the files: a level of the user's own may well have a mistake in them.
        const sources = { level: entry.file, solution: entry.referenceFile };
        const given = opts.plugin ?? [];
        const first = playNaming(given, { level, solution: reference, vsps, sources });
        const second = playNaming(given, { level, solution: reference, vsps, sources });
        const deterministic =
          JSON.stringify(runJson(first.result, first.report)) ===
          JSON.stringify(runJson(second.result, second.report));
        const bad = playNaming(given, {
          level,
          solution: naive,
          vsps,
          sources: { level: entry.file, solution: entry.naiveFile },
        });
        const failed = bad.result.objectives.filter((o) => !o.met).map((o) => o.id);
        const expectedFail = level.naiveFails.every((id) => failed.includes(id));
        const ok =
          first.result.stars === 3 && expectedFail && bad.result.stars < 3 && deterministic;
        verdicts.push({
          id: level.id,
          reference: { stars: first.result.stars },
          naive: { stars: bad.result.stars, failedObjectives: failed, expected: level.naiveFails },
          deterministic,
          ok,
        });
        if (opts.json !== true) {
          env.out(
            `${ok ? '✔' : '✘'} ${level.id.padEnd(28)} reference ${'★'.repeat(first.result.stars).padEnd(3, '☆')}  naive fails ${failed.join(', ') || 'nothing'}${expectedFail ? '' : ` (expected ${level.naiveFails.join(', ')})`}  ${deterministic ? 'deterministic' : 'NOT deterministic'}\n`,
          );
          // Why the reference falls short, so the level's author knows what to change.
          for (const o of first.result.objectives.filter((x) => !x.met)) {
            // One about every VM names each VM that missed it.
            const who = o.missedBy?.join(', ') ?? o.vm;
            env.out(
              `    reference misses ${o.id}${who === undefined ? '' : ` (${who})`}: ${objectiveOutcome(o, 'en')}\n`,
            );
          }
          if (first.result.stars > 0 && first.result.stars < 3)
            env.out(
              `    reference scores: ${SCORES.map((k) => `${k} ${formatScore(k, first.result.scores[k], 'en')}`).join(', ')} — thresholds: ${[...level.stars.two.map((t) => `★★ ${t.score} ${t.op} ${String(t.value)}`), ...level.stars.three.map((t) => `★★★ ${t.score} ${t.op} ${String(t.value)}`)].join(', ')}\n`,
            );
        }
      }
      if (opts.only !== undefined && verdicts.length === 0)
        throw new UsageError(`no campaign level matches "${opts.only}" (try \`hyperkata levels\`)`);
      if (opts.json === true)
        env.out(JSON.stringify({ levels: verdicts.map(({ ok: _ok, ...v }) => v) }) + '\n');
      setExit(verdicts.every((v) => v.ok) ? EXIT_OK : EXIT_NOT_MET);
    });
}

/**
 * A level file of the user's own, with its reference and naive solutions beside it, named as the
 * campaign's are (`my-level.json`, `my-level.reference.solution.json`, `my-level.naive.solution.json`).
 */
function levelEntry(file: string): CampaignEntry {
  const base = file.replace(/\.json$/, '');
  const entry = {
    file,
    level: parseLevel(readText(file), file),
    referenceFile: `${base}.reference.solution.json`,
    naiveFile: `${base}.naive.solution.json`,
  };
  for (const [which, solution] of [
    ['reference', entry.referenceFile],
    ['naive', entry.naiveFile],
  ] as const)
    if (!existsSync(solution))
      throw new UsageError(
        `${file}: expected its ${which} solution beside it in ${solution}, found no such file`,
      );
  return entry;
}

/** `--only 5`, `--only 05` and `--only 05-noisy-neighbour` all name level 5. */
function matchesLevel(level: { id: string; number?: number | undefined }, only: string): boolean {
  return level.id === only || (/^\d+$/.test(only) && level.number === Number(only));
}

/** `playLevel`, a solution that names a plugin no --plugin loaded saying which mistake it was. */
function playNaming(given: readonly string[], options: PlayOptions): PlayResult {
  try {
    return playLevel(options);
  } catch (e) {
    throw pointAtPluginOption(e, given);
  }
}
