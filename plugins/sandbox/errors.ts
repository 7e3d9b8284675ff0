/**
 * Why a sandboxed plugin's call failed. Both errors leave the handler, which the core's
 * VspRuntime turns into a closed channel and a fault naming the plugin (rule 38):
 * {@link PluginLimitError} (recorded as `plugin-limit`) when the sandbox stopped the plugin,
 * {@link SandboxError} (recorded as `plugin-threw`) when the plugin's own code failed.
 */
import { HyperkataError } from '../../core/model/index.js';
import { PluginLimitError } from '../../core/vsp/plugin-faults.js';
import type { VspCallName } from '../../core/vsp/types.js';
import { vspFailure, vspFailureText } from '../../core/vsp/failure-reasons.js';
import type { SandboxPayload, VspFailureReason } from '../../core/vsp/failure-reasons.js';
import { MAX_PAYLOAD_BYTES } from './limits.js';

export { PluginLimitError };

/** The plugin's code threw (an Error or anything else) or misused the host object. */
export class SandboxError extends HyperkataError {
  declare readonly kind: 'sandbox';

  constructor(
    message: string,
    /** The same, relative to the plugin (without its id), for the fault record. */
    readonly faultReason: string = message,
    /** `faultReason` as an id and its numbers, for the player's language. */
    readonly faultMessage?: VspFailureReason,
  ) {
    super('sandbox', message);
    this.name = 'SandboxError';
  }

  static override is(value: unknown): value is SandboxError {
    return value instanceof SandboxError;
  }
}

/** Which part of the plugin was running, for messages: a handler name, `create` or `loading`. */
export type SandboxCallSite = 'loading' | VspCallName;

/** `at`: where the plugin was when it was stopped, e.g. ` (at onPacket (src/index.ts:12:5))`. */
export function cpuBudgetExceeded(plugin: string, ticks: number, where: SandboxCallSite, at = '') {
  return limit(plugin, vspFailure('sandbox.cpuBudget', { ticks, call: where, at }));
}

export function memoryLimitExceeded(plugin: string, bytes: number, where: SandboxCallSite) {
  const mib = Math.round(bytes / (1024 * 1024));
  return limit(plugin, vspFailure('sandbox.memoryLimit', { mib, call: where }));
}

export function payloadTooLarge(plugin: string, what: SandboxPayload, bytes: number) {
  return limit(
    plugin,
    vspFailure('sandbox.payloadTooLarge', { what, bytes, max: MAX_PAYLOAD_BYTES }),
  );
}

export function pluginFailed(plugin: string, where: SandboxCallSite, description: string) {
  const fault = vspFailure('plugin.threw', { handler: where, thrown: description, where: null });
  return new SandboxError(
    `plugin ${plugin} failed in ${where}: ${description}`,
    vspFailureText(fault),
    fault,
  );
}

export function sandboxBroken(plugin: string, where: SandboxCallSite, why: string) {
  return limit(plugin, vspFailure('sandbox.broken', { call: where, why }));
}

/** The sandbox stopped the plugin: `fault` in English after its id, and as an id for the record. */
function limit(plugin: string, fault: VspFailureReason): PluginLimitError {
  const reason = vspFailureText(fault);
  return new PluginLimitError(`plugin ${plugin} ${reason}`, reason, fault);
}
