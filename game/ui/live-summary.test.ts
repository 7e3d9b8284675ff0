import { describe, expect, it } from '@jest/globals';
import { SummaryGate } from './live-summary.js';

describe('SummaryGate: a streaming log speaks at most once per interval', () => {
  it('speaks the first lines at once, then stays quiet until the interval has passed', () => {
    let now = 1000;
    const gate = new SummaryGate(8000, () => now);
    expect(gate.add(12)).toBe(12);
    // Five times a second for almost eight seconds: silence, but the lines are counted.
    let quiet = 0;
    for (let i = 0; i < 39; i++) {
      now += 200;
      quiet += gate.add(12);
    }
    expect(quiet).toBe(0);
    now += 200;
    // The summary covers every line since the last one: 40 batches of 12.
    expect(gate.add(12)).toBe(40 * 12);
  });

  it('says nothing for no lines, and starts afresh after a reset', () => {
    let now = 0;
    const gate = new SummaryGate(8000, () => now);
    expect(gate.add(0)).toBe(0);
    expect(gate.add(3)).toBe(3);
    now += 100;
    expect(gate.add(2)).toBe(0);
    gate.reset();
    expect(gate.add(1)).toBe(1);
  });
});
