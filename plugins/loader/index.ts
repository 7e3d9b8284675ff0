/**
 * Loading third-party VSP plugins from their source (Node: it bundles with esbuild). The CLI's
 * `--plugin` goes through here; the sandbox itself (plugins/sandbox) takes already-bundled code
 * and runs in the browser as well.
 */
export { bundlePlugin, bundlePluginWithSourceMap, PROTOCOLS_MODULE_NAME } from './bundle.js';
export type { BundledPlugin, BundleEntry, BundleOptions } from './bundle.js';
export { loadPluginEntry } from './load.js';
export type { LoadPluginOptions } from './load.js';
