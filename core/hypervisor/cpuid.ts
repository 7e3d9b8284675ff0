/**
 * The hypervisor CPUID leaves a guest reads to discover Hyper-V (rule 27).
 * T: feature-discovery.md; leaf numbers in L: hvgdk_mini.h (HYPERV_CPUID_*).
 */
import { HOST_RELEASE_LIMITS, type HostOs } from '../model/index.js';
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
 * Bits of EAX of 0x40000004, "implementation recommendations" (T: feature-discovery.md; names
 * from L: hvgdk_mini.h HV_X64_ENLIGHTENMENT_INFORMATION). Each steers an enlightened guest to an
 * interface it then relies on: Linux and KVM treat the TLB-flush, cluster-IPI and
 * ex-processor-mask bits as the permission to make those hypercalls (L: arch/x86/hyperv/mmu.c,
 * irqdomain/hv_apic.c; arch/x86/kvm/hyperv.c hv_check_hypercall_access: "'recommended' is rather
 * a misnomer").
 */
export const HvRecommendation = {
  /** Bit 2: flush other VPs' TLBs with HvCallFlushVirtualAddressSpace/List, not IPIs. */
  RemoteTlbFlushByHypercall: 1 << 2,
  /** Bit 3: EOI, ICR and TPR through HV_X64_MSR_EOI/ICR/TPR (0x40000070–72, virtual-apic.ts). */
  ApicAccessByMsr: 1 << 3,
  /** Bit 5: relaxed timing — the guest disables its watchdog timeouts (no interface behind it). */
  RelaxedTiming: 1 << 5,
  /** Bit 10: send IPIs with HvCallSendSyntheticClusterIpi (0x000B). */
  ClusterIpiByHypercall: 1 << 10,
  /** Bit 11: use the HV_VP_SET forms, HvCallFlushVirtualAddressSpaceEx/ListEx (0x13/0x14), SendSyntheticClusterIpiEx (0x15). */
  ExProcessorMasks: 1 << 11,
} as const;
/**
 * What a real Hyper-V host reports in EAX of 0x40000004 (Linux dmesg "hints 0xc2c"): bits 2, 3,
 * 5, 10 and 11. No source gave a different value per host release, so the model uses this one for
 * 2016, 2019 and 2022.
 */
export const HV_HOST_REPORTED_RECOMMENDATIONS = 0xc2c;
/**
 * The recommendations the model can honour. Simplification: the model advertises only these, so
 * a guest that follows its hints never makes a call the hypervisor does not implement. It
 * implements the flush hypercalls (bit 2), the synthetic APIC MSRs (bit 3, virtual-apic.ts; L:
 * hv_apic.c installs hv_apic_eoi_write when it is set) and bit 5 needs nothing. It has no
 * HvCallSendSyntheticClusterIpi (bit 10) and none of the HV_VP_SET
 * "Ex" calls (bit 11): the dispatcher answers those with HV_STATUS_INVALID_HYPERCALL_CODE. A
 * guest without bit 11 can only name VPs 0–63 in a flush's processor mask; Linux then flushes a
 * larger VM (up to 1,024 VPs on Windows Server 2022) with HV_FLUSH_ALL_PROCESSORS or IPIs.
 */
export const MODELLED_RECOMMENDATIONS =
  HvRecommendation.RemoteTlbFlushByHypercall |
  HvRecommendation.ApicAccessByMsr |
  HvRecommendation.RelaxedTiming;
/** EAX of 0x40000004 on each host release: the real host's hints the model honours. */
export const HOST_RECOMMENDATIONS: Readonly<Record<HostOs, number>> = {
  ws2016: HV_HOST_REPORTED_RECOMMENDATIONS & MODELLED_RECOMMENDATIONS,
  ws2019: HV_HOST_REPORTED_RECOMMENDATIONS & MODELLED_RECOMMENDATIONS,
  ws2022: HV_HOST_REPORTED_RECOMMENDATIONS & MODELLED_RECOMMENDATIONS,
};
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
      return { eax: HOST_RECOMMENDATIONS[hostOs], ebx: HV_LONG_SPIN_WAIT_NEVER, ecx: 0, edx: 0 };
    case HvCpuidLeaf.ImplementationLimits: {
      // T: EAX the maximum virtual processors supported, EBX the maximum logical processors
      // supported (L: ms_hyperv.max_vp_index / max_lp_index) — the host release's (rule 40).
      const limits = HOST_RELEASE_LIMITS[hostOs];
      return {
        eax: limits.vpsPerVm,
        ebx: limits.logicalProcessors,
        ecx: 0,
        edx: 0,
      };
    }
    default:
      return ZERO;
  }
}
