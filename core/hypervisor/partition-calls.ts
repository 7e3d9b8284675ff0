/**
 * Partition management hypercalls (root only: they need CreatePartitions, rule 25).
 * T: HvCallCreatePartition / InitializePartition / FinalizePartition / DeletePartition /
 * Get/SetPartitionProperty / CreateVp; pool use as in L: drivers/hv/mshv_root_hv_call.c.
 */
import {
  CREATE_PARTITION_COST_NS,
  CREATE_VP_COST_NS,
  DELETE_PARTITION_COST_NS,
  FINALIZE_PARTITION_COST_NS,
  HYPERCALL_BASE_COST_NS,
  INITIALIZE_PARTITION_COST_NS,
  PARTITION_PROPERTY_COST_NS,
} from './costs.js';
import { fail, type CallFrame, type HvContext } from './hv-context.js';
import type {
  CreatePartitionParams,
  CreateVpParams,
  GetPartitionPropertyParams,
  PartitionIdParams,
  SetPartitionPropertyParams,
} from './hypercall-types.js';
import { PoolPages } from './memory-pool.js';
import { PartitionState, type Partition } from './partition.js';
import { DEFAULT_CHILD_PRIVILEGES, PrivilegeMask } from './privileges.js';
import { HvStatus } from './status.js';
import { VirtualProcessor } from './virtual-processor.js';
import { HvCallCode } from './call-codes.js';
import { tearDownPorts } from './port-calls.js';

/** T: hv_partition_property_code.md — the one property modelled (an "early" property). */
export const HvPartitionProperty = {
  PrivilegeFlags: 0x00010000,
} as const;

function succeed(frame: CallFrame, costNs: number): void {
  frame.out.status = HvStatus.SUCCESS;
  frame.out.costNs = costNs;
}

export function createPartition(hv: HvContext, f: CallFrame, p: CreatePartitionParams): void {
  if (p.reserved !== undefined && p.reserved !== 0n) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  // L: mshv deposits into the *current* partition on INSUFFICIENT_MEMORY: the new partition's
  // object comes from the creator's pool.
  if (!f.caller.pool.allocate(PoolPages.createPartition)) {
    fail(f, HvStatus.INSUFFICIENT_MEMORY, HYPERCALL_BASE_COST_NS);
    return;
  }
  const child = hv.partitions.create(f.caller.id, DEFAULT_CHILD_PRIVILEGES);
  f.out.outputPartitionId = child.id;
  succeed(f, CREATE_PARTITION_COST_NS);
}

export function partitionLifecycle(hv: HvContext, f: CallFrame, p: PartitionIdParams): void {
  const target = hv.partitions.resolveChild(f.caller, p.partitionId);
  if (target === undefined) {
    fail(f, HvStatus.INVALID_PARTITION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  switch (p.code) {
    case HvCallCode.InitializePartition:
      initialize(hv, f, target);
      return;
    case HvCallCode.FinalizePartition:
      finalize(hv, f, target);
      return;
    case HvCallCode.DeletePartition:
      remove(hv, f, target);
      return;
  }
}

function initialize(hv: HvContext, f: CallFrame, target: Partition): void {
  if (target.state !== PartitionState.Created) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  // Rule 40: 1024 running VMs per host (every release). The hypervisor publishes no status for a policy limit;
  // the model answers OPERATION_DENIED.
  if (hv.partitions.activeChildren >= hv.limits.runningVms) {
    fail(f, HvStatus.OPERATION_DENIED, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (!target.pool.allocate(PoolPages.initializePartition)) {
    fail(f, HvStatus.INSUFFICIENT_MEMORY, HYPERCALL_BASE_COST_NS);
    return;
  }
  target.state = PartitionState.Active;
  hv.partitions.activeChildren++;
  succeed(f, INITIALIZE_PARTITION_COST_NS);
}

function finalize(hv: HvContext, f: CallFrame, target: Partition): void {
  if (target.state === PartitionState.Finalized) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  // T: "prepares the partition for deletion, deleting any remaining VPs, ports and connections".
  if (target.state === PartitionState.Active) hv.partitions.activeChildren--;
  tearDownPorts(target);
  hv.partitions.childVps -= target.removeAllVps();
  target.intercepts.clear();
  target.pool.release(target.pool.usedPages);
  target.state = PartitionState.Finalized;
  succeed(f, FINALIZE_PARTITION_COST_NS);
}

function remove(hv: HvContext, f: CallFrame, target: Partition): void {
  if (target.state !== PartitionState.Finalized) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  // Model choice: pages the root did not withdraw go back to the parent's pool, and so does the
  // partition object (L: mshv finalizes, withdraws everything, then deletes).
  target.pool.drainInto(f.caller.pool);
  f.caller.pool.release(PoolPages.createPartition);
  hv.partitions.remove(target);
  succeed(f, DELETE_PARTITION_COST_NS);
}

export function getPartitionId(f: CallFrame): void {
  f.out.outputPartitionId = f.caller.id;
  succeed(f, HYPERCALL_BASE_COST_NS);
}

export function getPartitionProperty(
  hv: HvContext,
  f: CallFrame,
  p: GetPartitionPropertyParams,
): void {
  const target = hv.partitions.resolveSelfOrChild(f.caller, p.partitionId);
  if (target === undefined) {
    fail(f, HvStatus.INVALID_PARTITION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (p.propertyCode !== HvPartitionProperty.PrivilegeFlags) {
    fail(f, HvStatus.UNKNOWN_PROPERTY, HYPERCALL_BASE_COST_NS);
    return;
  }
  f.out.outputValue = target.privileges.toBigInt();
  succeed(f, PARTITION_PROPERTY_COST_NS);
}

export function setPartitionProperty(
  hv: HvContext,
  f: CallFrame,
  p: SetPartitionPropertyParams,
): void {
  const target = hv.partitions.resolveChild(f.caller, p.partitionId);
  if (target === undefined) {
    fail(f, HvStatus.INVALID_PARTITION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (p.propertyCode !== HvPartitionProperty.PrivilegeFlags) {
    fail(f, HvStatus.UNKNOWN_PROPERTY, HYPERCALL_BASE_COST_NS);
    return;
  }
  // T: PrivilegeFlags is an "early" property: settable after creation, before initialization.
  if (target.state !== PartitionState.Created) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  target.privileges = PrivilegeMask.fromBigInt(p.value);
  succeed(f, PARTITION_PROPERTY_COST_NS);
}

export function createVp(hv: HvContext, f: CallFrame, p: CreateVpParams): void {
  const target = hv.partitions.resolveSelfOrChild(f.caller, p.partitionId);
  if (target === undefined) {
    fail(f, HvStatus.INVALID_PARTITION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (p.flags !== undefined && p.flags !== 0n) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (target.state !== PartitionState.Active) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  // Rule 40: the release's VPs per VM (240 on 2016/2019, 1,024 on 2022); the root has the VPs it
  // was given, at most the LPs it can see (320 on 2016/2019, 1,024 on 2022).
  const limit = target.isRoot ? hv.rootVpLimit : hv.limits.vpsPerVm;
  const index = p.vpIndex;
  if (!Number.isInteger(index) || index < 0 || index >= limit || target.vp(index) !== undefined) {
    fail(f, HvStatus.INVALID_VP_INDEX, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (!target.isRoot) {
    // Rule 40: 2048 virtual processors per host (every release).
    if (hv.partitions.childVps >= hv.limits.virtualProcessors) {
      fail(f, HvStatus.OPERATION_DENIED, HYPERCALL_BASE_COST_NS);
      return;
    }
    if (!target.pool.allocate(PoolPages.createVp)) {
      fail(f, HvStatus.INSUFFICIENT_MEMORY, HYPERCALL_BASE_COST_NS);
      return;
    }
    hv.partitions.childVps++;
  }
  target.addVp(new VirtualProcessor(target.id, index, hv.synicNotifier));
  succeed(f, CREATE_VP_COST_NS);
}
