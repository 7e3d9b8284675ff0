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
      // Relative when the project is below or beside the current folder; else absolute — a
      // `cd ../../../tmp/x` from deep in a tree helps no one.
      const relative = path.relative(process.cwd(), made.dir);
      const rel =
        relative === '' ? '.' : relative.startsWith(`..${path.sep}..`) ? made.dir : relative;
      const play = made.playLevel;
      // Every command after the `cd` runs in the project, so they work pasted one after another.
      env.out(
        [
          `Created ${made.id} (a ${made.template} VSP) in ${rel}:`,
          ...made.files.map((f) => `  ${f}`),
          `  node_modules/hyperkata → ${made.hyperkata} (a link: Hyperkata is not on the npm registry)`,
          ...(play === undefined
            ? []
            : [
                `level.json is ${play} with its VSP instances unlocked; solution.json has your VSP serve its ${made.template} devices.`,
              ]),
          '',
          'Next:',
          `  cd ${shellWord(rel)}`,
          '  npm test',
          ...(play === undefined
            ? []
            : ['  npx hyperkata run level.json --solution solution.json --plugin src/index.ts']),
          '',
        ].join('\n'),
      );
      setExit(EXIT_OK);
    });
}

/** A path as a shell reads it back: quoted when it has anything but plain characters. */
function shellWord(text: string): string {
  return /^[\w./@-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
