/**
 * Measures cross-VM SMT exposure: time during which the two SMT siblings of a core ran VPs of
 * DIFFERENT partitions — the sharing of L1/L2 and execution units that side-channel attacks
 * exploit and that the core scheduler removes (rule 29). Per host and per pair of partitions.
 */
import type { Ns } from '../engine/index.js';

const PAIR_STRIDE = 4096;

export class SiblingExposureMeter {
  private totalNs: Ns = 0;
  private readonly since: Float64Array;
  private readonly pairOf: Int32Array;
  private readonly byPair = new Map<number, number>();

  constructor(coreCount: number) {
    this.since = new Float64Array(coreCount).fill(-1);
    this.pairOf = new Int32Array(coreCount);
  }

  /** Call after the occupants of `core` changed; `a`, `b` are partition indices or -1 when idle. */
  update(core: number, a: number, b: number, now: Ns): void {
    const since = this.since[core];
    if (since >= 0) {
      const dt = now - since;
      this.totalNs += dt;
      const pair = this.pairOf[core];
      this.byPair.set(pair, (this.byPair.get(pair) ?? 0) + dt);
      this.since[core] = -1;
    }
    if (a >= 0 && b >= 0 && a !== b) {
      this.since[core] = now;
      this.pairOf[core] = a < b ? a * PAIR_STRIDE + b : b * PAIR_STRIDE + a;
    }
  }

  /** Total exposure up to `now`, open intervals included (reads only). */
  total(now: Ns): Ns {
    let t = this.totalNs;
    for (const s of this.since) if (s >= 0) t += now - s;
    return t;
  }

  /** Exposure per pair of partition indices up to `now`, sorted by pair. */
  pairs(now: Ns): { a: number; b: number; ns: Ns }[] {
    const acc = new Map(this.byPair);
    this.since.forEach((s, core) => {
      if (s >= 0) acc.set(this.pairOf[core], (acc.get(this.pairOf[core]) ?? 0) + now - s);
    });
    return [...acc.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([pair, ns]) => ({ a: Math.floor(pair / PAIR_STRIDE), b: pair % PAIR_STRIDE, ns }));
  }
}
