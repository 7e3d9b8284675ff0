/**
 * `hyperkata powershell <level> [--solution FILE] [--plugin FILE] [--lang pt-BR]`: prints the
 * script an administrator would run to set a real Hyper-V host up as the level and the solution
 * say — bcdedit for the host, then per VM Set-VMProcessor, Set-VMMemory, integration components
 * and each device's route — with comments for what no cmdlet sets. Nothing runs. Exit 0, or 2
 * when the level or the solution is refused (with the same messages `run` gives).
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { configurationScript } from '../../core/root/powershell.js';
import { powerShellNotes } from '../../game/play/powershell-notes.js';
import { startLevel } from '../../levels/index.js';
import { findLevel, readSolution } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { pluginsFor } from '../env.js';
import { EXIT_OK, LANGS } from '../errors.js';
import { cliLang, LANG_DEFAULT_HELP } from '../lang.js';
import { collect } from '../options.js';

export function registerPowerShell(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('powershell')
    .description(
      'print the PowerShell and bcdedit an administrator would type to set a real host up like the solution',
    )
    .argument(
      '<level>',
      'a campaign level id (e.g. 01-first-partition) or the path of a level file',
    )
    .option('--solution <file>', 'the solution to render (default: the level as it starts)')
    .option(
      '--plugin <file>',
      'load a VSP plugin file, so the solution may name its id (repeatable; runs in the sandbox)',
      collect,
    )
    .addOption(
      new Option('--lang <lang>', `language of the comment lines (${LANG_DEFAULT_HELP})`).choices(
        LANGS,
      ),
    )
    .action(
      async (levelRef: string, opts: { solution?: string; plugin?: string[]; lang?: string }) => {
        const { level, file } = findLevel(levelRef, env.campaignDir);
        const solution = opts.solution === undefined ? null : readSolution(opts.solution);
        const vsps = await pluginsFor(env, opts.plugin ?? []);
        // The same checks as a run, so what is printed is a configuration the host accepts.
        const simulation = startLevel({
          level,
          solution,
          vsps,
          sources: {
            level: file,
            ...(opts.solution === undefined ? {} : { solution: opts.solution }),
          },
        });
        const notes = powerShellNotes(cliLang(opts.lang, env.locale ?? {}));
        env.out(configurationScript(level.scenario, simulation.configuration, notes));
        setExit(EXIT_OK);
      },
    );
}
