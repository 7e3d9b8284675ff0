// Entry point of the `hyperkata` command.
import { processEnv, toleratePipesClosed } from './env.js';
import { runCli } from './program.js';

toleratePipesClosed();
process.exitCode = await runCli(process.argv.slice(2), processEnv());
