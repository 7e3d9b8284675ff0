/**
 * `hyperkata validate FILE...`: checks level and solution files (a solution is also checked against
 * its level when that level is in the campaign). Prints every problem with file and path. Exit 0
 * when all are valid, 2 otherwise.
 */
import type { Command } from 'commander';
import { HyperkataError, parseConfiguration, catalogOf } from '../../core/index.js';
import {
  checkLevel,
  parseJsonText,
  parseLevel,
  parseSolution,
  resolveConfiguration,
} from '../../levels/index.js';
import { findCampaignLevel } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { EXIT_BAD_INPUT, EXIT_OK } from '../errors.js';
import { readText } from '../files.js';

export function registerValidate(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('validate')
    .description('check level and solution files')
    .argument('<files...>', 'level files and *.solution.json files')
    .action((files: string[]) => {
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
            let against = '';
            try {
              const { level, file: levelFile } = findCampaignLevel(solution.level, env.campaignDir);
              const scenario = checkLevel(level, env.vsps(), levelFile);
              const config = resolveConfiguration(level, solution, file);
              parseConfiguration(scenario, config, catalogOf(env.vsps()), file);
              against = ` (checked against ${level.id})`;
            } catch (e) {
              if (HyperkataError.is(e) && e.kind === 'usage')
                against = ' (its level is not in the campaign: checked on its own)';
              else throw e;
            }
            env.out(`✔ ${file}: a valid solution${against}\n`);
          } else {
            const level = parseLevel(text, file);
            checkLevel(level, env.vsps(), file);
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
