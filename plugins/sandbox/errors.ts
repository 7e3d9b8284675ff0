/**
 * Why a sandboxed plugin's call failed. Both errors leave the handler, which the core's
 * VspRuntime turns into a closed channel and a fault naming the plugin (rule 38):
 * {@link PluginLimitError} (recorded as `plugin-limit`) when the sandbox stopped the plugin,
 * {@link SandboxError} (recorded as `plugin-threw`) when the plugin's own code failed.
 */
import { HyperkataError } from '../../core/model/index.js';
import { PluginLimitError } from '../../core/vsp/plugin-faults.js';
import type { VspCallName } from '../../core/vsp/types.js';
import { MAX_PAYLOAD_BYTES } from './limits.js';

export { PluginLimitError };

/** The plugin's code threw (an Error or anything else) or misused the host object. */
export class SandboxError extends HyperkataError {
  declare readonly kind: 'sandbox';

  constructor(
    message: string,
    /** The same, relative to the plugin (without its id), for the fault record. */
    readonly faultReason: string = message,
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

const grouped = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** `at`: where the plugin was when it was stopped, e.g. ` (at onPacket (src/index.ts:12:5))`. */
export function cpuBudgetExceeded(plugin: string, ticks: number, where: SandboxCallSite, at = '') {
  const reason = `exceeded its CPU budget of ${grouped(ticks)} ticks (calls and branches) in ${where}${at}`;
  return new PluginLimitError(`plugin ${plugin} ${reason}`, reason);
}

export function memoryLimitExceeded(plugin: string, bytes: number, where: SandboxCallSite) {
  const reason = `exceeded its memory limit of ${grouped(Math.round(bytes / (1024 * 1024)))} MiB in ${where}`;
  return new PluginLimitError(`plugin ${plugin} ${reason}`, reason);
}

export function payloadTooLarge(plugin: string, what: string, bytes: number) {
  const reason = `passed ${what} of ${grouped(bytes)} bytes; the sandbox allows at most ${grouped(MAX_PAYLOAD_BYTES)}`;
  return new PluginLimitError(`plugin ${plugin} ${reason}`, reason);
}

export function pluginFailed(plugin: string, where: SandboxCallSite, description: string) {
  const reason = description.startsWith('threw ')
    ? `${where} ${description}`
    : `${where} threw ${description}`;
  return new SandboxError(`plugin ${plugin} failed in ${where}: ${description}`, reason);
}

export function sandboxBroken(plugin: string, where: SandboxCallSite, why: string) {
  const reason = `broke its sandbox in ${where} (${why}); the plugin is stopped`;
  return new PluginLimitError(`plugin ${plugin} ${reason}`, reason);
}
