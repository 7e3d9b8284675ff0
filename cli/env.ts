/** What commands need from the outside world; tests pass their own. */
import type { VspModule } from '../core/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { EXAMPLE_VSPS } from '../plugins/examples/index.js';
import { loadPlugin } from './plugins/load-plugin.js';

export interface CliEnv {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
  /** The VSP plugins available before any --plugin file: the built-ins and the campaign's examples. */
  readonly vsps: () => readonly VspModule[];
  /** Loads a plugin file or installed npm package, sandboxed (cli/plugins/load-plugin.ts). */
  readonly loadPlugin?: (spec: string) => Promise<VspModule>;
  /** Where the campaign lives (tests point elsewhere). */
  readonly campaignDir?: string;
}

export function processEnv(): CliEnv {
  return {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
    interactive: process.stderr.isTTY,
    vsps: () => [...BUILT_IN_VSPS, ...EXAMPLE_VSPS],
    loadPlugin: (spec) => loadPlugin(spec, { cwd: process.cwd() }),
  };
}

/** Built-ins plus the plugins named with --plugin (later ones with the same id win). */
export async function pluginsFor(env: CliEnv, files: readonly string[]): Promise<VspModule[]> {
  const byId = new Map(env.vsps().map((m) => [m.id, m]));
  for (const file of files) {
    if (env.loadPlugin === undefined)
      throw new Error('plugin loading is not available in this build');
    const module = await env.loadPlugin(file);
    byId.set(module.id, module);
  }
  return [...byId.values()];
}
