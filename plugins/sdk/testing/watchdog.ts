/**
 * The harness's watchdog: a plugin's handler that never returns (`while (true) {}`) would hang
 * its author's `npm test`, and native code cannot be stopped from its own thread. So, in Node
 * (outside Jest, which has its own runner), `hyperkata/sdk/testing` starts a small worker thread
 * when it is imported, which attaches to this thread's inspector and watches a shared counter the
 * harness moves at every call into the plugin (the first call waits, a few milliseconds, until it
 * watches: a thread busy in a loop could not let it attach). A call that has not returned in
 * {@link HARNESS_CALL_TIMEOUT_S} seconds is paused where it loops; the harness says which plugin,
 * handler, packet and channel, the line of the plugin's code it was at and the test that made
 * the call — and the test process is ended instead of hanging.
 */

// Types only: the modules themselves are asked of Node when it runs (never bundled for a browser).
import type * as Inspector from 'node:inspector';
import type * as WorkerThreads from 'node:worker_threads';

/**
 * How long one call into the plugin may run, wall-clock seconds, before it is taken for a loop;
 * the environment variable `HYPERKATA_HARNESS_TIMEOUT` (seconds) changes it.
 */
export const HARNESS_CALL_TIMEOUT_S = 10;

/** What the watching thread calls, on this thread paused in the plugin, to say what is stuck. */
interface WatchedProcess {
  /**
   * [sequence number, calls in progress, state]: the same sequence number a while later is the
   * same call; the state is 0 while the watcher attaches, 1 once it watches, 2 if it cannot.
   */
  readonly marker: Int32Array;
  /** The message for the call in progress (set by the harness at each call). */
  stuck: (() => string) | null;
  /** Seconds a call may run. */
  readonly timeoutS: number;
}

const KEY = Symbol.for('hyperkata.sdk.testing.watchdog');

// The watching thread (CommonJS, evaluated: no loader needed). It connects to this thread's
// inspector and enables the debugger up front — a thread busy in a loop answers a pause, but not
// a new session — then looks at the marker a few times a second.
const WATCHER = `
const { Session } = require('node:inspector');
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const words = new Int32Array(workerData.marker);
const session = new Session();
try {
  session.connectToMainThread();
} catch {
  Atomics.store(words, 2, 2);
  Atomics.notify(words, 2);
  throw new Error('no inspector');
}
let seen = -1;
let since = 0;
session.on('Debugger.paused', (m) => {
  const frame = m.params.callFrames[0];
  const expression = 'globalThis[Symbol.for("hyperkata.sdk.testing.watchdog")].stuck?.() ?? ""';
  session.post('Debugger.evaluateOnCallFrame', { callFrameId: frame.callFrameId, expression, returnByValue: true }, (e, r) => {
    const text = e || !r || r.exceptionDetails ? '' : String(r.result.value);
    writeSync(2, '\\n' + (text || 'VspTestHarness: a call into the plugin did not return in ' + workerData.timeoutS + ' s — an infinite loop?') + '\\n');
    process.kill(process.pid, 'SIGKILL');
  });
});
// Looks begin once the debugger is on (a pending answer alone would not keep this thread alive).
let watching = false;
setInterval(() => {
  if (!watching) return;
  const seq = Atomics.load(words, 0);
  const now = Date.now();
  if (Atomics.load(words, 1) === 0 || seq !== seen) { seen = seq; since = now; return; }
  if (now - since >= workerData.timeoutS * 1000) { seen = -1; session.post('Debugger.pause'); }
}, Math.min(500, workerData.timeoutS * 100));
session.post('Debugger.enable', (e) => {
  watching = e === null;
  Atomics.store(words, 2, watching ? 1 : 2);
  Atomics.notify(words, 2);
});
`;

/** The watched process's state, when the watchdog runs (Node, outside Jest). */
export function watchedProcess(): WatchedProcess | undefined {
  return (globalThis as Record<symbol, WatchedProcess | undefined>)[KEY];
}

/** Node's own modules, where there are (never bundled for a browser). */
interface NodeBuiltins {
  getBuiltinModule?: (id: string) => unknown;
  env?: Record<string, string | undefined>;
}

/**
 * Starts the watchdog once per process (where it can: Node with `process.getBuiltinModule` and
 * the inspector, outside Jest, not under a debugger); it watches from the first call into a plugin.
 *
 * @example
 * ```ts
 * startWatchdog(); // hyperkata/sdk/testing does it when imported
 * ```
 */
export function startWatchdog(): void {
  const node = (globalThis as { process?: NodeBuiltins }).process;
  if (watchedProcess() !== undefined || node?.getBuiltinModule === undefined) return;
  if (node.env?.JEST_WORKER_ID !== undefined) return;
  const given = Number(node.env?.HYPERKATA_HARNESS_TIMEOUT ?? Number.NaN);
  const timeoutS = given > 0 && given <= 86_400 ? given : HARNESS_CALL_TIMEOUT_S;
  const threads = node.getBuiltinModule('node:worker_threads') as typeof WorkerThreads | undefined;
  const inspector = node.getBuiltinModule('node:inspector') as typeof Inspector | undefined;
  if (threads === undefined || !threads.isMainThread || inspector?.Session === undefined) return;
  // Under a debugger (--inspect), a call paused at a breakpoint is no loop.
  if (inspector.url() !== undefined) return;
  const buffer = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT);
  const watched: WatchedProcess = { marker: new Int32Array(buffer), stuck: null, timeoutS };
  const worker = new threads.Worker(WATCHER, {
    eval: true,
    workerData: { marker: buffer, timeoutS },
    stdout: false,
    stderr: false,
  });
  // It never keeps the tests' process alive, and a watcher that fails leaves them unwatched.
  worker.unref();
  worker.on('error', () => {
    Atomics.store(watched.marker, 2, 2);
  });
  (globalThis as Record<symbol, WatchedProcess | undefined>)[KEY] = watched;
}

/** How long the first call waits for the watcher to attach, ms (it takes a few). */
const ATTACH_WAIT_MS = 5_000;

/**
 * Runs `fn`, a call into the plugin, marked for the watchdog: `stuck` says what the call is, if
 * it never returns. Without a watchdog, just runs it.
 */
export function watchedCall<T>(stuck: () => string, fn: () => T): T {
  const watched = watchedProcess();
  if (watched === undefined) return fn();
  const { marker } = watched;
  // Attaching needs this thread to answer the inspector: blocked in Atomics.wait it does.
  if (Atomics.load(marker, 2) === 0 && Atomics.wait(marker, 2, 0, ATTACH_WAIT_MS) === 'timed-out')
    Atomics.store(marker, 2, 2);
  if (Atomics.load(marker, 2) !== 1) return fn();
  const outer = watched.stuck;
  watched.stuck = stuck;
  Atomics.add(marker, 1, 1);
  Atomics.add(marker, 0, 1);
  try {
    return fn();
  } finally {
    Atomics.sub(marker, 1, 1);
    Atomics.add(marker, 0, 1);
    watched.stuck = outer;
  }
}
