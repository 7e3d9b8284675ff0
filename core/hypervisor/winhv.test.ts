import { describe, expect, it } from '@jest/globals';
import { HvCallCode } from './call-codes.js';
import { HV_PARTITION_ID_SELF } from './limits.js';
import { PoolPages } from './memory-pool.js';
import { HvPortType } from './ports.js';
import { HvStatus } from './status.js';
import { WinHv } from './winhv.js';
import { call, makeChild, makeHost } from './test-fixtures.js';

describe('memory pool and deposit-and-retry (rule 25)', () => {
  it('rule 25: with an empty pool the hypervisor answers INSUFFICIENT_MEMORY; after HvCallDepositMemory (0x48) the same call succeeds', () => {
    const host = makeHost();
    const root = host.hv.root.id;
    const create = {
      code: HvCallCode.CreatePartition,
      flags: 0n,
      compatibilityVersion: 0,
    } as const;
    expect(host.hv.root.pool.freePages).toBe(0);
    expect(call(host, root, 0, create).status).toBe(HvStatus.INSUFFICIENT_MEMORY);
    expect(host.winhv.depositPages(HV_PARTITION_ID_SELF, PoolPages.createPartition).status).toBe(
      HvStatus.SUCCESS,
    );
    const again = call(host, root, 0, create);
    expect(again.status).toBe(HvStatus.SUCCESS);
    expect(host.hv.partition(again.outputPartitionId)?.parentId).toBe(root);
  });

  it('rule 25: the WinHv helper deposits into the root and retries until HvCallCreatePartition succeeds', () => {
    const host = makeHost();
    const freeBefore = host.winhv.rootFreePages;
    const r = host.winhv.createPartition();
    expect(r.status).toBe(HvStatus.SUCCESS);
    expect(r.pagesDeposited).toBe(PoolPages.createPartition);
    expect(r.hypercalls).toBeGreaterThan(PoolPages.createPartition); // failed tries + deposits + success
    expect(host.winhv.rootFreePages).toBe(freeBefore - PoolPages.createPartition);
    expect(host.hv.root.pool.usedPages).toBe(PoolPages.createPartition);
  });

  it("rule 25: a port is paid from the receiving partition's pool and a connection from the sender's", () => {
    const host = makeHost();
    const child = makeChild(host);
    const childPool = host.hv.partition(child)?.pool;
    const usedBefore = childPool?.usedPages ?? 0;
    const port = host.winhv.createPort(child, 5, {
      portType: HvPortType.Message,
      targetSint: 2,
      targetVp: 0,
    });
    expect(port.status).toBe(HvStatus.SUCCESS);
    expect((childPool?.usedPages ?? 0) - usedBefore).toBe(PoolPages.createPort);
    const rootUsed = host.hv.root.pool.usedPages;
    const conn = host.winhv.connectPort({
      connectionPartitionId: host.hv.root.id,
      connectionId: 0x55,
      portPartitionId: child,
      portId: 5,
      portType: HvPortType.Message,
    });
    expect(conn.status).toBe(HvStatus.SUCCESS);
    expect(host.hv.root.pool.usedPages - rootUsed).toBe(PoolPages.connectPort);
  });

  it('rule 25: when the root has no pages left the helper stops and reports INSUFFICIENT_MEMORY', () => {
    const host = makeHost();
    const poor = new WinHv(host.hv, { rootFreePages: PoolPages.createPartition - 1 });
    const r = poor.createPartition();
    expect(r.status).toBe(HvStatus.INSUFFICIENT_MEMORY);
    expect(poor.rootFreePages).toBe(0);
    expect(host.hv.partitions.size).toBe(1);
  });

  it('rule 25: destroying a partition (finalize, withdraw, delete) gives its deposits back to the root', () => {
    const host = makeHost();
    const freeBefore = host.winhv.rootFreePages;
    const child = makeChild(host, { vps: 2 });
    expect(host.winhv.rootFreePages).toBeLessThan(freeBefore);
    const r = host.winhv.destroyPartition(child);
    expect(r.status).toBe(HvStatus.SUCCESS);
    expect(host.hv.partition(child)).toBeUndefined();
    // Everything deposited into the child came back; the partition object's pages stay in the
    // root's pool (free now), so withdrawing the root's free pages returns the rest.
    host.winhv.withdrawAllPages(HV_PARTITION_ID_SELF);
    expect(host.winhv.rootFreePages).toBe(freeBefore);
  });

  it('rule 25: HvCallWithdrawMemory returns free pages only; pages in use stay', () => {
    const host = makeHost();
    const child = makeChild(host);
    const pool = host.hv.partition(child)?.pool;
    host.winhv.depositPages(child, 10);
    const used = pool?.usedPages;
    const w = host.winhv.withdrawAllPages(child);
    expect(w.status).toBe(HvStatus.SUCCESS);
    expect(pool?.freePages).toBe(0);
    expect(pool?.usedPages).toBe(used);
    expect(w.pagesWithdrawn).toBeGreaterThanOrEqual(10);
  });
});
