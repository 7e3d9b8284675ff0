import { describe, expect, it } from '@jest/globals';
import { CostMeter } from '../host/cpu.js';
import { HvStatus } from '../hypervisor/status.js';
import { makeHost } from '../hypervisor/test-fixtures.js';
import { Vid, VidError } from './vid.js';

describe('the VID creating a VM’s partition', () => {
  it('rule 40: a partition the hypervisor refuses to initialise is deleted again, deposits and all', () => {
    const host = makeHost();
    for (let i = 0; i < host.hv.limits.runningVms; i++) {
      const id = host.winhv.createPartition().partitionId;
      expect(host.winhv.initializePartition(id).status).toBe(HvStatus.SUCCESS);
    }
    const partitions = host.hv.partitions.size;
    // Root pages no child holds: those WinHv has yet to deposit, and those free in the root's pool.
    const rootPages = () => host.winhv.rootFreePages + host.hv.root.pool.freePages;
    const before = rootPages();
    const vid = new Vid(host.winhv);
    const meter = new CostMeter();
    const refused = vid.createPartition(2, meter);
    expect(refused).toBeInstanceOf(VidError);
    expect((refused as VidError).message).toMatch(/^HvCallInitializePartition failed/);
    // Nothing is left of it: the table and the root's pages are as before the attempt, and the
    // hypercalls to make and unmake it were charged.
    expect(host.hv.partitions.size).toBe(partitions);
    expect(rootPages()).toBe(before);
    expect(meter.take()).toBeGreaterThan(0);
  });
});
