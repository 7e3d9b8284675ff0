/**
 * HV_PARTITION_PRIVILEGE_MASK (rule 25): which synthetic MSRs and hypercalls a partition may use.
 * T: datatypes/hv_partition_privilege_mask.md; bit positions also in L: hvgdk_mini.h and
 * O: hvdef HvPartitionPrivilege. The low 32 bits (MSR access) appear in CPUID 0x40000003.EAX,
 * the high 32 bits (hypercall access) in EBX.
 */

/** Bit index (0–63) of each privilege in the 64-bit mask. */
export const Privilege = {
  // Access to virtual MSRs (bits 0–31, CPUID 0x40000003.EAX)
  AccessVpRunTimeReg: 0,
  AccessPartitionReferenceCounter: 1,
  AccessSynicRegs: 2,
  AccessSyntheticTimerRegs: 3,
  AccessIntrCtrlRegs: 4,
  AccessHypercallMsrs: 5,
  AccessVpIndex: 6,
  AccessResetReg: 7,
  AccessStatsReg: 8,
  AccessPartitionReferenceTsc: 9,
  AccessGuestIdleReg: 10,
  AccessFrequencyRegs: 11,
  AccessDebugRegs: 12,
  AccessReenlightenmentControls: 13,
  AccessRootSchedulerReg: 14,
  AccessTscInvariantControls: 15,
  // Access to hypercalls (bits 32–63, CPUID 0x40000003.EBX)
  CreatePartitions: 32,
  AccessPartitionId: 33,
  AccessMemoryPool: 34,
  AdjustMessageBuffers: 35,
  PostMessages: 36,
  SignalEvents: 37,
  CreatePort: 38,
  ConnectPort: 39,
  AccessStats: 40,
  Debugging: 43,
  CpuManagement: 44,
  ConfigureProfiler: 45,
  AccessVpExitTracing: 46,
  EnableExtendedGvaRangesForFlushVirtualAddressList: 47,
  AccessVsm: 48,
  AccessVpRegisters: 49,
  FastHypercallOutput: 51,
  EnableExtendedHypercalls: 52,
  StartVirtualProcessor: 53,
  Isolation: 54,
} as const;

/** A privilege bit index. */
export type PrivilegeBit = (typeof Privilege)[keyof typeof Privilege];

/** One row of the privilege table, for the UI. */
export interface PrivilegeInfo {
  readonly name: keyof typeof Privilege;
  readonly bit: PrivilegeBit;
  readonly description: string;
}

const DESCRIPTIONS: Record<keyof typeof Privilege, string> = {
  AccessVpRunTimeReg: 'HV_X64_MSR_VP_RUNTIME',
  AccessPartitionReferenceCounter: 'HV_X64_MSR_TIME_REF_COUNT (partition reference counter)',
  AccessSynicRegs: 'SynIC MSRs: SCONTROL..EOM and SINT0..SINT15',
  AccessSyntheticTimerRegs: 'synthetic timer MSRs STIMER0..3',
  AccessIntrCtrlRegs: 'APIC MSRs EOI, ICR, TPR',
  AccessHypercallMsrs: 'HV_X64_MSR_GUEST_OS_ID and HV_X64_MSR_HYPERCALL',
  AccessVpIndex: 'HV_X64_MSR_VP_INDEX',
  AccessResetReg: 'the system reset MSR',
  AccessStatsReg: 'statistics page MSRs',
  AccessPartitionReferenceTsc: 'reference TSC page',
  AccessGuestIdleReg: 'guest idle MSR',
  AccessFrequencyRegs: 'TSC and APIC frequency MSRs',
  AccessDebugRegs: 'debug MSRs',
  AccessReenlightenmentControls: 'reenlightenment controls',
  AccessRootSchedulerReg: 'root scheduler MSR',
  AccessTscInvariantControls: 'TSC invariant controls',
  CreatePartitions: 'HvCallCreatePartition and every call that acts on a child partition',
  AccessPartitionId: 'HvCallGetPartitionId',
  AccessMemoryPool: 'HvCallDepositMemory, HvCallWithdrawMemory, HvCallGetMemoryBalance',
  AdjustMessageBuffers: 'adjust message buffers',
  PostMessages: 'HvCallPostMessage',
  SignalEvents: 'HvCallSignalEvent',
  CreatePort: 'HvCallCreatePort (and HvCallDeletePort)',
  ConnectPort: 'HvCallConnectPort (and HvCallDisconnectPort)',
  AccessStats: 'HvCallMapStatsPage, HvCallUnmapStatsPage',
  Debugging: 'HvCallPostDebugData, HvCallRetrieveDebugData, HvCallResetDebugSession',
  CpuManagement: 'CPU management hypercalls',
  ConfigureProfiler: 'profiler configuration',
  AccessVpExitTracing: 'VP exit tracing',
  EnableExtendedGvaRangesForFlushVirtualAddressList: 'extended GVA ranges in flush calls',
  AccessVsm: 'Virtual Secure Mode',
  AccessVpRegisters: 'HvCallGetVpRegisters, HvCallSetVpRegisters',
  FastHypercallOutput: 'hypercall output in XMM registers',
  EnableExtendedHypercalls: 'the extended hypercall interface (codes ≥ 0x8001)',
  StartVirtualProcessor: 'HvCallStartVirtualProcessor',
  Isolation: 'isolation (SNP/TDX/VBS) controls',
};

/** Every privilege with its bit and what it grants, ordered by bit (for the UI). */
export const PARTITION_PRIVILEGES: readonly PrivilegeInfo[] = (
  Object.keys(Privilege) as (keyof typeof Privilege)[]
)
  .map((name) => ({ name, bit: Privilege[name], description: DESCRIPTIONS[name] }))
  .sort((a, b) => a.bit - b.bit);

/**
 * An immutable 64-bit privilege mask held as two unsigned 32-bit halves, so the hot-path test
 * (`has`) is two integer operations and allocates nothing.
 *
 * @example
 * const mask = PrivilegeMask.fromBits([Privilege.PostMessages, Privilege.SignalEvents]);
 * mask.has(Privilege.PostMessages); // true
 * mask.toBigInt().toString(16);     // '3000000000'
 */
export class PrivilegeMask {
  private constructor(
    /** Bits 31–0: CPUID 0x40000003.EAX. */
    readonly low: number,
    /** Bits 63–32: CPUID 0x40000003.EBX. */
    readonly high: number,
  ) {}

  static of(low: number, high: number): PrivilegeMask {
    return new PrivilegeMask(low >>> 0, high >>> 0);
  }

  static fromBits(bits: readonly number[]): PrivilegeMask {
    let low = 0;
    let high = 0;
    for (const bit of bits) {
      if (bit < 32) low |= 1 << bit;
      else high |= 1 << (bit - 32);
    }
    return PrivilegeMask.of(low, high);
  }

  static fromBigInt(value: bigint): PrivilegeMask {
    const v = BigInt.asUintN(64, value);
    return PrivilegeMask.of(Number(v & 0xffffffffn), Number(v >> 32n));
  }

  has(bit: number): boolean {
    return bit < 32 ? ((this.low >>> bit) & 1) === 1 : ((this.high >>> (bit - 32)) & 1) === 1;
  }

  with(bit: number): PrivilegeMask {
    return bit < 32
      ? PrivilegeMask.of(this.low | (1 << bit), this.high)
      : PrivilegeMask.of(this.low, this.high | (1 << (bit - 32)));
  }

  without(bit: number): PrivilegeMask {
    return bit < 32
      ? PrivilegeMask.of(this.low & ~(1 << bit), this.high)
      : PrivilegeMask.of(this.low, this.high & ~(1 << (bit - 32)));
  }

  toBigInt(): bigint {
    return (BigInt(this.high) << 32n) | BigInt(this.low);
  }

  /** Names of the known privileges set in this mask, by bit order. */
  names(): string[] {
    return PARTITION_PRIVILEGES.filter((p) => this.has(p.bit)).map((p) => p.name);
  }
}

/**
 * What an ordinary Hyper-V guest gets: the mask a Linux guest reports at boot on a Hyper-V host
 * (dmesg "Hyper-V: privilege flags low 0x2e7f, high 0x3b8030", host build 19041). Notably it has
 * PostMessages and SignalEvents but not CreatePartitions, AccessPartitionId, AccessMemoryPool,
 * CreatePort or ConnectPort.
 */
export const DEFAULT_CHILD_PRIVILEGES = PrivilegeMask.of(0x2e7f, 0x3b8030);

/**
 * The root partition's mask. estimate: the TLFS publishes no value for it; the model gives the
 * root every privilege defined above (all management privileges: CreatePartitions,
 * AccessMemoryPool, CreatePort, ConnectPort, AccessPartitionId, …), which is what rule 25
 * requires.
 */
export const ROOT_PRIVILEGES = PrivilegeMask.fromBits(PARTITION_PRIVILEGES.map((p) => p.bit));
