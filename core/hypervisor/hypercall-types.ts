/**
 * What a VP hands the hypercall dispatcher and what it gets back. Parameters are typed per call
 * (the model does not parse the input page), but every field may hold hostile values: the
 * dispatcher validates and answers with a status, it never throws on guest data.
 */
import type { Ns } from '../engine/index.js';
import type { HvCallCode } from './call-codes.js';
import type { HypercallControl } from './hypercall-input.js';
import type { PortInfo } from './ports.js';

type Code<K extends keyof typeof HvCallCode> = (typeof HvCallCode)[K];

export interface FlushVirtualAddressSpaceParams {
  readonly code: Code<'FlushVirtualAddressSpace'>;
  readonly addressSpace: bigint;
  /** HV_FLUSH_ALL_PROCESSORS 1, HV_FLUSH_ALL_VIRTUAL_ADDRESS_SPACES 2, NON_GLOBAL_MAPPINGS_ONLY 4. */
  readonly flags: number;
  readonly processorMask: bigint;
}

export interface FlushVirtualAddressListParams {
  readonly code: Code<'FlushVirtualAddressList'>;
  readonly addressSpace: bigint;
  readonly flags: number;
  readonly processorMask: bigint;
  /** Rep elements: GVA page bits 63–12, additional pages in bits 11–0. */
  readonly gvaRanges: readonly bigint[];
}

export interface NotifyLongSpinWaitParams {
  readonly code: Code<'NotifyLongSpinWait'>;
  readonly spinWaitCount: number;
}

export interface CreatePartitionParams {
  readonly code: Code<'CreatePartition'>;
  readonly flags: bigint;
  readonly compatibilityVersion: number;
  /** ReservedZ0: must be zero. */
  readonly reserved?: bigint;
}

export interface PartitionIdParams {
  readonly code: Code<'InitializePartition'> | Code<'FinalizePartition'> | Code<'DeletePartition'>;
  readonly partitionId: number;
}

export interface GetPartitionIdParams {
  readonly code: Code<'GetPartitionId'>;
}

export interface GetPartitionPropertyParams {
  readonly code: Code<'GetPartitionProperty'>;
  readonly partitionId: number;
  readonly propertyCode: number;
}

export interface SetPartitionPropertyParams {
  readonly code: Code<'SetPartitionProperty'>;
  readonly partitionId: number;
  readonly propertyCode: number;
  readonly value: bigint;
}

export interface DepositMemoryParams {
  readonly code: Code<'DepositMemory'>;
  readonly partitionId: number;
  /** Rep elements: guest physical page numbers of the root's pages. */
  readonly gpaPageList: readonly number[];
}

export interface WithdrawMemoryParams {
  readonly code: Code<'WithdrawMemory'>;
  readonly partitionId: number;
}

export interface InstallInterceptParams {
  readonly code: Code<'InstallIntercept'>;
  readonly partitionId: number;
  readonly accessTypeMask: number;
  readonly interceptType: number;
  /** HV_INTERCEPT_PARAMETERS (IoPort, or IoPortRange base | end << 16). */
  readonly parameters: number;
}

export interface CreateVpParams {
  readonly code: Code<'CreateVp'>;
  readonly partitionId: number;
  readonly vpIndex: number;
  /** Reserved: must be zero. */
  readonly flags?: bigint;
}

export interface CreatePortParams {
  readonly code: Code<'CreatePort'>;
  readonly portPartitionId: number;
  readonly portId: number;
  /**
   * T: "Partition automatically connected on creation (if any)"; 0 = none. The model checks that
   * it names a partition, and otherwise leaves connecting to HvCallConnectPort.
   */
  readonly connectionPartitionId: number;
  readonly portInfo: PortInfo;
}

export interface ConnectPortParams {
  readonly code: Code<'ConnectPort'>;
  readonly connectionPartitionId: number;
  readonly connectionId: number;
  readonly portPartitionId: number;
  readonly portId: number;
  /** HV_CONNECTION_INFO.PortType: must match the port. */
  readonly portType: number;
}

export interface DeletePortParams {
  readonly code: Code<'DeletePort'>;
  readonly portPartitionId: number;
  readonly portId: number;
}

export interface DisconnectPortParams {
  readonly code: Code<'DisconnectPort'>;
  readonly connectionPartitionId: number;
  readonly connectionId: number;
}

export interface PostMessageParams {
  readonly code: Code<'PostMessage'>;
  readonly connectionId: number;
  readonly messageType: number;
  readonly payloadSize: number;
  /** The 240-byte message area; only `payloadSize` bytes are sent. */
  readonly payload: Uint8Array;
}

export interface SignalEventParams {
  readonly code: Code<'SignalEvent'>;
  readonly connectionId: number;
  /** Relative to the port's base flag number. */
  readonly flagNumber: number;
}

export type HypercallParams =
  | FlushVirtualAddressSpaceParams
  | FlushVirtualAddressListParams
  | NotifyLongSpinWaitParams
  | CreatePartitionParams
  | PartitionIdParams
  | GetPartitionIdParams
  | GetPartitionPropertyParams
  | SetPartitionPropertyParams
  | DepositMemoryParams
  | WithdrawMemoryParams
  | InstallInterceptParams
  | CreateVpParams
  | CreatePortParams
  | ConnectPortParams
  | DeletePortParams
  | DisconnectPortParams
  | PostMessageParams
  | SignalEventParams;

/** One hypercall as a VP issues it. */
export interface HypercallRequest {
  /** The hypercall input value (RCX). */
  readonly control: HypercallControl;
  /** Current privilege level of the calling VP (rule 23: only CPL 0 may call). */
  readonly cpl: number;
  /** Input parameter block GPA (RDX; ignored for fast calls and calls without input). */
  readonly inputGpa: number;
  /** Output parameter block GPA (R8; ignored for calls without output). */
  readonly outputGpa: number;
  /** The parameters as the input block holds them. */
  readonly params?: HypercallParams;
}

/** How a hypercall instruction ended. */
export const HypercallOutcome = {
  /** Returned with a status in RAX (success or failure). */
  Completed: 'completed',
  /**
   * T: "Hypercall Continuation" — the 50 µs budget ran out in a rep call: RIP was not advanced
   * and RCX holds the new rep start index (= repsCompleted); the VP re-executes the call.
   */
  TimeSliced: 'time-sliced',
  /** T: hypercall from CPL ≠ 0, or before the hypercall page exists: the guest gets #UD. */
  UndefinedOpcode: 'undefined-opcode',
} as const;

export type HypercallOutcomeValue = (typeof HypercallOutcome)[keyof typeof HypercallOutcome];

/**
 * The dispatcher's answer. The same object is reused for every call of a dispatcher (nothing is
 * allocated on the hot path): read what you need before the next call.
 */
export interface HypercallResult {
  outcome: HypercallOutcomeValue;
  /** HV_STATUS (meaningless for UndefinedOpcode). */
  status: number;
  /** Reps completed, counted from the start of the list (T: not relative to the start index). */
  repsCompleted: number;
  /** CPU time the call took, to charge to the calling VP. */
  costNs: Ns;
  /** HvCallCreatePartition: the new id; HvCallGetPartitionId: the caller's id. */
  outputPartitionId: number;
  /** HvCallGetPartitionProperty: the value. */
  outputValue: bigint;
  /** HvCallWithdrawMemory: page numbers withdrawn by this invocation. */
  outputPages: readonly number[];
}
