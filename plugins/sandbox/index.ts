/**
 * The plugin sandbox: untrusted VSP plugins run in QuickJS compiled to WebAssembly, the same in
 * Node and in the browser, with a CPU budget per call, a memory ceiling and no ambient authority
 * (no require, process, fetch, DOM, timers or wall clock). Their work is measured
 * deterministically and charged to root CPU, so a plugin scores the same everywhere. A plugin
 * that misbehaves loses the channel it was serving (rule 38); the run goes on.
 *
 * @example
 * ```ts
 * import { createSandboxedVsp } from './plugins/sandbox/index.js';
 *
 * const vsp = await createSandboxedVsp(code, { source: 'my-vsp.js', limits: { cpuBudgetPerCall: 1e6 } });
 * const sim = Simulation.create({ scenario, configuration, vsps: [vsp] });
 * const report = sim.runToEnd();
 * console.log(report.faults.plugins); // e.g. "plugin acme.x exceeded its CPU budget … in onPacket"
 * vsp.dispose();
 * ```
 */
export { createSandboxedVsp, digestOf } from './create-sandboxed-vsp.js';
export type { SandboxedVspModule, SandboxedVspOptions } from './create-sandboxed-vsp.js';
export { PluginLimitError, SandboxError } from './errors.js';
export type { SandboxCallSite } from './errors.js';
export {
  AMORTIZED_NS_PER_CALL,
  checkGpadlReadSize,
  checkPayloadSize,
  DEFAULT_SANDBOX_LIMITS,
  MAX_GPADL_READ_BYTES,
  MAX_PAYLOAD_BYTES,
  NS_PER_INTERRUPT,
  NS_PER_POLL,
  QUICKJS_POLLS_PER_INTERRUPT,
  SANDBOX_CROSSING_NS,
  SANDBOX_SIZE_CHECKS,
} from './limits.js';
export type { SandboxLimits } from './limits.js';
export { SDK_MODULE_NAME } from './realm/sdk-shim-source.js';
