/**
 * The hypervisor CPUID leaves a guest reads to discover Hyper-V (rule 27).
 * T: feature-discovery.md; leaf numbers in L: hvgdk_mini.h (HYPERV_CPUID_*).
 */
import { HostLimits } from './limits.js';
import type { PrivilegeMask } from './privileges.js';

export const HvCpuidLeaf = {
  /** Standard leaf 1: ECX bit 31 is the "hypervisor present" bit. */
  VersionAndFeatures: 0x00000001,
  VendorAndMaxFunction: 0x40000000,
  Interface: 0x40000001,
  Version: 0x40000002,
  Features: 0x40000003,
  EnlightenmentInfo: 0x40000004,
  ImplementationLimits: 0x40000005,
} as const;

/** T: "Micr" "osof" "t Hv" in EBX, ECX, EDX of leaf 0x40000000. */
export const HV_VENDOR_EBX = 0x7263694d;
export const HV_VENDOR_ECX = 0x666f736f;
export const HV_VENDOR_EDX = 0x76482074;
/** T: "Hv#1" in EAX of leaf 0x40000001. */
export const HV_INTERFACE_SIGNATURE = 0x31237648;
/** T: "On Microsoft hypervisors, this will be at least 0x40000005" — the highest leaf modelled. */
export const HV_MAX_CPUID_LEAF = 0x40000005;
/** The host version the model reports: Windows Server 2016 (10.0.14393), the rule-40 release. */
export const HV_BUILD_NUMBER = 14393;
export const HV_VERSION_MAJOR = 10;
export const HV_VERSION_MINOR = 0;
/**
 * Implementation recommendations (EAX of 0x40000004) as a Hyper-V host reports them (Linux dmesg
 * "hints 0xc2c"): bit 2 remote TLB flush by hypercall, 3 APIC MSRs, 5 relaxed timing,
 * 10 synthetic cluster IPI, 11 extended processor masks.
 */
export const HV_RECOMMENDATIONS = 0xc2c;
/**
 * EBX of 0x40000004: spinlock retries before HvCallNotifyLongSpinWait (T: "0xFFFFFFFF indicates
 * never notify"). estimate: the count a real host reports is not published; the model says never.
 */
export const HV_LONG_SPIN_WAIT_NEVER = 0xffffffff;

/** The four registers CPUID returns. */
export interface CpuidRegisters {
  readonly eax: number;
  readonly ebx: number;
  readonly ecx: number;
  readonly edx: number;
}

const ZERO: CpuidRegisters = { eax: 0, ebx: 0, ecx: 0, edx: 0 };

/** Registers for a leaf, as seen by a partition with `privileges`. Unmodelled leaves read zero. */
export function hypervisorCpuid(leaf: number, privileges: PrivilegeMask): CpuidRegisters {
  switch (leaf) {
    case HvCpuidLeaf.VersionAndFeatures:
      // Only the hypervisor-present bit is modelled; the other bits belong to the hardware.
      return { eax: 0, ebx: 0, ecx: 0x80000000, edx: 0 };
    case HvCpuidLeaf.VendorAndMaxFunction:
      return { eax: HV_MAX_CPUID_LEAF, ebx: HV_VENDOR_EBX, ecx: HV_VENDOR_ECX, edx: HV_VENDOR_EDX };
    case HvCpuidLeaf.Interface:
      return { eax: HV_INTERFACE_SIGNATURE, ebx: 0, ecx: 0, edx: 0 };
    case HvCpuidLeaf.Version:
      return {
        eax: HV_BUILD_NUMBER,
        ebx: ((HV_VERSION_MAJOR << 16) | HV_VERSION_MINOR) >>> 0,
        ecx: 0,
        edx: 0,
      };
    case HvCpuidLeaf.Features:
      // T: "EAX … Corresponds to bits 31-0 of HV_PARTITION_PRIVILEGE_MASK; EBX … bits 63-32".
      return { eax: privileges.low, ebx: privileges.high, ecx: 0, edx: 0 };
    case HvCpuidLeaf.EnlightenmentInfo:
      return { eax: HV_RECOMMENDATIONS, ebx: HV_LONG_SPIN_WAIT_NEVER, ecx: 0, edx: 0 };
    case HvCpuidLeaf.ImplementationLimits:
      // EAX: maximum virtual processors supported; EBX: maximum logical processors supported.
      return {
        eax: HostLimits.maxVirtualProcessorsPerPartition,
        ebx: HostLimits.maxLogicalProcessors,
        ecx: 0,
        edx: 0,
      };
    default:
      return ZERO;
  }
}
