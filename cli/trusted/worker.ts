/**
 * The worker thread of a watched `run --trusted-plugin` (watchdog.ts): plays the level as `run`
 * does in one thread, with an env of its own that hands what it prints to the watching thread,
 * and trusted plugins whose every call is published in the shared call marker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
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
          marker.enter(index, 'loading', -1);
        },
        exit: () => {
          marker.exit();
        },
      },
    });
    post({ kind: 'plugin', index, id: module.id });
    return { ...module, observer: marker.observer(index) };
  },
};

post({ kind: 'done', code: await runHere(env, data.levelRef, data.opts) });
