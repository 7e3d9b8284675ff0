import { describe, expect, it } from '@jest/globals';
import { CUES, CUE_NAMES, cueLength, peakGain } from './cues.js';

describe('sound cues', () => {
  it('include the cues the game plays', () => {
    expect([...CUE_NAMES].sort()).toEqual([
      'channelOpened',
      'click',
      'misrouted',
      'objectiveMet',
      'star',
    ]);
    for (const name of CUE_NAMES) expect(CUES[name].length).toBeGreaterThan(0);
  });

  it.each(CUE_NAMES)('%s is short (under 0.6 s)', (name) => {
    expect(cueLength(CUES[name])).toBeLessThan(0.6);
  });

  it.each(CUE_NAMES)('%s cannot clip: overlapping tones stay under full scale', (name) => {
    expect(peakGain(CUES[name])).toBeLessThanOrEqual(1);
  });

  it.each(CUE_NAMES)('%s stays in a comfortable, audible range', (name) => {
    for (const tone of CUES[name]) {
      for (const f of [tone.from, tone.to]) {
        expect(f).toBeGreaterThanOrEqual(80);
        expect(f).toBeLessThanOrEqual(5000);
      }
      expect(tone.duration).toBeGreaterThan(0.02);
    }
  });

  it('makes the bad news sound different from the good: misrouted is lower than objective met', () => {
    const lowest = (name: (typeof CUE_NAMES)[number]) =>
      Math.min(...CUES[name].flatMap((t) => [t.from, t.to]));
    expect(lowest('misrouted')).toBeLessThan(lowest('objectiveMet') / 2);
  });
});
