/**
 * The record of every channel a VSP lost, and why: a plugin that threw, looped or broke its
 * limits (blamed on the plugin), or a guest that broke the protocol (blamed on the guest, as the
 * VSP or the ring reader detected it). Reports and the game read it (rule 38).
 */
import type { Ns } from '../engine/index.js';
import { HyperkataError } from '../model/index.js';
import type { NarrationReason } from '../simulation/narration-reasons.js';
import { vspFailure, vspFailureText } from './failure-reasons.js';
import type { VspFailureReason } from './failure-reasons.js';
import type { FaultLocator } from './types.js';

export type ChannelFaultKind =
  /** The plugin's handler threw (an Error or anything else). */
  | 'plugin-threw'
  /** The sandbox stopped the plugin: CPU budget, memory limit, or an oversized result. */
  | 'plugin-limit'
  /** The plugin used the host object wrongly (e.g. charged CPU outside a handler). */
  | 'plugin-misuse'
  /** The VSP found the guest's packet malformed and stopped the channel. */
  | 'guest-protocol-violation'
  /** The ring reader refused what the guest put in the ring (rule 37). */
  | 'guest-ring-violation';

export interface ChannelFault {
  readonly time: Ns;
  readonly kind: ChannelFaultKind;
  /** Plugin id of the VSP serving the channel. */
  readonly plugin: string;
  /** VSP instance name. */
  readonly instance: string;
  readonly vm: string;
  readonly device: string;
  readonly channel: number;
  /** Why, in English (plugins, replays and the CLI read it). */
  readonly reason: string;
  /**
   * The same as an id and its arguments, for the player's language (core/vsp/failure-reasons.ts,
   * or a ring's refusal); null when the reason is free text — a plugin's own words.
   */
  readonly message: NarrationReason | null;
}

export class ChannelFaultLog {
  private readonly faults: ChannelFault[] = [];

  record(fault: ChannelFault): void {
    this.faults.push(fault);
  }

  list(): readonly ChannelFault[] {
    return this.faults;
  }

  get count(): number {
    return this.faults.length;
  }

  /** Faults a plugin is to blame for (not the guest). */
  pluginFaults(): ChannelFault[] {
    return this.faults.filter((f) => f.kind.startsWith('plugin-'));
  }
}

/**
 * Thrown out of a sandboxed plugin's handler when the sandbox stopped it — CPU budget, memory
 * limit, an oversized result — so the fault is recorded as `plugin-limit`, not `plugin-threw`.
 */
export class PluginLimitError extends HyperkataError {
  declare readonly kind: 'plugin-limit';

  constructor(
    message: string,
    /** The same, relative to the plugin (without its id), for the fault record. */
    readonly faultReason: string = message,
    /** `faultReason` as an id and its numbers, for the player's language. */
    readonly faultMessage?: VspFailureReason,
  ) {
    super('plugin-limit', message);
    this.name = 'PluginLimitError';
  }

  static override is(value: unknown): value is PluginLimitError {
    return value instanceof PluginLimitError;
  }
}

/**
 * An error that already says, relative to the plugin, why its call failed (the sandbox's: "onPacket
 * threw TypeError: … (at src/index.ts:12)", "exceeded its CPU budget … in onPacket"). The fault
 * records `faultReason`; the message, for whoever catches it elsewhere, also names the plugin.
 */
export interface PluginFaultError {
  readonly faultReason: string;
  /** `faultReason` as an id and its numbers, when the error has them. */
  readonly faultMessage?: VspFailureReason;
}

function hasFaultReason(value: unknown): value is PluginFaultError {
  return (
    value instanceof Error && typeof (value as Partial<PluginFaultError>).faultReason === 'string'
  );
}

/**
 * Why a plugin's handler failed, as the fault and the narration say it: the handler, what it
 * threw and, when known, where in the plugin's code (`where`, from the module's
 * {@link FaultLocator}) — the same words natively, in the sandbox and in the SDK's test harness.
 *
 * @example
 * faultReason(new TypeError('x is undefined'), 'onPacket'); // "onPacket threw TypeError: x is undefined"
 * faultReason(new Error('boom'), 'onPacket', 'at onPacket (src/index.ts:12:5)');
 * // "onPacket threw Error: boom (at onPacket (src/index.ts:12:5))"
 */
export function faultReason(value: unknown, handler: string, where?: string): string {
  if (hasFaultReason(value)) return value.faultReason;
  return vspFailureText(threw(value, handler, where));
}

/** `plugin.threw`: what a handler threw, and where. */
function threw(value: unknown, handler: string, where: string | undefined): VspFailureReason {
  return vspFailure('plugin.threw', {
    handler,
    thrown: describeThrown(value),
    where: where ?? null,
  });
}

/**
 * {@link locatedFaultReason} as the fault records it: an id and its arguments (a handler that
 * threw, a sandbox limit), or the error's own words when it has no id.
 *
 * @example
 * locatedFault(new Error('boom'), 'onPacket', undefined, undefined);
 * // { id: 'plugin.threw', args: { handler: 'onPacket', thrown: 'Error: boom', where: null } }
 */
export function locatedFault(
  value: unknown,
  handler: string,
  locate: FaultLocator | undefined,
  fn: unknown,
): VspFailureReason | string {
  if (hasFaultReason(value)) return value.faultMessage ?? value.faultReason;
  return threw(value, handler, safelyLocated(locate, value, fn));
}

/**
 * {@link faultReason}, located by `locate` (a natively loaded module's): computed only when a call
 * failed. A locator that throws locates nothing — the fault is reported either way.
 *
 * @example
 * locatedFaultReason(e, 'onPacket', module.locateFault, handlers.onPacket);
 */
export function locatedFaultReason(
  value: unknown,
  handler: string,
  locate: FaultLocator | undefined,
  fn: unknown,
): string {
  const fault = locatedFault(value, handler, locate, fn);
  return typeof fault === 'string' ? fault : vspFailureText(fault);
}

/**
 * What `locate` says of `thrown` (see {@link FaultLocator}), or undefined when there is no
 * locator or it threw: a fault is reported whether or not it can be located.
 */
export function safelyLocated(
  locate: FaultLocator | undefined,
  thrown: unknown,
  fn: unknown,
): string | undefined {
  if (locate === undefined) return undefined;
  try {
    return locate(thrown, fn);
  } catch {
    return undefined;
  }
}

/** Turns anything a plugin threw into one readable line. */
export function describeThrown(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  if (typeof value === 'string') return `threw a string: ${JSON.stringify(value.slice(0, 200))}`;
  try {
    const text = JSON.stringify(value) as string | undefined;
    return `threw a non-Error value: ${(text ?? typeof value).slice(0, 200)}`;
  } catch {
    return 'threw a value that cannot be described';
  }
}
