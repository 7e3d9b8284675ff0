/**
 * `--plugin SPEC`: a plugin file (`.ts`, `.mts`, `.js`, `.mjs`) or the name of an npm package
 * installed where the command runs. Sandboxed unless trusted. Whatever is wrong — a missing file,
 * a package that is not installed, code that does not compile, a bad definition — is a
 * PluginError naming what the user typed and, where there is one, the field.
 */
import { existsSync, statSync } from 'node:fs';
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
    ...(options.trusted === undefined ? {} : { trusted: options.trusted }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
  };
  const file = path.resolve(options.cwd, spec);
  const looksLikePath = spec.startsWith('.') || path.isAbsolute(spec) || spec.includes('/');
  if (PLUGIN_FILE.test(spec) || (looksLikePath && !spec.startsWith('@'))) {
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
