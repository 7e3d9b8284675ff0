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
import type { SandboxLimits } from '../../plugins/sandbox/index.js';

export interface CliLoadOptions {
  /** Where relative paths and packages are resolved from. */
  readonly cwd: string;
  readonly trusted?: boolean;
  readonly limits?: Partial<SandboxLimits>;
}

const PLUGIN_FILE = /\.(ts|mts|js|mjs)$/;
const PACKAGE_NAME = /^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/;

export async function loadPlugin(spec: string, options: CliLoadOptions): Promise<VspModule> {
  const common = {
    source: spec,
    displayFrom: options.cwd,
    ...(options.trusted === undefined ? {} : { trusted: options.trusted }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  };
  const file = path.resolve(options.cwd, spec);
  const looksLikePath = spec.startsWith('.') || path.isAbsolute(spec) || spec.includes('/');
  if (PLUGIN_FILE.test(spec) || (looksLikePath && !spec.startsWith('@'))) {
    if (existsSync(file) && statSync(file).isDirectory()) {
      // A plugin project's folder: its package.json names the entry, as for an installed package.
      const entry = packageEntry(file);
      if (entry === undefined)
        throw refuse(
          spec,
          'a plugin file (.ts, .mts, .js or .mjs), or a folder whose package.json names one in "main"',
          'a folder without one',
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
  if (findPackage(spec, options.cwd) === undefined)
    throw refuse(
      spec,
      `an npm package installed here (npm install ${spec})`,
      `no ${spec} under node_modules from ${options.cwd}`,
    );
  return loadPluginEntry({ packageName: spec, resolveDir: options.cwd }, common);
}

/** The plugin file a folder's package.json names (`module`, else `main`), if it has one. */
function packageEntry(dir: string): string | undefined {
  const manifest = path.join(dir, 'package.json');
  if (!existsSync(manifest)) return undefined;
  let pkg: unknown;
  try {
    pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  } catch {
    return undefined;
  }
  if (pkg === null || typeof pkg !== 'object') return undefined;
  const { module, main } = pkg as { module?: unknown; main?: unknown };
  const named = typeof module === 'string' ? module : typeof main === 'string' ? main : undefined;
  if (named === undefined) return undefined;
  const entry = path.resolve(dir, named);
  return PLUGIN_FILE.test(entry) && existsSync(entry) && statSync(entry).isFile()
    ? entry
    : undefined;
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
