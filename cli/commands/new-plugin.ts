/**
 * `hyperkata new-plugin <name> [--dir DIR] [--id ID]`: creates a VSP plugin project whose tests
 * pass as generated (cli/scaffold.ts). Exit 0, or 2 for a bad name or a folder that exists.
 */
import path from 'node:path';
import type { Command } from 'commander';
import type { CliEnv } from '../env.js';
import { EXIT_OK } from '../errors.js';
import { scaffoldPlugin } from '../scaffold.js';

export function registerNewPlugin(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('new-plugin')
    .description('create a VSP plugin project, with tests on the SDK harness that pass as made')
    .argument('<name>', 'the package and folder name: lowercase letters, digits, dashes')
    .option('--dir <dir>', 'the folder to create it in (default: the current one)')
    .option('--id <id>', 'the plugin id (default: local.<name>)')
    .action((name: string, opts: { dir?: string; id?: string }) => {
      const made = scaffoldPlugin({
        name,
        parentDir: path.resolve(opts.dir ?? '.'),
        ...(opts.id === undefined ? {} : { id: opts.id }),
      });
      const rel = path.relative(process.cwd(), made.dir) || '.';
      env.out(
        [
          `Created ${made.id} in ${rel}:`,
          ...made.files.map((f) => `  ${f}`),
          `  node_modules/hyperkata → this Hyperkata (npm install hyperkata to use your own copy)`,
          '',
          'Next:',
          `  cd ${rel} && npm test`,
          `  npx hyperkata run 01-first-partition --plugin ${path.join(rel, 'src', 'index.ts')}`,
          '',
        ].join('\n'),
      );
      setExit(EXIT_OK);
    });
}
