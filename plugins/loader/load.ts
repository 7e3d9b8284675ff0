/**
 * Loading a plugin from its source: bundle it (bundle.ts), then run it in the sandbox — or, for
 * local development with `trusted`, natively, as the built-ins run. Either way its definition is
 * validated with the SDK's checks and a bad one is refused with a PluginError naming the source
 * and the field.
 */
import type { VspModule } from '../../core/vsp/types.js';
import { describeThrown, safelyLocated } from '../../core/vsp/plugin-faults.js';
import { PluginError, toVspModule } from '../sdk/load.js';
import type { PluginIssue } from '../sdk/load.js';
import { locateDefinitionIssues, locateSdkImports } from './definition-sites.js';
import { createSandboxedVsp, SANDBOX_SIZE_CHECKS } from '../sandbox/index.js';
import { bundleFaultLocator, sourceLocator } from '../fault-location/index.js';
import type { SandboxLimits } from '../sandbox/index.js';
import { bundlePluginWithSourceMap } from './bundle.js';
import type { BundleEntry } from './bundle.js';

export interface LoadPluginOptions {
  /** Named in every error: the file or package the user gave. */
  readonly source: string;
  /** Run natively, without the sandbox (your own plugin, while you develop it); held to its sizes. */
  readonly trusted?: boolean;
  readonly limits?: Partial<SandboxLimits>;
  /** Where `source` was typed from: stack locations name the plugin's files relative to it. */
  readonly displayFrom?: string;
  /**
   * Reads one of the plugin's files by the name its messages give it (relative to
   * `displayFrom`), or undefined. Given, a refused definition says where each bad field is
   * written (`src/index.ts:22:3: id: expected …`); a browser, which has no files, passes none.
   */
  readonly readSource?: (file: string) => string | undefined;
  /**
   * Trusted only: told when the plugin's module starts running its top-level code and when it is
   * done (the CLI's watchdog sees a module that never finishes loading).
   */
  readonly watchLoading?: { enter(): void; exit(): void };
}

/**
 * Bundles and loads a plugin. Sandboxed unless `trusted`.
 *
 * @example
 * ```ts
 * const vsp = await loadPluginEntry({ file: 'my-vsp/src/index.ts' }, { source: 'my-vsp/src/index.ts' });
 * const sim = Simulation.create({ scenario, configuration, vsps: [...BUILT_IN_VSPS, vsp] });
 * ```
 */
export async function loadPluginEntry(
  entry: BundleEntry,
  options: LoadPluginOptions,
): Promise<VspModule> {
  const mode = options.trusted === true ? 'native' : 'sandbox';
  const { code, sourceMap } = await bundlePluginWithSourceMap(entry, {
    mode,
    source: options.source,
    ...(options.displayFrom === undefined ? {} : { displayFrom: options.displayFrom }),
  });
  const digest = `sha256:${await sha256(code)}`;
  // A refused definition says where each field is written (read from the sources only then).
  const { readSource } = options;
  // A host-side SDK import, refused as the sandbox links the module, says where it is imported.
  const located = (e: unknown): unknown =>
    !PluginError.is(e) || readSource === undefined
      ? e
      : e.issues.every(isDefinitionIssue)
        ? new PluginError(e.source, locateDefinitionIssues(e.issues, sourceMap, readSource))
        : new PluginError(e.source, locateSdkImports(e.issues, sourceMap, readSource));
  if (mode === 'sandbox') {
    return createSandboxedVsp(code, {
      source: options.source,
      digest,
      sourceMap,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    }).catch((e: unknown) => {
      throw located(e);
    });
  }
  // Named in stack frames as the sandbox names its module (what the user typed), not by the
  // data: URL, so a fault maps through the source map as the sandbox's does.
  const named = `${code}\n//# sourceURL=${options.source}`;
  // Base64: a loader hook that compiles TypeScript (tsx, which runs the CLI) re-transforms a
  // plain `data:` module — minified, its stack frames would no longer match the source map —
  // but passes a base64 one through as it is.
  const url = `data:text/javascript;base64,${base64(named)}`;
  const locateFault = bundleFaultLocator({
    bundleName: options.source,
    moduleUrl: url,
    code: named,
    locate: sourceLocator(sourceMap),
  });
  let namespace: { default?: unknown };
  try {
    options.watchLoading?.enter();
    try {
      namespace = (await import(url)) as { default?: unknown };
    } finally {
      options.watchLoading?.exit();
    }
  } catch (e) {
    // Its top-level code threw: the plugin's mistake, said (and located) as the sandbox says it.
    const where = safelyLocated(locateFault, e, undefined);
    const found = where === undefined ? errorLine(e) : `${errorLine(e)} (${where})`;
    throw new PluginError(options.source, [
      { path: [], expected: 'a plugin module that loads', found },
    ]);
  }
  try {
    const module = toVspModule(namespace.default, {
      source: options.source,
      builtIn: false,
      isolation: 'native',
      digest,
      locateFault,
    });
    // Held to the sandbox's sizes: a completion the sandbox refuses fails the same way here.
    return { ...module, sandboxSizes: SANDBOX_SIZE_CHECKS };
  } catch (e) {
    throw located(e);
  }
}

/**
 * An issue of the definition's checks (checkDefinition): a field, or the default export itself —
 * not a module that failed to load, whose message already says where.
 */
function isDefinitionIssue(issue: PluginIssue): boolean {
  return issue.path.length > 0 || issue.expected.startsWith('a VSP definition object');
}

/** `Name: message` of what was thrown (an Error from the module's realm is not `instanceof`). */
function errorLine(e: unknown): string {
  const { name, message } = (e ?? {}) as { name?: unknown; message?: unknown };
  if (typeof message !== 'string') return describeThrown(e);
  return `${typeof name === 'string' ? name : 'Error'}: ${message}`;
}

/** The UTF-8 bytes of `text` in base64 (btoa takes Latin-1 text, so the bytes go as such). */
function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let latin1 = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    latin1 += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(latin1);
}

async function sha256(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}
