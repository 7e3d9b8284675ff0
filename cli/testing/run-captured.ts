/**
 * Tests run the `hyperkata` command in-process: `runCaptured(argv, env)` runs it with an env whose
 * stdout and stderr are captured, and returns the exit code with both texts.
 */
import type { CliEnv } from '../env.js';
import { runCli } from '../program.js';

export interface Captured {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI; `env` overrides the defaults (not interactive, no plugins). */
export async function runCaptured(
  argv: readonly string[],
  env: Partial<Omit<CliEnv, 'out' | 'err'>> = {},
): Promise<Captured> {
  let out = '';
  let err = '';
  const full: CliEnv = {
    interactive: false,
    vsps: () => [],
    ...env,
    out: (t) => (out += t),
    err: (t) => (err += t),
  };
  const code = await runCli([...argv], full);
  return { code, out, err };
}
