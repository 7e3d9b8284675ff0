/**
 * Checking a plugin's definition when it is loaded, and turning it into the module the core runs.
 * A bad definition is refused with a {@link PluginError} that names the file and the field.
 */
import semver from 'semver';
import { DEVICE_CLASSES, HyperkataError, nearest } from '../../core/model/index.js';
import type { InputIssue } from '../../core/model/index.js';
import type { FaultLocator, VspHandlers, VspHost, VspModule } from '../../core/vsp/types.js';
import type { VspDefinition } from './define-vsp.js';
import type { SettingSpec, SettingsSpec, SettingValue } from './settings.js';
import { resolveSettings } from './settings.js';
import { SDK_VERSION } from './version.js';

/**
 * A problem with a plugin, located where its source can say: `at` is the place in the plugin's
 * own files — `src/index.ts:22:3`, 1-based, relative to where the user typed the command — when
 * the loader found it (a syntax error, a definition field written in the source).
 *
 * @example
 * ```ts
 * const issue: PluginIssue = {
 *   path: ['id'],
 *   expected: 'an id outside the reserved "hyperkata." namespace …',
 *   found: '"hyperkata.mine"',
 *   at: 'src/index.ts:22:3',
 * };
 * ```
 */
export interface PluginIssue extends InputIssue {
  readonly at?: string;
}

/** How a message names where an issue is: `src/index.ts:22:3`, or `my-pkg (node_modules/…:22:3)`. */
function placeOf(source: string, at: string | undefined): string {
  if (at === undefined) return source;
  const typed = source.replace(/^\.\//, '');
  return at.replace(/^\.\//, '').startsWith(`${typed}:`) ? at : `${source} (${at})`;
}

/**
 * A plugin file or definition the host refuses to load.
 *
 * @example
 * ```ts
 * try {
 *   const options = { source: 'my-vsp.ts', builtIn: false, isolation: 'native', digest: 'dev' } as const;
 *   toVspModule(definition, options);
 * } catch (e) {
 *   if (!PluginError.is(e)) throw e;
 *   console.error(e.message); // my-vsp.ts: sdk: expected a range that includes this host's SDK …
 *   // (a loader that found the field in the source says where: my-vsp.ts:4:3: sdk: …)
 *   for (const issue of e.issues) console.error(issue.path.join('.'), issue.expected, issue.found);
 * }
 * ```
 */
export class PluginError extends HyperkataError {
  declare readonly kind: 'plugin';

  constructor(
    /** The file (or package) the plugin came from. */
    readonly source: string,
    readonly issues: readonly PluginIssue[],
  ) {
    super(
      'plugin',
      issues
        .map(
          (i) =>
            `${placeOf(source, i.at)}: ${i.path.length > 0 ? i.path.join('.') + ': ' : ''}expected ${i.expected}, found ${i.found}`,
        )
        .join('\n'),
    );
    this.name = 'PluginError';
  }

  static override is(value: unknown): value is PluginError {
    return value instanceof PluginError;
  }
}

/**
 * What a plugin id looks like: lowercase words of letters, digits and dashes, joined by dots, at
 * least two of them (a namespace of yours, then a name).
 *
 * @example
 * ```ts
 * PLUGIN_ID_PATTERN.test('acme.tiny-storvsp'); // true
 * PLUGIN_ID_PATTERN.test('tiny-storvsp'); // false: no namespace
 * ```
 */
export const PLUGIN_ID_PATTERN = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/;
export const RESERVED_NAMESPACE = 'hyperkata.';

/**
 * How a host loads a definition with {@link toVspModule}: where it came from and how it runs.
 *
 * @example
 * ```ts
 * const options: LoadOptions = {
 *   source: 'my-vsp/src/index.ts',
 *   builtIn: false,
 *   isolation: 'native',
 *   digest: 'sha256:…',
 * };
 * ```
 */
export interface LoadOptions {
  /** Where the definition came from, for error messages. */
  readonly source: string;
  /** Built-ins may use the reserved `hyperkata.` namespace; nobody else may. */
  readonly builtIn: boolean;
  readonly isolation: 'native' | 'sandbox';
  /** Digest of the plugin's code (recorded in replays). */
  readonly digest: string;
  /** For a plugin run natively: where in its code a failed call went wrong (see FaultLocator). */
  readonly locateFault?: FaultLocator;
}

/**
 * Validates an untrusted value as a VSP definition; returns every problem found.
 *
 * @example
 * ```ts
 * const definition = { id: 'hyperkata.mine', sdk: '^1.0.0', deviceClass: 'storage', create };
 * const issues = checkDefinition(definition, false); // false: not a built-in
 * // [{ path: ['id'], expected: 'an id outside the reserved "hyperkata." namespace …',
 * //    found: '"hyperkata.mine"' }]
 * ```
 */
export function checkDefinition(value: unknown, builtIn: boolean): InputIssue[] {
  const issues: InputIssue[] = [];
  if (value === null || typeof value !== 'object') {
    return [
      {
        path: [],
        expected: 'a VSP definition object (the default export of defineVsp({...}))',
        // What a host reads as the default export: undefined when the module has none.
        found: value === undefined ? 'no default export' : typeof value,
      },
    ];
  }
  const def = value as Record<string, unknown>;
  const id = def.id;
  if (typeof id !== 'string' || !PLUGIN_ID_PATTERN.test(id)) {
    issues.push({
      path: ['id'],
      expected: 'a namespaced id such as "acme.my-storvsp"',
      found: show(id),
    });
  } else if (!builtIn && id.startsWith(RESERVED_NAMESPACE)) {
    issues.push({
      path: ['id'],
      expected: `an id outside the reserved "hyperkata." namespace (it belongs to the built-in VSPs): one of yours, e.g. "local.${id.slice(RESERVED_NAMESPACE.length)}"`,
      found: show(id),
    });
  }
  const range = def.sdk;
  if (typeof range !== 'string' || semver.validRange(range) === null) {
    issues.push({
      path: ['sdk'],
      expected: 'a semver range of SDK versions, e.g. "^1.0.0"',
      found: show(range),
    });
  } else if (!semver.satisfies(SDK_VERSION, range)) {
    issues.push({
      path: ['sdk'],
      expected: `a range that includes this host's SDK ${SDK_VERSION} (${sdkAdvice(range)})`,
      found: show(range),
    });
  }
  if (
    typeof def.deviceClass !== 'string' ||
    !(DEVICE_CLASSES as readonly string[]).includes(def.deviceClass)
  ) {
    issues.push({
      path: ['deviceClass'],
      expected: `one of ${DEVICE_CLASSES.map((c) => JSON.stringify(c)).join(', ')}${didYouMean(def.deviceClass, DEVICE_CLASSES)}`,
      found: show(def.deviceClass),
    });
  }
  if (typeof def.create !== 'function') {
    issues.push({
      path: ['create'],
      expected: 'a function create(host, settings) that returns handlers',
      found: show(def.create),
    });
  }
  if (def.description !== undefined && typeof def.description !== 'string') {
    issues.push({ path: ['description'], expected: 'a string', found: show(def.description) });
  }
  if (def.settings !== undefined) checkSettingsSpec(def.settings, issues);
  return issues;
}

function checkSettingsSpec(value: unknown, issues: InputIssue[]): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    issues.push({ path: ['settings'], expected: 'an object of setting specs', found: show(value) });
    return;
  }
  for (const [key, raw] of Object.entries(value as Record<string, unknown>)) {
    const path = ['settings', key];
    if (raw === null || typeof raw !== 'object') {
      issues.push({ path, expected: 'a setting spec { type, default, … }', found: show(raw) });
      continue;
    }
    const s = raw as Record<string, unknown>;
    // A misspelt field (`minimum`, `descripton`) would be dropped without a word: the bundle
    // strips the types that flag it in an editor.
    const type = String(s.type);
    const fields = Object.hasOwn(SPEC_FIELDS, type) ? SPEC_FIELDS[type] : undefined;
    if (fields !== undefined)
      for (const field of Object.keys(s).filter((k) => !fields.includes(k)))
        issues.push({
          path: [...path, field],
          expected: `no unknown fields in a setting of type ${JSON.stringify(s.type)}, which has ${fields.join(', ')} (remove ${JSON.stringify(field)}${didYouMean(
            field,
            fields.filter((f) => !Object.hasOwn(s, f)),
          ).replace(/^ \((.*)\)$/, ': $1')})`,
          found: show(s[field]),
        });
    if (typeof s.description !== 'string')
      issues.push({
        path: [...path, 'description'],
        expected: 'a string',
        found: show(s.description),
      });
    if (s.type === 'integer' || s.type === 'number') {
      const { min, max, default: d } = s;
      const missing = typeof min !== 'number' ? 'min' : typeof max !== 'number' ? 'max' : undefined;
      if (missing !== undefined) {
        issues.push({
          path: [...path, missing],
          expected: `a number: the least (min) and greatest (max) value the setting takes`,
          found: show(s[missing]),
        });
      } else if (typeof min !== 'number' || typeof max !== 'number' || min > max) {
        issues.push({
          path: [...path, 'min'],
          expected: 'numbers min ≤ max',
          found: `${show(min)}..${show(max)}`,
        });
      } else if (typeof d !== 'number' || d < min || d > max) {
        issues.push({
          path: [...path, 'default'],
          expected: `a number from ${min} to ${max}`,
          found: show(d),
        });
      }
    } else if (s.type === 'boolean') {
      if (typeof s.default !== 'boolean')
        issues.push({
          path: [...path, 'default'],
          expected: 'true or false',
          found: show(s.default),
        });
    } else if (s.type === 'choice') {
      const choices = s.choices;
      if (
        !Array.isArray(choices) ||
        choices.length === 0 ||
        !choices.every((c) => typeof c === 'string')
      ) {
        issues.push({
          path: [...path, 'choices'],
          expected: 'a non-empty list of strings',
          found: show(choices),
        });
      } else if (!(choices as unknown[]).includes(s.default)) {
        issues.push({
          path: [...path, 'default'],
          expected: 'one of the choices',
          found: show(s.default),
        });
      }
    } else {
      issues.push({
        path: [...path, 'type'],
        expected: '"integer", "number", "boolean" or "choice"',
        found: show(s.type),
      });
    }
  }
}

/** The fields of a setting spec of each type (settings.ts's SettingSpec). */
const SPEC_FIELDS: Readonly<Record<string, readonly string[]>> = {
  integer: ['type', 'default', 'min', 'max', 'description'],
  number: ['type', 'default', 'min', 'max', 'description'],
  boolean: ['type', 'default', 'description'],
  choice: ['type', 'default', 'choices', 'description'],
};

/** ` (did you mean "storage"?)` for a string that is a near miss of one of `known`; else empty. */
function didYouMean(found: unknown, known: readonly string[]): string {
  const near = typeof found === 'string' ? nearest(found, known) : undefined;
  return near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
}

/**
 * Turns a checked definition into the module the core runs. Throws {@link PluginError} when the
 * definition is invalid.
 *
 * @example
 * ```ts
 * import tinyStorvsp from './tiny-storvsp.js';
 *
 * const options = { source: 'tiny-storvsp.ts', builtIn: false, isolation: 'native', digest: 'dev' } as const;
 * const vsp = toVspModule(tinyStorvsp, options);
 * const sim = Simulation.create({ scenario, configuration, vsps: [...BUILT_IN_VSPS, vsp] });
 * ```
 */
export function toVspModule(
  value: unknown,
  options: LoadOptions,
): VspModule & { readonly settingsSpec: SettingsSpec } {
  const issues = checkDefinition(value, options.builtIn);
  if (issues.length > 0) throw new PluginError(options.source, issues);
  const def = value as VspDefinition;
  const spec: SettingsSpec = def.settings ?? {};
  const module = {
    id: def.id,
    deviceClass: def.deviceClass,
    isolation: options.isolation,
    digest: options.digest,
    settingsSpec: spec,
    checkSettings(
      settings: Readonly<Record<string, SettingValue>>,
      path: readonly (string | number)[],
    ) {
      return resolveSettings(spec, settings, path).issues;
    },
    create(host: VspHost) {
      const { settings } = resolveSettings(spec, host.settings, []);
      return checkHandlers(def.create(host, settings as never));
    },
  };
  const locate = options.locateFault;
  if (locate === undefined) return module;
  return {
    ...module,
    // The host calls create through the module (no handler given): the plugin's own is this one.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- located by its text, never called
    locateFault: (thrown, handler) => locate(thrown, handler ?? def.create),
  };
}

/**
 * What `create` returned, checked as the sandbox checks it: without this, a plugin whose
 * handlers lack `onPacket` (a JavaScript typo) would start, then fail at its first packet with
 * "handlers.onPacket is not a function", blamed on onPacket.
 */
function checkHandlers(made: unknown): VspHandlers {
  if (made === null || (typeof made !== 'object' && typeof made !== 'function'))
    throw new TypeError(`create() must return the handlers object, got ${show(made)}`);
  if (typeof (made as Partial<VspHandlers>).onPacket !== 'function')
    throw new TypeError('create() must return handlers with an onPacket function');
  return made as VspHandlers;
}

/**
 * Default settings of a spec, as the game's inspector shows them.
 *
 * @example
 * ```ts
 * const spec = {
 *   requestNs: { type: 'integer', default: 3000, min: 0, max: 1_000_000, description: 'CPU' },
 * } as const;
 * defaultSettings(spec); // { requestNs: 3000 }
 * ```
 */
export function defaultSettings(spec: SettingsSpec): Record<string, SettingValue> {
  const out: Record<string, SettingValue> = {};
  for (const [key, s] of Object.entries<SettingSpec>(spec)) out[key] = s.default;
  return out;
}

/**
 * What to do about a valid SDK range this host does not satisfy: a range that starts past this
 * SDK wants a newer Hyperkata (or a range this one meets); any other was written for another SDK.
 */
function sdkAdvice(range: string): string {
  const needs = semver.minVersion(range);
  const caret = `^${String(semver.major(SDK_VERSION))}.0.0`;
  if (needs !== null && semver.gt(needs, SDK_VERSION))
    return `it needs SDK ${needs.version} or later: run it on a newer Hyperkata, or lower the range — "^${SDK_VERSION}" — if it uses nothing SDK ${SDK_VERSION} lacks`;
  return `it was written for another SDK: check it against SDK ${SDK_VERSION} and declare a range that includes it, e.g. "${caret}"`;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null)
    return String(value);
  return Array.isArray(value) ? 'a list' : 'an object';
}
