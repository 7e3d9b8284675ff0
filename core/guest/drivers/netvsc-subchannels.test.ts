/**
 * vRSS on a host at its GPADL cap (rules 14, 19): netvsc asks for subchannels and waits until each
 * one opened or failed to (L: rndis_set_subchannel waits for open_chn == num_chn; netvsc_sc_open
 * counts a subchannel whose vmbus_open failed too). A subchannel whose ring the host refuses costs
 * the adapter one queue, not the adapter.
 */
import { describe, expect, it } from '@jest/globals';
import { NS_PER_MS } from '../../engine/index.js';
import { BUILT_IN_VSPS } from '../../../plugins/index.js';
import { gpadlCapBytes } from '../../memory/index.js';
import type { NarrationLine } from '../../simulation/event-log.js';
import { Simulation } from '../../simulation/simulation.js';
import { buildBusHost, vmName } from '../../simulation/testing/random-bus-host.js';
import type { RandomBusHost } from '../../simulation/testing/random-bus-host.js';

describe('netvsc vRSS subchannels on a host out of GPADL space', () => {
  it('rules 14, 19: an adapter whose subchannel rings the host refuses comes up on the channels it has', () => {
    // 16 network VMs with 512 KiB rings and 7 queues each: a Windows Server 2016 host's 384 MiB of
    // GPADLs runs out while the last adapters open their subchannels (found by the VMBus property
    // "GPADL memory is exactly …" with HYPERKATA_FC_SEED=2: vm12 and vm14 hung in setup forever).
    const h: RandomBusHost = {
      os: 'ws2016',
      cores: 4,
      rootVps: 2,
      queueDepth: 256,
      maxSubchannels: 0,
      maxQueues: 7,
      slowDisk: false,
      seed: 1,
      vms: Array.from({ length: 16 }, () => ({
        enlightened: true,
        vps: 8,
        kind: 'idle' as const,
        intensity: 1,
        network: true,
        networkRingKiB: 512,
        batched: false,
      })),
    };
    const { scenario, configuration } = buildBusHost(h, 400);
    const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
    const lines: NarrationLine[] = [];
    sim.on((l) => lines.push(l));
    let peak = 0;
    while (!sim.finished) {
      sim.advance(20 * NS_PER_MS);
      peak = Math.max(peak, sim.report().host.gpadlBytes);
    }
    expect(peak).toBeLessThanOrEqual(gpadlCapBytes('ws2016'));
    const channels = new Map<string, number>();
    for (const l of lines) {
      if (l.message.id === 'netvsc.ready') channels.set(l.source, l.message.args.channels);
    }
    // every adapter came up (none waits forever for a subchannel that will never open) …
    expect([...channels.keys()].sort()).toEqual(h.vms.map((_, i) => vmName(i)).sort());
    // … and some on fewer channels than they asked for: the host refused their rings
    const short = [...channels.values()].filter((n) => n < 7);
    expect(short.length).toBeGreaterThan(0);
    expect(Math.min(...short)).toBeGreaterThanOrEqual(1);
  });
});
