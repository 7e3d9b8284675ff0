import { describe, expect, it } from '@jest/globals';
import { Random } from './random.js';
import { SimEngine } from './engine.js';
import { formatNs, ms, us } from './time.js';

describe('SimEngine', () => {
  it('fires events in time order and same-time events in the order they were scheduled', () => {
    const engine = new SimEngine();
    const fired: string[] = [];
    const say = engine.define<string>('say', (word) => fired.push(`${engine.now}:${word}`));
    engine.at(30, say, 'c');
    engine.at(10, say, 'a');
    engine.at(30, say, 'd');
    engine.at(10, say, 'b');
    engine.runUntil(100);
    expect(fired).toEqual(['10:a', '10:b', '30:c', '30:d']);
    expect(engine.now).toBe(100);
  });

  it('lets a handler schedule further events, including at the same instant', () => {
    const engine = new SimEngine();
    const fired: number[] = [];
    const tick = engine.define<number>('tick', (n) => {
      fired.push(engine.now);
      if (n > 0) engine.after(n % 2 === 0 ? 0 : us(1), tick, n - 1);
    });
    engine.at(0, tick, 4);
    engine.runUntil(ms(1));
    expect(fired).toEqual([0, 0, 1000, 1000, 2000]);
  });

  it('stops at the requested instant and leaves later events pending', () => {
    const engine = new SimEngine();
    let count = 0;
    const inc = engine.define<null>('inc', () => count++);
    for (let t = 0; t < 10; t++) engine.at(t * 100, inc, null);
    engine.runUntil(450);
    expect(count).toBe(5);
    expect(engine.pending).toBe(5);
    expect(engine.nextEventTime()).toBe(500);
  });

  it('never moves time backwards: an event scheduled in the past fires now', () => {
    const engine = new SimEngine();
    const times: number[] = [];
    const rec = engine.define<null>('rec', () => times.push(engine.now));
    engine.runUntil(1000);
    engine.at(10, rec, null);
    engine.runUntil(2000);
    expect(times).toEqual([1000]);
  });

  it('gives the same log hash for the same events and a different one when anything differs', () => {
    const run = (delays: number[]): string => {
      const engine = new SimEngine();
      const noop = engine.define<null>('noop', () => undefined);
      delays.forEach((d, i) => {
        engine.at(d, noop, null, i);
      });
      engine.runUntil(1e6);
      return engine.log.hash;
    };
    expect(run([5, 9, 12])).toBe(run([5, 9, 12]));
    expect(run([5, 9, 12])).not.toBe(run([5, 9, 13]));
    expect(run([5, 9, 12])).toMatch(/^[0-9a-f]{16}$/);
  });

  it('a cancelled timeout never fires and leaves the log exactly as a run without it', () => {
    const run = (withTimeouts: boolean): { hash: string; fired: number[]; events: number } => {
      const engine = new SimEngine();
      const fired: number[] = [];
      const first = engine.define<number>('first', (n) => fired.push(n));
      const owner = { step: 0 };
      const timeout = withTimeouts
        ? engine.defineTimeout<typeof owner>('timeout', () => fired.push(-1))
        : undefined;
      // Defined after the timeout kind: its log id must not move.
      const later = engine.define<number>('later', (n) => fired.push(n));
      for (let i = 0; i < 50; i++) engine.at(i * 10, i % 2 === 0 ? first : later, i, i);
      if (timeout !== undefined) {
        engine.at(95, timeout, owner);
        engine.at(5, timeout, owner);
        expect(engine.cancel(timeout, owner)).toBe(true); // the earliest: the one at 5
        expect(engine.cancel(timeout, owner)).toBe(true);
        expect(engine.cancel(timeout, owner)).toBe(false);
      }
      engine.runUntil(1e6);
      return { hash: engine.log.hash, fired, events: engine.log.events };
    };
    expect(run(true)).toEqual(run(false));
  });

  it('a timeout that is not cancelled fires at its time, in the log, and cancelling one keeps the queue in order', () => {
    const engine = new SimEngine();
    const fired: string[] = [];
    const tick = engine.define<number>('tick', (n) => fired.push(`${engine.now}:tick${n}`));
    const a = { name: 'a' };
    const b = { name: 'b' };
    const timeout = engine.defineTimeout<{ name: string }>('timeout', (o) =>
      fired.push(`${engine.now}:${o.name}`),
    );
    for (const t of [70, 10, 50, 30, 90, 20]) engine.at(t, tick, t);
    engine.at(40, timeout, a);
    engine.at(60, timeout, b);
    expect(engine.cancel(timeout, a)).toBe(true);
    engine.runUntil(100);
    expect(fired).toEqual([
      '10:tick10',
      '20:tick20',
      '30:tick30',
      '50:tick50',
      '60:b',
      '70:tick70',
      '90:tick90',
    ]);
    expect(engine.log.events).toBe(7);
  });
});

describe('Random', () => {
  it('repeats the same sequence for the same seed and stream name', () => {
    const a = new Random(42).stream('db01');
    const b = new Random(42).stream('db01');
    const draws = (s: typeof a) => Array.from({ length: 5 }, () => s.int(0, 1_000_000));
    expect(draws(a)).toEqual(draws(b));
  });

  it('gives different streams for different seeds and names', () => {
    const x = new Random(1).stream('s').float();
    expect(new Random(2).stream('s').float()).not.toBe(x);
    expect(new Random(1).stream('t').float()).not.toBe(x);
  });

  it('keeps streams independent: drawing from one never shifts another', () => {
    const r1 = new Random(7);
    const r2 = new Random(7);
    r1.stream('noisy').float();
    r1.stream('noisy').float();
    expect(r1.stream('quiet').float()).toBe(r2.stream('quiet').float());
  });

  it('restores every stream from a snapshot', () => {
    const r = new Random(9);
    r.stream('a').float();
    const snap = r.snapshot();
    const next = r.stream('a').float();
    const copy = new Random(9);
    copy.restore(snap);
    expect(copy.stream('a').float()).toBe(next);
  });

  it('draws exponential inter-arrival times with the requested mean', () => {
    const s = new Random(3).stream('arrivals');
    let total = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) total += s.exponential(100);
    expect(total / n).toBeGreaterThan(95);
    expect(total / n).toBeLessThan(105);
  });
});

describe('formatNs', () => {
  it('reads durations the way an operator would', () => {
    expect(formatNs(850)).toBe('850 ns');
    expect(formatNs(us(12.5))).toBe('12.5 µs');
    expect(formatNs(ms(3.2))).toBe('3.20 ms');
    expect(formatNs(1_250_000_000)).toBe('1.25 s');
  });
});
