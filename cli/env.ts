/** What commands need from the outside world; tests pass their own. */
import type { VspModule } from '../core/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { EXAMPLE_VSPS } from '../plugins/examples/index.js';
import { processLocale } from './lang.js';
import type { LocaleVars } from './lang.js';
import { loadPlugin } from './plugins/load-plugin.js';

export interface CliEnv {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
  /** The VSP plugins available before any --plugin file: the built-ins and the campaign's examples. */
  readonly vsps: () => readonly VspModule[];
  /**
   * Loads a plugin file or installed npm package (cli/plugins/load-plugin.ts): sandboxed, or
   * natively when `trusted` (`--trusted-plugin`, for an author debugging their own plugin).
   */
  readonly loadPlugin?: (spec: string, trusted?: boolean) => Promise<VspModule>;
  /** Where the campaign lives (tests point elsewhere). */
  readonly campaignDir?: string;
  /**
   * LC_ALL, LC_MESSAGES and LANG, which pick the language when `--lang` is absent; none when
   * absent (tests set them explicitly, so the runner's own locale changes nothing).
   */
  readonly locale?: LocaleVars;
  /**
   * Given, `run --trusted-plugin` plays the level in a worker thread watched from this one, which
   * stops a call into the plugin that never returns (cli/trusted/). A thread is handed no
   * functions, so the worker makes its own env: plugins loaded from `cwd` as `hyperkata` loads
   * them, beside {@link defaultVsps} (not this env's `vsps` and `loadPlugin`). Absent (tests with
   * VSPs of their own), a trusted plugin runs in this thread, unwatched.
   */
  readonly trustedWorker?: { readonly cwd: string };
  /**
   * Awaited when the level has been played, before its report is printed: the worker of a
   * watched run lets a trusted plugin's timers that came due meanwhile fire there, so one that
   * throws stops the run before a report is printed (cli/trusted/worker.ts).
   */
  readonly played?: () => Promise<void>;
}

/** The VSP plugins `hyperkata` has before any --plugin file: the built-ins and the campaign's examples. */
export function defaultVsps(): VspModule[] {
  return [...BUILT_IN_VSPS, ...EXAMPLE_VSPS];
}

/** Whether the reader of stdout or stderr went away (`hyperkata … | head -1`). */
const closed = { out: false, err: false };

/**
 * A reader that stops early (`| head`, a script that read the line it wanted) closes the pipe: the
 * command goes on writing nothing there — its exit code still says how it went — instead of dying
 * with Node's EPIPE stack trace.
 */
export function toleratePipesClosed(): void {
  const watch = (stream: NodeJS.WriteStream, key: keyof typeof closed): void => {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      closed[key] = true;
    });
  };
  watch(process.stdout, 'out');
  watch(process.stderr, 'err');
}

export function processEnv(): CliEnv {
  return {
    out: (t) => {
      if (!closed.out) process.stdout.write(t);
    },
    err: (t) => {
      if (!closed.err) process.stderr.write(t);
    },
    interactive: process.stderr.isTTY,
    locale: processLocale(),
    vsps: defaultVsps,
    loadPlugin: (spec, trusted) =>
      loadPlugin(spec, { cwd: process.cwd(), ...(trusted === true ? { trusted } : {}) }),
    trustedWorker: { cwd: process.cwd() },
  };
}

/** A plugin loaded with --plugin, and what the user typed to name it. */
export interface LoadedPlugin {
  readonly spec: string;
  readonly module: VspModule;
}

/**
 * Loads the plugins named with --plugin, in order, sandboxed; then those named with
 * --trusted-plugin, natively.
 */
export async function loadPlugins(
  env: CliEnv,
  files: readonly string[],
  trustedFiles: readonly string[] = [],
): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  const specs = [
    ...files.map((spec) => ({ spec, trusted: false })),
    ...trustedFiles.map((spec) => ({ spec, trusted: true })),
  ];
  for (const { spec, trusted } of specs) {
    if (env.loadPlugin === undefined)
      throw new Error('plugin loading is not available in this build');
    loaded.push({ spec, module: await env.loadPlugin(spec, trusted) });
  }
  return loaded;
}

/** Built-ins plus loaded plugins (later ones with the same id win). */
export function withPlugins(env: CliEnv, loaded: readonly LoadedPlugin[]): VspModule[] {
  const byId = new Map(env.vsps().map((m) => [m.id, m]));
  for (const { module } of loaded) byId.set(module.id, module);
  return [...byId.values()];
}

/** Built-ins plus the plugins named with --plugin (later ones with the same id win). */
export async function pluginsFor(env: CliEnv, files: readonly string[]): Promise<VspModule[]> {
  return withPlugins(env, await loadPlugins(env, files));
}
