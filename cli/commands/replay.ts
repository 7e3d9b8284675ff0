/**
 * `hyperkata replay FILE`: re-runs a replay and checks the event-log hash and the stars it claims.
 * Exit 0 same, 1 diverged (another hash, or other stars than the file says), 2 bad file.
 */
import type { Command } from 'commander';
import { playLevel } from '../../levels/index.js';
import type { CliEnv } from '../env.js';
import { pluginsFor } from '../env.js';
import { EXIT_NOT_MET, EXIT_OK, UsageError } from '../errors.js';
import { readText } from '../files.js';
import { parseReplay } from '../replay-file.js';
import { collect } from '../options.js';

export function registerReplay(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('replay')
    .description('re-run a replay file and check that it ends with the same hash')
    .argument('<file>', 'a replay written by `hyperkata run --replay-out`')
    .option('--plugin <file>', 'load a VSP plugin file the replay needs (repeatable)', collect)
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { plugin?: string[]; json?: boolean }) => {
      const replay = parseReplay(readText(file, 8 * 1024 * 1024), file);
      const vsps = await pluginsFor(env, opts.plugin ?? []);
      for (const p of replay.plugins) {
        const m = vsps.find((v) => v.id === p.id);
        if (m === undefined)
          throw new UsageError(`${file}: the replay ran plugin ${p.id}; load it with --plugin`);
        if (m.digest !== p.digest)
          throw new UsageError(
            `${file}: plugin ${p.id} is not the code the replay ran (digest ${m.digest}, expected ${p.digest})`,
          );
      }
      const played = playLevel({
        level: replay.level,
        solution: replay.solution,
        vsps,
        seed: replay.seed,
        sources: { level: file, solution: file, levelPath: ['level'], solutionPath: ['solution'] },
      });
      const sameHash = played.report.hash === replay.hash;
      const sameStars = played.result.stars === replay.stars;
      const same = sameHash && sameStars;
      if (opts.json === true)
        env.out(
          JSON.stringify({
            level: replay.level.id,
            expected: replay.hash,
            actual: played.report.hash,
            same,
            stars: played.result.stars,
            expectedStars: replay.stars,
          }) + '\n',
        );
      else
        env.out(
          !sameHash
            ? `✘ ${replay.level.id}: replay diverged (expected ${replay.hash}, got ${played.report.hash})\n`
            : !sameStars
              ? `✘ ${replay.level.id}: same run (hash ${replay.hash}), but it earned ${played.result.stars} star(s), the replay claims ${replay.stars}\n`
              : `✔ ${replay.level.id}: replay reproduced (hash ${replay.hash})\n`,
        );
      setExit(same ? EXIT_OK : EXIT_NOT_MET);
    });
}
