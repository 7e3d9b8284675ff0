/** The `hyperkata` command: one file per subcommand, registered here. */
import { Command, CommanderError } from 'commander';
import { registerLevels } from './commands/levels.js';
import { registerNewPlugin } from './commands/new-plugin.js';
import { registerPowerShell } from './commands/powershell.js';
import { registerReplay } from './commands/replay.js';
import { registerRun } from './commands/run.js';
import { registerTypecheck } from './commands/typecheck.js';
import { registerValidate } from './commands/validate.js';
import { registerVerify } from './commands/verify.js';
import type { CliEnv } from './env.js';
import { EXIT_BAD_INPUT, reportError } from './errors.js';

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. */
export async function runCli(argv: readonly string[], env: CliEnv): Promise<number> {
  let exit = 0;
  const setExit = (code: number): void => {
    exit = code;
  };
  const program = new Command()
    .name('hyperkata')
    .description('Operate a Hyper-V host: run levels headless, verify the campaign, check files.')
    .exitOverride()
    .configureOutput({ writeOut: env.out, writeErr: env.err });
  registerLevels(program, env, setExit);
  registerRun(program, env, setExit);
  registerVerify(program, env, setExit);
  registerReplay(program, env, setExit);
  registerValidate(program, env, setExit);
  registerPowerShell(program, env, setExit);
  registerNewPlugin(program, env, setExit);
  registerTypecheck(program, env, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    return reportError(e, env.err);
  }
}
