/**
 * Loading a plugin from its source: bundle it (bundle.ts), then run it in the sandbox — or, for
 * local development with `trusted`, natively, as the built-ins run. Either way its definition is
 * validated with the SDK's checks and a bad one is refused with a PluginError naming the source
 * and the field.
 */
import type { VspModule } from '../../core/vsp/types.js';
import { describeThrown, safelyLocated } from '../../core/vsp/plugin-faults.js';
import { PluginError, toVspModule } from '../sdk/load.js';
import { createSandboxedVsp } from '../sandbox/index.js';
import { bundleFaultLocator, sourceLocator } from '../fault-location/index.js';
import type { SandboxLimits } from '../sandbox/index.js';
import { bundlePluginWithSourceMap } from './bundle.js';
import type { BundleEntry } from './bundle.js';

export interface LoadPluginOptions {
  /** Named in every error: the file or package the user gave. */
  readonly source: string;
  /** Run natively, without the sandbox's limits (your own plugin, while you develop it). */
  readonly trusted?: boolean;
  readonly limits?: Partial<SandboxLimits>;
  /** Where `source` was typed from: stack locations name the plugin's files relative to it. */
  readonly displayFrom?: string;
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
  if (mode === 'sandbox') {
    return createSandboxedVsp(code, {
      source: options.source,
      digest,
      sourceMap,
      ...(options.limits === undefined ? {} : { limits: options.limits }),
    });
  }
  // Named in stack frames as the sandbox names its module (what the user typed), not by the
  // data: URL, so a fault maps through the source map as the sandbox's does.
  const named = `${code}\n//# sourceURL=${options.source}`;
  const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(named)}`;
  const locateFault = bundleFaultLocator({
    bundleName: options.source,
    moduleUrl: url,
    code: named,
    locate: sourceLocator(sourceMap),
  });
  let namespace: { default?: unknown };
  try {
    namespace = (await import(url)) as { default?: unknown };
  } catch (e) {
    // Its top-level code threw: the plugin's mistake, said (and located) as the sandbox says it.
    const where = safelyLocated(locateFault, e, undefined);
    const found = where === undefined ? errorLine(e) : `${errorLine(e)} (${where})`;
    throw new PluginError(options.source, [
      { path: [], expected: 'a plugin module that loads', found },
    ]);
  }
  return toVspModule(namespace.default, {
    source: options.source,
    builtIn: false,
    isolation: 'native',
    digest,
    locateFault,
  });
}

/** `Name: message` of what was thrown (an Error from the module's realm is not `instanceof`). */
function errorLine(e: unknown): string {
  const { name, message } = (e ?? {}) as { name?: unknown; message?: unknown };
  if (typeof message !== 'string') return describeThrown(e);
  return `${typeof name === 'string' ? name : 'Error'}: ${message}`;
}

async function sha256(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}
