/**
 * Settings a VSP declares, as plain data (so a sandboxed plugin can declare them too): each has a
 * type, bounds, a default and a description the game shows in the VSP inspector.
 */
import type { InputIssue } from '../../core/model/index.js';

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

export type SettingsSpec = Readonly<Record<string, SettingSpec>>;

export type SettingValue = number | string | boolean;

/** The settings object a VSP receives: every declared setting, with its default when not given. */
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
            ? `one of the plugin's settings (${known.join(', ')})`
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
