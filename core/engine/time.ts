/**
 * Simulated time. The whole model counts integer nanoseconds in a plain `number`
 * (exact up to 2^53 ns ≈ 104 days of simulated time, far beyond any level).
 */
export type Ns = number;

export const NS_PER_US = 1_000;
export const NS_PER_MS = 1_000_000;
export const NS_PER_S = 1_000_000_000;

/** Microseconds → nanoseconds, rounded to an integer. */
export const us = (value: number): Ns => Math.round(value * NS_PER_US);
/** Milliseconds → nanoseconds, rounded to an integer. */
export const ms = (value: number): Ns => Math.round(value * NS_PER_MS);
/** Seconds → nanoseconds, rounded to an integer. */
export const seconds = (value: number): Ns => Math.round(value * NS_PER_S);

/** A short human reading of a duration: `850 ns`, `12.5 µs`, `3.2 ms`, `1.25 s`. */
export function formatNs(ns: Ns): string {
  const abs = Math.abs(ns);
  if (abs < NS_PER_US) return `${ns} ns`;
  if (abs < NS_PER_MS) return `${trim(ns / NS_PER_US)} µs`;
  if (abs < NS_PER_S) return `${trim(ns / NS_PER_MS)} ms`;
  return `${trim(ns / NS_PER_S)} s`;
}

function trim(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
