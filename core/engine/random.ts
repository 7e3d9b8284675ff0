/**
 * The seeded random-number service. Every random draw in the model comes from here; nothing
 * calls `Math.random`. Each consumer asks for its own named stream, derived from the run's seed
 * and the name, so adding a draw in one place never shifts the numbers another place sees.
 * All stream states are part of the snapshot.
 */
import { xoroshiro128plus, xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';
import { hashString } from './event-log.js';

/** One independent sequence of random numbers. */
export class RandomStream {
  constructor(
    readonly name: string,
    private readonly rng: JumpableRandomGenerator,
  ) {}

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng);
  }

  /** Uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.rng, from, to);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  /** Exponentially distributed with the given mean (Poisson inter-arrival times). */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** Multiplies `value` by a factor uniform in [1 − spread, 1 + spread]. */
  jitter(value: number, spread: number): number {
    return value * (1 + spread * (2 * this.float() - 1));
  }

  /** Picks one element; the array must not be empty. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  get state(): readonly number[] {
    return this.rng.getState();
  }
}

/** The run's random service: the seed and every named stream drawn from it. */
export class Random {
  private readonly streams = new Map<string, RandomStream>();

  constructor(readonly seed: number) {}

  /** The stream with this name, created on first use from (seed, name). */
  stream(name: string): RandomStream {
    let stream = this.streams.get(name);
    if (stream === undefined) {
      const derived = (Math.imul(this.seed | 0, 0x9e3779b1) ^ hashString(name)) | 0;
      stream = new RandomStream(name, xoroshiro128plus(derived));
      this.streams.set(name, stream);
    }
    return stream;
  }

  /** Every stream's state, by name, sorted: the random part of a snapshot. */
  snapshot(): Record<string, readonly number[]> {
    const out: Record<string, readonly number[]> = {};
    for (const name of [...this.streams.keys()].sort()) {
      out[name] = (this.streams.get(name) as RandomStream).state;
    }
    return out;
  }

  /** Rebuilds the streams from a snapshot taken by {@link Random.snapshot}. */
  restore(states: Record<string, readonly number[]>): void {
    this.streams.clear();
    for (const [name, state] of Object.entries(states)) {
      this.streams.set(name, new RandomStream(name, xoroshiro128plusFromState(state)));
    }
  }
}
