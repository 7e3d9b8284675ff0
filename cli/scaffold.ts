/**
 * `hyperkata new-plugin`'s work: a plugin project from the templates in plugins/sdk/templates —
 * the VSP, its tests on the SDK harness, a package.json whose `npm test` runs them — with
 * `node_modules/hyperkata` linked to the Hyperkata that made it, so the tests pass as generated,
 * before any `npm install`.
 */
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearest } from '../core/model/index.js';
import { PLUGIN_ID_PATTERN } from '../plugins/sdk/load.js';
import { SDK_VERSION } from '../plugins/sdk/version.js';
import { messageOf, UsageError } from './errors.js';
import { playFiles } from './scaffold-play.js';

const HYPERKATA_ROOT = fileURLToPath(new URL('../', import.meta.url));
const TEMPLATES = path.join(HYPERKATA_ROOT, 'plugins', 'sdk', 'templates');

/** An npm package name without a scope: lowercase words joined by dashes. */
export const PLUGIN_NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const MAX_NAME_LENGTH = 60;

export interface ScaffoldOptions {
  /** The package name; also the folder's name. */
  readonly name: string;
  /** Where the folder is created. */
  readonly parentDir: string;
  /** The plugin id; default `local.<name>`. */
  readonly id?: string;
  /** The template: the device class to start from (a folder of plugins/sdk/templates). Default `storage`. */
  readonly template?: string;
}

/** The template {@link scaffoldPlugin} uses when none is named. */
export const DEFAULT_TEMPLATE = 'storage';

export interface ScaffoldResult {
  readonly dir: string;
  readonly id: string;
  /** The template it was made from. */
  readonly template: string;
  /** The files written, relative to `dir`. */
  readonly files: readonly string[];
  /**
   * The campaign level whose copy (`level.json`, with `solution.json`) plays the plugin, when the
   * template has one.
   */
  readonly playLevel?: string;
  /** Where `node_modules/hyperkata` points: the Hyperkata that made the project. */
  readonly hyperkata: string;
}

/** Creates the plugin project; throws a UsageError for a bad name or id, or a folder that exists. */
export function scaffoldPlugin(options: ScaffoldOptions): ScaffoldResult {
  const { name } = options;
  checkName(name);
  const id = options.id ?? `local.${name}`;
  checkId(id);
  const template = options.template ?? DEFAULT_TEMPLATE;
  if (!pluginTemplates().includes(template)) {
    const meant = nearest(template, pluginTemplates());
    throw new UsageError(
      `no plugin template "${template}"${meant === undefined ? '' : ` — did you mean ${meant}?`} (there are: ${pluginTemplates().join(', ')})`,
    );
  }
  const templateDir = path.join(TEMPLATES, template);
  const dir = path.resolve(options.parentDir, name);
  if (existsSync(dir))
    throw new UsageError(`${dir} already exists: choose another name or another --dir`);
  checkOutsideHyperkata(dir);

  const values: Readonly<Record<string, string>> = {
    name,
    id,
    sdkRange: `^${SDK_VERSION}`,
    hyperkataVersion: hyperkataVersion(),
  };
  const play = playFiles(template, id, name);
  const files = [
    ...templateFiles(templateDir).map((relative) => ({
      target: targetName(relative),
      text: render(readFileSync(path.join(templateDir, relative), 'utf8'), values, relative),
    })),
    ...(play?.files ?? []),
  ];
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UsageError(`${dir}: cannot be created (${messageOf(e)})`);
  }
  try {
    for (const f of files) {
      mkdirSync(path.dirname(path.join(dir, f.target)), { recursive: true });
      writeFileSync(path.join(dir, f.target), f.text);
    }
    // As `npm link hyperkata` would: the package, and its command for `npx hyperkata`.
    mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(HYPERKATA_ROOT, path.join(dir, 'node_modules', 'hyperkata'), 'junction');
    symlinkSync(
      path.join('..', 'hyperkata', 'bin', 'hyperkata.js'),
      path.join(dir, 'node_modules', '.bin', 'hyperkata'),
    );
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw new UsageError(`${dir}: cannot be written (${messageOf(e)})`);
  }
  return {
    dir,
    id,
    template,
    files: files.map((f) => f.target),
    ...(play === undefined ? {} : { playLevel: play.from }),
    hyperkata: HYPERKATA_ROOT,
  };
}

/**
 * A plugin project inside Hyperkata's own folder would be taken for Hyperkata's code: its lint,
 * type check and Jest would pick up the plugin's files (and its node:test tests).
 */
function checkOutsideHyperkata(dir: string): void {
  // Compare real paths: the folder may be reached through a symbolic link.
  let existing = path.dirname(dir);
  while (!existsSync(existing)) existing = path.dirname(existing);
  const real = path.join(realpathSync(existing), path.relative(existing, dir));
  const inside = path.relative(realpathSync(HYPERKATA_ROOT), real);
  if (inside.startsWith('..') || path.isAbsolute(inside)) return;
  throw new UsageError(
    `${dir} is inside Hyperkata's own folder (${HYPERKATA_ROOT}), whose lint and tests would take the plugin for Hyperkata's code: make it elsewhere, e.g. --dir ${path.dirname(path.resolve(HYPERKATA_ROOT))}`,
  );
}

function checkName(name: string): void {
  if (name.length > MAX_NAME_LENGTH || !PLUGIN_NAME_PATTERN.test(name))
    throw new UsageError(
      `"${name}" is not a plugin name: use lowercase letters, digits and dashes, starting with a letter (e.g. my-storvsp), at most ${String(MAX_NAME_LENGTH)} characters`,
    );
  if (name === 'hyperkata' || name.startsWith('hyperkata-'))
    throw new UsageError(`"${name}": names starting with "hyperkata" belong to the built-ins`);
}

function checkId(id: string): void {
  if (!PLUGIN_ID_PATTERN.test(id))
    throw new UsageError(`"${id}" is not a plugin id: use a namespaced id such as acme.my-storvsp`);
  if (id.startsWith('hyperkata.'))
    throw new UsageError(`"${id}": the "hyperkata." namespace belongs to the built-in VSPs`);
}

/** The templates `new-plugin --template` offers: one per device class, sorted. */
export function pluginTemplates(): string[] {
  return readdirSync(TEMPLATES, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** Every file under `dir`, relative, sorted (the same project on every machine). */
function templateFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  const entries = readdirSync(path.join(dir, prefix), { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  for (const e of entries) {
    const relative = prefix === '' ? e.name : `${prefix}/${e.name}`;
    if (e.isDirectory()) out.push(...templateFiles(dir, relative));
    else if (e.name.endsWith('.tmpl')) out.push(relative);
  }
  return out;
}

/** `src/index.ts.tmpl` → `src/index.ts`; `gitignore.tmpl` → `.gitignore` (npm drops dotfiles). */
function targetName(relative: string): string {
  const plain = relative.slice(0, -'.tmpl'.length);
  return plain === 'gitignore' ? '.gitignore' : plain;
}

function render(text: string, values: Readonly<Record<string, string>>, file: string): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!Object.hasOwn(values, key)) throw new Error(`template ${file}: unknown {{${key}}}`);
    return values[key];
  });
}

function hyperkataVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(HYPERKATA_ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
