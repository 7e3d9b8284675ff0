/**
 * What an enlightened guest kernel does at boot to reach the hypervisor (rule 27), as a script
 * over the hypervisor's CPUID/MSR entry points: the steps of T: hypercall-interface.md
 * "Establishing the Hypercall Interface", then the SynIC setup Linux's hv_synic_enable_regs
 * performs per CPU (SIMP, SIEFP, SINTx, SCONTROL). Used for the root at construction and by the
 * integrator for child guests.
 */
import type { Ns } from '../engine/index.js';
import {
  HOST_BUILD_NUMBER,
  HV_INTERFACE_SIGNATURE,
  HV_MAX_CPUID_LEAF,
  HvCpuidLeaf,
} from './cpuid.js';
import {
  HYPERCALL_MSR_ENABLE,
  HvMsr,
  HV_SYNIC_INTERCEPTION_SINT,
  SINT_AUTO_EOI,
  SYNIC_ENABLE,
  VMBUS_MESSAGE_SINT,
} from './msr.js';
import type { Hypervisor } from './hypervisor.js';
import { Privilege } from './privileges.js';

/**
 * HV_X64_MSR_GUEST_OS_ID of a Windows 10.0 build (T: proprietary encoding — vendor Microsoft
 * 0x0001 in bits 62–48, OS id 4 "Windows NT" in 47–40, version 10.0, build number in 15–0).
 */
export function windowsGuestOsId(build: number): bigint {
  return (0x0001n << 48n) | (4n << 40n) | (10n << 32n) | BigInt(build & 0xffff);
}
/** HV_X64_MSR_GUEST_OS_ID of Windows Server 2016 (build 14393). */
export const WINDOWS_SERVER_2016_GUEST_OS_ID = windowsGuestOsId(HOST_BUILD_NUMBER.ws2016);
/** T: open-source encoding — bit 63 open source, OS type 0x1 Linux in 62–56, version 6.1.0 in 47–16. */
export const LINUX_6_1_GUEST_OS_ID = (1n << 63n) | (0x1n << 56n) | (0x060100n << 16n);
/** L: hvgdk_mini.h HV_MSR_SYNIC_AVAILABLE — CPUID 0x40000003 EAX bit 2 (AccessSynicRegs). */
const HV_MSR_SYNIC_AVAILABLE = 1 << Privilege.AccessSynicRegs;
/** L: arch/x86/include/asm/irq_vectors.h HYPERVISOR_CALLBACK_VECTOR (Linux's VMBus vector). */
export const HYPERVISOR_CALLBACK_VECTOR = 0xf3;
/**
 * Linux unmasks its VMBus SINT with auto-EOI unless 0x40000004 recommends against it (bit 9,
 * HV_DEPRECATING_AEOI_RECOMMENDED, which neither a real host's 0xc2c nor the model sets).
 * L: drivers/hv/hv.c hv_synic_enable_regs "shared_sint.auto_eoi = hv_recommend_using_aeoi()".
 * So a Linux guest's VMBus interrupt needs no EOI write, even with the HV_X64_MSR_EOI hint.
 */
export const LINUX_VMBUS_SINT_AUTO_EOI = true;

export interface GuestBootOptions {
  readonly guestOsId: bigint;
  /** Guest page number of the hypercall page. */
  readonly hypercallPageNumber: bigint;
  /**
   * SINTs to unmask on every VP, with their vector (16–255) and whether the guest asks for
   * auto-EOI (SINTx bit 17: the hypervisor ends the interrupt itself, no EOI write follows).
   */
  readonly sints: readonly {
    readonly sint: number;
    readonly vector: number;
    readonly autoEoi?: boolean;
  }[];
  /** Page number of VP 0's SIM page; VP n uses base + 2n for the SIM, base + 2n + 1 for the SIEF. */
  readonly synicPageBase: bigint;
  /** VPs to set up (default: every VP of the partition). */
  readonly vpIndices?: readonly number[];
}

export interface GuestBootResult {
  readonly ok: boolean;
  /** CPU time the boot steps took, by VP index (charge each to its VP). */
  readonly costNsByVp: ReadonlyMap<number, Ns>;
  /** The first step that failed. */
  readonly failure?: string;
}

/**
 * Runs the handshake on VP 0 (or the first listed VP) and SynIC setup on every listed VP.
 *
 * @example
 * const r = enlightenedBoot(hv, childId, {
 *   guestOsId: LINUX_6_1_GUEST_OS_ID, hypercallPageNumber: 0x1000n, synicPageBase: 0x2000n,
 *   sints: [{ sint: VMBUS_MESSAGE_SINT, vector: HYPERVISOR_CALLBACK_VECTOR }],
 * });
 * // r.ok, and hv.partition(childId)?.enlightenment.isEnlightened === true
 */
export function enlightenedBoot(
  hv: Hypervisor,
  partitionId: number,
  options: GuestBootOptions,
): GuestBootResult {
  const partition = hv.partition(partitionId);
  const vps = options.vpIndices ?? partition?.virtualProcessors().map((vp) => vp.index) ?? [];
  const cost = new Map<number, Ns>();
  const charge = (vp: number, ns: Ns): void => {
    cost.set(vp, (cost.get(vp) ?? 0) + ns);
  };
  const failed = (failure: string): GuestBootResult => ({ ok: false, costNsByVp: cost, failure });
  if (vps.length === 0) return failed('the partition has no VPs');
  const bsp = vps[0];

  // Steps 1–2: CPUID 0x40000000 (max leaf ≥ 0x40000005) and 0x40000001 ("Hv#1").
  const vendor = hv.cpuid(partitionId, bsp, HvCpuidLeaf.VendorAndMaxFunction);
  charge(bsp, vendor.costNs);
  const iface = hv.cpuid(partitionId, bsp, HvCpuidLeaf.Interface);
  charge(bsp, iface.costNs);
  if (vendor.eax < HV_MAX_CPUID_LEAF || iface.eax !== HV_INTERFACE_SIGNATURE) {
    return failed('no Hv#1 hypervisor interface');
  }
  // Step 3: guest OS identity, if the register is still zero.
  const osId = hv.readMsr(partitionId, bsp, HvMsr.GUEST_OS_ID);
  charge(bsp, osId.costNs);
  if (!osId.ok) return failed('HV_X64_MSR_GUEST_OS_ID raised #GP');
  if (osId.value === 0n) {
    const w = hv.writeMsr(partitionId, bsp, HvMsr.GUEST_OS_ID, options.guestOsId);
    charge(bsp, w.costNs);
    if (!w.ok) return failed('writing HV_X64_MSR_GUEST_OS_ID raised #GP');
  }
  // Steps 4–7: enable the hypercall page unless it already is.
  const hc = hv.readMsr(partitionId, bsp, HvMsr.HYPERCALL);
  charge(bsp, hc.costNs);
  if (!hc.ok) return failed('HV_X64_MSR_HYPERCALL raised #GP');
  if ((hc.value & HYPERCALL_MSR_ENABLE) === 0n) {
    const value = (options.hypercallPageNumber << 12n) | HYPERCALL_MSR_ENABLE;
    const w = hv.writeMsr(partitionId, bsp, HvMsr.HYPERCALL, value);
    charge(bsp, w.costNs);
    if (!w.ok) return failed('writing HV_X64_MSR_HYPERCALL raised #GP');
  }
  // Step 9: "consults CPUID leaf 0x40000003 to determine which hypervisor facilities are
  // available" — the SynIC is set up only if EAX says its MSRs are.
  const features = hv.cpuid(partitionId, bsp, HvCpuidLeaf.Features);
  charge(bsp, features.costNs);
  if ((features.eax & HV_MSR_SYNIC_AVAILABLE) === 0) {
    return failed('CPUID 0x40000003 EAX: no SynIC MSRs (HV_MSR_SYNIC_AVAILABLE clear)');
  }

  for (const [n, vp] of vps.entries()) {
    const simp = ((options.synicPageBase + 2n * BigInt(n)) << 12n) | SYNIC_ENABLE;
    const siefp = ((options.synicPageBase + 2n * BigInt(n) + 1n) << 12n) | SYNIC_ENABLE;
    const writes: [number, bigint][] = [
      [HvMsr.SIMP, simp],
      [HvMsr.SIEFP, siefp],
      ...options.sints.map((s): [number, bigint] => [
        HvMsr.SINT0 + s.sint,
        BigInt(s.vector & 0xff) | (s.autoEoi === true ? SINT_AUTO_EOI : 0n),
      ]),
      [HvMsr.SCONTROL, SYNIC_ENABLE],
    ];
    for (const [msr, value] of writes) {
      const w = hv.writeMsr(partitionId, vp, msr, value);
      charge(vp, w.costNs);
      if (!w.ok) return failed(`VP ${vp}: writing MSR 0x${msr.toString(16)} raised #GP`);
    }
  }
  return { ok: true, costNsByVp: cost };
}

/**
 * The root OS's boot: the identity of the host's Windows Server release, SynIC on every root VP
 * with SINT0 (intercept messages) and SINT2 (VMBus) unmasked.
 */
export function bootRootPartition(hv: Hypervisor): GuestBootResult {
  return enlightenedBoot(hv, hv.root.id, {
    guestOsId: windowsGuestOsId(HOST_BUILD_NUMBER[hv.hostOs]),
    hypercallPageNumber: 0x10n,
    synicPageBase: 0x100n,
    sints: [
      { sint: HV_SYNIC_INTERCEPTION_SINT, vector: HYPERVISOR_CALLBACK_VECTOR },
      { sint: VMBUS_MESSAGE_SINT, vector: HYPERVISOR_CALLBACK_VECTOR },
    ],
  });
}
