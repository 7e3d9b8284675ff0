/**
 * How long at least one of several things was waiting: a VM's guest drivers each measure their
 * own waits for room to send (a ring too full for the packet, every request slot in flight), and
 * the VM's share of time held up is the union of those waits, not their sum — two disks full at
 * once are one held-up millisecond, not two (the report's `ringFullPercent` stays ≤ 100 %).
 */
import type { Ns } from '../engine/index.js';

export class WaitClock {
  private waiting = 0;
  private since: Ns = 0;
  private total: Ns = 0;

  /** One more thing starts waiting at `now`. */
  enter(now: Ns): void {
    if (this.waiting++ === 0) this.since = now;
  }

  /** One thing that was waiting stops at `now`. */
  leave(now: Ns): void {
    if (this.waiting === 0) return;
    if (--this.waiting === 0) this.total += now - this.since;
  }

  /** Ns during which at least one thing waited, up to `now`. */
  until(now: Ns): Ns {
    return this.total + (this.waiting > 0 ? now - this.since : 0);
  }
}
