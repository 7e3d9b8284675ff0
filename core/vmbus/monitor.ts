/**
 * Monitor pages (rule 8): a channel that is not in low-latency mode does not make a hypercall to
 * signal the host; the guest sets the channel's bit in a page the hypervisor watches, and the
 * hypervisor turns all bits set since its last look into host signals at its next scan. Many
 * packets, one interrupt — at the price of up to one scan interval of added latency.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';

// L: include/linux/hyperv.h struct vmbus_channel, low_latency comment — "The window of time is
// the monitor latency - currently around 100 usecs" (HYPERV.md rule 8). estimate: one fixed
// scan grid for every channel; the host sets a latency per monitor id (hv_monitor_page latency).
export const MONITOR_SCAN_INTERVAL_NS: Ns = 100_000;

export interface MonitoredChannel {
  /** Signals the host for this channel on the hypervisor's behalf. */
  monitorFired(): void;
}

export class MonitorPages {
  private readonly pending = new Set<MonitoredChannel>();
  private scheduled = false;
  private readonly scan: EventType<null>;
  /** Bits set by guests, and scans that turned them into signals. */
  triggers = 0;
  scans = 0;

  constructor(private readonly engine: SimEngine) {
    this.scan = engine.define<null>('monitor:scan', () => {
      this.fire();
    });
  }

  /** The guest set the channel's monitor bit (a memory write: no hypercall, no exit). */
  trigger(channel: MonitoredChannel): void {
    this.triggers++;
    this.pending.add(channel);
    if (!this.scheduled) {
      this.scheduled = true;
      const next =
        (Math.floor(this.engine.now / MONITOR_SCAN_INTERVAL_NS) + 1) * MONITOR_SCAN_INTERVAL_NS;
      this.engine.at(next, this.scan, null);
    }
  }

  private fire(): void {
    this.scheduled = false;
    this.scans++;
    const channels = [...this.pending];
    this.pending.clear();
    for (const c of channels) c.monitorFired();
  }
}
