/**
 * A guest's workload: seeded, non-homogeneous Poisson arrivals of operations whose rate follows
 * the level's phases and random bursts. The guest OS model pulls operations from it; the
 * workload itself knows nothing about devices or paths.
 */
import type { Ns, RandomStream } from '../engine/index.js';
import { NS_PER_MS, NS_PER_S } from '../engine/index.js';
import type { WorkloadSpec } from '../model/index.js';
import type { OperationStream, StorageMixEntry, WorkloadProfile } from './workload-profiles.js';
import { WORKLOAD_PROFILES } from './workload-profiles.js';

/** One operation the application wants done. */
export interface Operation {
  readonly stream: OperationStream;
  /** Index of the stream in the profile (lets the guest route by class quickly). */
  readonly streamIndex: number;
  /** For storage: which access of the mix was drawn. */
  readonly access: StorageMixEntry | undefined;
  /** Simulated instant the operation arrived. */
  readonly arrivedAt: Ns;
}

interface Burst {
  start: Ns;
  end: Ns;
}

export class Workload {
  readonly profile: WorkloadProfile;
  private readonly nextAt: Ns[];
  private readonly mixTotals: number[];
  private readonly bursts: Burst[] = [];

  constructor(
    readonly spec: WorkloadSpec,
    private readonly random: RandomStream,
    private readonly burstRandom: RandomStream,
    /** When the workload starts generating (the guest finished booting). */
    readonly startAt: Ns,
    /**
     * Device classes the VM has: a stream for a class it lacks (a file server without a network
     * adapter) is left out — there is nobody to serve over it. Default: every class.
     */
    classes?: ReadonlySet<string>,
  ) {
    const base = WORKLOAD_PROFILES[spec.kind];
    this.profile =
      classes === undefined
        ? base
        : { ...base, streams: base.streams.filter((s) => classes.has(s.class)) };
    this.mixTotals = this.profile.streams.map((s) =>
      s.class === 'storage' ? s.mix.reduce((sum, e) => sum + e.weight, 0) : 0,
    );
    this.nextAt = this.profile.streams.map((_, i) => this.drawNext(i, startAt));
  }

  /** Drops arrivals before `t` (the application was not running yet). */
  skipUntil(t: Ns): void {
    for (let i = 0; i < this.nextAt.length; i++) {
      while (this.nextAt[i] < t) this.nextAt[i] = this.drawNext(i, this.nextAt[i]);
    }
  }

  /** Earliest pending arrival over all streams, or Infinity when the workload generates nothing. */
  nextArrival(): Ns {
    let t = Infinity;
    for (const at of this.nextAt) if (at < t) t = at;
    return t;
  }

  /**
   * Takes the operation due at `nextArrival()` and draws the stream's following arrival.
   * Ties between streams go to the lower stream index (deterministic).
   */
  take(): Operation {
    let index = 0;
    for (let i = 1; i < this.nextAt.length; i++) {
      if (this.nextAt[i] < this.nextAt[index]) index = i;
    }
    const at = this.nextAt[index];
    const stream = this.profile.streams[index];
    const access =
      stream.class === 'storage' ? this.drawAccess(stream.mix, this.mixTotals[index]) : undefined;
    this.nextAt[index] = this.drawNext(index, at);
    return { stream, streamIndex: index, access, arrivedAt: at };
  }

  /** Load multiplier at instant `t`: intensity × current phase × burst factor. */
  intensityAt(t: Ns): number {
    return this.spec.intensity * this.phaseFactor(t) * this.burstFactor(t);
  }

  /** Memory the working set wants at `t`, MiB: it grows and shrinks with the load (±50 %). */
  memoryDemandMiB(t: Ns): number {
    const load = this.spec.intensity > 0 ? this.intensityAt(t) / this.spec.intensity : 0;
    const factor = Math.min(1.5, Math.max(0.5, 0.5 + 0.5 * load));
    return Math.round(this.spec.memoryMiB * factor);
  }

  private drawNext(index: number, from: Ns): Ns {
    const stream = this.profile.streams[index];
    // Piecewise-constant rate: draw with the rate in force; if the draw crosses the next rate
    // change, restart from that change (exact for a Poisson process, which is memoryless).
    let t = from;
    for (let guard = 0; guard < 10_000; guard++) {
      const rate = stream.ratePerSecond * this.intensityAt(t);
      const change = this.nextRateChange(t);
      if (rate <= 0) {
        if (change === Infinity) return Infinity;
        t = change;
        continue;
      }
      const gap = Math.max(1, Math.round(this.random.exponential(NS_PER_S / rate)));
      if (t + gap <= change) return t + gap;
      t = change;
    }
    return Infinity;
  }

  private drawAccess(mix: readonly StorageMixEntry[], total: number): StorageMixEntry {
    let x = this.random.float() * total;
    for (const entry of mix) {
      x -= entry.weight;
      if (x < 0) return entry;
    }
    return mix[mix.length - 1];
  }

  private phaseFactor(t: Ns): number {
    const phases = this.spec.phases;
    if (phases === undefined || phases.length === 0) return 1;
    const cycle = phases.reduce((sum, p) => sum + p.durationMs, 0) * NS_PER_MS;
    let offset = (t - this.startAt) % cycle;
    if (offset < 0) offset += cycle;
    for (const p of phases) {
      offset -= p.durationMs * NS_PER_MS;
      if (offset < 0) return p.intensity;
    }
    return 1;
  }

  private phaseBoundaryAfter(t: Ns): Ns {
    const phases = this.spec.phases;
    if (phases === undefined || phases.length === 0) return Infinity;
    const cycle = phases.reduce((sum, p) => sum + p.durationMs, 0) * NS_PER_MS;
    const elapsed = t - this.startAt;
    const base = this.startAt + Math.floor(elapsed / cycle) * cycle;
    let edge = base;
    for (;;) {
      for (const p of phases) {
        edge += p.durationMs * NS_PER_MS;
        if (edge > t) return edge;
      }
    }
  }

  private burstFactor(t: Ns): number {
    const bursts = this.spec.bursts;
    if (bursts === undefined) return 1;
    const b = this.burstAround(t);
    return b !== undefined && t >= b.start && t < b.end ? bursts.factor : 1;
  }

  /** The burst containing `t`, or else the first one after it (bursts are drawn lazily, in order). */
  private burstAround(t: Ns): Burst | undefined {
    const bursts = this.spec.bursts;
    if (bursts === undefined) return undefined;
    const list = this.bursts;
    while (list.length === 0 || list[list.length - 1].end <= t) {
      const previousEnd = list.length === 0 ? this.startAt : list[list.length - 1].end;
      const start =
        previousEnd +
        Math.max(1, Math.round(this.burstRandom.exponential(bursts.meanIntervalMs * NS_PER_MS)));
      list.push({ start, end: start + Math.max(1, Math.round(bursts.durationMs * NS_PER_MS)) });
    }
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].end <= t) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  }

  private nextRateChange(t: Ns): Ns {
    let change = this.phaseBoundaryAfter(t);
    const b = this.burstAround(t);
    if (b !== undefined) {
      const edge = t < b.start ? b.start : b.end;
      if (edge < change) change = edge;
    }
    return change;
  }
}
