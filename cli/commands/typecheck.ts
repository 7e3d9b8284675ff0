/**
 * `hyperkata typecheck [dir]`: type-checks a plugin project (the one `new-plugin` made) with its
 * own tsconfig.json, as the author's editor does. Bundling a plugin for a run strips types without
 * checking them (esbuild), so without this a type error shows only in an editor, or as a wrong
 * value at run time. TypeScript comes with Hyperkata, which the project links.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { FormatDiagnosticsHost } from 'typescript';
import type { CliEnv } from '../env.js';
import { EXIT_BAD_INPUT, EXIT_NOT_MET, EXIT_OK } from '../errors.js';

export function registerTypecheck(
  program: Command,
  env: CliEnv,
  setExit: (code: number) => void,
): void {
  program
    .command('typecheck')
    .description(
      "type-check a plugin project with its tsconfig.json, as an editor does (a run's bundling does not check types)",
    )
    .argument('[dir]', "the project's folder", '.')
    .action(async (dir: string) => {
      const root = path.resolve(dir);
      const configFile = path.join(root, 'tsconfig.json');
      if (!existsSync(configFile)) {
        env.err(`✘ ${dir}: expected a plugin project with a tsconfig.json, found none\n`);
        setExit(EXIT_BAD_INPUT);
        return;
      }
      // Loaded only for this command: the compiler is large, and no other command needs it.
      const { default: ts } = await import('typescript');
      const host: FormatDiagnosticsHost = {
        getCurrentDirectory: () => root,
        getCanonicalFileName: (f) => f,
        getNewLine: () => '\n',
      };
      const read = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
      const parsed =
        read.error === undefined
          ? ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configFile)
          : undefined;
      const diagnostics =
        parsed === undefined
          ? [read.error].filter((d) => d !== undefined)
          : [
              ...parsed.errors,
              ...ts.getPreEmitDiagnostics(
                ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options }),
              ),
            ];
      if (diagnostics.length > 0) {
        env.err(ts.formatDiagnostics(diagnostics, host));
        env.err(`✘ ${String(diagnostics.length)} type error(s)\n`);
        setExit(EXIT_NOT_MET);
        return;
      }
      const files = parsed?.fileNames.length ?? 0;
      env.out(`✔ ${String(files)} file(s) type-check (${path.relative(root, configFile)})\n`);
      setExit(EXIT_OK);
    });
}
