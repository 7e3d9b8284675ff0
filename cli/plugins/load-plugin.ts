/**
 * `--plugin SPEC`: a plugin file (`.ts`, `.mts`, `.js`, `.mjs`), a plugin project's folder (the
 * file its package.json names), or the name of an npm package installed where the command runs. Sandboxed unless trusted. Whatever is wrong — a missing file,
 * a package that is not installed, code that does not compile, a bad definition — is a
 * PluginError naming what the user typed and, where there is one, the field.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { VspModule } from '../../core/index.js';
import { PluginError } from '../../plugins/sdk/index.js';
import { loadPluginEntry } from '../../plugins/loader/index.js';
import { messageOf } from '../errors.js';
import type { SandboxLimits } from '../../plugins/sandbox/index.js';

export interface CliLoadOptions {
  /** Where relative paths and packages are resolved from. */
  readonly cwd: string;
  readonly trusted?: boolean;
  readonly limits?: Partial<SandboxLimits>;
  /** Trusted only: told when the module's top-level code starts and ends (the watchdog's). */
  readonly watchLoading?: { enter(): void; exit(): void };
}

const PLUGIN_FILE = /\.(ts|mts|js|mjs)$/;
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export async function loadPlugin(spec: string, options: CliLoadOptions): Promise<VspModule> {
  const common = {
    source: spec,
    displayFrom: options.cwd,
    readSource: (file: string): string | undefined => {
      try {
        return readFileSync(path.resolve(options.cwd, file), 'utf8');
      } catch {
        return undefined;
      }
    },
    ...(options.trusted === undefined ? {} : { trusted: options.trusted }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.watchLoading === undefined ? {} : { watchLoading: options.watchLoading }),
  };
  const file = path.resolve(options.cwd, spec);
  const looksLikePath = spec.startsWith('.') || path.isAbsolute(spec) || spec.includes('/');
  if (PLUGIN_FILE.test(spec) || (looksLikePath && !spec.startsWith('@'))) {
    if (existsSync(file) && statSync(file).isDirectory()) {
      // A plugin project's folder: its package.json names the entry, as for an installed package.
      const entry = packageEntry(file);
      if (typeof entry !== 'string')
        throw refuse(
          spec,
          'a plugin file (.ts, .mts, .js or .mjs), or a folder whose package.json names one in "main"',
          entry.problem === undefined ? 'a folder without one' : `a package.json ${entry.problem}`,
        );
      return loadPluginEntry({ file: entry }, common);
    }
    if (!existsSync(file) || !statSync(file).isFile())
      throw refuse(spec, 'a plugin file (.ts, .mts, .js or .mjs)', 'no such file');
    if (!PLUGIN_FILE.test(file))
      throw refuse(
        spec,
        'a .ts, .mts, .js or .mjs file',
        `a ${path.extname(file) || 'file without an extension'}`,
      );
    return loadPluginEntry({ file }, common);
  }
  if (!PACKAGE_NAME.test(spec))
    throw refuse(spec, 'a plugin file path or an npm package name', JSON.stringify(spec));
  const installed = findPackage(spec, options.cwd);
  if (installed === undefined)
    throw refuse(
      spec,
      `an npm package installed here (npm install ${spec})`,
      `no ${spec} under node_modules from ${options.cwd}`,
    );
  // Without an "exports" map, a package.json that is not JSON or names a file that is not there
  // is said so, where the bundler would only say it cannot resolve the package.
  const manifest = readManifest(installed);
  const entry =
    'pkg' in manifest && 'exports' in manifest.pkg ? undefined : packageEntry(installed, manifest);
  if (entry !== undefined && typeof entry !== 'string' && entry.broken)
    throw refuse(
      spec,
      'an npm package whose package.json names its plugin file in "main"',
      `${path.join(installed, 'package.json')} ${entry.problem ?? ''}`,
    );
  return loadPluginEntry({ packageName: spec, resolveDir: options.cwd }, common);
}

/** Why a package.json names no plugin file: what follows "found a package.json …". */
interface EntryProblem {
  /** Undefined: there is no package.json. */
  readonly problem: string | undefined;
  /** It is unreadable or names a file that is not there (an installed package cannot load). */
  readonly broken: boolean;
}

/** A folder's package.json, read once: its content, or why there is none to use. */
function readManifest(dir: string): { readonly pkg: object } | EntryProblem {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return { problem: undefined, broken: false };
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch (e) {
    return { problem: `that is not JSON (${messageOf(e)})`, broken: true };
  }
  if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg))
    return { problem: 'that is not an object', broken: true };
  return { pkg };
}

/** The plugin file a folder's package.json names (`module`, else `main`), or what is wrong. */
function packageEntry(dir: string, manifest = readManifest(dir)): string | EntryProblem {
  if (!('pkg' in manifest)) return manifest;
  const { module, main } = manifest.pkg as { module?: unknown; main?: unknown };
  const field = typeof module === 'string' ? 'module' : typeof main === 'string' ? 'main' : null;
  if (field === null) return { problem: 'without "main"', broken: false };
  const named = (field === 'module' ? module : main) as string;
  const entry = path.resolve(dir, named);
  const says = `whose "${field}" is ${JSON.stringify(named)}`;
  const isFile = (f: string): boolean => existsSync(f) && statSync(f).isFile();
  // An installed package's "main" may leave the extension out; Node and the bundler add it.
  if (!isFile(entry) && !['.ts', '.mts', '.js', '.mjs'].some((ext) => isFile(entry + ext)))
    return { problem: `${says}, and there is no such file`, broken: true };
  if (!PLUGIN_FILE.test(entry))
    return { problem: `${says}, which is not a .ts, .mts, .js or .mjs file`, broken: false };
  return entry;
}

/** The package's directory, looking in node_modules from `dir` up, as Node does. */
function findPackage(name: string, dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(d) === d) return undefined;
  }
}

function refuse(source: string, expected: string, found: string): PluginError {
  return new PluginError(source, [{ path: [], expected, found }]);
}
