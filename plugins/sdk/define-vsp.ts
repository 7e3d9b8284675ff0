/**
 * `defineVsp`: how a plugin author declares a Virtualization Service Provider. The definition is
 * one typed object — a namespaced id, the SDK version range it needs, the device class it serves,
 * its settings, and a factory that receives a narrow host object and returns handlers — in the
 * spirit of the VS Code extension API.
 */
import type { DeviceClass } from '../../core/model/index.js';
import type { VspHandlers, VspHost } from '../../core/vsp/types.js';
import type { ResolvedSettings, SettingsSpec } from './settings.js';

/**
 * What `defineVsp` takes, and a plugin module’s default export: the plugin’s id, the SDK range it
 * needs, the device class it serves, its settings and the factory of its VSP instances.
 *
 * @example
 * ```ts
 * const definition: VspDefinition = {
 *   id: 'acme.null-storage',
 *   sdk: '^1.0.0',
 *   deviceClass: 'storage',
 *   create: () => ({
 *     onPacket: (channel, packet) => void channel.complete(packet.transId, new Uint8Array(0)),
 *   }),
 * };
 * export default defineVsp(definition);
 * ```
 */
export interface VspDefinition<S extends SettingsSpec = SettingsSpec> {
  /** Namespaced id, e.g. `acme.fast-storvsp`. The `hyperkata.` namespace is reserved for built-ins. */
  readonly id: string;
  /** The SDK versions this plugin works with, as a semver range, e.g. `^1.0.0`. */
  readonly sdk: string;
  /** Which synthetic device the VSP serves; channels of other classes never reach it. */
  readonly deviceClass: DeviceClass;
  /** One line shown in the game's VSP picker. */
  readonly description?: string;
  /** Settings the player can change in the VSP inspector, with defaults and bounds. */
  readonly settings?: S;
  /**
   * Called once per VSP instance. Keep all state in the closure: the host object is the only way
   * to reach the simulation, and it never exposes other partitions or other plugins.
   */
  create(host: VspHost, settings: ResolvedSettings<S>): VspHandlers;
}

/**
 * Declares a VSP. Returns the definition unchanged (the types do the work); the host validates it
 * when it is loaded and refuses a bad one with a message naming the file and the field.
 *
 * @example
 * ```ts
 * import { defineVsp } from 'hyperkata/sdk';
 *
 * export default defineVsp({
 *   id: 'acme.null-storage',
 *   sdk: '^1.0.0',
 *   deviceClass: 'storage',
 *   settings: { latencyUs: { type: 'integer', default: 5, min: 0, max: 1000, description: 'Extra CPU per request' } },
 *   create(host, settings) {
 *     return {
 *       onPacket(channel, packet) {
 *         host.cpu.charge(settings.latencyUs * 1000);
 *         if (packet.completionRequested) channel.complete(packet.transId, new Uint8Array(0));
 *       },
 *     };
 *   },
 * });
 * ```
 */
export function defineVsp<const S extends SettingsSpec = SettingsSpec>(
  definition: VspDefinition<S>,
): VspDefinition<S> {
  // An Error made here holds the caller's frame — the plugin's own file — and is formatted only
  // if read: once per plugin, never per packet. The definition itself is left as it was given.
  const given: unknown = definition; // a JavaScript plugin may pass anything
  if (given !== null && typeof given === 'object')
    definitionSites.set(given, new Error('defineVsp'));
  return definition;
}

/** Where each definition was made (see {@link definitionSite}). */
const definitionSites = new WeakMap<object, Error>();

/**
 * An Error made where `defineVsp` was called with `definition`, whose stack names the plugin's
 * file and line; undefined for a definition made without it. For the SDK's test harness, which
 * runs a plugin's sources natively: a value thrown that is not an Error carries no stack, and this
 * is how it still names the plugin's file. Not part of `hyperkata/sdk`.
 *
 * @example
 * ```ts
 * const vsp = defineVsp({ id: 'acme.x', sdk: '^1.0.0', deviceClass: 'storage', create });
 * definitionSite(vsp)?.stack; // "Error: defineVsp\n    at defineVsp (…)\n    at file:///…/src/index.ts:3:13"
 * ```
 */
export function definitionSite(definition: unknown): Error | undefined {
  return definition !== null && typeof definition === 'object'
    ? definitionSites.get(definition)
    : undefined;
}
