/**
 * Loading a plugin from its source: bundle it (bundle.ts), then run it in the sandbox — or, for
 * local development with `trusted`, natively, as the built-ins run. Either way its definition is
 * validated with the SDK's checks and a bad one is refused with a PluginError naming the source
 * and the field.
 */
import type { VspModule } from '../../core/vsp/types.js';
import { toVspModule } from '../sdk/load.js';
import { createSandboxedVsp } from '../sandbox/index.js';
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
  const url = `data:text/javascript;charset=utf-8,${encodeURIComponent(code)}`;
  const namespace = (await import(url)) as { default?: unknown };
  return toVspModule(namespace.default, {
    source: options.source,
    builtIn: false,
    isolation: 'native',
    digest,
  });
}

async function sha256(text: string): Promise<string> {
  const bytes = new TextEncoder().encode(text);
  const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return [...hash].map((b) => b.toString(16).padStart(2, '0')).join('');
}
