import { describe, expect, it } from '@jest/globals';
import { NS_PER_MS, NS_PER_S } from '../engine/index.js';
import { mibToPages } from '../memory/index.js';
import { memoryHost } from '../testing/memory-scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import type { VspChannel, VspHostEvent, VspModule } from '../vsp/types.js';
import { Simulation, internalsOf } from './simulation.js';

/** A Dynamic Memory VSP that never answers: the test plays the guest's confirmations itself. */
const silentDynmem: VspModule = {
  id: 'hyperkata.dynmem',
  deviceClass: 'dynamic-memory',
  isolation: 'native',
  digest: 'silent',
  create: () => ({ onPacket: () => undefined }),
};

/** The memory targets the host sent, for tests that play the guest. */
const targets: Extract<VspHostEvent, { type: 'memory-target' }>[] = [];
const recordingDynmem: VspModule = {
  ...silentDynmem,
  digest: 'recording',
  create: () => ({
    onPacket: () => undefined,
    onHostEvent: (_channel, event) => {
      if (event.type === 'memory-target') targets.push(event);
    },
  }),
};

function host(dynmem: VspModule = silentDynmem) {
  const { scenario, configuration } = memoryHost({
    vms: [
      {
        name: 'app01',
        kind: 'idle',
        dynamic: { startupMiB: 2048, minimumMiB: 512, maximumMiB: 4096 },
      },
    ],
    heartbeat: false,
    durationMs: 5000,
  });
  const sim = Simulation.create({
    scenario,
    configuration,
    vsps: [minimalStorvsp(), dynmem],
  });
  sim.advance(100 * NS_PER_MS);
  const pid = internalsOf(sim).vms.get('app01')?.managed.partitionId ?? 0;
  const partition = internalsOf(sim).memory.partition(pid);
  if (partition === undefined) throw new Error('app01 has no memory');
  const channel = { vm: 'app01' } as VspChannel;
  return { sim, partition, channel, dm: internalsOf(sim).dynamicMemory };
}

describe('DynamicMemoryHost (the root side of the balloon protocol)', () => {
  it('rule 36: refuses balloon pages the guest does not own to give — ring pages, pages outside it, overlaps — and changes nothing', () => {
    const { partition, channel, dm } = host();
    const busy = partition.busyRuns()[0]; // the guest's ring buffers and I/O buffers
    const before = partition.assignedPages;
    for (const ranges of [
      [{ startPage: busy.start, pageCount: 1 }],
      [{ startPage: mibToPages(4096), pageCount: 512 }],
      [
        { startPage: 1000, pageCount: 512 },
        { startPage: 1200, pageCount: 512 },
      ],
      [{ startPage: -5, pageCount: 512 }],
    ])
      dm.change(channel, { action: 'balloon', pages: 512, tag: 1, ranges });
    expect(partition.assignedPages).toBe(before);
    expect(dm.statsOf('app01').refused).toBe(4);
    // pages nobody holds are taken
    dm.change(channel, {
      action: 'balloon',
      pages: 512,
      tag: 1,
      ranges: [{ startPage: 1000, pageCount: 512 }],
    });
    expect(partition.assignedPages).toBe(before - 512);
    expect(partition.balloonedPages).toBe(512);
  });

  it('rule 34: grows a partition only when the guest answers a request the host made', () => {
    const { partition, channel, dm } = host();
    const before = { assigned: partition.assignedPages, installed: partition.visiblePages };
    dm.change(channel, { action: 'hot-add', pages: 32768, tag: 77 });
    dm.change(channel, { action: 'unballoon', pages: 512, tag: 78 });
    expect(partition.assignedPages).toBe(before.assigned);
    expect(partition.visiblePages).toBe(before.installed);
    expect(dm.statsOf('app01')).toMatchObject({ hotAdds: 0, unballoons: 0 });
  });

  it('rule 34: a guest that confirms a hot-add late still gets the memory it brought online', () => {
    targets.length = 0;
    const { sim, partition, channel, dm } = host(recordingDynmem);
    // the guest reports a working set above what it has: the next round hot-adds
    dm.pressure(channel, { pressurePercent: 150, committedPages: mibToPages(3000) });
    sim.advance(1000 * NS_PER_MS);
    const first = targets.find((t) => t.action === 'hot-add');
    if (first === undefined) throw new Error('the host sent no hot-add');
    // the guest answers only after two more rounds (its VP was starved)
    sim.advance(2 * NS_PER_S);
    const before = { assigned: partition.assignedPages, installed: partition.visiblePages };
    dm.change(channel, { action: 'hot-add', pages: first.pages, tag: first.tag });
    expect(partition.assignedPages).toBe(before.assigned + first.pages);
    expect(partition.visiblePages).toBe(before.installed + (first.region?.pageCount ?? 0));
    expect(dm.statsOf('app01').hotAdds).toBe(1);
    // …and only once
    dm.change(channel, { action: 'hot-add', pages: first.pages, tag: first.tag });
    expect(partition.assignedPages).toBe(before.assigned + first.pages);
  });
});
