/**
 * The hypervisor CPUID leaves a guest reads to discover Hyper-V (rule 27).
 * T: feature-discovery.md; leaf numbers in L: hvgdk_mini.h (HYPERV_CPUID_*).
 */
import type { HostOs } from '../model/index.js';
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
/**
 * EAX of 0x40000002: the build of the host's Windows Server release, which the hypervisor reports
 * as its own (Linux prints it as "Hyper-V Host Build:17763-10.0-0-0.737"). WS: release information
 * — Windows Server 2016 is 10.0.14393, 2019 is 10.0.17763, 2022 is 10.0.20348.
 */
export const HOST_BUILD_NUMBER: Readonly<Record<HostOs, number>> = {
  ws2016: 14393,
  ws2019: 17763,
  ws2022: 20348,
};
/** EBX of 0x40000002: major.minor 10.0 on all three releases (the "-10.0-" of that Linux line). */
export const HV_VERSION_MAJOR = 10;
export const HV_VERSION_MINOR = 0;
/**
 * EDX bits of 0x40000003 ("HV_X64_HYPERVISOR_FEATURES" EDX). T: feature-discovery.md; bits 0–15
 * and 19 also in L: hvgdk_mini.h (HV_X64_* / HV_FEATURE_*), which has no name for 17 and 18.
 * Only features the model implements are listed: it has no XMM hypercall input/output (bits 4,
 * 15), guest idle (5), frequency (8), crash (10) or debug (11) MSRs, nor synthetic timers (19).
 */
export const HvFeatureEdx = {
  /** T: bit 17 "SintPollingModeAvailable" — SINTx.Polling, modelled by the SynIC (synic.ts). */
  SintPollingModeAvailable: 1 << 17,
  /** T: bit 18 "HypercallMsrLockAvailable" — HV_X64_MSR_HYPERCALL.Locked (enlightenment.ts). */
  HypercallMsrLockAvailable: 1 << 18,
} as const;
/**
 * EDX of 0x40000003 per host: the modelled features each release has. Both bits are already in
 * the _HV_X64_HYPERVISOR_FEATURES type of the Windows 10 1607 kernel (= Server 2016, build 14393;
 * symbol dump in ntdiff/headers Win10_1607_RS1); a Linux guest on a Server 2019 host (17763)
 * prints "misc 0xbed7b2", which has both set, as do hosts of builds 19041 and 22000 on either
 * side of 20348. No dmesg of a 2016 or 2022 host was found: those two rows rest on the type and
 * the neighbouring builds.
 */
export const HOST_FEATURES_EDX: Readonly<Record<HostOs, number>> = {
  ws2016: HvFeatureEdx.SintPollingModeAvailable | HvFeatureEdx.HypercallMsrLockAvailable,
  ws2019: HvFeatureEdx.SintPollingModeAvailable | HvFeatureEdx.HypercallMsrLockAvailable,
  ws2022: HvFeatureEdx.SintPollingModeAvailable | HvFeatureEdx.HypercallMsrLockAvailable,
};
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

/**
 * Registers for a leaf, as seen by a partition with `privileges` on a `hostOs` host. Unmodelled
 * leaves read zero.
 *
 * @example
 * hypervisorCpuid(HvCpuidLeaf.Version, DEFAULT_CHILD_PRIVILEGES, 'ws2022').eax; // 20348
 */
export function hypervisorCpuid(
  leaf: number,
  privileges: PrivilegeMask,
  hostOs: HostOs,
): CpuidRegisters {
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
        eax: HOST_BUILD_NUMBER[hostOs],
        ebx: ((HV_VERSION_MAJOR << 16) | HV_VERSION_MINOR) >>> 0,
        ecx: 0,
        edx: 0,
      };
    case HvCpuidLeaf.Features:
      // T: "EAX … Corresponds to bits 31-0 of HV_PARTITION_PRIVILEGE_MASK; EBX … bits 63-32".
      // ECX (power management: MaxSupportedCState, T now says "Reserved") stays 0: no C-states.
      return {
        eax: privileges.low,
        ebx: privileges.high,
        ecx: 0,
        edx: HOST_FEATURES_EDX[hostOs],
      };
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
