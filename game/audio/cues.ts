/**
 * The game's sound cues, as data: each is a few short tones with a pitch glide and an envelope.
 * synth.ts renders them with WebAudio; nothing is downloaded. Pure, so a test can check that every
 * cue is short and cannot clip.
 */

export const CUE_NAMES = ['click', 'channelOpened', 'misrouted', 'objectiveMet', 'star'] as const;
export type CueName = (typeof CUE_NAMES)[number];

export type Waveform = 'sine' | 'triangle' | 'square' | 'sawtooth';

export interface Tone {
  readonly wave: Waveform;
  /** Start frequency, Hz. */
  readonly from: number;
  /** End frequency, Hz (exponential glide). */
  readonly to: number;
  /** Start time within the cue, s. */
  readonly at: number;
  /** Length, s. */
  readonly duration: number;
  /** Peak gain, 0–1. */
  readonly gain: number;
  /** Optional low-pass cut-off, Hz (softens square and sawtooth). */
  readonly lowpass?: number;
}

const NOTE = {
  C5: 523.25,
  E5: 659.25,
  G5: 783.99,
  C6: 1046.5,
  E6: 1318.51,
  G6: 1567.98,
} as const;

export const CUES: Readonly<Record<CueName, readonly Tone[]>> = {
  // A soft tick: confirms a choice without competing with the game.
  click: [{ wave: 'sine', from: 1400, to: 900, at: 0, duration: 0.045, gain: 0.35 }],
  // Two rising notes: a connection made (VMBus channel open).
  channelOpened: [
    { wave: 'triangle', from: NOTE.E5, to: NOTE.E5, at: 0, duration: 0.09, gain: 0.4 },
    {
      wave: 'triangle',
      from: NOTE.G5 * 1.5,
      to: NOTE.G5 * 1.5,
      at: 0.08,
      duration: 0.14,
      gain: 0.4,
    },
  ],
  // A low double buzz, falling: something went to the wrong place.
  misrouted: [
    { wave: 'sawtooth', from: 220, to: 150, at: 0, duration: 0.12, gain: 0.3, lowpass: 1400 },
    { wave: 'sawtooth', from: 200, to: 120, at: 0.15, duration: 0.16, gain: 0.3, lowpass: 1400 },
  ],
  // A major arpeggio: an objective is met.
  objectiveMet: [
    { wave: 'triangle', from: NOTE.C5, to: NOTE.C5, at: 0, duration: 0.12, gain: 0.3 },
    { wave: 'triangle', from: NOTE.E5, to: NOTE.E5, at: 0.09, duration: 0.12, gain: 0.3 },
    { wave: 'triangle', from: NOTE.G5, to: NOTE.G5, at: 0.18, duration: 0.12, gain: 0.3 },
    { wave: 'sine', from: NOTE.C6, to: NOTE.C6, at: 0.27, duration: 0.25, gain: 0.3 },
  ],
  // A bright shimmer: a star.
  star: [
    { wave: 'sine', from: NOTE.E6, to: NOTE.E6, at: 0, duration: 0.3, gain: 0.25 },
    { wave: 'sine', from: NOTE.G6, to: NOTE.G6 * 1.02, at: 0.05, duration: 0.3, gain: 0.2 },
    { wave: 'triangle', from: NOTE.C6 * 2, to: NOTE.C6 * 2, at: 0.1, duration: 0.25, gain: 0.12 },
  ],
};

/** When a cue's last tone ends, s. */
export function cueLength(tones: readonly Tone[]): number {
  return tones.reduce((end, t) => Math.max(end, t.at + t.duration), 0);
}

/** The largest sum of gains of tones sounding at the same time (a bound on clipping). */
export function peakGain(tones: readonly Tone[]): number {
  let peak = 0;
  for (const t of tones) {
    const overlapping = tones.filter((o) => o.at < t.at + t.duration && t.at < o.at + o.duration);
    peak = Math.max(
      peak,
      overlapping.reduce((sum, o) => sum + o.gain, 0),
    );
  }
  return peak;
}
