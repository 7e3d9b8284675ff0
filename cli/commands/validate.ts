/**
 * `hyperkata validate FILE... [--plugin FILE]`: checks level and solution files. A solution is also
 * checked against its level: a level file given alongside it with that id, else the campaign's —
 * but when level files are given, a solution for none of them is refused.
 * `--plugin` loads third-party VSPs, so a solution may name their ids. Prints every problem with
 * file and path. Exit 0 when all are valid, 2 otherwise.
 */
import type { Command } from 'commander';
import type { Level } from '../../levels/index.js';
import {
  catalogOf,
  ConfigurationError,
  HyperkataError,
  parseConfiguration,
} from '../../core/index.js';
import {
  checkLevel,
  parseJsonText,
  parseLevel,
  parseSolution,
  resolveConfiguration,
} from '../../levels/index.js';
import { findCampaignLevel } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { pluginsFor } from '../env.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../errors.js';
import { readText } from '../files.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerValidate(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('validate')
    .description('check level and solution files')
    .argument('<files...>', 'level files and *.solution.json files')
    .option(
      '--plugin <file>',
      'load a VSP plugin file, so solutions may name its id (repeatable; runs in the sandbox)',
      collect,
    )
    .action(async (files: string[], opts: { plugin?: string[] }) => {
      const vsps = await pluginsFor(env, opts.plugin ?? []);
      const catalog = catalogOf(vsps);
      const given = levelsGiven(files);
      let bad = 0;
      for (const file of files) {
        try {
          const text = readText(file);
          const json = parseJsonText(text, file) as Record<string, unknown> | null;
          const isSolution =
            file.endsWith('.solution.json') ||
            (json !== null && typeof json === 'object' && 'level' in json && !('scenario' in json));
          if (isSolution) {
            const solution = parseSolution(text, file);
            // A teacher checking a class against her level: a solution written for another
            // level (one of the campaign's, say) is a wrong hand-in, not a valid solution.
            if (given.size > 0 && !given.has(solution.level))
              throw new ConfigurationError(file, [
                {
                  path: ['level'],
                  expected: `the id of a level given with it (${[...given.keys()].join(', ')})`,
                  found: JSON.stringify(solution.level),
                },
              ]);
            let against = '';
            try {
              const { level, file: levelFile } =
                given.get(solution.level) ?? findCampaignLevel(solution.level, env.campaignDir);
              const scenario = checkLevel(level, vsps, levelFile);
              const config = resolveConfiguration(level, solution, file);
              parseConfiguration(scenario, config, catalog, file);
              against = given.has(solution.level)
                ? ` (checked against ${level.id} in ${levelFile})`
                : ` (checked against ${level.id})`;
            } catch (e) {
              if (HyperkataError.is(e) && e.kind === 'usage')
                against = ' (its level is not in the campaign: checked on its own)';
              else throw e;
            }
            env.out(`✔ ${file}: a valid solution${against}\n`);
          } else {
            const level = parseLevel(text, file);
            checkLevel(level, vsps, file);
            env.out(`✔ ${file}: a valid level (${level.id})\n`);
          }
        } catch (e) {
          if (!HyperkataError.is(e)) throw e;
          bad++;
          env.err(`✘ ${e.message}\n`);
        }
      }
      setExit(bad === 0 ? EXIT_OK : EXIT_BAD_INPUT);
    });
}

/** The levels among `files`, by id: a solution is checked against the level given with it. */
function levelsGiven(files: readonly string[]): Map<string, { level: Level; file: string }> {
  const levels = new Map<string, { level: Level; file: string }>();
  for (const file of files) {
    if (file.endsWith('.solution.json')) continue;
    try {
      const text = readText(file);
      const json = parseJsonText(text, file) as Record<string, unknown> | null;
      if (json === null || typeof json !== 'object' || !('scenario' in json)) continue;
      const level = parseLevel(text, file);
      levels.set(level.id, { level, file });
    } catch (e) {
      // The main pass reports it.
      if (!HyperkataError.is(e)) throw e;
    }
  }
  return levels;
}
