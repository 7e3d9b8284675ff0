/**
 * Port and connection hypercalls: how the root wires VMBus (rules 10–12). A message port in the
 * child (SINT2) receives the host's VMBus control messages; a connection in the child (id 1, or 4
 * from VMBus 5.0 — L: hyperv_vmbus.h VMBUS_MESSAGE_CONNECTION_ID[_4]) reaches a message port in
 * the root; per channel, event ports and connections carry the ring signals.
 * T: HvCallCreatePort / ConnectPort / DeletePort / DisconnectPort; "A port is allocated from the
 * receiver's memory pool … Connections are allocated from the sender's memory pool."
 */
import {
  CONNECT_PORT_COST_NS,
  CREATE_PORT_COST_NS,
  DELETE_PORT_COST_NS,
  HYPERCALL_BASE_COST_NS,
} from './costs.js';
import { fail, type CallFrame, type HvContext } from './hv-context.js';
import type {
  ConnectPortParams,
  CreatePortParams,
  DeletePortParams,
  DisconnectPortParams,
} from './hypercall-types.js';
import { HV_ANY_VP, HV_EVENT_FLAGS_COUNT, HV_ID_MASK, HV_PARTITION_ID_INVALID } from './limits.js';
import { PoolPages } from './memory-pool.js';
import { HV_SYNIC_SINT_COUNT } from './msr.js';
import { PartitionState, type Partition } from './partition.js';
import { Connection, HvPortType, Port, type PortInfo } from './ports.js';
import { Privilege } from './privileges.js';
import { HvStatus } from './status.js';

/**
 * A partition the caller may act on: itself, or (holding CreatePartitions, T: "any other hypercall
 * that is restricted to operating on children") one of its children. Sets the failure status and
 * returns undefined otherwise.
 */
export function selfOrChild(hv: HvContext, f: CallFrame, id: number): Partition | undefined {
  const target = hv.partitions.resolveSelfOrChild(f.caller, id);
  if (
    target !== undefined &&
    target !== f.caller &&
    !f.caller.privileges.has(Privilege.CreatePartitions)
  ) {
    fail(f, HvStatus.ACCESS_DENIED, HYPERCALL_BASE_COST_NS);
    return undefined;
  }
  if (target === undefined) fail(f, HvStatus.INVALID_PARTITION_ID, HYPERCALL_BASE_COST_NS);
  return target;
}

function validId(id: number): boolean {
  return Number.isInteger(id) && id >= 0 && id <= HV_ID_MASK;
}

function validPortInfo(info: PortInfo, owner: Partition, hv: HvContext): boolean {
  if (info.portType !== HvPortType.Message && info.portType !== HvPortType.Event) return false;
  if (!Number.isInteger(info.targetSint) || info.targetSint < 0) return false;
  if (info.targetSint >= HV_SYNIC_SINT_COUNT) return false;
  const maxVp = owner.isRoot ? hv.rootVpLimit : hv.limits.vpsPerVm;
  const vp = info.targetVp;
  if (vp !== HV_ANY_VP && (!Number.isInteger(vp) || vp < 0 || vp >= maxVp)) return false;
  if (info.portType === HvPortType.Event) {
    const base = info.baseFlagNumber ?? 0;
    const count = info.flagCount ?? 0;
    if (!Number.isInteger(base) || !Number.isInteger(count)) return false;
    if (base < 0 || count < 1 || base + count > HV_EVENT_FLAGS_COUNT) return false;
  }
  return true;
}

export function createPort(hv: HvContext, f: CallFrame, p: CreatePortParams): void {
  const owner = selfOrChild(hv, f, p.portPartitionId);
  if (owner === undefined) return;
  if (owner.state === PartitionState.Finalized) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  const cp = p.connectionPartitionId;
  if (cp !== HV_PARTITION_ID_INVALID && hv.partitions.resolve(f.caller, cp) === undefined) {
    fail(f, HvStatus.INVALID_PARTITION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (!validId(p.portId) || !validPortInfo(p.portInfo, owner, hv)) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  // Model choice: a port id already in use in that partition is an invalid port id.
  if (owner.ports.has(p.portId)) {
    fail(f, HvStatus.INVALID_PORT_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (!owner.pool.allocate(PoolPages.createPort)) {
    fail(f, HvStatus.INSUFFICIENT_MEMORY, HYPERCALL_BASE_COST_NS);
    return;
  }
  owner.ports.set(p.portId, new Port(owner.id, p.portId, p.portInfo));
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs = CREATE_PORT_COST_NS;
}

export function connectPort(hv: HvContext, f: CallFrame, p: ConnectPortParams): void {
  const sender = selfOrChild(hv, f, p.connectionPartitionId);
  if (sender === undefined) return;
  const owner = selfOrChild(hv, f, p.portPartitionId);
  if (owner === undefined) return;
  if (sender.state === PartitionState.Finalized) {
    fail(f, HvStatus.INVALID_PARTITION_STATE, HYPERCALL_BASE_COST_NS);
    return;
  }
  const port = validId(p.portId) ? owner.ports.get(p.portId) : undefined;
  if (port === undefined || port.deleted) {
    fail(f, HvStatus.INVALID_PORT_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  // T: "All connection IDs are unique within a partition."
  if (!validId(p.connectionId) || sender.connections.has(p.connectionId)) {
    fail(f, HvStatus.INVALID_CONNECTION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (p.portType !== port.type) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (!sender.pool.allocate(PoolPages.connectPort)) {
    fail(f, HvStatus.INSUFFICIENT_MEMORY, HYPERCALL_BASE_COST_NS);
    return;
  }
  sender.connections.set(p.connectionId, new Connection(sender.id, p.connectionId, port));
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs = CONNECT_PORT_COST_NS;
}

export function deletePort(hv: HvContext, f: CallFrame, p: DeletePortParams): void {
  const owner = selfOrChild(hv, f, p.portPartitionId);
  if (owner === undefined) return;
  const port = validId(p.portId) ? owner.ports.get(p.portId) : undefined;
  if (port === undefined) {
    fail(f, HvStatus.INVALID_PORT_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  deletePortObject(owner, port);
  owner.pool.release(PoolPages.createPort);
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs = DELETE_PORT_COST_NS;
}

export function disconnectPort(hv: HvContext, f: CallFrame, p: DisconnectPortParams): void {
  const sender = selfOrChild(hv, f, p.connectionPartitionId);
  if (sender === undefined) return;
  if (!validId(p.connectionId) || !sender.connections.delete(p.connectionId)) {
    fail(f, HvStatus.INVALID_CONNECTION_ID, HYPERCALL_BASE_COST_NS);
    return;
  }
  // T: "Breaking a connection will not affect undelivered (queued) messages."
  sender.pool.release(PoolPages.connectPort);
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs = DELETE_PORT_COST_NS;
}

/**
 * T: "Deletion of the target port will always free all of the port's message buffers, whether
 * they are available or contain undelivered (queued) messages." Connections to it stay but
 * become useless (INVALID_PORT_ID).
 */
function deletePortObject(owner: Partition, port: Port): void {
  port.deleted = true;
  owner.ports.delete(port.id);
  for (const vp of owner.virtualProcessors()) vp.synic.dropMessagesOf(port);
}

/** Finalize: every port and connection of `partition` goes away (pages released by the caller). */
export function tearDownPorts(partition: Partition): void {
  for (const port of [...partition.ports.values()]) deletePortObject(partition, port);
  partition.connections.clear();
}
