/**
 * `hyperkata new-plugin <name> [--template CLASS] [--dir DIR] [--id ID]`: creates a VSP plugin
 * project whose tests pass as generated (cli/scaffold.ts), starting from the device class the
 * author is writing. Exit 0, or 2 for a bad name, an unknown template or a folder that exists.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { CliEnv } from '../env.js';
import { EXIT_OK } from '../errors.js';
import { DEFAULT_TEMPLATE, pluginTemplates, scaffoldPlugin } from '../scaffold.js';

/** A campaign level with a device of the template's class, for the "Next:" hint. */
const LEVEL_FOR_TEMPLATE: Readonly<Record<string, string>> = {
  storage: '01-first-partition',
  network: '02-two-lanes',
};

export function registerNewPlugin(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('new-plugin')
    .description('create a VSP plugin project, with tests on the SDK harness that pass as made')
    .argument('<name>', 'the package and folder name: lowercase letters, digits, dashes')
    .option(
      '--template <class>',
      `the device class to start from: ${pluginTemplates().join(' or ')} (default: ${DEFAULT_TEMPLATE})`,
    )
    .option('--dir <dir>', 'the folder to create it in (default: the current one)')
    .option('--id <id>', 'the plugin id (default: local.<name>)')
    .action((name: string, opts: { dir?: string; id?: string; template?: string }) => {
      const made = scaffoldPlugin({
        name,
        parentDir: path.resolve(opts.dir ?? '.'),
        ...(opts.id === undefined ? {} : { id: opts.id }),
        ...(opts.template === undefined ? {} : { template: opts.template }),
      });
      const rel = path.relative(process.cwd(), made.dir) || '.';
      const level = LEVEL_FOR_TEMPLATE[made.template] ?? '01-first-partition';
      env.out(
        [
          `Created ${made.id} (a ${made.template} VSP) in ${rel}:`,
          ...made.files.map((f) => `  ${f}`),
          `  node_modules/hyperkata → this Hyperkata (npm install hyperkata to use your own copy)`,
          '',
          'Next:',
          `  cd ${rel} && npm test`,
          `  npx hyperkata run ${level} --plugin ${path.join(rel, 'src', 'index.ts')}`,
          '',
        ].join('\n'),
      );
      setExit(EXIT_OK);
    });
}
