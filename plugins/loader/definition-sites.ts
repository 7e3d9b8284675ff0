/**
 * Where a refused definition's fields are written. The SDK's checks see the definition as a value
 * (`id: expected an id outside the reserved "hyperkata." namespace …`); an author fixes it in a
 * file, so the loader says where: the place in the plugin's own sources where the field is
 * written — `src/index.ts:22:3` — found by reading them (the bundle's source map names them;
 * the host that can read files, the CLI, reads them). Only on a refusal, never per run.
 */
import { lineAndColumn } from '../../core/model/text-position.js';
import type { PluginIssue } from '../sdk/load.js';

/** A source of the plugin as the map names it (for messages) and its text. */
interface Source {
  readonly shown: string;
  readonly text: string;
}

/**
 * `issues` with `at` set where the field they name is written in the plugin's sources: those
 * the source map `sourceMapJson` lists (`hyperkata/…`, Hyperkata's own, excepted), each read by
 * `read` from the name the map gives it (undefined: not readable). A definition is the object passed to `defineVsp(` (else the default export);
 * a field is found as a property key inside it, each step of its path after the last. An issue
 * about the whole definition, or about a field it lacks (`deviceClass: … found nothing`), is
 * placed at its start; one in sources that cannot be read stays as it is.
 *
 * @example
 * ```ts
 * locateDefinitionIssues([{ path: ['id'], expected: '…', found: '"hyperkata.x"' }], map, read);
 * // [{ path: ['id'], expected: '…', found: '"hyperkata.x"', at: 'src/index.ts:22:3' }]
 * ```
 */
export function locateDefinitionIssues(
  issues: readonly PluginIssue[],
  sourceMapJson: string,
  read: (shown: string) => string | undefined,
): PluginIssue[] {
  const sources = pluginSources(sourceMapJson, read);
  return issues.map((issue) => {
    // The whole definition is the default export; its fields are in what defineVsp( is given.
    const markers =
      issue.path.length === 0 ? [EXPORT_DEFAULT, DEFINE_VSP] : [DEFINE_VSP, EXPORT_DEFAULT];
    const definition = findDefinition(sources, markers);
    if (definition === undefined) return issue;
    const offset = fieldOffset(definition.source.text, definition.offset, issue.path);
    return offset === undefined ? issue : { ...issue, at: position(definition.source, offset) };
  });
}

/**
 * `issues` with `at` set, for an import of a host-side SDK export (`found`: `an import of
 * checkDefinition from hyperkata/sdk`), where the plugin's sources import that name from
 * `hyperkata/sdk`. The sandbox reports such an import when the module links, with no place; the
 * author fixes it at the import.
 */
export function locateSdkImports(
  issues: readonly PluginIssue[],
  sourceMapJson: string,
  read: (shown: string) => string | undefined,
): PluginIssue[] {
  const sources = pluginSources(sourceMapJson, read);
  return issues.map((issue) => {
    const name = /^an import of ([\w$]+) from hyperkata\/sdk$/.exec(issue.found)?.[1];
    if (name === undefined || issue.at !== undefined) return issue;
    const statement = new RegExp(
      `\\bimport\\s*\\{([^}]*)\\}\\s*from\\s*['"]hyperkata/sdk['"]`,
      'g',
    );
    for (let i = sources.length - 1; i >= 0; i--) {
      const text = sources[i].text;
      for (const match of text.matchAll(statement)) {
        const inBraces = new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`).exec(
          match[1],
        );
        if (inBraces === null) continue;
        const offset = match.index + match[0].indexOf('{') + 1 + inBraces.index;
        return { ...issue, at: position(sources[i], offset) };
      }
    }
    return issue;
  });
}

const DEFINE_VSP = /\bdefineVsp\s*\(/;
const EXPORT_DEFAULT = /\bexport\s+default\b/;

function pluginSources(
  sourceMapJson: string,
  read: (shown: string) => string | undefined,
): Source[] {
  let names: unknown;
  try {
    names = (JSON.parse(sourceMapJson) as { sources?: unknown }).sources;
  } catch {
    return [];
  }
  if (!Array.isArray(names)) return [];
  const out: Source[] = [];
  for (const shown of names) {
    if (typeof shown !== 'string' || shown.startsWith('hyperkata/')) continue;
    const text = read(shown);
    if (text !== undefined) out.push({ shown, text });
  }
  return out;
}

/** The definition's start: the first marker in the last source that has it (the entry is last). */
function findDefinition(
  sources: readonly Source[],
  markers: readonly RegExp[],
): { source: Source; offset: number } | undefined {
  for (const marker of markers) {
    for (let i = sources.length - 1; i >= 0; i--) {
      const match = marker.exec(sources[i].text);
      if (match !== null) return { source: sources[i], offset: match.index };
    }
  }
  return undefined;
}

/** Where the field at `fieldPath` is written, looking from `start`: each key after the last. */
function fieldOffset(
  text: string,
  start: number,
  fieldPath: readonly (string | number)[],
): number | undefined {
  let at = start;
  for (const step of fieldPath) {
    if (typeof step !== 'string') break;
    const escaped = step.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const key = new RegExp(`(?<![\\w$.])(?:${escaped}|'${escaped}'|"${escaped}")\\s*[:(]`, 'g');
    key.lastIndex = at;
    const match = key.exec(text);
    // A field the definition lacks (or builds elsewhere): the definition itself, where it starts.
    if (match === null) return at;
    at = match.index;
  }
  return at;
}

/** `file:line:column`, 1-based, as editors and terminals read it. */
function position(source: Source, offset: number): string {
  const { line, column } = lineAndColumn(source.text, offset);
  return `${source.shown}:${String(line)}:${String(column)}`;
}
