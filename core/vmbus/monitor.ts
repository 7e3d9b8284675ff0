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

/**
 * Monitor id of an offer that has none (O: vmbus_server channels.rs tests expect
 * `monitor_id: 0xff` with `monitor_allocated` clear for a channel without one).
 */
export const NO_MONITOR_ID = 0xff;

/** Monitor ids one VM's monitor pages hold: 4 trigger groups × 32 bits (L: hyperv-tlfs.h hv_monitor_page). */
export const MONITOR_IDS_PER_VM = 128;

/**
 * Hands out one VM's monitor ids (rule 8). Each monitored channel gets its own id, so its own
 * trigger bit; when the 128 are taken, a further channel is offered without a monitor and its
 * guest signals it by HvCallSignalEvent (O: AssignedMonitors — no id left, no monitor; L:
 * vmbus_setevent uses the monitor page only when the offer has monitor_allocated). A released
 * channel gives its id back, and the lowest free id goes out next (O: channels.rs
 * release_channel → AssignedMonitors::release_monitor; assign_monitor takes the first clear bit).
 */
export class MonitorIdAllocator {
  /** 1 at index i: id i is held by a channel. */
  private readonly taken = new Uint8Array(MONITOR_IDS_PER_VM);

  /** The lowest free id for a channel that asks to be monitored, or {@link NO_MONITOR_ID}. */
  allocate(monitored: boolean): number {
    if (!monitored) return NO_MONITOR_ID;
    const id = this.taken.indexOf(0);
    if (id < 0) return NO_MONITOR_ID;
    this.taken[id] = 1;
    return id;
  }

  /** The channel holding `id` is gone: the id may be given again. {@link NO_MONITOR_ID} is ignored. */
  release(id: number): void {
    if (id < 0 || id >= MONITOR_IDS_PER_VM) return;
    this.taken[id] = 0;
  }
}
