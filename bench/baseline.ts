/**
 * The baseline every benchmark prints beside its figures: a bare binary-heap event loop of no-op
 * events, run in the same process just before the scenario, so "events per second" can be read as
 * a ratio to what this machine does with no model at all.
 */
import { performance } from 'node:perf_hooks';

/** Events per wall second of a heap of `depth` pending no-op events, each rescheduling itself. */
export function baselineEventsPerSecond(events = 3_000_000, depth = 1024): number {
  const times = new Float64Array(depth + 1);
  const seqs = new Float64Array(depth + 1);
  let size = 0;
  let seq = 0;
  let x = 12345;
  const rand = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x / 4294967296;
  };
  const push = (t: number): void => {
    let i = size++;
    const s = seq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p] < t || (times[p] === t && seqs[p] < s)) break;
      times[i] = times[p];
      seqs[i] = seqs[p];
      i = p;
    }
    times[i] = t;
    seqs[i] = s;
  };
  const pop = (): number => {
    const top = times[0];
    const lastT = times[--size];
    const lastS = seqs[size];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= size) break;
      const r = l + 1;
      const c =
        r < size && (times[r] < times[l] || (times[r] === times[l] && seqs[r] < seqs[l])) ? r : l;
      if (lastT < times[c] || (lastT === times[c] && lastS < seqs[c])) break;
      times[i] = times[c];
      seqs[i] = seqs[c];
      i = c;
    }
    times[i] = lastT;
    seqs[i] = lastS;
    return top;
  };
  for (let i = 0; i < depth; i++) push(rand() * 1e6);
  const start = performance.now();
  for (let n = 0; n < events; n++) {
    const t = pop();
    push(t + 1 + rand() * 1e5);
  }
  const seconds = (performance.now() - start) / 1000;
  return events / seconds;
}
