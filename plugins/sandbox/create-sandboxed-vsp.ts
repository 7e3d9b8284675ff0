/**
 * `createSandboxedVsp`: an untrusted plugin's code (one JavaScript ES module, its dependencies
 * bundled in, `hyperkata/sdk` left as an import) turned into the VspModule the core runs. The
 * definition is read inside a throwaway sandbox and validated with the SDK's own checks; each
 * VSP instance then runs in a fresh QuickJS runtime of the plugin's WebAssembly module.
 */
import type { QuickJSSyncVariant } from 'quickjs-emscripten';
import { hashString } from '../../core/engine/index.js';
import type { InputIssue } from '../../core/model/index.js';
import type { VspHandlers, VspHost, VspModule } from '../../core/vsp/types.js';
import { checkDefinition, PluginError } from '../sdk/load.js';
import { resolveSettings } from '../sdk/settings.js';
import type { SettingsSpec, SettingValue } from '../sdk/settings.js';
import type { ChargeTotal } from './cpu-meter.js';
import { DEFAULT_SANDBOX_LIMITS } from './limits.js';
import type { SandboxLimits } from './limits.js';
import { SandboxedHandlers } from './sandboxed-handlers.js';
import { SandboxHost } from './sandbox-host.js';
import type { SandboxRealm } from './quickjs-realm.js';
import { hostSideImportIssue, SDK_MODULE_NAME } from './realm/sdk-shim-source.js';
import { sourceLocator } from '../fault-location/index.js';
import type { SourceLocator } from '../fault-location/index.js';

export interface SandboxedVspOptions {
  /** The file or package the code came from: named in every error about it. */
  readonly source: string;
  /** Limits (each defaults to {@link DEFAULT_SANDBOX_LIMITS}). */
  readonly limits?: Partial<SandboxLimits>;
  /** A digest of the code, recorded in replays (default: FNV-1a 64 of the code). */
  readonly digest?: string;
  /** Lets the plugin use the reserved `hyperkata.` namespace (a built-in run in the sandbox). */
  readonly builtIn?: boolean;
  /** The QuickJS build (default RELEASE_SYNC; a browser may pass a single-file build). */
  readonly variant?: QuickJSSyncVariant;
  /**
   * The bundler's source map of `code` (JSON, version 3): the stack locations in what a failed
   * call reports then name the plugin's own files and lines — whose `sources` are given as the
   * author should read them — rather than the bundle's.
   */
  readonly sourceMap?: string;
}

/** A VSP whose code runs in the sandbox. */
export interface SandboxedVspModule extends VspModule {
  readonly isolation: 'sandbox';
  readonly description: string | undefined;
  readonly settingsSpec: SettingsSpec;
  readonly limits: SandboxLimits;
  /** Root CPU charged so far for work measured in the sandbox, over every instance, ns. */
  chargedNs(): number;
  /**
   * Memory: the plugin's WebAssembly heap, what each live instance's QuickJS runtime uses, and
   * how many stopped instances QuickJS could not free completely.
   */
  memory(): { wasmBytes: number; instanceBytes: number[]; leakedInstances: number };
  /** Frees every instance's runtime; an instance still in use fails its next call. */
  dispose(): void;
}

/**
 * Loads `code` into the sandbox and validates its definition. Throws {@link PluginError} naming
 * `options.source` and the field when the plugin does not load or its definition is bad.
 *
 * @example
 * ```ts
 * const module = await createSandboxedVsp(bundledJs, { source: 'acme-vsp/dist/index.js' });
 * const sim = Simulation.create({ scenario, configuration, vsps: [...BUILT_IN_VSPS, module] });
 * sim.runToEnd(); // a plugin that loops, hoards memory or throws loses its channel, not the run
 * ```
 */
export async function createSandboxedVsp(
  code: string,
  options: SandboxedVspOptions,
): Promise<SandboxedVspModule> {
  const limits: SandboxLimits = { ...DEFAULT_SANDBOX_LIMITS, ...options.limits };
  const host = await SandboxHost.create(limits, options.variant);
  const locate = options.sourceMap === undefined ? undefined : sourceLocator(options.sourceMap);
  const meta = readDefinition(host, code, options, locate);
  const issues = checkDefinition(meta, options.builtIn === true);
  if (issues.length > 0) {
    host.dispose();
    throw new PluginError(options.source, issues);
  }
  const def = meta as { id: string; deviceClass: VspModule['deviceClass']; description?: string };
  const spec = (meta as { settings?: SettingsSpec }).settings ?? {};
  const total: ChargeTotal = { ns: 0 };
  return {
    id: def.id,
    deviceClass: def.deviceClass,
    isolation: 'sandbox',
    digest: options.digest ?? digestOf(code),
    description: def.description,
    settingsSpec: spec,
    limits,
    checkSettings(settings: Readonly<Record<string, SettingValue>>, path) {
      return resolveSettings(spec, settings, path).issues;
    },
    create(vspHost: VspHost): VspHandlers {
      return createInstance(
        host,
        { code, source: options.source, pluginId: def.id, spec, total, locate },
        vspHost,
      );
    },
    chargedNs() {
      return total.ns;
    },
    memory() {
      return {
        wasmBytes: host.wasmBytes,
        instanceBytes: host.instanceBytes(),
        leakedInstances: host.leakedRealms,
      };
    },
    dispose() {
      host.dispose();
    },
  };
}

interface PluginCode {
  readonly code: string;
  readonly source: string;
  readonly pluginId: string;
  readonly spec: SettingsSpec;
  readonly total: ChargeTotal;
  readonly locate: SourceLocator | undefined;
}

function createInstance(
  host: SandboxHost,
  plugin: PluginCode,
  vspHost: VspHost,
): SandboxedHandlers {
  const { code, source, pluginId, spec } = plugin;
  const realm = host.newRealm({
    pluginId,
    fileName: source,
    code,
    seed: hashString(`${pluginId}/${vspHost.instance}`),
    locate: plugin.locate,
  });
  try {
    realm.load();
    const { settings } = resolveSettings(spec, vspHost.settings, []);
    const device = vspHost.device;
    const { present, effects } = realm.create(
      JSON.stringify(settings),
      JSON.stringify({
        instance: vspHost.instance,
        settings: vspHost.settings,
        device: {
          kind: device.kind,
          id: device.id,
          sriov: device.kind === 'network' && device.sriov,
        },
      }),
    );
    const handlers = new SandboxedHandlers(realm, vspHost, pluginId, present, plugin.total);
    realm.sink = handlers;
    try {
      handlers.applyCreateEffects(effects);
    } finally {
      realm.sink = null;
    }
    host.collectWith(handlers, realm);
    return handlers;
  } catch (e) {
    host.release(realm);
    throw e;
  }
}

/**
 * Evaluates the plugin in a throwaway realm and returns its definition as plain data: the
 * fields as written, `create` as a placeholder of the same type (functions cannot leave the
 * sandbox). A plugin that does not load is refused naming the file.
 */
function readDefinition(
  host: SandboxHost,
  code: string,
  options: SandboxedVspOptions,
  locate: SourceLocator | undefined,
): unknown {
  let realm: SandboxRealm | undefined;
  try {
    const { source } = options;
    realm = host.newRealm({ pluginId: source, fileName: source, code, seed: 0, locate });
    realm.load();
    return fromJson(realm.describeDefinition());
  } catch (e) {
    const found = (e instanceof Error ? e.message : String(e)).replace(
      /^plugin \S+ failed in loading: /,
      '',
    );
    host.dispose();
    throw new PluginError(options.source, [loadIssue(found)]);
  } finally {
    if (realm !== undefined) host.release(realm);
  }
}

/**
 * Why the module did not load. An import of a host-side SDK export is named as such: the plugin's
 * tests, which run natively, import it fine, and QuickJS's own message says only "not found".
 */
function loadIssue(found: string): InputIssue {
  const missing = new RegExp(
    `^SyntaxError: Could not find export '([^']+)' in module '${SDK_MODULE_NAME}'`,
  ).exec(found);
  if (missing === null)
    return { path: [], expected: 'a plugin module that loads in the sandbox', found };
  return hostSideImportIssue(missing[1]);
}

const PLACEHOLDERS: Record<string, unknown> = {
  function: () => undefined,
  undefined: undefined,
  string: '(a string)',
  number: 0,
  boolean: false,
  object: {},
  null: null,
  bigint: 0,
  symbol: '(a symbol)',
};

function fromJson(json: string): unknown {
  const meta = JSON.parse(json) as Record<string, unknown>;
  if (meta.shape !== 'object') return PLACEHOLDERS[String(meta.shape)];
  return {
    id: meta.id,
    sdk: meta.sdk,
    deviceClass: meta.deviceClass,
    description: meta.description,
    settings: meta.settings,
    create: PLACEHOLDERS[String(meta.create)],
  };
}

/** FNV-1a 64 over the code's UTF-16 units, as 16 hex digits: the same code, the same digest. */
export function digestOf(code: string): string {
  let hi = 0xcbf29ce4;
  let lo = 0x84222325;
  for (let i = 0; i < code.length; i++) {
    lo ^= code.charCodeAt(i);
    // (hi:lo) × 0x100000001b3 mod 2^64, in 32-bit halves.
    const p = (lo >>> 0) * 0x1b3;
    const carry = Math.floor(p / 0x100000000);
    hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
    lo = p >>> 0;
  }
  return `fnv1a64:${hi.toString(16).padStart(8, '0')}${lo.toString(16).padStart(8, '0')}`;
}
