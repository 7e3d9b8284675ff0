/**
 * `hyperkata verify [--json]`: every campaign level's reference solution earns three stars, its
 * naive solution fails for the reason the level is about, and two runs of the reference give
 * byte-identical reports. Exit 0 when all hold, 1 otherwise.
 */
import type { Command } from 'commander';
import { playLevel, runJson } from '../../levels/index.js';
import { loadCampaign, readSolution } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { pluginsFor } from '../env.js';
import { EXIT_NOT_MET, EXIT_OK, UsageError } from '../errors.js';

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

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerVerify(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('verify')
    .description(
      'check every campaign level: reference earns 3 stars, naive fails as expected, runs are deterministic',
    )
    .option('--json', 'print JSON')
    .option('--plugin <file>', 'load a VSP plugin file (repeatable)', collect)
    .option('--only <id>', 'verify one level')
    .action(async (opts: { json?: boolean; plugin?: string[]; only?: string }) => {
      const vsps = await pluginsFor(env, opts.plugin ?? []);
      const verdicts: LevelVerdict[] = [];
      for (const entry of loadCampaign(env.campaignDir)) {
        const level = entry.level;
        if (opts.only !== undefined && !matchesLevel(level, opts.only)) continue;
        const reference = readSolution(entry.referenceFile);
        const naive = readSolution(entry.naiveFile);
        const first = playLevel({ level, solution: reference, vsps });
        const second = playLevel({ level, solution: reference, vsps });
        const deterministic =
          JSON.stringify(runJson(first.result, first.report)) ===
          JSON.stringify(runJson(second.result, second.report));
        const bad = playLevel({ level, solution: naive, vsps });
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
        }
      }
      if (opts.only !== undefined && verdicts.length === 0)
        throw new UsageError(`no campaign level matches "${opts.only}" (try \`hyperkata levels\`)`);
      if (opts.json === true)
        env.out(JSON.stringify({ levels: verdicts.map(({ ok: _ok, ...v }) => v) }) + '\n');
      setExit(verdicts.every((v) => v.ok) ? EXIT_OK : EXIT_NOT_MET);
    });
}

/** `--only 5`, `--only 05` and `--only 05-noisy-neighbour` all name level 5. */
function matchesLevel(level: { id: string; number?: number | undefined }, only: string): boolean {
  return level.id === only || (/^\d+$/.test(only) && level.number === Number(only));
}
