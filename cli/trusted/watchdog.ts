/**
 * `run --trusted-plugin`'s watchdog. A trusted plugin runs natively, and nothing can interrupt
 * JavaScript that never returns on its own thread — the sandbox's interrupt stops a `--plugin`,
 * nothing stops `while (true) {}` here. So the level is played in a worker thread (worker.ts)
 * that publishes the call into a trusted plugin in progress (call-marker.ts), and this thread,
 * left free, looks at it a few times a second: a call that has not returned after the timeout
 * ends the worker and the run, with an error that names the plugin and the call. Everything the
 * worker prints comes here to be printed, in order, so a well-behaved plugin's run reads the
 * same as in one thread.
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { HyperkataError } from '../../core/index.js';
import type { RunOptions } from '../commands/run.js';
import type { CliEnv } from '../env.js';
import type { LocaleVars } from '../lang.js';
import { newCallMarker, readCallMarker } from './call-marker.js';
import type { ChannelName, MarkedCall } from './call-marker.js';

/** How long one call into a trusted plugin may run, wall-clock seconds, without --plugin-timeout. */
export const DEFAULT_PLUGIN_TIMEOUT_S = 10;

/** What the watching thread hands the worker. */
export interface WatchedRunData {
  readonly levelRef: string;
  readonly opts: RunOptions;
  /** Where plugins are loaded from. */
  readonly cwd: string;
  readonly campaignDir: string | undefined;
  readonly locale: LocaleVars | undefined;
  readonly interactive: boolean;
  readonly marker: SharedArrayBuffer;
}

/** What the worker tells the watching thread, in order. */
export type WorkerMessage =
  | { readonly kind: 'out' | 'err'; readonly text: string }
  /** What the plugin wrote to the worker's own stdout (1) or stderr (2), console.log's included. */
  | { readonly kind: 'console'; readonly fd: 1 | 2; readonly chunk: string | Uint8Array }
  /** A trusted plugin loaded: its id, for the message if one of its calls never returns. */
  | { readonly kind: 'plugin'; readonly index: number; readonly id: string }
  | ({ readonly kind: 'channel' } & ChannelName)
  /** A trusted plugin threw outside any call of the host (a timer's callback, a rejected promise). */
  | { readonly kind: 'fault'; readonly message: string }
  /** The run is over: its exit code (its errors already reported through `err`). */
  | { readonly kind: 'done'; readonly code: number };

/** A call into a --trusted-plugin did not return in time: the run was stopped. */
export class PluginTimeoutError extends HyperkataError {
  constructor(message: string) {
    super('plugin-timeout', message);
    this.name = 'PluginTimeoutError';
  }
}

/**
 * A --trusted-plugin threw outside any call of the host — in a timer's callback, or a promise it
 * left rejected: the plugin's fault, not Hyperkata's, and the run was stopped.
 */
export class TrustedPluginAsyncError extends HyperkataError {
  constructor(message: string) {
    super('plugin-async-throw', message);
    this.name = 'TrustedPluginAsyncError';
  }
}

// The worker's module is TypeScript: the worker registers tsx as the `hyperkata` command does
// (bin/register.js, Hyperkata's tsconfig), then loads it — under tsx or Jest alike.
const REGISTER = new URL('../../bin/register.js', import.meta.url).href;
const WORKER = new URL('./worker.ts', import.meta.url).href;
const BOOT = `await import(${JSON.stringify(REGISTER)});\nawait import(${JSON.stringify(WORKER)});\n`;

/**
 * Plays `levelRef` as `run` does, in a worker thread watched from this one; resolves to the exit
 * code. Rejects with {@link PluginTimeoutError} when one call into a trusted plugin has not
 * returned in `opts.pluginTimeout` seconds.
 */
export function runWatched(
  env: CliEnv,
  worker: { readonly cwd: string },
  levelRef: string,
  opts: RunOptions,
): Promise<number> {
  const timeoutS = opts.pluginTimeout ?? DEFAULT_PLUGIN_TIMEOUT_S;
  const marker = newCallMarker();
  const data: WatchedRunData = {
    levelRef,
    opts,
    cwd: worker.cwd,
    campaignDir: env.campaignDir,
    locale: env.locale,
    interactive: env.interactive,
    marker,
  };
  const thread = new Worker(new URL(`data:text/javascript,${encodeURIComponent(BOOT)}`), {
    workerData: data,
  });
  const ids = new Map<number, string>();
  const channels = new Map<number, string>();
  let code: number | undefined;
  let failure: Error | undefined;
  /** The last text on stderr began with `\r`: a progress bar is drawn, to clear before an error. */
  let barDrawn = false;
  /** The call seen in progress at the last look, and since when (performance.now(), ms). */
  let seen: { call: MarkedCall; since: number } | null = null;

  const look = (): void => {
    const call = readCallMarker(marker);
    const now = performance.now();
    if (call === null || seen?.call.seq !== call.seq) {
      seen = call === null ? null : { call, since: now };
      return;
    }
    if (now - seen.since < timeoutS * 1000) return;
    stop(
      new PluginTimeoutError(stuckMessage(call, opts.trustedPlugin ?? [], ids, channels, timeoutS)),
    );
  };
  /** Ends the run with `error`: the progress bar cleared, the worker ended. */
  const stop = (error: Error): void => {
    clearInterval(timer);
    if (barDrawn) env.err('\r' + ' '.repeat(90) + '\r');
    failure = error;
    void thread.terminate();
  };
  // A few looks per timeout: the run stops at most a tenth of it late (half a second at most).
  const timer = setInterval(look, Math.min(500, timeoutS * 100));

  thread.on('message', (m: WorkerMessage) => {
    if (failure !== undefined) return;
    switch (m.kind) {
      case 'out':
        env.out(m.text);
        return;
      case 'err':
        barDrawn = m.text.startsWith('\r');
        env.err(m.text);
        return;
      case 'console':
        (m.fd === 1 ? process.stdout : process.stderr).write(m.chunk);
        return;
      case 'plugin':
        ids.set(m.index, m.id);
        return;
      case 'channel':
        channels.set(m.id, `${m.vm}/${m.device}`);
        return;
      case 'fault':
        stop(new TrustedPluginAsyncError(m.message));
        return;
      case 'done':
        code = m.code;
        // Ends itself after this message; ended here too, whatever the plugin left running.
        void thread.terminate();
        return;
    }
  });
  return new Promise((resolve, reject) => {
    thread.on('error', (e) => {
      failure ??= e;
    });
    thread.on('exit', () => {
      clearInterval(timer);
      if (failure !== undefined) reject(failure);
      else if (code === undefined)
        reject(new Error('the run’s worker thread ended without a result'));
      else resolve(code);
    });
  });
}

/** What the error says of a call that never returned: plugin file and id, call, channel, time. */
function stuckMessage(
  call: MarkedCall,
  specs: readonly string[],
  ids: ReadonlyMap<number, string>,
  channels: ReadonlyMap<number, string>,
  timeoutS: number,
): string {
  const spec = specs[call.plugin] ?? '?';
  const id = ids.get(call.plugin);
  const plugin = id === undefined ? `trusted plugin ${spec}` : `trusted plugin ${id} (${spec})`;
  const channel = channels.get(call.channel);
  const what =
    call.call === 'loading'
      ? 'did not finish loading (its top-level code)'
      : `did not return from ${call.call}${channel === undefined ? '' : ` on ${channel}`}`;
  return `${plugin} ${what} in ${String(timeoutS)} s — an infinite loop? Run it with --plugin to have the sandbox stop it and see the run go on (or give it longer with --plugin-timeout)`;
}
