/**
 * Dependency-injection tokens and the two small interfaces the integrator implements to wire the
 * hypervisor to the scheduler and the engine. The hypervisor schedules nothing and owns no time:
 * side effects on VPs leave through these sinks.
 */
import type { HostOs } from '../model/index.js';

/**
 * Receives SynIC interrupts. Called when an unmasked, non-polling SINT of a VP gets a new message
 * in its slot or an event flag goes 0→1 (rule 26). The integrator turns it into interrupt work on
 * that VP (auto-EOI and the vector are readable from the VP's SynIC).
 */
export interface SynicInterruptSink {
  raise(partitionId: number, vpIndex: number, sint: number, vector: number): void;
}

/**
 * Holds and releases VPs for intercepts (rule 21). `suspendForIntercept` is called when a child VP
 * touches an intercepted port (the VP must not run until resumed); `resume` when the root
 * completes the intercept.
 */
export interface VpControl {
  suspendForIntercept(partitionId: number, vpIndex: number): void;
  resume(partitionId: number, vpIndex: number): void;
}

/** Host shape the hypervisor is built for. */
export interface HypervisorOptions {
  /** Host logical processors: 1–512, or 1–1,024 on Windows Server 2022 (rule 40). */
  readonly logicalProcessors: number;
  /**
   * VPs the root partition gets (the boot option `hypervisorrootproc`, "minroot"): default one per
   * LP; never more than the LPs or what the release's root sees, 320 (1,024 on 2022; rule 40).
   */
  readonly rootVps?: number;
  /**
   * Run the enlightened handshake and SynIC setup on every root VP at construction, as the root
   * OS does at boot (default true). Set false to drive the root's boot yourself.
   */
  readonly bootRoot?: boolean;
  /**
   * Windows Server release of the host (the scenario's `host.os`): the build the hypervisor
   * reports in CPUID 0x40000002, its features in 0x40000003 EDX, and the root OS's identity.
   * Default `'ws2019'`, the scenario schema's default.
   */
  readonly hostOs?: HostOs;
}

/** Options of the root-side WinHv helper. */
export interface WinHvOptions {
  /** Root VP the helper's hypercalls run on (default 0). */
  readonly rootVpIndex?: number;
  /** Root pages available for deposits (default 2^24 pages = 64 GiB). */
  readonly rootFreePages?: number;
  /** First page number the helper hands out (default 0x100000). */
  readonly firstPageNumber?: number;
}

export const SYNIC_INTERRUPT_SINK = Symbol.for('hyperkata.hypervisor.SynicInterruptSink');
export const VP_CONTROL = Symbol.for('hyperkata.hypervisor.VpControl');
export const HYPERVISOR_OPTIONS = Symbol.for('hyperkata.hypervisor.HypervisorOptions');
export const WINHV_OPTIONS = Symbol.for('hyperkata.hypervisor.WinHvOptions');
