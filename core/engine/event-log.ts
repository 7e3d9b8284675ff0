/**
 * The event log's running hash: every event the engine fires is folded into a 64-bit hash
 * (two 32-bit lanes), so two runs that fired the same events at the same instants end with the
 * same hash and a run that diverged anywhere ends with a different one. Replays check it.
 */
export class EventLog {
  private h1 = 0x811c9dc5;
  private h2 = 0x9e3779b9;
  private count = 0;

  /** Folds one 32-bit word into both lanes. */
  private mix(word: number): void {
    let k = Math.imul(word | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    let h = this.h1 ^ k;
    h = (h << 13) | (h >>> 19);
    this.h1 = (Math.imul(h, 5) + 0xe6546b64) | 0;
    this.h2 = Math.imul(this.h2 ^ (word | 0) ^ (this.h1 >>> 7), 0x01000193) | 0;
  }

  /** Records one fired event: its time, its type and a key the scheduler supplied. */
  record(time: number, type: number, key: number): void {
    this.mix(time >>> 0);
    this.mix(Math.floor(time / 4294967296));
    this.mix(type);
    this.mix(key);
    this.count++;
  }

  /** Folds a value that is not an event (a configuration digest, a plugin's hash) into the log. */
  fold(words: readonly number[]): void {
    for (const w of words) this.mix(w);
  }

  get events(): number {
    return this.count;
  }

  /** The hash so far as 16 lowercase hex digits. */
  get hash(): string {
    const a = fmix(this.h1 ^ this.count) >>> 0;
    const b = fmix(this.h2 ^ a) >>> 0;
    return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** 32-bit FNV-1a of a string: turns names into hash words and stream seeds. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
