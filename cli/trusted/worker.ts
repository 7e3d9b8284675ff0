/**
 * The worker thread of a watched `run --trusted-plugin` (watchdog.ts): plays the level as `run`
 * does in one thread, with an env of its own that hands what it prints to the watching thread,
 * and trusted plugins whose every call is published in the shared call marker.
 *
 * A trusted plugin runs natively, with Node's timers and promises: what it throws outside any
 * call of the host (a timer's callback, a promise it left rejected) is its fault, told to the
 * watching thread as such; and what it leaves pending when the run is over (a `setInterval`)
 * does not keep the thread, nor the command, alive.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import type { FaultLocator } from '../../core/index.js';
import { describeThrown, safelyLocated } from '../../core/vsp/plugin-faults.js';
import { stackOf } from '../../plugins/fault-location/stack-frames.js';
import { runHere } from '../commands/run.js';
import { defaultVsps } from '../env.js';
import type { CliEnv } from '../env.js';
import { loadPlugin } from '../plugins/load-plugin.js';
import { CallMarkerWriter } from './call-marker.js';
import type { WatchedRunData, WorkerMessage } from './watchdog.js';

const data = workerData as WatchedRunData;
const port = parentPort as MessagePort;
const post = (m: WorkerMessage): void => {
  port.postMessage(m);
};
const marker = new CallMarkerWriter(data.marker, (channel) => {
  post({ kind: 'channel', ...channel });
});
const trusted = data.opts.trustedPlugin ?? [];
/** The trusted plugins loaded, by their place among the --trusted-plugin options. */
const loaded = new Map<number, { readonly id: string; readonly locate?: FaultLocator }>();
/** The trusted plugin whose module is loading (its top-level code running), if one is. */
let loading: number | undefined;

/**
 * A trusted plugin threw outside any call of the host: in a callback of its own (`thrown` by a
 * timer or an event), or in a promise it left rejected with no handler. The run stops there, as
 * for a call that never returns, with the plugin named — it is no error of Hyperkata's.
 */
function asyncFault(value: unknown, how: 'threw' | 'rejected'): never {
  // Whose code: the plugin whose code the stack goes through, else the one loading, else the only one.
  let culprit: number | undefined;
  let where: string | undefined;
  // A value with no stack (a string) says nothing of where: no handler of the host's was running.
  for (const [index, plugin] of stackOf(value) === undefined ? [] : loaded) {
    where = safelyLocated(plugin.locate, value, undefined);
    if (where !== undefined) {
      culprit = index;
      break;
    }
  }
  culprit ??= loading ?? (trusted.length === 1 ? 0 : undefined);
  const name = (index: number): string => {
    const id = loaded.get(index)?.id;
    const spec = trusted[index] ?? '?';
    return id === undefined ? spec : `${id} (${spec})`;
  };
  const plugin =
    culprit === undefined
      ? `one of the trusted plugins ${trusted.map((_, i) => name(i)).join(', ')}`
      : `trusted plugin ${name(culprit)}`;
  const what = describeThrown(value);
  const thrown = what.startsWith('threw ') ? what.slice('threw '.length) : what;
  const when =
    how === 'threw'
      ? `threw ${thrown} in a callback of its own (a timer's?)`
      : `left a promise rejected with ${thrown} and no handler`;
  const at = where === undefined ? '' : ` (${where})`;
  post({
    kind: 'fault',
    message: `${plugin} ${when}, outside any call of the host${at}: the run was stopped — a trusted plugin catches what its own timers and promises throw`,
  });
  process.exit(0);
}
process.on('uncaughtException', (e) => {
  asyncFault(e, 'threw');
});
process.on('unhandledRejection', (e) => {
  asyncFault(e, 'rejected');
});

// What a trusted plugin prints itself (console.log, process.stdout.write) goes the way of the
// run's own output, so it lands among it where it did in one thread — not after the summary.
for (const [stream, fd] of [
  [process.stdout, 1],
  [process.stderr, 2],
] as const) {
  const write = (chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
    post({ kind: 'console', fd, chunk });
    const done = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    if (done !== undefined) queueMicrotask(done);
    return true;
  };
  Object.defineProperty(stream, 'write', { value: write });
}

const env: CliEnv = {
  out: (text) => {
    post({ kind: 'out', text });
  },
  err: (text) => {
    post({ kind: 'err', text });
  },
  interactive: data.interactive,
  vsps: defaultVsps,
  // The level is simulated in one go, never waiting on the wall clock: the plugins' timers that
  // came due while it ran fire here, before the report — one that throws stops the run above.
  played: () => new Promise((resolve) => setTimeout(resolve, 0)),
  ...(data.campaignDir === undefined ? {} : { campaignDir: data.campaignDir }),
  ...(data.locale === undefined ? {} : { locale: data.locale }),
  loadPlugin: async (spec, native) => {
    if (native !== true) return loadPlugin(spec, { cwd: data.cwd });
    const index = trusted.indexOf(spec);
    const module = await loadPlugin(spec, {
      cwd: data.cwd,
      trusted: true,
      watchLoading: {
        enter: () => {
          loading = index;
          marker.enter(index, 'loading', -1);
        },
        exit: () => {
          loading = undefined;
          marker.exit();
        },
      },
    });
    loaded.set(index, {
      id: module.id,
      ...(module.locateFault === undefined ? {} : { locate: module.locateFault }),
    });
    post({ kind: 'plugin', index, id: module.id });
    return { ...module, observer: marker.observer(index) };
  },
};

post({ kind: 'done', code: await runHere(env, data.levelRef, data.opts) });
// Nothing a plugin left running (a `setInterval`, a timer for later) outlives the run.
process.exit(0);
