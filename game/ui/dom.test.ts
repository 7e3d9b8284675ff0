import { describe, expect, it } from '@jest/globals';
import { setText } from './dom.js';

/** An element stand-in that counts writes (the unit tests run without a DOM). */
function counted(text: string): { textContent: string | null; writes: number } {
  let value: string | null = text;
  const el = {
    writes: 0,
    get textContent(): string | null {
      return value;
    },
    set textContent(next: string | null) {
      el.writes++;
      value = next;
    },
  };
  return el;
}

describe('setText', () => {
  it('writes a live readout only when its text changed', () => {
    const clock = counted('Running · 1.0 of 300 ms');
    expect(setText(clock, 'Running · 1.0 of 300 ms')).toBe(false);
    expect(clock.writes).toBe(0);
    expect(setText(clock, 'Running · 1.2 of 300 ms')).toBe(true);
    expect(clock.textContent).toBe('Running · 1.2 of 300 ms');
    expect(setText(clock, 'Running · 1.2 of 300 ms')).toBe(false);
    expect(clock.writes).toBe(1);
  });

  it('fills an empty element', () => {
    const value = counted('');
    expect(setText(value, ' (86)')).toBe(true);
    expect(value.textContent).toBe(' (86)');
  });
});
