/**
 * Stack locations a plugin author can use. A bundled plugin runs as one bundle — its files, its
 * dependencies and `hyperkata/protocols` in front of them — so its stack frames, QuickJS's in the
 * sandbox or V8's when loaded natively, give lines of the bundle (`src/index.ts:1879:18` for line
 * 12 of src/index.ts). With the bundler's source
 * map (version 3, as esbuild writes it), the frames are rewritten to the plugin's own files and
 * lines. The map is read by `@jridgewell/trace-mapping` (the decoder Jest, Babel and terser use),
 * which needs no browser or Node API: hosts in both can use this.
 */
import { LEAST_UPPER_BOUND, originalPositionFor, TraceMap } from '@jridgewell/trace-mapping';

/** A position in one of the plugin's own files: its name and 1-based line and column. */
export interface SourcePosition {
  readonly source: string;
  readonly line: number;
  readonly column: number;
  /** The source map's name for what is there (an identifier's name as the author wrote it). */
  readonly name?: string;
}

/** Where a 1-based line and column of the bundle come from, or undefined when nothing maps there. */
export type SourceLocator = (line: number, column: number) => SourcePosition | undefined;

/**
 * A locator over a source map's JSON. The map is decoded on the first lookup (a plugin's faults
 * are rare; most runs never ask); one that does not decode locates nothing.
 *
 * @example
 * ```ts
 * const locate = sourceLocator(mapJson);
 * locate(1879, 18); // { source: 'src/index.ts', line: 12, column: 13 }
 * ```
 */
export function sourceLocator(sourceMapJson: string): SourceLocator {
  let map: TraceMap | null | undefined;
  return (line, column) => {
    if (map === undefined) {
      try {
        map = new TraceMap(sourceMapJson);
      } catch {
        map = null;
      }
    }
    if (map === null || line < 1) return undefined;
    // The last segment at or before the column (trace-mapping's columns are 0-based); a frame in
    // the indentation, before the line's first segment, takes that first segment.
    const needle = { line, column: Math.max(0, column - 1) };
    let at = originalPositionFor(map, needle);
    if (at.source === null) at = originalPositionFor(map, { ...needle, bias: LEAST_UPPER_BOUND });
    if (at.source === null) return undefined;
    const position = { source: at.source, line: at.line, column: at.column + 1 };
    return at.name === null ? position : { ...position, name: at.name };
  };
}

/**
 * Rewrites the frames of `text` that name `fileName` (the bundle, as the sandbox named its
 * module) — `fileName:line:column`, or `fileName:line` — to the plugin's own file and line.
 * A frame the map does not cover stays as it is.
 *
 * @example
 * ```ts
 * relocateFrames('Error: boom (at onPacket (src/index.ts:1879:18))', 'src/index.ts', locate);
 * // 'Error: boom (at onPacket (src/index.ts:12:13))'
 * ```
 */
export function relocateFrames(
  text: string,
  fileName: string,
  locate: SourceLocator,
  /** The bundle's code: a function the bundler renamed (`reply2`) is then named as written. */
  code?: string,
): string {
  const escaped = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const named =
    code === undefined
      ? text
      : text.replace(
          /(^|[\s(])at ([\w$]+\d) \(/g,
          (_whole, before: string, name: string) =>
            `${before}at ${originalName(name, code, locate)} (`,
        );
  return named.replace(
    new RegExp(`(^|[\\s(])${escaped}:(\\d+)(?::(\\d+))?`, 'g'),
    (whole, before: string, line: string, column: string | undefined) => {
      const at = locate(Number(line), column === undefined ? 1 : Number(column));
      if (at === undefined) return whole;
      const where = `${at.source}:${String(at.line)}`;
      return `${before}${column === undefined ? where : `${where}:${String(at.column)}`}`;
    },
  );
}

/**
 * The name a function has in the plugin's source when the bundler renamed it to keep names apart
 * in one module (esbuild makes `reply2` of a second `reply`): its declaration in the bundle is
 * mapped back, and the source map's name for it is the author's. Any other name is returned as it
 * is. For fault messages only — it searches the bundle's code, so it runs when a call failed.
 *
 * @example
 * ```ts
 * originalName('reply2', bundleCode, sourceLocator(map)); // "reply"
 * ```
 */
export function originalName(name: string, code: string, locate: SourceLocator): string {
  if (!/\d$/.test(name)) return name;
  const escaped = name.replace(/\$/g, '\\$');
  const declaration = new RegExp(
    `(?:\\bfunction\\*?\\s+|\\b(?:const|let|var|class)\\s+)${escaped}(?![\\w$])`,
  ).exec(code);
  if (declaration === null) return name;
  const offset = declaration.index + declaration[0].length - name.length;
  let line = 1;
  for (let i = code.indexOf('\n'); i >= 0 && i < offset; i = code.indexOf('\n', i + 1)) line++;
  const column = offset - (code.lastIndexOf('\n', offset - 1) + 1) + 1;
  const original = locate(line, column)?.name;
  const renamed =
    original !== undefined &&
    name.startsWith(original) &&
    /^\d+$/.test(name.slice(original.length));
  return renamed ? original : name;
}
