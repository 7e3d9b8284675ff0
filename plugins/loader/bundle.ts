/**
 * Turning a plugin's source into the one ES module the sandbox runs (Node only: esbuild).
 *
 * Why esbuild rather than TypeScript's `transpileModule`: a plugin is rarely one file — an npm
 * package has its own modules and dependencies, and most plugins use the protocol codecs — and
 * esbuild transpiles TypeScript *and* bundles all of it into one module in milliseconds, keeping
 * only the code the plugin uses. It is already installed (tsx runs on it). The step is separate
 * from the sandbox, which takes JavaScript: a browser can pass code bundled ahead of time, or use
 * esbuild-wasm, which has the same API.
 *
 * What a plugin can import:
 * - `hyperkata/sdk` — left as an import in sandbox mode (the sandbox resolves it to its SDK
 *   shim); inlined as the same shim in native mode. A relative import of plugins/sdk (how the
 *   built-ins import it) counts as the same thing.
 * - `hyperkata/protocols` — the byte-exact codecs of core/protocols, bundled in (only what the
 *   plugin uses; storvsp's share is about 40 KB of JavaScript).
 * - its own files and its npm dependencies, when they are plain JavaScript.
 * Node or browser modules cannot be bundled: the sandbox has neither.
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Message, Plugin } from 'esbuild';
import { PluginError } from '../sdk/load.js';
import type { PluginIssue } from '../sdk/load.js';
import {
  hostSideImportIssue,
  SDK_MODULE_NAME,
  SDK_SHIM_SOURCE,
} from '../sandbox/realm/sdk-shim-source.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SDK_ENTRY = path.join(REPO, 'plugins', 'sdk', 'index.ts');
const PROTOCOLS_ENTRY = path.join(REPO, 'core', 'protocols', 'index.ts');
export const PROTOCOLS_MODULE_NAME = 'hyperkata/protocols';

export interface BundleOptions {
  /** `sandbox`: hyperkata/sdk stays an import. `native`: the SDK shim is inlined. */
  readonly mode: 'sandbox' | 'native';
  /** For messages: the file or package the plugin came from. */
  readonly source: string;
  /**
   * The folder the source map's file names are relative to (where the user typed `source`).
   * Default: the entry file's folder, or the package's `resolveDir`.
   */
  readonly displayFrom?: string;
}

/** A bundled plugin and its source map (JSON), whose `sources` read as the user would. */
export interface BundledPlugin {
  readonly code: string;
  readonly sourceMap: string;
}

/** Where the plugin starts: a file, or a package name resolved from `resolveDir`. */
export type BundleEntry =
  { readonly file: string } | { readonly packageName: string; readonly resolveDir: string };

/**
 * Bundles a plugin into one ES module. Throws {@link PluginError} naming the source, the file and
 * line of each problem (a syntax error, an import that cannot be resolved).
 */
export async function bundlePlugin(entry: BundleEntry, options: BundleOptions): Promise<string> {
  return (await bundlePluginWithSourceMap(entry, options)).code;
}

/**
 * {@link bundlePlugin}, with the source map that takes a stack frame's line of the bundle back
 * to the plugin's own file and line. The code is the same either way (no sourceMappingURL).
 */
export async function bundlePluginWithSourceMap(
  entry: BundleEntry,
  options: BundleOptions,
): Promise<BundledPlugin> {
  // Locations in messages, and the map's file names, are relative to the plugin's own folder.
  const workDir = 'file' in entry ? path.dirname(path.resolve(entry.file)) : entry.resolveDir;
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [path.resolve(entry.file)] }
      : {
          stdin: {
            contents: `export { default } from ${JSON.stringify(entry.packageName)};`,
            resolveDir: entry.resolveDir,
            sourcefile: `${entry.packageName} (package entry)`,
          },
        }),
    absWorkingDir: workDir,
    // Never written (write: false): it names where the map's file names are relative to.
    outfile: path.join(workDir, 'plugin.bundle.js'),
    sourcemap: 'external',
    sourcesContent: false,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    mainFields: ['module', 'main'],
    conditions: ['import', 'default'],
    resolveExtensions: ['.ts', '.mts', '.js', '.mjs'],
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    plugins: [hyperkataImports(options.mode)],
  }).catch((e: unknown) => {
    const errors = (e as { errors?: Message[] }).errors;
    if (errors === undefined) throw e;
    const shown = (file: string): string =>
      displayName(path.resolve(workDir, file), options.displayFrom ?? workDir, entry, options);
    throw new PluginError(
      options.source,
      errors.slice(0, 10).map((m) => toIssue(m, shown)),
    );
  });
  const code = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.map'));
  if (code === undefined || map === undefined) throw new Error('esbuild wrote no bundle or map');
  return { code: code.text, sourceMap: displaySources(map.text, workDir, entry, options) };
}

/**
 * The map with each file named as the user would: the entry as they typed it, Hyperkata's own
 * files as `hyperkata/…`, every other file relative to the folder they typed it from.
 */
function displaySources(
  json: string,
  workDir: string,
  entry: BundleEntry,
  options: BundleOptions,
): string {
  const map = JSON.parse(json) as { sources?: string[] };
  const from = options.displayFrom ?? workDir;
  map.sources = (map.sources ?? []).map((s) =>
    displayName(path.resolve(workDir, s), from, entry, options),
  );
  return JSON.stringify(map);
}

/**
 * A file of the plugin as messages name it: the entry as the user typed it, Hyperkata's own files
 * as `hyperkata/…`, every other file relative to `from`, the folder the user typed it from.
 */
function displayName(
  file: string,
  from: string,
  entry: BundleEntry,
  options: BundleOptions,
): string {
  const entryFile = 'file' in entry ? path.resolve(entry.file) : undefined;
  if (file === entryFile && /\.(ts|mts|js|mjs)$/.test(options.source)) return options.source;
  // Hyperkata's own code (hyperkata/protocols) by its place in the package, wherever it is.
  const inside = path.relative(REPO, file);
  const shown = inside.startsWith('..')
    ? path.relative(from, file)
    : path.join('hyperkata', inside);
  return shown.split(path.sep).join('/');
}

function toIssue(m: Message, shown: (file: string) => string): PluginIssue {
  // Native mode inlines the sandbox's SDK shim: an import it lacks is refused as the sandbox does.
  const hostSide = /^No matching export in "hyperkata-sdk-shim:[^"]*" for import "([^"]+)"/.exec(
    m.text,
  );
  const builtin = isNodeModule(/^Could not resolve "([^"]+)"/.exec(m.text)?.[1]);
  const issue: PluginIssue =
    hostSide !== null
      ? hostSideImportIssue(hostSide[1])
      : {
          path: [],
          expected: builtin
            ? 'code that needs no Node or browser module (a sandboxed plugin has none)'
            : 'plugin source that compiles and bundles',
          found: m.text,
        };
  // esbuild's columns are 0-based; editors and terminals count from 1.
  const at = m.location === null || m.location.file === '' ? undefined : m.location;
  return at === undefined
    ? issue
    : { ...issue, at: `${shown(at.file)}:${String(at.line)}:${String(at.column + 1)}` };
}

/** Whether an import names one of Node's own modules (`node:events`, `util`, `stream/promises`…). */
function isNodeModule(name: string | undefined): boolean {
  if (name === undefined) return false;
  if (name.startsWith('node:')) return true;
  return builtinModules.includes(name) || builtinModules.includes(name.split('/')[0]);
}

/** Resolves hyperkata/sdk (and relative imports of plugins/sdk) and hyperkata/protocols. */
function hyperkataImports(mode: 'sandbox' | 'native'): Plugin {
  const sdk = (): { path: string; external?: boolean; namespace?: string } =>
    mode === 'sandbox'
      ? { path: SDK_MODULE_NAME, external: true }
      : { path: SDK_MODULE_NAME, namespace: 'hyperkata-sdk-shim' };
  return {
    name: 'hyperkata-imports',
    setup(b) {
      b.onResolve({ filter: /^hyperkata\/sdk$/ }, sdk);
      b.onResolve({ filter: /^hyperkata\/protocols$/ }, () => ({ path: PROTOCOLS_ENTRY }));
      b.onResolve({ filter: /^\.\.?\/.*sdk(\/index(\.js|\.ts)?)?$/ }, (args) => {
        const target = path.resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        return target === SDK_ENTRY ||
          `${target}.ts` === SDK_ENTRY ||
          path.join(target, 'index.ts') === SDK_ENTRY
          ? sdk()
          : undefined;
      });
      b.onLoad({ filter: /.*/, namespace: 'hyperkata-sdk-shim' }, () => ({
        contents: SDK_SHIM_SOURCE,
        loader: 'js',
      }));
    },
  };
}
