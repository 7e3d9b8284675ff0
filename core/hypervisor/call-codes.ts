/**
 * Hypercall codes and what the dispatcher needs to know about each one: simple or rep, input and
 * output sizes (for the alignment and page-crossing checks), whether the register-based "fast"
 * convention is allowed, and the privilege that gates it.
 * Codes: T: hypercalls/*.md and overview.md; L: include/hyperv/hvgdk_mini.h (HVCALL_*).
 */
import { Privilege, type PrivilegeBit } from './privileges.js';

export const HvCallCode = {
  FlushVirtualAddressSpace: 0x0002,
  FlushVirtualAddressList: 0x0003,
  NotifyLongSpinWait: 0x0008,
  CreatePartition: 0x0040,
  InitializePartition: 0x0041,
  FinalizePartition: 0x0042,
  DeletePartition: 0x0043,
  GetPartitionProperty: 0x0044,
  SetPartitionProperty: 0x0045,
  GetPartitionId: 0x0046,
  DepositMemory: 0x0048,
  WithdrawMemory: 0x0049,
  InstallIntercept: 0x004d,
  CreateVp: 0x004e,
  DeletePort: 0x0058,
  DisconnectPort: 0x005b,
  PostMessage: 0x005c,
  SignalEvent: 0x005d,
  // T: HvCallCreatePort.md / HvCallConnectPort.md — the current forms. 0x0057 and 0x0059 are the
  // V1 forms (HvCallCreatePortDeprecated / HvCallConnectPortDeprecated in Microsoft's Gen2 UEFI
  // header mu_msvm MsvmPkg/Include/Hv/HvGuestHypercall.h), not modelled: INVALID_HYPERCALL_CODE.
  CreatePort: 0x0095,
  ConnectPort: 0x0096,
} as const;

export type HvCallCodeValue = (typeof HvCallCode)[keyof typeof HvCallCode];

/** Static facts about one hypercall. */
export interface HypercallDescriptor {
  readonly code: HvCallCodeValue;
  readonly name: string;
  /** Rep call (a list of elements processed in order) or simple call. */
  readonly rep: boolean;
  /** Fixed input header, bytes (padded to 8). */
  readonly inputBytes: number;
  /** Bytes per input list element (rep calls). */
  readonly inputElementBytes: number;
  /** Fixed output, bytes. */
  readonly outputBytes: number;
  /** Bytes per output list element (rep calls). */
  readonly outputElementBytes: number;
  /**
   * Register-based calling convention allowed. T: hypercall-interface.md — for calls with two or
   * fewer input parameters (≤ 16 bytes) and no output. (XMM fast input is not modelled.)
   */
  readonly fastAllowed: boolean;
  /** Privilege the calling partition must hold, or null when every partition may call it. */
  readonly privilege: PrivilegeBit | null;
}

function simple(
  code: HvCallCodeValue,
  name: string,
  inputBytes: number,
  outputBytes: number,
  privilege: PrivilegeBit | null,
): HypercallDescriptor {
  return {
    code,
    name,
    rep: false,
    inputBytes,
    inputElementBytes: 0,
    outputBytes,
    outputElementBytes: 0,
    fastAllowed: inputBytes <= 16 && outputBytes === 0,
    privilege,
  };
}

function rep(
  code: HvCallCodeValue,
  name: string,
  sizes: { input: number; inputElement: number; outputElement: number },
  privilege: PrivilegeBit | null,
): HypercallDescriptor {
  return {
    code,
    name,
    rep: true,
    inputBytes: sizes.input,
    inputElementBytes: sizes.inputElement,
    outputBytes: 0,
    outputElementBytes: sizes.outputElement,
    fastAllowed: false,
    privilege,
  };
}

const C = HvCallCode;
const P = Privilege;

/** Every modelled hypercall, by code. Sizes from the TLFS input/output tables. */
export const HYPERCALLS: readonly HypercallDescriptor[] = [
  // AddressSpace, Flags, ProcessorMask (24 bytes); no privilege: any guest manages its own TLB.
  simple(C.FlushVirtualAddressSpace, 'HvCallFlushVirtualAddressSpace', 24, 0, null),
  rep(
    C.FlushVirtualAddressList,
    'HvCallFlushVirtualAddressList',
    { input: 24, inputElement: 8, outputElement: 0 },
    null,
  ),
  simple(C.NotifyLongSpinWait, 'HvCallNotifyLongSpinWait', 8, 0, null),
  // T: HvCallCreatePartition.md — AMD64 layout 56 bytes in, NewPartitionId 8 bytes out.
  simple(C.CreatePartition, 'HvCallCreatePartition', 56, 8, P.CreatePartitions),
  simple(C.InitializePartition, 'HvCallInitializePartition', 8, 0, P.CreatePartitions),
  simple(C.FinalizePartition, 'HvCallFinalizePartition', 8, 0, P.CreatePartitions),
  simple(C.DeletePartition, 'HvCallDeletePartition', 8, 0, P.CreatePartitions),
  simple(C.GetPartitionProperty, 'HvCallGetPartitionProperty', 16, 8, P.CreatePartitions),
  simple(C.SetPartitionProperty, 'HvCallSetPartitionProperty', 24, 0, P.CreatePartitions),
  simple(C.GetPartitionId, 'HvCallGetPartitionId', 0, 8, P.AccessPartitionId),
  // T: HvCallDepositMemory.md — PartitionId then one HV_GPA_PAGE_NUMBER per rep.
  rep(
    C.DepositMemory,
    'HvCallDepositMemory',
    { input: 8, inputElement: 8, outputElement: 0 },
    P.AccessMemoryPool,
  ),
  // T: HvCallWithdrawMemory.md — PartitionId, ProximityDomainInfo; one page number out per rep.
  rep(
    C.WithdrawMemory,
    'HvCallWithdrawMemory',
    { input: 16, inputElement: 0, outputElement: 8 },
    P.AccessMemoryPool,
  ),
  simple(C.InstallIntercept, 'HvCallInstallIntercept', 24, 0, P.CreatePartitions),
  simple(C.CreateVp, 'HvCallCreateVp', 40, 0, P.CreatePartitions),
  simple(C.DeletePort, 'HvCallDeletePort', 16, 0, P.CreatePort),
  simple(C.DisconnectPort, 'HvCallDisconnectPort', 16, 0, P.ConnectPort),
  // T: HvCallPostMessage.md — ConnectionId, RsvdZ, MessageType, PayloadSize, 240-byte payload.
  simple(C.PostMessage, 'HvCallPostMessage', 256, 0, P.PostMessages),
  // T: HvCallSignalEvent.md — ConnectionId, FlagNumber, RsvdZ (8 bytes; Linux uses the fast form).
  simple(C.SignalEvent, 'HvCallSignalEvent', 8, 0, P.SignalEvents),
  simple(C.CreatePort, 'HvCallCreatePort', 56, 0, P.CreatePort),
  simple(C.ConnectPort, 'HvCallConnectPort', 72, 0, P.ConnectPort),
];

const BY_CODE: (HypercallDescriptor | undefined)[] = [];
for (const d of HYPERCALLS) BY_CODE[d.code] = d;

/** The descriptor for a call code, or undefined when the code is not a modelled hypercall. */
export function hypercallDescriptor(code: number): HypercallDescriptor | undefined {
  return Number.isInteger(code) && code >= 0 && code < BY_CODE.length ? BY_CODE[code] : undefined;
}

/** `0x5c` → `HvCallPostMessage`. */
export function hypercallName(code: number): string {
  return hypercallDescriptor(code)?.name ?? `HvCall#0x${code.toString(16)}`;
}
