import { describe, expect, it } from '@jest/globals';
import { NS_PER_MS } from '../engine/index.js';
import { mibToPages } from '../memory/index.js';
import { memoryHost } from '../testing/memory-scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import type { VspChannel, VspModule } from '../vsp/types.js';
import { Simulation } from './simulation.js';

/** A Dynamic Memory VSP that never answers: the test plays the guest's confirmations itself. */
const silentDynmem: VspModule = {
  id: 'hyperkata.dynmem',
  deviceClass: 'dynamic-memory',
  isolation: 'native',
  digest: 'silent',
  create: () => ({ onPacket: () => undefined }),
};

function host() {
  const { scenario, configuration } = memoryHost({
    vms: [
      {
        name: 'app01',
        kind: 'idle',
        dynamic: { startupMiB: 2048, minimumMiB: 512, maximumMiB: 4096 },
      },
    ],
    heartbeat: false,
    durationMs: 500,
  });
  const sim = Simulation.create({
    scenario,
    configuration,
    vsps: [minimalStorvsp(), silentDynmem],
  });
  sim.advance(100 * NS_PER_MS);
  const pid = sim.internals.vms.get('app01')?.managed.partitionId ?? 0;
  const partition = sim.internals.memory.partition(pid);
  if (partition === undefined) throw new Error('app01 has no memory');
  const channel = { vm: 'app01' } as VspChannel;
  return { sim, partition, channel, dm: sim.internals.dynamicMemory };
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
});
