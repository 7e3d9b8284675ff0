/**
 * The hypervisor: the partition table with its root, and the entry points a VP reaches the
 * hypervisor through — hypercalls, CPUID, synthetic MSRs, I/O port exits — plus the root-side
 * completion of intercepts. Every entry point returns the CPU cost to charge to the calling VP;
 * side effects on other VPs leave through {@link SynicInterruptSink} and {@link VpControl}.
 */
import { inject, injectable } from 'inversify';
import type { Ns } from '../engine/index.js';
import {
  ConfigurationError,
  describeValue,
  HOST_RELEASE_LIMITS,
  HostOsSchema,
  releaseAllows,
  type HostOs,
  type HostReleaseLimits,
  type InputIssue,
} from '../model/index.js';
import type { PartitionCountersSnapshot } from './counters.js';
import { hypercallName } from './call-codes.js';
import {
  APIC_EOI_SCAN_COST_NS,
  CPUID_COST_NS,
  INTERCEPT_COMPLETION_COST_NS,
  INTERCEPT_DELIVERY_COST_NS,
  MESSAGE_DELIVERY_COST_NS,
  MSR_ACCESS_COST_NS,
  UNCLAIMED_IO_COST_NS,
} from './costs.js';
import { HvCpuidLeaf, hypervisorCpuid, type CpuidRegisters } from './cpuid.js';
import { HypervisorUsageError } from './errors.js';
import { bootRootPartition } from './guest-boot.js';
import type { HvContext } from './hv-context.js';
import { HypercallDispatcher } from './hypercall-dispatcher.js';
import type { HypercallRequest, HypercallResult } from './hypercall-types.js';
import {
  HvInterceptAccess,
  IO_PORT_INTERCEPT_PAYLOAD_BYTES,
  writeIoPortInterceptPayload,
  type IoPortAccess,
} from './intercepts.js';
import { HV_PARTITION_ID_INVALID } from './limits.js';
import { HvMessageType } from './messages.js';
import { HV_SYNIC_INTERCEPTION_SINT, HvMsr } from './msr.js';
import { PartitionState, type Partition } from './partition.js';
import { PartitionTable } from './partition-table.js';
import { Privilege, ROOT_PRIVILEGES, type PrivilegeBit } from './privileges.js';
import { Synic, type SynicNotifier } from './synic.js';
import {
  HYPERVISOR_OPTIONS,
  SYNIC_INTERRUPT_SINK,
  VP_CONTROL,
  type HypervisorOptions,
  type SynicInterruptSink,
  type VpControl,
} from './tokens.js';
import { decodeIcr, IcrShorthand } from './virtual-apic.js';
import { VirtualProcessor, VpRunState } from './virtual-processor.js';

/** CPUID answer plus its cost. */
export interface CpuidResult extends CpuidRegisters {
  readonly costNs: Ns;
}

/** A synthetic MSR access: the value read (or written), or #GP. */
export type MsrAccessResult =
  | { readonly ok: true; readonly value: bigint; readonly costNs: Ns }
  | { readonly ok: false; readonly exception: 'GP'; readonly costNs: Ns };

/** What happened to a child VP's I/O port access. */
export type IoPortAccessResult =
  /** Intercepted: the VP is suspended and the message queued on `rootVpIndex`'s SINT0. */
  | { readonly kind: 'intercepted'; readonly rootVpIndex: number; readonly costNs: Ns }
  /**
   * No intercept claims the port (e.g. any legacy port of a generation 2 VM): the hypervisor
   * completes it like an empty bus — IN reads all ones, OUT is dropped — and RIP advances.
   */
  | { readonly kind: 'unclaimed'; readonly rax: bigint; readonly rip: bigint; readonly costNs: Ns }
  | {
      readonly kind: 'rejected';
      readonly reason: 'vp-suspended' | 'invalid-access';
      readonly costNs: Ns;
    };

/** The root's completion of an I/O intercept. */
export type IoInterceptCompletion =
  /** Registers written back (RAX for IN, RIP advanced) and the VP resumed. */
  | { readonly kind: 'completed'; readonly rax: bigint; readonly rip: bigint; readonly costNs: Ns }
  | {
      readonly kind: 'rejected';
      readonly reason: 'no-such-vp' | 'not-suspended';
      readonly costNs: Ns;
    };

/** A host built without a release is the scenario default (scenario.ts `host.os`). */
const DEFAULT_HOST_OS: HostOs = 'ws2019';

const GP = (costNs: Ns): MsrAccessResult => ({ ok: false, exception: 'GP', costNs });

function msrPrivilege(msr: number): PrivilegeBit | null {
  if (msr === HvMsr.GUEST_OS_ID || msr === HvMsr.HYPERCALL) return Privilege.AccessHypercallMsrs;
  if (msr === HvMsr.VP_INDEX) return Privilege.AccessVpIndex;
  if (Synic.isSynicMsr(msr)) return Privilege.AccessSynicRegs;
  // T: hv_partition_privilege_mask.md — AccessIntrCtrlRegs grants the synthetic APIC MSRs (EOI,
  // ICR, TPR); L: KVM's kvm_hv_set_msr likewise refuses them without HV_MSR_APIC_ACCESS_AVAILABLE.
  if (msr === HvMsr.EOI || msr === HvMsr.ICR || msr === HvMsr.TPR) {
    return Privilege.AccessIntrCtrlRegs;
  }
  return null;
}

function ioMask(size: number): bigint {
  return (1n << BigInt(size * 8)) - 1n;
}

function validateOptions(options: HypervisorOptions): void {
  const issues: InputIssue[] = [];
  const rootVps = options.rootVps;
  if (rootVps !== undefined && (!Number.isInteger(rootVps) || rootVps < 1)) {
    issues.push({
      path: ['rootVps'],
      expected: 'a whole number of root VPs, at least 1',
      found: describeValue(rootVps),
    });
  }
  const hostOs = options.hostOs ?? DEFAULT_HOST_OS;
  const knownOs = HostOsSchema.options.includes(hostOs);
  if (!knownOs) {
    issues.push({
      path: ['hostOs'],
      expected: `one of ${HostOsSchema.options.join(', ')}`,
      found: describeValue(hostOs),
    });
  }
  // Rule 40: the release decides how many LPs the hypervisor runs on (512, or 1,024 on 2022).
  const lps = options.logicalProcessors;
  const maxLps = knownOs ? HOST_RELEASE_LIMITS[hostOs].logicalProcessors : 0;
  if (!Number.isInteger(lps) || lps < 1 || (maxLps > 0 && lps > maxLps)) {
    issues.push({
      path: ['logicalProcessors'],
      expected:
        maxLps > 0
          ? `an integer from 1 to ${maxLps}: ${releaseAllows(hostOs, maxLps, 'logical processors per host')}`
          : 'a whole number of logical processors, at least 1',
      found: describeValue(lps),
    });
  }
  if (issues.length > 0) throw new ConfigurationError('hypervisor', issues);
}

/**
 * The hypervisor of one host.
 *
 * @example
 * const hv = new Hypervisor({ logicalProcessors: 16 }, interruptSink, vpControl);
 * const winhv = new WinHv(hv);
 * const child = winhv.createPartition();           // deposits into the root and retries
 * winhv.initializePartition(child.partitionId);
 * winhv.createVp(child.partitionId, 0);
 * const r = hv.hypercall(child.partitionId, 0, request); // charge r.costNs to that VP
 */
@injectable()
export class Hypervisor implements HvContext, SynicNotifier {
  readonly partitions = new PartitionTable();
  /** The root partition (id 1): all privileges, the VPs it was given (`rootVps`, default one per LP it sees). */
  readonly root: Partition;
  readonly logicalProcessors: number;
  /** The host's Windows Server release: what CPUID 0x40000002/0x40000003 report. */
  readonly hostOs: HostOs;
  /** Rule 40: the root sees at most 320 LPs (1,024 on Windows Server 2022). */
  readonly rootVpLimit: number;
  /** Rule 40 as the host's release sets it; CPUID 0x40000005 reports it. */
  readonly limits: HostReleaseLimits;
  private readonly dispatcher: HypercallDispatcher;

  constructor(
    @inject(HYPERVISOR_OPTIONS) options: HypervisorOptions,
    @inject(SYNIC_INTERRUPT_SINK) private readonly sink: SynicInterruptSink,
    @inject(VP_CONTROL) private readonly vpControl: VpControl,
  ) {
    validateOptions(options);
    this.logicalProcessors = options.logicalProcessors;
    this.hostOs = options.hostOs ?? DEFAULT_HOST_OS;
    this.limits = HOST_RELEASE_LIMITS[this.hostOs];
    this.rootVpLimit = Math.min(
      options.rootVps ?? options.logicalProcessors,
      options.logicalProcessors,
      this.limits.rootVisibleProcessors,
    );
    this.root = this.partitions.create(HV_PARTITION_ID_INVALID, ROOT_PRIVILEGES);
    this.root.state = PartitionState.Active;
    for (let i = 0; i < this.rootVpLimit; i++) {
      this.root.addVp(new VirtualProcessor(this.root.id, i, this));
    }
    this.dispatcher = new HypercallDispatcher(this);
    if (options.bootRoot !== false) bootRootPartition(this);
  }

  get synicNotifier(): SynicNotifier {
    return this;
  }

  // ---- lookups ----------------------------------------------------------------------------

  /** A live partition by id (undefined once deleted). */
  partition(id: number): Partition | undefined {
    return this.partitions.get(id);
  }

  vp(partitionId: number, vpIndex: number): VirtualProcessor | undefined {
    return this.partitions.get(partitionId)?.vp(vpIndex);
  }

  private callerVp(partitionId: number, vpIndex: number): VirtualProcessor {
    const vp = this.vp(partitionId, vpIndex);
    if (vp === undefined) {
      throw new HypervisorUsageError(`no VP ${vpIndex} in partition ${partitionId}`);
    }
    return vp;
  }

  private partitionOf(vp: VirtualProcessor): Partition {
    return this.partitions.get(vp.partitionId) as Partition;
  }

  // ---- SynicNotifier ----------------------------------------------------------------------

  /** @internal Called by a SynIC; forwards to the integrator's sink. */
  sintInterrupt(synic: Synic, sint: number): void {
    const p = this.partitions.get(synic.partitionId);
    if (p !== undefined) p.counters.interruptsRaised++;
    // T: SINTx.AutoEoi asks for an implicit EOI on delivery; otherwise the vector stays in
    // service on the VP's APIC until the guest's EOI.
    if (!synic.sintAutoEoi(sint)) p?.vp(synic.vpIndex)?.apic.accept(synic.sintVector(sint));
    this.sink.raise(synic.partitionId, synic.vpIndex, sint, synic.sintVector(sint));
  }

  /** @internal */
  messageDelivered(synic: Synic): void {
    const p = this.partitions.get(synic.partitionId);
    if (p !== undefined) p.counters.messagesDelivered++;
  }

  // ---- entry points -----------------------------------------------------------------------

  /**
   * A hypercall from VP `vpIndex` of partition `partitionId` (rules 22–24). The returned object
   * is reused by the next call: read it (and charge `costNs`) right away.
   */
  hypercall(
    partitionId: number,
    vpIndex: number,
    request: HypercallRequest,
  ): Readonly<HypercallResult> {
    const vp = this.callerVp(partitionId, vpIndex);
    return this.dispatcher.dispatch(this.partitionOf(vp), vp, request);
  }

  /**
   * The monitor-page scan signals the port `connectionId` of partition `partitionId` on its
   * behalf (rule 8: the guest set a bit, a memory write — no hypercall, no exit). Returns the HV
   * status; the partition's hypercall counters do not change.
   */
  signalForMonitor(
    partitionId: number,
    vpIndex: number,
    connectionId: number,
    flagNumber: number,
  ): number {
    const vp = this.callerVp(partitionId, vpIndex);
    return this.dispatcher.signalForMonitor(this.partitionOf(vp), vp, connectionId, flagNumber);
  }

  /** CPUID from a VP (rule 27). Reading 0x40000001 counts as detecting the hypervisor. */
  cpuid(partitionId: number, vpIndex: number, leaf: number): CpuidResult {
    const partition = this.partitionOf(this.callerVp(partitionId, vpIndex));
    const regs = hypervisorCpuid(leaf, partition.privileges, this.hostOs);
    if (leaf === HvCpuidLeaf.Interface) partition.enlightenment.hypervisorDetected = true;
    return { eax: regs.eax, ebx: regs.ebx, ecx: regs.ecx, edx: regs.edx, costNs: CPUID_COST_NS };
  }

  /** RDMSR of a synthetic MSR. Unmodelled MSRs and missing privileges raise #GP. */
  readMsr(partitionId: number, vpIndex: number, msr: number): MsrAccessResult {
    const vp = this.callerVp(partitionId, vpIndex);
    const partition = this.partitionOf(vp);
    const privilege = msrPrivilege(msr);
    if (privilege === null || !partition.privileges.has(privilege)) return GP(MSR_ACCESS_COST_NS);
    let value: bigint;
    if (msr === HvMsr.GUEST_OS_ID) value = partition.enlightenment.guestOsId;
    else if (msr === HvMsr.HYPERCALL) value = partition.enlightenment.hypercallMsr;
    else if (msr === HvMsr.VP_INDEX) value = BigInt(vp.index);
    else if (msr === HvMsr.EOI)
      value = 0n; // xAPIC EOI reads zero (L: hv_apic_read rdmsr's it; KVM answers APIC_EOI)
    else if (msr === HvMsr.ICR) value = vp.apic.interruptCommand;
    else if (msr === HvMsr.TPR) value = vp.apic.taskPriority;
    else value = vp.synic.readMsr(msr);
    return { ok: true, value, costNs: MSR_ACCESS_COST_NS };
  }

  /** WRMSR of a synthetic MSR (guest OS id, hypercall page, SynIC, APIC EOI/ICR/TPR). */
  writeMsr(partitionId: number, vpIndex: number, msr: number, value: bigint): MsrAccessResult {
    const vp = this.callerVp(partitionId, vpIndex);
    const partition = this.partitionOf(vp);
    const privilege = msrPrivilege(msr);
    if (privilege === null || !partition.privileges.has(privilege)) return GP(MSR_ACCESS_COST_NS);
    const v = BigInt.asUintN(64, value);
    let cost = MSR_ACCESS_COST_NS;
    if (msr === HvMsr.GUEST_OS_ID) partition.enlightenment.writeGuestOsId(v);
    else if (msr === HvMsr.HYPERCALL) partition.enlightenment.writeHypercallMsr(v);
    else if (msr === HvMsr.VP_INDEX)
      return GP(cost); // read-only
    else if (msr === HvMsr.EOM) cost += vp.synic.endOfMessage() * MESSAGE_DELIVERY_COST_NS;
    else if (msr === HvMsr.EOI) cost += this.apicEoi(vp);
    else if (msr === HvMsr.ICR) this.sendIpi(partition, vp, v);
    else if (msr === HvMsr.TPR) vp.apic.writeTaskPriority(v);
    else if (!vp.synic.writeMsr(msr, v)) return GP(cost);
    return { ok: true, value: v, costNs: cost };
  }

  /**
   * The guest's EOM write without the MSR result object (hot path: one per consumed message when
   * MessagePending was set). Returns the cost.
   */
  endOfMessage(partitionId: number, vpIndex: number): Ns {
    const vp = this.callerVp(partitionId, vpIndex);
    return MSR_ACCESS_COST_NS + vp.synic.endOfMessage() * MESSAGE_DELIVERY_COST_NS;
  }

  /**
   * An APIC EOI by the guest (the same as a write of HV_X64_MSR_EOI, without the MSR's own cost):
   * ends the interrupt in service and rescans the SynIC queues. Returns the cost.
   */
  notifyApicEoi(partitionId: number, vpIndex: number): Ns {
    return this.apicEoi(this.callerVp(partitionId, vpIndex));
  }

  /**
   * EOI: the highest-priority vector in service ends, and — T: "Multiple message buffers" — an
   * EOI is also a trigger for the SynIC to deliver queued messages into emptied slots.
   */
  private apicEoi(vp: VirtualProcessor): Ns {
    vp.apic.endOfInterrupt();
    return APIC_EOI_SCAN_COST_NS + vp.synic.apicEoi() * MESSAGE_DELIVERY_COST_NS;
  }

  /**
   * An ICR write: a fixed IPI goes to VPs of the same partition (a partition's APIC ids are its
   * VP indices in the model). An IPI to an APIC id that no VP has is lost, as on hardware; other
   * delivery modes (NMI, INIT, SIPI) are latched in the ICR but not modelled. The 8-bit xAPIC
   * destination names VPs 0–255 only (L: hv_apic.c uses these MSRs in xAPIC mode only).
   */
  private sendIpi(partition: Partition, sender: VirtualProcessor, value: bigint): void {
    sender.apic.writeInterruptCommand(value);
    const ipi = decodeIcr(value);
    if (!ipi.fixed) return;
    switch (ipi.shorthand) {
      case IcrShorthand.None:
        partition.vp(ipi.destination)?.apic.request(ipi.vector);
        return;
      case IcrShorthand.Self:
        sender.apic.request(ipi.vector);
        return;
      default:
        for (const vp of partition.virtualProcessors()) {
          if (vp !== sender || ipi.shorthand === IcrShorthand.AllIncludingSelf) {
            vp.apic.request(ipi.vector);
          }
        }
    }
  }

  /**
   * An IN/OUT by a VP (rule 21). If the root installed an intercept covering the port for that
   * direction, the VP is suspended (VpControl.suspendForIntercept) and an
   * HvMessageTypeX64IoPortIntercept message (sender = the child's partition id) is queued on SINT0
   * of the handling root VP. Otherwise the hypervisor completes the access itself.
   */
  ioPortAccess(partitionId: number, vpIndex: number, access: IoPortAccess): IoPortAccessResult {
    const vp = this.callerVp(partitionId, vpIndex);
    const partition = this.partitionOf(vp);
    if (vp.runState !== VpRunState.Runnable) {
      return { kind: 'rejected', reason: 'vp-suspended', costNs: 0 };
    }
    const { port, size, instructionLength } = access;
    const sizeOk = size === 1 || size === 2 || size === 4;
    const portOk = Number.isInteger(port) && port >= 0 && port + size - 1 <= 0xffff;
    // x86 instructions are 1–15 bytes long.
    const lengthOk =
      Number.isInteger(instructionLength) && instructionLength >= 1 && instructionLength <= 15;
    if (!sizeOk || !portOk || !lengthOk) {
      return { kind: 'rejected', reason: 'invalid-access', costNs: 0 };
    }
    const needed = access.write ? HvInterceptAccess.Write : HvInterceptAccess.Read;
    if ((partition.intercepts.lookup(port, size) & needed) === 0) {
      partition.counters.unclaimedIoAccesses++;
      const rax = access.write ? access.rax : (access.rax & ~ioMask(size)) | ioMask(size);
      const rip = access.rip + BigInt(access.instructionLength);
      return { kind: 'unclaimed', rax, rip, costNs: UNCLAIMED_IO_COST_NS };
    }
    vp.runState = VpRunState.InterceptSuspended;
    vp.pendingIo = access;
    this.vpControl.suspendForIntercept(partitionId, vpIndex);
    const buffer = vp.takeInterceptBuffer();
    buffer.type = HvMessageType.X64IoPortIntercept;
    buffer.size = IO_PORT_INTERCEPT_PAYLOAD_BYTES;
    // T: "Intercept messages contain the partition ID of the partition whose virtual processor
    // generated the intercept."
    buffer.originLow = partition.id;
    buffer.originHigh = 0;
    writeIoPortInterceptPayload(buffer, vpIndex, access);
    const rootVp = this.interceptHandler(partition, vpIndex);
    rootVp.synic.queueMessage(HV_SYNIC_INTERCEPTION_SINT, buffer);
    partition.counters.interceptsDelivered++;
    return { kind: 'intercepted', rootVpIndex: rootVp.index, costNs: INTERCEPT_DELIVERY_COST_NS };
  }

  /**
   * The root (VMWP) finishing an I/O intercept: for IN, `value` is merged into RAX (a 4-byte IN
   * zero-extends into RAX, as in 64-bit mode); RIP advances past the instruction; the VP resumes
   * (VpControl.resume). Models HvCallSetVpRegisters + clearing the intercept suspend; the cost is
   * the root VP's.
   */
  completeIoPortIntercept(
    partitionId: number,
    vpIndex: number,
    completion: { readonly value?: number } = {},
  ): IoInterceptCompletion {
    const partition = this.partitions.get(partitionId);
    const vp = partition?.vp(vpIndex);
    if (vp === undefined || partition?.state !== PartitionState.Active) {
      return { kind: 'rejected', reason: 'no-such-vp', costNs: 0 };
    }
    const io = vp.pendingIo;
    if (vp.runState !== VpRunState.InterceptSuspended || io === null) {
      return { kind: 'rejected', reason: 'not-suspended', costNs: 0 };
    }
    let rax = io.rax;
    if (!io.write) {
      const raw = completion.value ?? 0;
      const value = BigInt(Number.isFinite(raw) ? Math.trunc(raw) : 0) & ioMask(io.size);
      rax = io.size === 4 ? value : (rax & ~ioMask(io.size)) | value;
    }
    const rip = io.rip + BigInt(io.instructionLength);
    vp.pendingIo = null;
    vp.runState = VpRunState.Runnable;
    this.vpControl.resume(partitionId, vpIndex);
    return {
      kind: 'completed',
      rax: BigInt.asUintN(64, rax),
      rip,
      costNs: INTERCEPT_COMPLETION_COST_NS,
    };
  }

  /** Routes a child partition's intercepts to one root VP (default: child VP index mod root VPs). */
  setInterceptHandlerVp(partitionId: number, rootVpIndex: number): boolean {
    const partition = this.partitions.get(partitionId);
    if (partition === undefined || this.root.vp(rootVpIndex) === undefined) return false;
    partition.interceptHandlerVp = rootVpIndex;
    return true;
  }

  private interceptHandler(partition: Partition, vpIndex: number): VirtualProcessor {
    const chosen = partition.interceptHandlerVp ?? vpIndex % this.rootVpLimit;
    return this.root.vp(chosen) ?? (this.root.vp(0) as VirtualProcessor);
  }

  // ---- metrics ----------------------------------------------------------------------------

  /** Counters of every live partition (rule-independent metrics for the UI). */
  counters(): PartitionCountersSnapshot[] {
    return this.partitions.all().map((p) => {
      const c = p.counters;
      const hypercalls: Record<string, number> = {};
      c.hypercallsByCode.forEach((n, code) => {
        if (n > 0) hypercalls[hypercallName(code)] = n;
      });
      return {
        partitionId: p.id,
        hypercalls,
        otherHypercalls: c.otherHypercalls,
        hypercallFaults: c.hypercallFaults,
        messagesPosted: c.messagesPosted,
        messagesDelivered: c.messagesDelivered,
        eventsSignalled: c.eventsSignalled,
        interruptsRaised: c.interruptsRaised,
        interceptsDelivered: c.interceptsDelivered,
        unclaimedIoAccesses: c.unclaimedIoAccesses,
      };
    });
  }
}
