/**
 * Measures cross-VM SMT exposure: time during which the two SMT siblings of a core ran VPs of
 * DIFFERENT partitions — the sharing of L1/L2 and execution units that side-channel attacks
 * exploit and that the core scheduler removes (rule 29). Kept per host and per partition; per
 * pair of partitions only on hosts with at most {@link PAIR_TRACKING_MAX_PARTITIONS} partitions
 * (pairs grow quadratically, and a map update per context switch is not free at 1024 VMs).
 */
import type { Ns } from '../engine/index.js';

/** Hosts with more partitions than this report exposure per partition, not per pair. */
export const PAIR_TRACKING_MAX_PARTITIONS = 64;
const PAIR_STRIDE = 4096;

export class SiblingExposureMeter {
  private totalNs: Ns = 0;
  private readonly since: Float64Array;
  private readonly aOf: Int32Array;
  private readonly bOf: Int32Array;
  private perPartition = new Float64Array(64);
  private partitions = 0;
  private readonly byPair = new Map<number, number>();

  constructor(coreCount: number) {
    this.since = new Float64Array(coreCount).fill(-1);
    this.aOf = new Int32Array(coreCount);
    this.bOf = new Int32Array(coreCount);
  }

  /** Whether per-pair figures are kept (few enough partitions). */
  get tracksPairs(): boolean {
    return this.partitions <= PAIR_TRACKING_MAX_PARTITIONS;
  }

  /** Makes room for one more partition index. */
  addPartition(): void {
    this.partitions++;
    if (this.partitions > this.perPartition.length) {
      const grown = new Float64Array(this.perPartition.length * 2);
      grown.set(this.perPartition);
      this.perPartition = grown;
    }
    if (!this.tracksPairs) this.byPair.clear();
  }

  /** Call after the occupants of `core` changed; `a`, `b` are partition indices or -1 when idle. */
  update(core: number, a: number, b: number, now: Ns): void {
    const since = this.since[core];
    if (since >= 0) {
      const dt = now - since;
      const pa = this.aOf[core];
      const pb = this.bOf[core];
      this.totalNs += dt;
      this.perPartition[pa] += dt;
      this.perPartition[pb] += dt;
      if (this.partitions <= PAIR_TRACKING_MAX_PARTITIONS) {
        const pair = pa * PAIR_STRIDE + pb;
        this.byPair.set(pair, (this.byPair.get(pair) ?? 0) + dt);
      }
      this.since[core] = -1;
    }
    if (a >= 0 && b >= 0 && a !== b) {
      this.since[core] = now;
      this.aOf[core] = a < b ? a : b;
      this.bOf[core] = a < b ? b : a;
    }
  }

  /** Total exposure up to `now`, open intervals included (reads only). */
  total(now: Ns): Ns {
    let t = this.totalNs;
    for (const s of this.since) if (s >= 0) t += now - s;
    return t;
  }

  /** Exposure of each partition index up to `now`. */
  byPartition(now: Ns): Float64Array {
    const out = this.perPartition.slice(0, this.partitions);
    this.since.forEach((s, core) => {
      if (s < 0) return;
      out[this.aOf[core]] += now - s;
      out[this.bOf[core]] += now - s;
    });
    return out;
  }

  /** Exposure per pair of partition indices up to `now`, sorted; empty when pairs are not kept. */
  pairs(now: Ns): { a: number; b: number; ns: Ns }[] {
    if (!this.tracksPairs) return [];
    const acc = new Map(this.byPair);
    this.since.forEach((s, core) => {
      if (s < 0) return;
      const pair = this.aOf[core] * PAIR_STRIDE + this.bOf[core];
      acc.set(pair, (acc.get(pair) ?? 0) + now - s);
    });
    return [...acc.entries()]
      .sort((x, y) => x[0] - y[0])
      .map(([pair, ns]) => ({ a: Math.floor(pair / PAIR_STRIDE), b: pair % PAIR_STRIDE, ns }));
  }
}
