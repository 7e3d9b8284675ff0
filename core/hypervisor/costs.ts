/**
 * CPU cost of hypervisor operations, in integer nanoseconds, charged by the integrator to the VP
 * that made the call. Hyper-V publishes none of these numbers; each is an estimate with its reason.
 * The one published figure is the 50 µs continuation target (T: hypercall-interface.md).
 */
import type { Ns } from '../engine/index.js';

/** T: "The hypervisor attempts to limit hypercall execution to 50μs or less". */
export const HYPERCALL_TIME_BUDGET_NS: Ns = 50_000;

// estimate: a VMCALL exit, dispatch and resume on current hardware is on the order of 1 µs.
export const HYPERCALL_BASE_COST_NS: Ns = 1_000;
// estimate: a call refused by the early checks still pays the exit and the decode.
export const HYPERCALL_REJECT_COST_NS: Ns = 500;
// estimate: the VMCALL exit plus reflecting #UD back into the guest.
export const UNDEFINED_OPCODE_COST_NS: Ns = 800;
// estimate: post = exit + connection/port lookup + 256-byte copy + possible interrupt.
export const POST_MESSAGE_COST_NS: Ns = 1_500;
// estimate: signal = exit + lookup + one atomic bit set; lighter than a post.
export const SIGNAL_EVENT_COST_NS: Ns = 1_000;
// estimate: a synthetic MSR access or CPUID traps to the hypervisor like a light hypercall.
export const MSR_ACCESS_COST_NS: Ns = 700;
export const CPUID_COST_NS: Ns = 700;
// estimate: copying one queued message into a free SIM slot during an EOM scan.
export const MESSAGE_DELIVERY_COST_NS: Ns = 300;
// estimate: an APIC EOI that triggers a SynIC queue scan.
export const APIC_EOI_SCAN_COST_NS: Ns = 200;

// estimate: object creation calls allocate and initialise hypervisor structures; they stay
// inside the 50 µs target the TLFS sets for simple calls.
export const CREATE_PARTITION_COST_NS: Ns = 30_000;
export const INITIALIZE_PARTITION_COST_NS: Ns = 40_000;
export const FINALIZE_PARTITION_COST_NS: Ns = 20_000;
export const DELETE_PARTITION_COST_NS: Ns = 10_000;
export const CREATE_VP_COST_NS: Ns = 15_000;
export const CREATE_PORT_COST_NS: Ns = 3_000;
export const CONNECT_PORT_COST_NS: Ns = 3_000;
export const DELETE_PORT_COST_NS: Ns = 2_000;
export const INSTALL_INTERCEPT_COST_NS: Ns = 2_000;
export const PARTITION_PROPERTY_COST_NS: Ns = 1_000;

// estimate: per-rep work of the rep calls (page ownership change; one GVA range invalidation).
export const DEPOSIT_PER_PAGE_COST_NS: Ns = 250;
export const WITHDRAW_PER_PAGE_COST_NS: Ns = 250;
export const FLUSH_VA_PER_RANGE_COST_NS: Ns = 200;
// estimate: each remote VP named in a flush gets an IPI-like kick.
export const FLUSH_REMOTE_VP_COST_NS: Ns = 500;

// estimate: an I/O exit, building the 128-byte intercept message and suspending the VP
// (charged to the intercepted child VP).
export const INTERCEPT_DELIVERY_COST_NS: Ns = 2_000;
// estimate: the root completing an intercept = HvCallSetVpRegisters (RAX, RIP) + clearing the
// intercept suspend (charged to the root VP that completes it).
export const INTERCEPT_COMPLETION_COST_NS: Ns = 2_000;
// estimate: an I/O exit the hypervisor completes itself (no intercept installed).
export const UNCLAIMED_IO_COST_NS: Ns = 1_000;
