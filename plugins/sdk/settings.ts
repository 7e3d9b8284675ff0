/**
 * Settings a VSP declares, as plain data (so a sandboxed plugin can declare them too): each has a
 * type, bounds, a default and a description the game shows in the VSP inspector.
 */
import { nearest } from '../../core/model/index.js';
import type { InputIssue } from '../../core/model/index.js';

/**
 * One setting a VSP declares: its type, its default, its bounds or choices, and the description
 * the game’s VSP inspector shows.
 *
 * @example
 * ```ts
 * const queueDepth: SettingSpec = {
 *   type: 'integer',
 *   default: 32,
 *   min: 1,
 *   max: 256,
 *   description: 'Requests in flight per channel',
 * };
 * const order: SettingSpec = {
 *   type: 'choice',
 *   default: 'fifo',
 *   choices: ['fifo', 'elevator'],
 *   description: 'Disk queue order',
 * };
 * ```
 */
export type SettingSpec =
  | {
      readonly type: 'integer' | 'number';
      readonly default: number;
      readonly min: number;
      readonly max: number;
      readonly description: string;
    }
  | { readonly type: 'boolean'; readonly default: boolean; readonly description: string }
  | {
      readonly type: 'choice';
      readonly default: string;
      readonly choices: readonly string[];
      readonly description: string;
    };

/**
 * A VSP’s settings by name: the `settings` of `defineVsp`.
 *
 * @example
 * ```ts
 * export default defineVsp({
 *   id: 'acme.fast-storvsp',
 *   sdk: '^1.0.0',
 *   deviceClass: 'storage',
 *   settings: {
 *     queueDepth: { type: 'integer', default: 32, min: 1, max: 256, description: 'Requests in flight' },
 *     writeBack: { type: 'boolean', default: false, description: 'Complete writes before the disk does' },
 *   },
 *   create(host, settings) {
 *     // settings.queueDepth: number, settings.writeBack: boolean
 *     return { onPacket() {} };
 *   },
 * });
 * ```
 */
export type SettingsSpec = Readonly<Record<string, SettingSpec>>;

/**
 * A setting’s value, as a solution gives it for a VSP instance and the VSP receives it.
 *
 * @example
 * ```ts
 * // solution.json, in "vsps":
 * // { "id": "fast", "plugin": "acme.fast-storvsp", "device": "ssd0", "settings": { "queueDepth": 64 } }
 * const given: Record<string, SettingValue> = { queueDepth: 64, writeBack: true };
 * ```
 */
export type SettingValue = number | string | boolean;

/**
 * The settings object a VSP receives: every declared setting, with its default when not given.
 *
 * @example
 * ```ts
 * const spec = {
 *   requestNs: { type: 'integer', default: 3000, min: 0, max: 1_000_000, description: 'CPU per request' },
 * } as const;
 * type Settings = ResolvedSettings<typeof spec>; // { readonly requestNs: number }
 * ```
 */
export type ResolvedSettings<S extends SettingsSpec> = {
  readonly [K in keyof S]: S[K] extends { type: 'boolean' }
    ? boolean
    : S[K] extends { type: 'choice' }
      ? string
      : number;
};

/**
 * Checks `given` against `spec` and fills defaults. Unknown keys and out-of-range values are
 * issues located under `path` (e.g. `["vsps", 0, "settings"]`).
 *
 * @example
 * ```ts
 * const { settings, issues } = resolveSettings(spec, { requestNs: 5000 }, ['vsps', 1, 'settings']);
 * // settings: { requestNs: 5000 }; issues: one per unknown key or out-of-range value, e.g.
 * // { path: ['vsps', 1, 'settings', 'requestNs'], expected: 'an integer from 0 to 1000000',
 * //   found: '-1' }
 * ```
 */
export function resolveSettings(
  spec: SettingsSpec,
  given: Readonly<Record<string, SettingValue>>,
  path: readonly (string | number)[],
): { settings: Record<string, SettingValue>; issues: InputIssue[] } {
  const issues: InputIssue[] = [];
  const settings: Record<string, SettingValue> = {};
  for (const key of Object.keys(given)) {
    if (!Object.hasOwn(spec, key)) {
      const known = Object.keys(spec);
      issues.push({
        path: [...path, key],
        expected:
          known.length > 0
            ? `one of the plugin's settings (${known.join(', ')})${didYouMean(key, known)}`
            : 'no settings: this plugin has none',
        found: JSON.stringify(key),
      });
    }
  }
  for (const [key, s] of Object.entries(spec)) {
    const value = Object.hasOwn(given, key) ? given[key] : undefined;
    if (value === undefined) {
      settings[key] = s.default;
      continue;
    }
    const issue = checkValue(s, value);
    if (issue === undefined) settings[key] = value;
    else issues.push({ path: [...path, key], expected: issue, found: JSON.stringify(value) });
  }
  return { settings, issues };
}

function checkValue(s: SettingSpec, value: SettingValue): string | undefined {
  switch (s.type) {
    case 'integer':
    case 'number': {
      const kind = s.type === 'integer' ? 'an integer' : 'a number';
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (s.type === 'integer' && !Number.isInteger(value))
      ) {
        return `${kind} from ${s.min} to ${s.max}`;
      }
      return value < s.min || value > s.max ? `${kind} from ${s.min} to ${s.max}` : undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'true or false';
    case 'choice':
      return typeof value === 'string' && s.choices.includes(value)
        ? undefined
        : `one of ${s.choices.map((c) => JSON.stringify(c)).join(', ')}`;
  }
}

/** ` (did you mean "requestNs"?)` for a near miss of one of `known`; else empty. */
function didYouMean(key: string, known: readonly string[]): string {
  const near = nearest(key, known);
  return near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
}
