/**
 * The hypercall dispatcher (rules 22–24): validates a hypercall and runs it.
 *
 * Order of checks (T: hypercall-interface.md; "Priority should be given to those error codes
 * offering greater security … HV_STATUS_ACCESS_DENIED is the preferred status code"):
 *  1. no hypercall page yet, or CPL ≠ 0 → #UD (T: "Legal Hypercall Environments"; rule 23)
 *  2. unknown call code → INVALID_HYPERCALL_CODE
 *  3. missing privilege → ACCESS_DENIED, before anything that depends on the input, so an
 *     unprivileged caller learns nothing else (rule 24)
 *  4. control word: reserved bits, variable header, rep count on a simple call or none on a rep
 *     call, start index ≥ count, fast where not allowed → INVALID_HYPERCALL_INPUT
 *  5. input/output blocks not 8-byte aligned or crossing a page → INVALID_ALIGNMENT (rule 23)
 *  6. parameters missing or for another call → INVALID_PARAMETER
 *  7. the call's own checks and work.
 */
import { hypercallDescriptor, HvCallCode, type HypercallDescriptor } from './call-codes.js';
import { HYPERCALL_REJECT_COST_NS, UNDEFINED_OPCODE_COST_NS } from './costs.js';
import {
  flushVirtualAddressList,
  flushVirtualAddressSpace,
  notifyLongSpinWait,
} from './guest-calls.js';
import { CallFrame, type HvContext } from './hv-context.js';
import { HV_MAX_REP_FIELD, type HypercallControl } from './hypercall-input.js';
import {
  HypercallOutcome,
  type HypercallParams,
  type HypercallRequest,
  type HypercallResult,
} from './hypercall-types.js';
import { installIntercept } from './intercept-calls.js';
import { HV_PAGE_SIZE } from './limits.js';
import { depositMemory, withdrawMemory } from './memory-calls.js';
import {
  createPartition,
  createVp,
  getPartitionId,
  getPartitionProperty,
  partitionLifecycle,
  setPartitionProperty,
} from './partition-calls.js';
import type { Partition } from './partition.js';
import { connectPort, createPort, deletePort, disconnectPort } from './port-calls.js';
import { HvStatus } from './status.js';
import { postMessage, signalEvent } from './synic-calls.js';
import type { VirtualProcessor } from './virtual-processor.js';

const NO_PAGES: readonly number[] = Object.freeze([]);

function isRepField(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= HV_MAX_REP_FIELD;
}

function controlStatus(d: HypercallDescriptor, c: HypercallControl): number {
  if (c.reservedBitsSet === true || (c.variableHeaderSize ?? 0) !== 0) {
    return HvStatus.INVALID_HYPERCALL_INPUT;
  }
  if (!isRepField(c.repCount) || !isRepField(c.repStartIndex)) {
    return HvStatus.INVALID_HYPERCALL_INPUT;
  }
  // T: "a non-zero rep count is passed to a non-rep call or a zero rep count is passed to a rep
  // call"; "The rep start index is not less than the rep count."
  if (
    d.rep
      ? c.repCount === 0 || c.repStartIndex >= c.repCount
      : c.repCount !== 0 || c.repStartIndex !== 0
  ) {
    return HvStatus.INVALID_HYPERCALL_INPUT;
  }
  if (c.fast && !d.fastAllowed) return HvStatus.INVALID_HYPERCALL_INPUT;
  return HvStatus.SUCCESS;
}

/** T: "GPA pointers must by 8-byte aligned"; "parameter lists cannot … cross page boundaries". */
function blockFits(gpa: number, bytes: number): boolean {
  return (
    Number.isSafeInteger(gpa) &&
    gpa >= 0 &&
    gpa % 8 === 0 &&
    (gpa % HV_PAGE_SIZE) + bytes <= HV_PAGE_SIZE
  );
}

function alignmentStatus(d: HypercallDescriptor, r: HypercallRequest): number {
  const c = r.control;
  const reps = d.rep ? c.repCount : 0;
  const inputBytes = d.inputBytes + reps * d.inputElementBytes;
  if (!c.fast && inputBytes > 0 && !blockFits(r.inputGpa, inputBytes))
    return HvStatus.INVALID_ALIGNMENT;
  const outputBytes = d.outputBytes + reps * d.outputElementBytes;
  if (outputBytes > 0 && !blockFits(r.outputGpa, outputBytes)) return HvStatus.INVALID_ALIGNMENT;
  return HvStatus.SUCCESS;
}

/**
 * Runs hypercalls for one hypervisor. One instance, one reused result object.
 *
 * @example
 * const r = dispatcher.dispatch(partition, vp, {
 *   control: simpleCall(HvCallCode.SignalEvent, true), cpl: 0, inputGpa: 0, outputGpa: 0,
 *   params: { code: HvCallCode.SignalEvent, connectionId: 0x2001, flagNumber: 0 },
 * });
 * if (r.status !== HvStatus.SUCCESS) console.log(hvStatusName(r.status));
 */
export class HypercallDispatcher {
  private readonly result: HypercallResult = {
    outcome: HypercallOutcome.Completed,
    status: HvStatus.SUCCESS,
    repsCompleted: 0,
    costNs: 0,
    outputPartitionId: 0,
    outputValue: 0n,
    outputPages: NO_PAGES,
  };
  private readonly frame = new CallFrame(this.result);

  constructor(private readonly hv: HvContext) {}

  /** Validates and runs one hypercall from `vp` of `caller`. The result object is reused. */
  dispatch(
    caller: Partition,
    vp: VirtualProcessor,
    request: HypercallRequest,
  ): Readonly<HypercallResult> {
    const out = this.result;
    out.outcome = HypercallOutcome.Completed;
    out.status = HvStatus.SUCCESS;
    out.repsCompleted = 0;
    out.costNs = HYPERCALL_REJECT_COST_NS;
    out.outputPartitionId = 0;
    out.outputValue = 0n;
    out.outputPages = NO_PAGES;

    if (!caller.enlightenment.hypercallPageEnabled || request.cpl !== 0) {
      caller.counters.hypercallFaults++;
      out.outcome = HypercallOutcome.UndefinedOpcode;
      out.costNs = UNDEFINED_OPCODE_COST_NS;
      return out;
    }
    const control = request.control;
    caller.counters.countHypercall(control.code);
    const d = hypercallDescriptor(control.code);
    if (d === undefined) return this.reject(HvStatus.INVALID_HYPERCALL_CODE);
    if (d.privilege !== null && !caller.privileges.has(d.privilege)) {
      return this.reject(HvStatus.ACCESS_DENIED);
    }
    let status = controlStatus(d, control);
    if (status === HvStatus.SUCCESS) status = alignmentStatus(d, request);
    const params = request.params;
    if (status === HvStatus.SUCCESS && params?.code !== control.code) {
      status = HvStatus.INVALID_PARAMETER;
    }
    if (status !== HvStatus.SUCCESS || params === undefined) return this.reject(status);

    const frame = this.frame;
    frame.caller = caller;
    frame.vp = vp;
    frame.control = control;
    this.run(frame, params);
    return out;
  }

  /**
   * The hypervisor's own HvSignalEvent for a monitor-page bit the guest set (rule 8): the same
   * checks and effect as the guest's hypercall — the caller's port, flag and the target SINT —
   * but made by the hypervisor's scan, so the guest is counted no hypercall. Returns the status.
   */
  signalForMonitor(
    caller: Partition,
    vp: VirtualProcessor,
    connectionId: number,
    flagNumber: number,
  ): number {
    const out = this.result;
    out.status = HvStatus.SUCCESS;
    out.costNs = 0;
    const frame = this.frame;
    frame.caller = caller;
    frame.vp = vp;
    signalEvent(this.hv, frame, { code: HvCallCode.SignalEvent, connectionId, flagNumber });
    return out.status;
  }

  private reject(status: number): HypercallResult {
    this.result.status = status;
    this.result.costNs = HYPERCALL_REJECT_COST_NS;
    return this.result;
  }

  private run(f: CallFrame, p: HypercallParams): void {
    const hv = this.hv;
    switch (p.code) {
      case HvCallCode.PostMessage:
        postMessage(hv, f, p);
        return;
      case HvCallCode.SignalEvent:
        signalEvent(hv, f, p);
        return;
      case HvCallCode.FlushVirtualAddressSpace:
        flushVirtualAddressSpace(f, p);
        return;
      case HvCallCode.FlushVirtualAddressList:
        flushVirtualAddressList(f, p);
        return;
      case HvCallCode.NotifyLongSpinWait:
        notifyLongSpinWait(f);
        return;
      case HvCallCode.CreatePartition:
        createPartition(hv, f, p);
        return;
      case HvCallCode.InitializePartition:
      case HvCallCode.FinalizePartition:
      case HvCallCode.DeletePartition:
        partitionLifecycle(hv, f, p);
        return;
      case HvCallCode.GetPartitionProperty:
        getPartitionProperty(hv, f, p);
        return;
      case HvCallCode.SetPartitionProperty:
        setPartitionProperty(hv, f, p);
        return;
      case HvCallCode.GetPartitionId:
        getPartitionId(f);
        return;
      case HvCallCode.DepositMemory:
        depositMemory(hv, f, p);
        return;
      case HvCallCode.WithdrawMemory:
        withdrawMemory(hv, f, p);
        return;
      case HvCallCode.InstallIntercept:
        installIntercept(hv, f, p);
        return;
      case HvCallCode.CreateVp:
        createVp(hv, f, p);
        return;
      case HvCallCode.CreatePort:
        createPort(hv, f, p);
        return;
      case HvCallCode.ConnectPort:
        connectPort(hv, f, p);
        return;
      case HvCallCode.DeletePort:
        deletePort(hv, f, p);
        return;
      case HvCallCode.DisconnectPort:
        disconnectPort(hv, f, p);
        return;
    }
  }
}
