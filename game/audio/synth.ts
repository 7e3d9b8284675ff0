/**
 * Renders cue definitions into AudioBuffers with an OfflineAudioContext (no user gesture needed,
 * so the Preloader can do it behind its progress bar).
 */
import { cueLength } from './cues.js';
import type { Tone } from './cues.js';

export const SAMPLE_RATE = 44_100;
/** Attack and release, s: long enough to avoid clicks at the edges of each tone. */
const ATTACK = 0.006;
const RELEASE_FLOOR = 0.0001;

function scheduleTone(ctx: BaseAudioContext, tone: Tone, out: AudioNode): void {
  const osc = ctx.createOscillator();
  osc.type = tone.wave;
  osc.frequency.setValueAtTime(tone.from, tone.at);
  if (tone.to !== tone.from) {
    osc.frequency.exponentialRampToValueAtTime(tone.to, tone.at + tone.duration);
  }
  const env = ctx.createGain();
  env.gain.setValueAtTime(0, tone.at);
  env.gain.linearRampToValueAtTime(tone.gain, tone.at + ATTACK);
  env.gain.exponentialRampToValueAtTime(RELEASE_FLOOR, tone.at + tone.duration);
  let last: AudioNode = osc;
  if (tone.lowpass !== undefined) {
    const filter = ctx.createBiquadFilter();
    filter.type = 'lowpass';
    filter.frequency.value = tone.lowpass;
    osc.connect(filter);
    last = filter;
  }
  last.connect(env).connect(out);
  osc.start(tone.at);
  osc.stop(tone.at + tone.duration + 0.01);
}

/** Renders one cue. Needs a browser with WebAudio. */
export async function renderCue(tones: readonly Tone[]): Promise<AudioBuffer> {
  const length = Math.ceil((cueLength(tones) + 0.05) * SAMPLE_RATE);
  const ctx = new OfflineAudioContext(1, length, SAMPLE_RATE);
  for (const tone of tones) scheduleTone(ctx, tone, ctx.destination);
  return ctx.startRendering();
}
