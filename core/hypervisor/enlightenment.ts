/**
 * The enlightened boot handshake (rule 27), per partition.
 * T: hypercall-interface.md "Establishing the Hypercall Interface": the guest checks CPUID
 * 0x40000000/0x40000001 ("Hv#1"), writes its identity to HV_X64_MSR_GUEST_OS_ID, then enables the
 * hypercall page through HV_X64_MSR_HYPERCALL. "If no guest OS identity has been specified,
 * attempts to enable the hypercall will fail. The enable bit will remain zero even if a one is
 * written to it. Furthermore, if the guest OS identity is cleared to zero after the hypercall
 * page has been enabled, it will become disabled." Both MSRs are partition-wide.
 */
import { HYPERCALL_MSR_ENABLE, HYPERCALL_MSR_LOCKED } from './msr.js';

/** The steps of the handshake, in order, as reported by {@link GuestEnlightenment.missingSteps}. */
export const EnlightenmentStep = {
  DetectHypervisor: 'read CPUID 0x40000001 and find the "Hv#1" interface signature',
  WriteGuestOsId: 'write a non-zero guest OS identity to HV_X64_MSR_GUEST_OS_ID (0x40000000)',
  EnableHypercallPage: 'enable the hypercall page through HV_X64_MSR_HYPERCALL (0x40000001)',
} as const;

/**
 * Where one partition's guest is in the handshake. The integrator asserts
 * {@link GuestEnlightenment.isEnlightened} before letting the guest contact VMBus.
 *
 * @example
 * if (!hv.partition(id).enlightenment.isEnlightened) {
 *   throw new Error(`not enlightened: ${hv.partition(id).enlightenment.missingSteps().join('; ')}`);
 * }
 */
export class GuestEnlightenment {
  /** The guest has read the hypervisor interface leaf (CPUID 0x40000001). */
  hypervisorDetected = false;
  /** The hypercall page is present: hypercalls may be made (otherwise they raise #UD). */
  hypercallPageEnabled = false;
  private osId = 0n;
  private hypercall = 0n;

  /** HV_X64_MSR_GUEST_OS_ID. */
  get guestOsId(): bigint {
    return this.osId;
  }

  /** HV_X64_MSR_HYPERCALL as the guest reads it back. */
  get hypercallMsr(): bigint {
    return this.hypercall;
  }

  /** Guest physical page number of the hypercall page. */
  get hypercallPageNumber(): bigint {
    return this.hypercall >> 12n;
  }

  writeGuestOsId(value: bigint): void {
    this.osId = BigInt.asUintN(64, value);
    if (this.osId === 0n) {
      this.hypercall &= ~HYPERCALL_MSR_ENABLE;
      this.hypercallPageEnabled = false;
    }
  }

  writeHypercallMsr(value: bigint): void {
    // T: "Locked … Once set, only a system reset can clear the bit." Writes are then ignored.
    if ((this.hypercall & HYPERCALL_MSR_LOCKED) !== 0n) return;
    let v = BigInt.asUintN(64, value);
    if (this.osId === 0n) v &= ~HYPERCALL_MSR_ENABLE;
    this.hypercall = v;
    this.hypercallPageEnabled = (v & HYPERCALL_MSR_ENABLE) !== 0n;
  }

  /** All three steps done: the guest can make hypercalls and use SynIC-based VMBus. */
  get isEnlightened(): boolean {
    return this.hypervisorDetected && this.osId !== 0n && this.hypercallPageEnabled;
  }

  /** The steps still missing, in handshake order (empty when enlightened). */
  missingSteps(): string[] {
    const missing: string[] = [];
    if (!this.hypervisorDetected) missing.push(EnlightenmentStep.DetectHypervisor);
    if (this.osId === 0n) missing.push(EnlightenmentStep.WriteGuestOsId);
    if (!this.hypercallPageEnabled) missing.push(EnlightenmentStep.EnableHypercallPage);
    return missing;
  }
}
