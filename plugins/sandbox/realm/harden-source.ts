/**
 * Runs first in every sandbox, before the bridge and the plugin: takes away what would make a
 * plugin's behaviour depend on where it runs. QuickJS itself gives a plugin no `require`,
 * `process`, `fetch`, DOM or timers; the context is created without `Date`, so the wall clock is
 * out of reach, and `Math.random` becomes a seeded stream so a plugin that wants randomness gets
 * the same numbers in every run.
 */

/** Source of a script whose value is a function `(seed) => void`. */
export const HARDEN_SOURCE = String.raw`(function (seed) {
  'use strict';
  let state = (seed >>> 0) || 0x9e3779b9;
  // xorshift32 (Marsaglia 2003): deterministic, period 2^32 - 1.
  const random = function random() {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
  Object.defineProperty(Math, 'random', { value: random, writable: true, configurable: true });
  const noClock = function () {
    throw new ReferenceError(
      'Date is not available in a sandboxed plugin: it reads the wall clock, which would make ' +
        'runs differ; the simulation tells your handlers everything that happens, when it happens',
    );
  };
  Object.defineProperty(globalThis, 'Date', { get: noClock, set: noClock, configurable: true });
})`;
