/**
 * Plays the synthesised cues, honouring mute and volume. The AudioContext is created on the first
 * cue, which always follows a click or a key press — browsers only allow sound after one.
 * Where WebAudio is missing, the game is silent rather than broken.
 */
import { CUES } from './cues.js';
import type { CueName } from './cues.js';
import { renderCue } from './synth.js';

export interface SoundSettings {
  readonly muted: boolean;
  /** 0–100. */
  readonly volume: number;
}

export class SoundBoard {
  private readonly buffers = new Map<CueName, AudioBuffer>();
  private context: AudioContext | undefined;
  private master: GainNode | undefined;
  private settings: SoundSettings;
  private unavailable = false;

  constructor(settings: SoundSettings) {
    this.settings = settings;
  }

  /** Whether the browser can synthesise the cues at all. */
  static supported(): boolean {
    return typeof OfflineAudioContext !== 'undefined' && typeof AudioContext !== 'undefined';
  }

  /** Renders one cue ahead of time (the Preloader calls this once per cue). */
  async prepare(name: CueName): Promise<void> {
    if (!SoundBoard.supported() || this.buffers.has(name)) return;
    this.buffers.set(name, await renderCue(CUES[name]));
  }

  get muted(): boolean {
    return this.settings.muted;
  }

  apply(settings: SoundSettings): void {
    this.settings = settings;
    if (this.master) this.master.gain.value = this.gainValue();
  }

  /** Plays a cue now unless muted; call it from input handlers or game events. */
  play(name: CueName): void {
    if (this.settings.muted || this.unavailable) return;
    const buffer = this.buffers.get(name);
    if (!buffer) return;
    const ctx = this.ensureContext();
    if (!ctx || !this.master) return;
    if (ctx.state === 'suspended') void ctx.resume();
    const source = ctx.createBufferSource();
    source.buffer = buffer;
    source.connect(this.master);
    source.start();
  }

  private gainValue(): number {
    // Perceived loudness is roughly logarithmic: square the slider for a gentler low end.
    const v = Math.max(0, Math.min(100, this.settings.volume)) / 100;
    return v * v;
  }

  private ensureContext(): AudioContext | undefined {
    if (this.context) return this.context;
    try {
      this.context = new AudioContext();
      this.master = this.context.createGain();
      this.master.gain.value = this.gainValue();
      this.master.connect(this.context.destination);
      return this.context;
    } catch {
      this.unavailable = true;
      return undefined;
    }
  }
}
