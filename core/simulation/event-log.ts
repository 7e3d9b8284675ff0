/**
 * The run's narration: what happened, in plain words, with the simulated instant — VMs starting,
 * channels opening, faults, throttling. The game shows it in its accessible event log and the CLI
 * prints it with --verbose. Bounded: the oldest lines go first.
 */
import type { Ns } from '../engine/index.js';

export interface NarrationLine {
  readonly time: Ns;
  readonly source: string;
  readonly text: string;
}

export type NarrationListener = (line: NarrationLine) => void;

export class Narration {
  private readonly lines: NarrationLine[] = [];
  private readonly listeners = new Set<NarrationListener>();
  /** The first error a listener threw since the last {@link takeListenerError}. */
  private listenerError: { readonly error: unknown } | null = null;
  total = 0;

  constructor(private readonly capacity = 2000) {}

  add(time: Ns, source: string, text: string): void {
    const line = { time, source, text };
    this.total++;
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    // Lines are added inside event handlers: a listener's error must not unwind the run.
    for (const l of this.listeners) {
      try {
        l(line);
      } catch (error) {
        this.listenerError ??= { error };
      }
    }
  }

  /** The first error a listener threw since the last call, if any, and forgets it. */
  takeListenerError(): { readonly error: unknown } | null {
    const taken = this.listenerError;
    this.listenerError = null;
    return taken;
  }

  /** The last `count` lines (rounded down); none for 0, a negative count or NaN. */
  recent(count = 50): readonly NarrationLine[] {
    const n = Math.floor(count);
    return n > 0 ? this.lines.slice(-n) : [];
  }

  /**
   * Each call is its own subscription (the same function subscribed twice hears every line twice);
   * the function returned ends that subscription only.
   */
  subscribe(listener: NarrationListener): () => void {
    const subscription: NarrationListener = (line) => {
      listener(line);
    };
    this.listeners.add(subscription);
    return () => {
      this.listeners.delete(subscription);
    };
  }
}
