/** `hyperkata levels`: the campaign, one line per level, with the concepts each teaches. */
import { Option } from 'commander';
import type { Command } from 'commander';
import { loadCampaign } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { EXIT_OK, LANGS } from '../errors.js';
import { cliLang, LANG_DEFAULT_HELP } from '../lang.js';

export function registerLevels(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('levels')
    .description('list the campaign levels and the Hyper-V concepts each teaches')
    .option('--json', 'print JSON')
    .addOption(
      new Option('--lang <lang>', `language of titles (${LANG_DEFAULT_HELP})`).choices(LANGS),
    )
    .action((opts: { json?: boolean; lang?: string }) => {
      const lang = cliLang(opts.lang, env.locale ?? {});
      const entries = loadCampaign(env.campaignDir);
      if (opts.json === true) {
        const levels = entries.map((e) => ({
          id: e.level.id,
          number: e.level.number,
          title: e.level.title,
          concepts: e.level.concepts.map((c) => ({ id: c.id, title: c.title, rules: c.rules })),
        }));
        env.out(JSON.stringify({ levels }) + '\n');
      } else {
        for (const e of entries) {
          const concepts = e.level.concepts
            .map(
              (c) =>
                `${c.title[lang]} (${lang === 'pt-BR' ? 'regras' : 'rules'} ${c.rules.join(', ')})`,
            )
            .join('; ');
          env.out(
            `${String(e.level.number ?? '').padStart(2)}  ${e.level.id.padEnd(28)} ${e.level.title[lang]}\n    ${concepts}\n`,
          );
        }
      }
      setExit(EXIT_OK);
    });
}
