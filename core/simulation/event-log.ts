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
  total = 0;

  constructor(private readonly capacity = 2000) {}

  add(time: Ns, source: string, text: string): void {
    const line = { time, source, text };
    this.total++;
    this.lines.push(line);
    if (this.lines.length > this.capacity) this.lines.splice(0, this.lines.length - this.capacity);
    for (const l of this.listeners) l(line);
  }

  recent(count = 50): readonly NarrationLine[] {
    return this.lines.slice(-count);
  }

  subscribe(listener: NarrationListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
