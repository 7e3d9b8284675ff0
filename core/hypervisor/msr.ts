/**
 * Hyper-V synthetic MSRs and their field layouts.
 * T: hypercall-interface.md (guest OS ID, hypercall MSR), inter-partition-communication.md
 * (SynIC MSRs); numbers from L: include/hyperv/hvgdk_mini.h, O: hvdef.
 */
export const HvMsr = {
  GUEST_OS_ID: 0x40000000,
  HYPERCALL: 0x40000001,
  VP_INDEX: 0x40000002,
  /** The APIC's EOI register (AccessIntrCtrlRegs). L: hvgdk_mini.h HV_X64_MSR_EOI. */
  EOI: 0x40000070,
  /** The APIC's interrupt command register, xAPIC layout (AccessIntrCtrlRegs). */
  ICR: 0x40000071,
  /** The APIC's task priority register (AccessIntrCtrlRegs). */
  TPR: 0x40000072,
  SCONTROL: 0x40000080,
  SVERSION: 0x40000081,
  SIEFP: 0x40000082,
  SIMP: 0x40000083,
  EOM: 0x40000084,
  /** SINT0; SINTx is SINT0 + x for x in 0..15. */
  SINT0: 0x40000090,
  SINT15: 0x4000009f,
} as const;

/** HV_X64_MSR_HYPERCALL bit 0: enable the hypercall page. */
export const HYPERCALL_MSR_ENABLE = 1n;
/** HV_X64_MSR_HYPERCALL bit 1: locked until reset. */
export const HYPERCALL_MSR_LOCKED = 2n;
/** SCONTROL / SIMP / SIEFP bit 0: enable. */
export const SYNIC_ENABLE = 1n;
/** SINTx bit 16: masked. T: "the default value of all SINTx registers is 0x0000000000010000". */
export const SINT_MASKED = 1n << 16n;
/** SINTx bit 17: auto EOI. */
export const SINT_AUTO_EOI = 1n << 17n;
/** SINTx bit 18: polling (unmasked, but no interrupt is generated). */
export const SINT_POLLING = 1n << 18n;
/** SINTx reset value: masked, vector 0. */
export const SINT_RESET_VALUE = SINT_MASKED;
/** T/L: valid SINT vectors are 16–255 (HV_SYNIC_FIRST_VALID_VECTOR). */
export const SYNIC_FIRST_VALID_VECTOR = 16;
/** L: HV_SYNIC_VERSION_1, returned by SVERSION. */
export const HV_SYNIC_VERSION_1 = 1n;
/** Number of synthetic interrupt sources per VP. */
export const HV_SYNIC_SINT_COUNT = 16;
/** L: HV_SYNIC_INTERCEPTION_SINT_INDEX — intercept messages arrive on SINT0. */
export const HV_SYNIC_INTERCEPTION_SINT = 0;
/** L: VMBUS_MESSAGE_SINT — VMBus control messages use SINT2 (rule 10). */
export const VMBUS_MESSAGE_SINT = 2;
/** Page-number mask of the page-address MSRs (bits 63–12). */
export const PAGE_ADDRESS_MASK = ~0xfffn & 0xffff_ffff_ffff_ffffn;
