/**
 * Hypercalls any enlightened guest makes: TLB flushes and the long-spin-wait notification.
 * T: HvCallFlushVirtualAddressSpace (0x0002), HvCallFlushVirtualAddressList (0x0003, rep: one GVA
 * range per element), HvCallNotifyLongSpinWait (0x0008). The model keeps no TLB; a flush costs CPU.
 */
import {
  FLUSH_REMOTE_VP_COST_NS,
  FLUSH_VA_PER_RANGE_COST_NS,
  HYPERCALL_BASE_COST_NS,
  HYPERCALL_TIME_BUDGET_NS,
} from './costs.js';
import { fail, type CallFrame } from './hv-context.js';
import {
  HypercallOutcome,
  type FlushVirtualAddressListParams,
  type FlushVirtualAddressSpaceParams,
} from './hypercall-types.js';
import { HvStatus } from './status.js';

export const HvFlushFlags = {
  AllProcessors: 0x1,
  AllVirtualAddressSpaces: 0x2,
  NonGlobalMappingsOnly: 0x4,
} as const;

/** Other VPs of the caller's partition the flush must reach. */
function remoteTargets(f: CallFrame, flags: number, processorMask: bigint): number {
  const partition = f.caller;
  if ((flags & HvFlushFlags.AllProcessors) !== 0) return Math.max(0, partition.vpCount - 1);
  // T: "Each bit in the mask corresponds to a virtual processor index" (VPs 0–63).
  const mask = BigInt.asUintN(64, processorMask);
  const halves = [Number(mask & 0xffffffffn), Number(mask >> 32n)];
  let n = 0;
  for (let i = 0; i < 64; i++) {
    const bit = (halves[i >>> 5] >>> (i & 31)) & 1;
    if (bit === 1 && i !== f.vp.index && partition.vp(i) !== undefined) n++;
  }
  return n;
}

function validFlags(flags: number, allowed: number): boolean {
  return Number.isInteger(flags) && flags >= 0 && (flags & ~allowed) === 0;
}

export function flushVirtualAddressSpace(f: CallFrame, p: FlushVirtualAddressSpaceParams): void {
  const allowed =
    HvFlushFlags.AllProcessors |
    HvFlushFlags.AllVirtualAddressSpaces |
    HvFlushFlags.NonGlobalMappingsOnly;
  if (!validFlags(p.flags, allowed)) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs =
    HYPERCALL_BASE_COST_NS + remoteTargets(f, p.flags, p.processorMask) * FLUSH_REMOTE_VP_COST_NS;
}

export function flushVirtualAddressList(f: CallFrame, p: FlushVirtualAddressListParams): void {
  // T: "HV_FLUSH_NON_GLOBAL_MAPPINGS_ONLY does not make sense for this call and is treated as an
  // invalid option. All other flags are reserved and must be set to zero."
  const allowed = HvFlushFlags.AllProcessors | HvFlushFlags.AllVirtualAddressSpaces;
  if (!validFlags(p.flags, allowed)) {
    fail(f, HvStatus.INVALID_PARAMETER, HYPERCALL_BASE_COST_NS);
    return;
  }
  const count = f.control.repCount;
  let i = f.control.repStartIndex;
  let cost =
    HYPERCALL_BASE_COST_NS + remoteTargets(f, p.flags, p.processorMask) * FLUSH_REMOTE_VP_COST_NS;
  let thisCall = 0;
  // T: "Invalid GVAs … are ignored", so every element succeeds.
  while (i < count) {
    if (thisCall > 0 && cost + FLUSH_VA_PER_RANGE_COST_NS > HYPERCALL_TIME_BUDGET_NS) break;
    cost += FLUSH_VA_PER_RANGE_COST_NS;
    i++;
    thisCall++;
  }
  f.out.status = HvStatus.SUCCESS;
  f.out.repsCompleted = i;
  f.out.costNs = cost;
  if (i < count) f.out.outcome = HypercallOutcome.TimeSliced;
}

export function notifyLongSpinWait(f: CallFrame): void {
  f.out.status = HvStatus.SUCCESS;
  f.out.costNs = HYPERCALL_BASE_COST_NS;
}
