/**
 * How many packet sprites a VM's lanes send, frame by frame. The run's completions are far too
 * many to draw one by one, so a lane shows a stream: a packet leaves at most every `gapMs` of real
 * time while completions are owed. The stream then looks the same at 30 or 144 fps, packets are
 * spaced along the lane instead of piling up, and the canvas draws a bounded number of sprites
 * (each one a scaled bitmap copy for a software renderer).
 */
export interface PacketPacerOptions {
  /** Real time between two packets on a VM's lanes, ms. */
  readonly gapMs: number;
  /** Completions owed past this many are forgotten: a burst is shown, not replayed for seconds. */
  readonly maxOwed: number;
}

export class PacketPacer {
  private owed = 0;
  private sinceLast = Number.POSITIVE_INFINITY;
  private lastCompleted = 0;

  constructor(private readonly options: PacketPacerOptions) {}

  /**
   * Feeds one frame: its real duration and the VM's completed-operation counter. Returns how many
   * packets to send this frame (0 or 1).
   *
   * @example
   * const pacer = new PacketPacer({ gapMs: 50, maxOwed: 10 });
   * if (pacer.tick(delta, vm.totalCompleted) > 0) spawnOnNextLane();
   */
  tick(deltaMs: number, totalCompleted: number): number {
    this.owed = Math.min(this.options.maxOwed, this.owed + (totalCompleted - this.lastCompleted));
    this.lastCompleted = totalCompleted;
    const { gapMs } = this.options;
    // An idle lane may send at once, but never catches up on the gaps it did not use.
    this.sinceLast = Math.min(this.sinceLast + deltaMs, 2 * gapMs);
    if (this.owed < 1 || this.sinceLast < gapMs) return 0;
    this.owed -= 1;
    // Keep the remainder, so the average gap is `gapMs` at any frame rate.
    this.sinceLast -= gapMs;
    return 1;
  }
}
