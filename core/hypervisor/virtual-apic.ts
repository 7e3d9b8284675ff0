/**
 * The part of a VP's virtual local APIC the synthetic APIC MSRs reach (rules 26–27):
 * HV_X64_MSR_EOI (0x40000070), HV_X64_MSR_ICR (0x40000071) and HV_X64_MSR_TPR (0x40000072),
 * available when the partition holds AccessIntrCtrlRegs (privilege bit 4, CPUID 0x40000003 EAX
 * bit 4, L: hvgdk_mini.h HV_MSR_APIC_ACCESS_AVAILABLE). T: feature-discovery.md and the
 * 0x40000004 hint bit 3 "use MSRs for accessing APIC registers EOI, ICR and TPR". Each MSR is the
 * xAPIC register of the same name: L: arch/x86/hyperv/hv_apic.c hv_apic_eoi_write,
 * hv_apic_icr_write (the 32-bit destination field above the 32-bit low half), hv_apic_read/write
 * (APIC_EOI, APIC_TASKPRI); KVM maps them the same way (arch/x86/kvm/hyperv.c
 * kvm_hv_vapic_msr_write to APIC_EOI, APIC_ICR, APIC_TASKPRI).
 *
 * Simplifications, stated rather than hidden: the model does not arbitrate priorities — the TPR
 * is stored and read back but holds no interrupt back, and a vector in service does not block
 * lower ones; the model's guests run no handler for a vector other than their SINTs', so an IPI
 * stays requested (IRR) on its target.
 */

/** Vectors of an x86 APIC. */
const VECTORS = 256;
/** Intel SDM 10.8.3.1: TPR bits 7:0 (task-priority class 7:4, sub-class 3:0); the rest reserved. */
export const APIC_TPR_MASK = 0xffn;
/** Intel SDM 10.6.1: ICR bits 7:0 vector, 10:8 delivery mode, 19:18 destination shorthand. */
export const IcrShorthand = { None: 0, Self: 1, AllIncludingSelf: 2, AllExcludingSelf: 3 } as const;
/** Intel SDM 10.6.1: delivery mode 000 Fixed — the only IPI that delivers a vector. */
export const ICR_DELIVERY_FIXED = 0;
/** Intel SDM 10.6.1: ICR bit 12, delivery status (0 idle): the model sends at once. */
export const ICR_DELIVERY_STATUS = 1n << 12n;

/** An IPI decoded from an ICR write: who gets which vector. */
export interface IcrIpi {
  readonly vector: number;
  /** Fixed delivery mode (a vector is delivered); NMI, INIT, SIPI etc. are not modelled. */
  readonly fixed: boolean;
  readonly shorthand: number;
  /** xAPIC destination field (ICR bits 63:56), the target's APIC id when shorthand is None. */
  readonly destination: number;
}

/** Decodes an xAPIC-layout ICR value (L: hv_apic_icr_write puts SET_XAPIC_DEST_FIELD(id) << 32). */
export function decodeIcr(value: bigint): IcrIpi {
  const low = Number(value & 0xffff_ffffn);
  return {
    vector: low & 0xff,
    fixed: ((low >>> 8) & 0x7) === ICR_DELIVERY_FIXED,
    shorthand: (low >>> 18) & 0x3,
    destination: Number((value >> 56n) & 0xffn),
  };
}

/** One 256-bit APIC register (IRR or ISR): bit v is vector v. */
class VectorBitmap {
  private readonly words = new Uint32Array(VECTORS / 32);

  set(vector: number): void {
    this.words[vector >>> 5] |= 1 << (vector & 31);
  }

  has(vector: number): boolean {
    return (this.words[vector >>> 5] & (1 << (vector & 31))) !== 0;
  }

  /** Clears and returns the highest set vector (the highest priority), or -1. */
  clearHighest(): number {
    for (let w = this.words.length - 1; w >= 0; w--) {
      const word = this.words[w];
      if (word === 0) continue;
      const bit = 31 - Math.clz32(word);
      this.words[w] = word & ~(1 << bit);
      return w * 32 + bit;
    }
    return -1;
  }
}

/**
 * The virtual APIC registers of one VP that the synthetic MSRs expose.
 *
 * @example
 * const apic = new VirtualApic();
 * apic.accept(0xf3);           // a SINT interrupt without auto-EOI goes in service
 * apic.endOfInterrupt();       // 0xf3: WRMSR HV_X64_MSR_EOI ends it
 */
export class VirtualApic {
  private tpr = 0n;
  private icr = 0n;
  /** Interrupt request register: vectors sent to this VP and not yet taken. */
  private readonly requested = new VectorBitmap();
  /** In-service register: vectors taken and not yet ended by an EOI. */
  private readonly inService = new VectorBitmap();

  /** HV_X64_MSR_TPR as read back. */
  get taskPriority(): bigint {
    return this.tpr;
  }

  /** HV_X64_MSR_ICR as read back: the last command, delivery status idle. */
  get interruptCommand(): bigint {
    return this.icr;
  }

  /** Stores the task priority; KVM's APIC_TASKPRI write keeps bits 7:0 (reserved bits ignored). */
  writeTaskPriority(value: bigint): void {
    this.tpr = value & APIC_TPR_MASK;
  }

  /** Latches an ICR write (the IPI it names is sent by the hypervisor). */
  writeInterruptCommand(value: bigint): void {
    this.icr = BigInt.asUintN(64, value) & ~ICR_DELIVERY_STATUS;
  }

  /** An interrupt delivered to and taken by the VP: its vector goes in service. */
  accept(vector: number): void {
    this.inService.set(vector & 0xff);
  }

  /** An IPI arrives: its vector is requested (IRR). */
  request(vector: number): void {
    this.requested.set(vector & 0xff);
  }

  isInService(vector: number): boolean {
    return this.inService.has(vector & 0xff);
  }

  isRequested(vector: number): boolean {
    return this.requested.has(vector & 0xff);
  }

  /**
   * EOI: ends the highest-priority interrupt in service (Intel SDM 10.8.5: "the EOI … causes the
   * local APIC to clear the highest priority bit in the ISR"). Returns its vector, or -1 when
   * nothing was in service.
   */
  endOfInterrupt(): number {
    return this.inService.clearHighest();
  }
}
