/**
 * How often a streaming event log may speak. While a run streams narration (up to a dozen lines
 * five times a second), reading each line would flood a screen reader; the log goes quiet and
 * a summary ("12 new lines, the latest: …") is spoken at most once per interval. Pure: the clock
 * is passed in.
 */
export class SummaryGate {
  private last = Number.NEGATIVE_INFINITY;
  private unspoken = 0;

  constructor(
    /** Least time between two summaries, ms. */
    private readonly everyMs: number,
    private readonly now: () => number,
  ) {}

  /**
   * Counts `lines` new lines. Returns how many lines the summary spoken now covers (all those
   * not yet summarised), or 0 when it is too soon to speak again.
   *
   * @example
   * const n = gate.add(12); // 12 the first time, then 0 until `everyMs` has passed
   */
  add(lines: number): number {
    this.unspoken += lines;
    const t = this.now();
    if (this.unspoken === 0 || t - this.last < this.everyMs) return 0;
    this.last = t;
    const covered = this.unspoken;
    this.unspoken = 0;
    return covered;
  }

  /** Forgets what was counted: the next line after a stream ends is summarised at once. */
  reset(): void {
    this.last = Number.NEGATIVE_INFINITY;
    this.unspoken = 0;
  }
}
