import { describe, expect, it } from '@jest/globals';
import { SimEngine, us } from '../engine/index.js';
import type { Ns } from '../engine/index.js';
import {
  MONITOR_SCAN_INTERVAL_NS,
  MONITOR_IDS_PER_VM,
  MonitorIdAllocator,
  MonitorPages,
  NO_MONITOR_ID,
} from './monitor.js';
import type { MonitoredChannel } from './monitor.js';

/** A channel that records when the hypervisor signalled the host for it. */
function recordingChannel(engine: SimEngine): MonitoredChannel & { fired: Ns[] } {
  const fired: Ns[] = [];
  return {
    fired,
    monitorFired: () => {
      fired.push(engine.now);
    },
  };
}

describe('monitor pages (rule 8: batched signalling, ~100 µs latency)', () => {
  it('rule 8: many monitor-bit writes within one scan interval become one host signal per channel', () => {
    const engine = new SimEngine();
    const monitor = new MonitorPages(engine);
    const a = recordingChannel(engine);
    const b = recordingChannel(engine);
    for (let i = 0; i < 50; i++) {
      engine.runUntil(us(1) * (i + 1));
      monitor.trigger(i % 2 === 0 ? a : b);
    }
    engine.runUntil(MONITOR_SCAN_INTERVAL_NS * 3);
    expect(monitor.triggers).toBe(50);
    expect(monitor.scans).toBe(1);
    expect(a.fired).toEqual([MONITOR_SCAN_INTERVAL_NS]);
    expect(b.fired).toEqual([MONITOR_SCAN_INTERVAL_NS]);
  });

  it('rule 8: the price is latency — a bit set just after a scan waits almost a whole interval', () => {
    expect(MONITOR_SCAN_INTERVAL_NS).toBe(us(100));
    const engine = new SimEngine();
    const monitor = new MonitorPages(engine);
    const channel = recordingChannel(engine);
    engine.runUntil(MONITOR_SCAN_INTERVAL_NS + 1);
    monitor.trigger(channel);
    engine.runUntil(MONITOR_SCAN_INTERVAL_NS * 2 - 1);
    expect(channel.fired).toEqual([]);
    engine.runUntil(MONITOR_SCAN_INTERVAL_NS * 2);
    expect(channel.fired).toEqual([MONITOR_SCAN_INTERVAL_NS * 2]);
  });

  it('rule 8: a bit set after a scan is signalled at the next one, not lost', () => {
    const engine = new SimEngine();
    const monitor = new MonitorPages(engine);
    const channel = recordingChannel(engine);
    monitor.trigger(channel);
    engine.runUntil(MONITOR_SCAN_INTERVAL_NS);
    monitor.trigger(channel);
    engine.runUntil(MONITOR_SCAN_INTERVAL_NS * 4);
    expect(channel.fired).toEqual([MONITOR_SCAN_INTERVAL_NS, MONITOR_SCAN_INTERVAL_NS * 2]);
    expect(monitor.scans).toBe(2);
  });
});

describe('monitor ids (rule 8)', () => {
  it('rule 8: each monitored channel of a VM gets its own id; past 128 (4 groups × 32 bits) a channel has none and signals by hypercall', () => {
    const ids = new MonitorIdAllocator();
    const given = Array.from({ length: 130 }, () => ids.allocate(true));
    expect(new Set(given.slice(0, 128)).size).toBe(128);
    expect(Math.max(...given.slice(0, 128))).toBe(127);
    expect(given.slice(128)).toEqual([NO_MONITOR_ID, NO_MONITOR_ID]);
    expect(new MonitorIdAllocator().allocate(false)).toBe(NO_MONITOR_ID);
  });

  it('rule 8: an id given back goes out again, lowest first, even after all 128 were taken (O: AssignedMonitors)', () => {
    const ids = new MonitorIdAllocator();
    for (let i = 0; i < MONITOR_IDS_PER_VM; i++) ids.allocate(true);
    ids.release(90);
    ids.release(7);
    ids.release(NO_MONITOR_ID); // a channel without a monitor gives nothing back
    expect([ids.allocate(true), ids.allocate(true), ids.allocate(true)]).toEqual([
      7,
      90,
      NO_MONITOR_ID,
    ]);
  });
});
