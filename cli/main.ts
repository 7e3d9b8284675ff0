// Entry point of the `hyperkata` command.
import { processEnv } from './env.js';
import { runCli } from './program.js';

process.exitCode = await runCli(process.argv.slice(2), processEnv());
