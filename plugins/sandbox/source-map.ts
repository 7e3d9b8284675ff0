/**
 * Stack locations a plugin author can use. A sandboxed plugin runs as one bundle — its files, its
 * dependencies and `hyperkata/protocols` in front of them — so QuickJS's stack frames give lines
 * of the bundle (`src/index.ts:1879:18` for line 12 of src/index.ts). With the bundler's source
 * map (version 3, as esbuild writes it), the frames are rewritten to the plugin's own files and
 * lines. Plain code without a browser or Node API: hosts in both can use it.
 */

/** A position in one of the plugin's own files: its name and 1-based line and column. */
export interface SourcePosition {
  readonly source: string;
  readonly line: number;
  readonly column: number;
}

/** Where a 1-based line and column of the bundle come from, or undefined when nothing maps there. */
export type SourceLocator = (line: number, column: number) => SourcePosition | undefined;

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map(Array.from({ length: 64 }, (_, i) => [BASE64.charAt(i), i]));

/** One mapping of a generated line: from `column` on, the code comes from `source` at line, column. */
interface Segment {
  readonly column: number;
  readonly source: number;
  readonly line: number;
  readonly sourceColumn: number;
}

/**
 * A locator over a source map's JSON. The mappings are decoded on the first lookup (a plugin's
 * faults are rare; most runs never ask).
 *
 * @example
 * ```ts
 * const locate = sourceLocator(mapJson);
 * locate(1879, 18); // { source: 'src/index.ts', line: 12, column: 13 }
 * ```
 */
export function sourceLocator(sourceMapJson: string): SourceLocator {
  const map = JSON.parse(sourceMapJson) as { sources?: unknown; mappings?: unknown };
  const sources = Array.isArray(map.sources) ? map.sources.map(String) : [];
  const mappings = typeof map.mappings === 'string' ? map.mappings : '';
  let lines: Segment[][] | null = null;
  return (line, column) => {
    lines ??= decodeMappings(mappings);
    if (line < 1 || line > lines.length) return undefined;
    // The last segment that starts at or before the column (else the line's first: a frame
    // without a column, or one in the indentation).
    const segments = lines[line - 1];
    let found: Segment | undefined = segments.length > 0 ? segments[0] : undefined;
    for (const s of segments) {
      if (s.column > column - 1) break;
      found = s;
    }
    if (found === undefined || found.source >= sources.length) return undefined;
    return { source: sources[found.source], line: found.line + 1, column: found.sourceColumn + 1 };
  };
}

/** The `mappings` field: generated lines split by `;`, segments by `,`, fields as base64 VLQ. */
function decodeMappings(mappings: string): Segment[][] {
  const lines: Segment[][] = [];
  // Every field but the generated column is relative to the previous segment's, across lines.
  let source = 0;
  let line = 0;
  let sourceColumn = 0;
  for (const text of mappings.split(';')) {
    const segments: Segment[] = [];
    let column = 0;
    for (const segment of text.split(',')) {
      if (segment === '') continue;
      const fields = decodeVlq(segment);
      column += fields[0] ?? 0;
      if (fields.length < 4) continue; // a generated column that maps to nothing
      source += fields[1];
      line += fields[2];
      sourceColumn += fields[3];
      segments.push({ column, source, line, sourceColumn });
    }
    lines.push(segments);
  }
  return lines;
}

/** Base64 VLQ: five bits per digit, continuation in bit 5; the sign in the lowest bit. */
function decodeVlq(text: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of text) {
    const digit = DIGIT.get(c);
    if (digit === undefined) return out;
    value += (digit & 31) * 2 ** shift;
    if ((digit & 32) !== 0) {
      shift += 5;
      continue;
    }
    out.push(value % 2 === 1 ? -Math.floor(value / 2) : value / 2);
    value = 0;
    shift = 0;
  }
  return out;
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
export function relocateFrames(text: string, fileName: string, locate: SourceLocator): string {
  const escaped = fileName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(
    new RegExp(`(^|[\\s(])${escaped}:(\\d+)(?::(\\d+))?`, 'g'),
    (whole, before: string, line: string, column: string | undefined) => {
      const at = locate(Number(line), column === undefined ? 1 : Number(column));
      if (at === undefined) return whole;
      const where = `${at.source}:${String(at.line)}`;
      return `${before}${column === undefined ? where : `${where}:${String(at.column)}`}`;
    },
  );
}
