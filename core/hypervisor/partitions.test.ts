import { describe, expect, it } from '@jest/globals';
import { HvCallCode } from './call-codes.js';
import { ConfigurationError } from '../model/index.js';
import { HostLimits, HV_PARTITION_ID_SELF } from './limits.js';
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

describe('scale limits (rule 40)', () => {
  it('rule 40: a VM has at most 240 VPs (index 239 is the last)', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    expect(host.winhv.createVp(child, 239).status).toBe(HvStatus.SUCCESS);
    expect(host.winhv.createVp(child, 240).status).toBe(HvStatus.INVALID_VP_INDEX);
  });

  it('rule 40: the root sees at most 320 of up to 512 LPs; more than 512 LPs is a configuration error', () => {
    const hv = new Hypervisor(
      { logicalProcessors: 512 },
      new RecordingSink(),
      new RecordingVpControl(),
    );
    expect(hv.root.vpCount).toBe(320);
    expect(hv.vp(1, 319)).toBeDefined();
    expect(hv.vp(1, 320)).toBeUndefined();
    const small = new Hypervisor(
      { logicalProcessors: 8 },
      new RecordingSink(),
      new RecordingVpControl(),
    );
    expect(small.root.vpCount).toBe(8);
    expect(
      () =>
        new Hypervisor({ logicalProcessors: 513 }, new RecordingSink(), new RecordingVpControl()),
    ).toThrow(ConfigurationError);
  });

  it('rule 40: at most 1024 child partitions run at once; finalizing one makes room', () => {
    const host = makeHost();
    const ids: number[] = [];
    for (let i = 0; i < HostLimits.maxRunningChildPartitions; i++) {
      const id = host.winhv.createPartition().partitionId;
      expect(host.winhv.initializePartition(id).status).toBe(HvStatus.SUCCESS);
      ids.push(id);
    }
    const extra = host.winhv.createPartition().partitionId;
    expect(host.winhv.initializePartition(extra).status).toBe(HvStatus.OPERATION_DENIED);
    host.winhv.destroyPartition(ids[0]);
    expect(host.winhv.initializePartition(extra).status).toBe(HvStatus.SUCCESS);
  });

  it('rule 40: at most 2048 VPs across all VMs of a host', () => {
    const host = makeHost();
    let created = 0;
    let refused = 0;
    for (let vm = 0; vm < 9; vm++) {
      const id = makeChild(host, { vps: 0, boot: false });
      for (let vp = 0; vp < HostLimits.maxVirtualProcessorsPerPartition; vp++) {
        const status = host.winhv.createVp(id, vp).status;
        if (status === HvStatus.SUCCESS) created++;
        else if (status === HvStatus.OPERATION_DENIED) refused++;
      }
    }
    expect(created).toBe(HostLimits.maxChildVirtualProcessors);
    expect(refused).toBe(9 * 240 - 2048);
  });
});
