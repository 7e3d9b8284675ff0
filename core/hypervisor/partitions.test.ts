import { describe, expect, it } from '@jest/globals';
import { HvCallCode } from './call-codes.js';
import { ConfigurationError, type HostOs } from '../model/index.js';
import { HV_PARTITION_ID_SELF } from './limits.js';
import { PartitionState } from './partition.js';
import { HvStatus } from './status.js';
import { call, makeChild, makeHost, RecordingSink, RecordingVpControl } from './test-fixtures.js';
import { Hypervisor } from './hypervisor.js';

describe('partition lifecycle', () => {
  it('numbers partitions from 1 (the root) and resolves HV_PARTITION_ID_SELF to the caller', () => {
    const host = makeHost();
    expect(host.hv.root.id).toBe(1);
    const a = host.winhv.createPartition().partitionId;
    const b = host.winhv.createPartition().partitionId;
    expect([a, b]).toEqual([2, 3]);
    const self = call(host, 1, 0, {
      code: HvCallCode.GetPartitionProperty,
      partitionId: HV_PARTITION_ID_SELF,
      propertyCode: 0x10000,
    });
    expect(self.outputValue).toBe(host.hv.root.privileges.toBigInt());
  });

  it('walks created → active → finalized → deleted, refusing calls in the wrong state', () => {
    const host = makeHost();
    const root = host.hv.root.id;
    const id = host.winhv.createPartition().partitionId;
    const state = (): string | undefined => host.hv.partition(id)?.state;
    expect(state()).toBe(PartitionState.Created);
    expect(
      call(host, root, 0, { code: HvCallCode.CreateVp, partitionId: id, vpIndex: 0 }).status,
    ).toBe(HvStatus.INVALID_PARTITION_STATE);
    expect(host.winhv.initializePartition(id).status).toBe(HvStatus.SUCCESS);
    expect(state()).toBe(PartitionState.Active);
    expect(host.winhv.initializePartition(id).status).toBe(HvStatus.INVALID_PARTITION_STATE);
    expect(call(host, root, 0, { code: HvCallCode.DeletePartition, partitionId: id }).status).toBe(
      HvStatus.INVALID_PARTITION_STATE,
    );
    host.winhv.createVp(id, 0);
    expect(
      call(host, root, 0, { code: HvCallCode.FinalizePartition, partitionId: id }).status,
    ).toBe(HvStatus.SUCCESS);
    expect(state()).toBe(PartitionState.Finalized);
    expect(host.hv.partition(id)?.vpCount).toBe(0);
    // T: after finalize, no activity but deletion — not even deposits.
    expect(host.winhv.depositPages(id, 1).status).toBe(HvStatus.INVALID_PARTITION_STATE);
    expect(call(host, root, 0, { code: HvCallCode.DeletePartition, partitionId: id }).status).toBe(
      HvStatus.SUCCESS,
    );
    expect(host.hv.partition(id)).toBeUndefined();
    expect(
      call(host, root, 0, { code: HvCallCode.FinalizePartition, partitionId: id }).status,
    ).toBe(HvStatus.INVALID_PARTITION_ID);
  });

  it('refuses to delete the caller itself (HV_PARTITION_ID_SELF)', () => {
    const host = makeHost();
    const r = call(host, 1, 0, {
      code: HvCallCode.DeletePartition,
      partitionId: HV_PARTITION_ID_SELF,
    });
    expect(r.status).toBe(HvStatus.INVALID_PARTITION_ID);
  });
});

/**
 * WS "Hyper-V maximum scale limits in Windows Server": VPs per (generation 2) VM 240 on 2016 and
 * 2019, 1,024 on 2022; LPs 512 / 512 / 1,024; LPs the root sees 320 / 320 / 1,024; 1,024 running
 * VMs and 2,048 VPs in use per host on all three.
 */
const PUBLISHED: Record<HostOs, { vpsPerVm: number; lps: number; rootLps: number }> = {
  ws2016: { vpsPerVm: 240, lps: 512, rootLps: 320 },
  ws2019: { vpsPerVm: 240, lps: 512, rootLps: 320 },
  ws2022: { vpsPerVm: 1024, lps: 1024, rootLps: 1024 },
};
const RELEASES = Object.keys(PUBLISHED) as HostOs[];

function bareHypervisor(logicalProcessors: number, hostOs: HostOs): Hypervisor {
  return new Hypervisor(
    { logicalProcessors, hostOs, bootRoot: false },
    new RecordingSink(),
    new RecordingVpControl(),
  );
}

describe('scale limits (rule 40)', () => {
  it.each(RELEASES)("rule 40: a VM on a %s host has the release's VPs per VM, no more", (os) => {
    const host = makeHost(4, os);
    const child = makeChild(host, { boot: false });
    const last = PUBLISHED[os].vpsPerVm - 1;
    expect(host.winhv.createVp(child, last).status).toBe(HvStatus.SUCCESS);
    expect(host.winhv.createVp(child, last + 1).status).toBe(HvStatus.INVALID_VP_INDEX);
  });

  it.each(RELEASES)(
    "rule 40: a %s host runs on the release's LPs, and its root sees only the release's share",
    (os) => {
      const { lps, rootLps } = PUBLISHED[os];
      const hv = bareHypervisor(lps, os);
      expect(hv.root.vpCount).toBe(rootLps);
      expect(hv.vp(1, rootLps - 1)).toBeDefined();
      expect(hv.vp(1, rootLps)).toBeUndefined();
      expect(bareHypervisor(8, os).root.vpCount).toBe(8);
      expect(() => bareHypervisor(lps + 1, os)).toThrow(ConfigurationError);
    },
  );

  it('rule 40: a Windows Server 2016 host refuses the 1024 LPs a 2022 host runs on, naming its release', () => {
    expect(bareHypervisor(1024, 'ws2022').logicalProcessors).toBe(1024);
    expect(() => bareHypervisor(1024, 'ws2016')).toThrow(
      /Windows Server 2016 allows at most 512 logical processors per host/,
    );
  });

  it('rule 40: at most 1024 child partitions run at once; finalizing one makes room', () => {
    const host = makeHost();
    const ids: number[] = [];
    for (let i = 0; i < 1024; i++) {
      const id = host.winhv.createPartition().partitionId;
      expect(host.winhv.initializePartition(id).status).toBe(HvStatus.SUCCESS);
      ids.push(id);
    }
    const extra = host.winhv.createPartition().partitionId;
    expect(host.winhv.initializePartition(extra).status).toBe(HvStatus.OPERATION_DENIED);
    host.winhv.destroyPartition(ids[0]);
    expect(host.winhv.initializePartition(extra).status).toBe(HvStatus.SUCCESS);
  });

  it.each([
    ['ws2019', 9],
    ['ws2022', 3],
  ] as [HostOs, number][])('rule 40: at most 2048 VPs across all VMs of a %s host', (os, vms) => {
    const host = makeHost(4, os);
    const perVm = PUBLISHED[os].vpsPerVm;
    let created = 0;
    let refused = 0;
    for (let vm = 0; vm < vms; vm++) {
      const id = makeChild(host, { vps: 0, boot: false });
      for (let vp = 0; vp < perVm; vp++) {
        const status = host.winhv.createVp(id, vp).status;
        if (status === HvStatus.SUCCESS) created++;
        else if (status === HvStatus.OPERATION_DENIED) refused++;
      }
    }
    expect(created).toBe(2048);
    expect(refused).toBe(vms * perVm - 2048);
  });
});
