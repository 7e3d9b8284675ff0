/**
 * The limits a sandboxed plugin runs under, and how its work is charged to root CPU.
 *
 * Work is measured with QuickJS's interrupt poll: the interpreter decrements a counter at every
 * function call and every branch and calls the host's interrupt handler each time it has run
 * {@link QUICKJS_POLLS_PER_INTERRUPT} of them. Counting those calls is deterministic — the same
 * bytecode on the same input polls the same number of times in Node and in any browser — so the
 * charge, and with it the run, is the same everywhere. No wall clock is read.
 */
import type { Ns } from '../../core/engine/index.js';
import type { SandboxSizeChecks } from '../../core/vsp/types.js';

/** QuickJS: quickjs.c `JS_INTERRUPT_COUNTER_INIT` — polls (calls + branches) between two interrupts. */
export const QUICKJS_POLLS_PER_INTERRUPT = 10_000;

// estimate: a poll marks one basic block (a call or a branch); the same block compiled natively
// in a VSP runs in about 2 ns on a 3 GHz core. The charge models the plugin's work as if it were
// native code, not the interpreter's own slowness.
export const NS_PER_POLL = 2;

/** What one interrupt's worth of polls costs the root VP. */
export const NS_PER_INTERRUPT: Ns = QUICKJS_POLLS_PER_INTERRUPT * NS_PER_POLL;

// estimate: crossing the isolation boundary — copying the packet in and the effect list out —
// about as much as a user/kernel transition with a small copy on each side.
export const SANDBOX_CROSSING_NS: Ns = 300;

// estimate: measured work arrives in lumps of one interrupt (20 µs); a call pays at most this much
// of an earlier lump on top of its own, so a cheap handler is not charged 20 µs at random calls.
export const AMORTIZED_NS_PER_CALL: Ns = 2_000;

/** The largest payload a sandboxed plugin may send, complete or write in one call. */
// estimate: far above any VMBus message a VSP sends (storvsp completions are under 100 bytes,
// NVSP/RNDIS control messages under 4 KiB) and below the smallest ring a guest offers.
export const MAX_PAYLOAD_BYTES = 64 * 1024;

/** The most guest memory one readGpadl may copy into the sandbox. */
export const MAX_GPADL_READ_BYTES = 1024 * 1024;

/** The largest effect list one call may produce. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/** Longest text (log line, failure reason) a plugin may hand the host, in UTF-16 code units. */
export const MAX_TEXT_UNITS = 500;

/**
 * How much of a handler's source text the sandbox hands the host to find where the handler is
 * written, when it threw a value that is not an Error (no stack says where): enough to be unique.
 */
export const SITE_SOURCE_UNITS = 2000;

/**
 * Throws, in the sandbox's words (realm/bridge-source.ts), when `bytes` of `what` (e.g.
 * `channel.complete: payload`) is more than one call may pass. For code that runs natively but
 * must be held to the sandbox's sizes: a trusted plugin's run and the SDK's test harness.
 */
export function checkPayloadSize(what: string, bytes: number): void {
  if (bytes > MAX_PAYLOAD_BYTES)
    throw new RangeError(
      `${what} of ${String(bytes)} bytes is larger than the sandbox allows (${String(MAX_PAYLOAD_BYTES)} bytes)`,
    );
}

/** Throws, as the sandbox does, when one readGpadl asks for more than it copies in. */
export function checkGpadlReadSize(length: number): void {
  if (length > MAX_GPADL_READ_BYTES)
    throw new RangeError(
      `memory.readGpadl: a read of ${String(length)} bytes is larger than the sandbox allows (${String(MAX_GPADL_READ_BYTES)} bytes)`,
    );
}

/** Both checks, as a natively loaded trusted plugin's module carries them (`VspModule.sandboxSizes`). */
export const SANDBOX_SIZE_CHECKS: SandboxSizeChecks = Object.freeze({
  checkPayloadSize,
  checkGpadlReadSize,
});

export interface SandboxLimits {
  /**
   * Memory the plugin's code may use on top of the sandbox's own 16 MiB (the QuickJS WebAssembly
   * module's initial heap), bytes. Shared by every instance of the plugin in this process.
   */
  readonly memoryLimitBytes: number;
  /** Polls (function calls + branches) one handler call may run before it is stopped. */
  readonly cpuBudgetPerCall: number;
  /** Polls loading the plugin (its top-level code) and running `create` may take. */
  readonly cpuBudgetToLoad: number;
  /** QuickJS stack, bytes (deep recursion fails with a stack overflow instead of crashing). */
  readonly stackBytes: number;
}

export const DEFAULT_SANDBOX_LIMITS: SandboxLimits = {
  memoryLimitBytes: 64 * 1024 * 1024,
  // 2 M polls ≈ 4 ms of modelled CPU: hundreds of times what a VSP handler needs.
  cpuBudgetPerCall: 2_000_000,
  cpuBudgetToLoad: 50_000_000,
  // 256 KiB of QuickJS stack is about 1,300 nested JS calls and stays inside the host's own
  // native stack, which wasm frames share.
  stackBytes: 256 * 1024,
};

/** The initial heap of the QuickJS WebAssembly build (its memory cannot start smaller). */
export const QUICKJS_INITIAL_HEAP_BYTES = 16 * 1024 * 1024;
