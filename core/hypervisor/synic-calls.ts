/**
 * HvCallPostMessage (0x5C) and HvCallSignalEvent (0x5D), the hot path of VMBus signalling
 * (rules 25, 26). Return values and their conditions: T: HvCallPostMessage.md, HvCallSignalEvent.md,
 * inter-partition-communication.md. Nothing here allocates.
 */
import { HYPERCALL_BASE_COST_NS, POST_MESSAGE_COST_NS, SIGNAL_EVENT_COST_NS } from './costs.js';
import { fail, type CallFrame, type HvContext } from './hv-context.js';
import type { PostMessageParams, SignalEventParams } from './hypercall-types.js';
import { HV_ANY_VP, HV_ID_MASK } from './limits.js';
import { HV_MESSAGE_MAX_PAYLOAD_BYTES, isHypervisorMessageType } from './messages.js';
import { PartitionState, type Partition } from './partition.js';
import { HvPortType, type Port } from './ports.js';
import { HvStatus } from './status.js';
import type { Synic } from './synic.js';

/** The port behind a connection id of the caller, or the failure status. */
function connectedPort(
  hv: HvContext,
  caller: Partition,
  connectionId: number,
  type: number,
): Port | number {
  const valid = Number.isInteger(connectionId) && connectionId >= 0 && connectionId <= HV_ID_MASK;
  const connection = valid ? caller.connections.get(connectionId) : undefined;
  if (connection === undefined) return HvStatus.INVALID_CONNECTION_ID;
  const port = connection.port;
  // T: INVALID_PORT_ID — port deleted, its partition not "active", or the wrong port type.
  const owner = hv.partitions.get(port.partitionId);
  if (port.deleted || port.type !== type || owner?.state !== PartitionState.Active) {
    return HvStatus.INVALID_PORT_ID;
  }
  return port;
}

/**
 * The SynIC a port delivers to, or the failure status. T: "Virtual processors whose SynIC or SIM
 * page is disabled will not be considered as potential targets." For HV_ANY_VP the model picks the
 * lowest-numbered eligible VP (the TLFS leaves the choice open).
 */
function targetSynic(hv: HvContext, port: Port, events: boolean): Synic | number {
  const owner = hv.partitions.get(port.partitionId) as Partition;
  if (port.targetVp === HV_ANY_VP) {
    let anyVp = false;
    for (let i = 0; i < owner.vpSlots; i++) {
      const s = owner.vp(i)?.synic;
      if (s === undefined) continue;
      anyVp = true;
      if (s.enabled && (events ? s.eventFlagsPageEnabled : s.messagePageEnabled)) return s;
    }
    // T: HvCallPostMessage / HvCallSignalEvent — INVALID_SYNIC_STATE: "For ports that are
    // targeted at HV_ANY_VP, this indicates that the SynIC of all of the partition's VPs are
    // disabled" (likewise their SIM / SIEF pages); INVALID_VP_INDEX when "there are no available
    // VPs" at all.
    return anyVp ? HvStatus.INVALID_SYNIC_STATE : HvStatus.INVALID_VP_INDEX;
  }
  const vp = owner.vp(port.targetVp);
  if (vp === undefined) return HvStatus.INVALID_VP_INDEX;
  const s = vp.synic;
  const pageEnabled = events ? s.eventFlagsPageEnabled : s.messagePageEnabled;
  return s.enabled && pageEnabled ? s : HvStatus.INVALID_SYNIC_STATE;
}

export function postMessage(hv: HvContext, f: CallFrame, p: PostMessageParams): void {
  const type = p.messageType;
  const size = p.payloadSize;
  // T: INVALID_PARAMETER — most significant bit set (hypervisor types), type zero, size > 240.
  if (!Number.isInteger(type) || type <= 0 || type > 0xffffffff || isHypervisorMessageType(type)) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  if (!Number.isInteger(size) || size < 0 || size > HV_MESSAGE_MAX_PAYLOAD_BYTES) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  const port = connectedPort(hv, f.caller, p.connectionId, HvPortType.Message);
  if (typeof port === 'number') {
    fail(f, port, HYPERCALL_BASE_COST_NS);
    return;
  }
  const synic = targetSynic(hv, port, false);
  if (typeof synic === 'number') {
    fail(f, synic, HYPERCALL_BASE_COST_NS);
    return;
  }
  const status = synic.postMessage(port, p, p.payload);
  if (status === HvStatus.SUCCESS) f.caller.counters.messagesPosted++;
  f.out.status = status;
  f.out.costNs = POST_MESSAGE_COST_NS;
}

/**
 * Sets flag `flag` of the event port behind `caller`'s connection and interrupts its target VP on a
 * 0→1 transition (rule 26): the work of HvCallSignalEvent once the call itself is accepted, shared
 * with the hypervisor's own monitor-page signals. Returns the status.
 */
export function signalConnection(
  hv: HvContext,
  caller: Partition,
  connectionId: number,
  flag: number,
): number {
  const port = connectedPort(hv, caller, connectionId, HvPortType.Event);
  if (typeof port === 'number') return port;
  // T: INVALID_PARAMETER — "flag number is greater than or equal to the port's flag count".
  if (!Number.isInteger(flag) || flag < 0 || flag >= port.flagCount) {
    return HvStatus.INVALID_PARAMETER;
  }
  const synic = targetSynic(hv, port, true);
  if (typeof synic === 'number') return synic;
  // T: "If the SINTx is masked, HvSignalEvent returns HV_STATUS_INVALID_SYNIC_STATE" (polling
  // mode counts as unmasked).
  const sint = port.targetSint;
  if (synic.sintMasked(sint) && !synic.sintPolling(sint)) return HvStatus.INVALID_SYNIC_STATE;
  synic.signalEvent(sint, port.baseFlagNumber + flag);
  return HvStatus.SUCCESS;
}

export function signalEvent(hv: HvContext, f: CallFrame, p: SignalEventParams): void {
  const status = signalConnection(hv, f.caller, p.connectionId, p.flagNumber);
  if (status !== HvStatus.SUCCESS) {
    fail(f, status, HYPERCALL_BASE_COST_NS);
    return;
  }
  f.caller.counters.eventsSignalled++;
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs = SIGNAL_EVENT_COST_NS;
}
