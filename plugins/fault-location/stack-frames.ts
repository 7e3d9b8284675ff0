/**
 * Reading a native JavaScript stack — V8's (`    at Object.onPacket (file:///…/index.ts:12:5)`),
 * or Firefox's and Safari's (`onPacket@http://…/main.js:12:5`) — into frames, and writing a frame
 * as the sandbox writes QuickJS's: `at onPacket (src/index.ts:12:5)`. Pure string work: no Node
 * or browser API, so hosts in both can use it.
 */

/** One frame of a stack: the function (when named), its file as the stack names it, 1-based line and column. */
export interface StackFrame {
  readonly name: string | undefined;
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

// `at NAME (FILE:L:C)` or `at FILE:L:C` (V8); `NAME@FILE:L:C` (SpiderMonkey, JavaScriptCore).
const V8_NAMED = /^\s*at (.+?) \((.+):(\d+):(\d+)\)$/;
const V8_BARE = /^\s*at (.+):(\d+):(\d+)$/;
const AT_SIGN = /^\s*([^@]*)@(.+):(\d+):(\d+)$/;

/**
 * The frames of `stack` that name a file, line and column, innermost first (lines that do not —
 * the message, `at native`, `at <anonymous>` without a place — are skipped).
 *
 * @example
 * ```ts
 * stackFrames('Error: boom\n    at Object.onPacket (file:///p/src/index.ts:12:5)');
 * // [{ name: 'onPacket', file: '/p/src/index.ts', line: 12, column: 5 }]
 * ```
 */
export function stackFrames(stack: string): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const text of stack.split('\n')) {
    const named = V8_NAMED.exec(text);
    const bare = named === null ? V8_BARE.exec(text) : null;
    const at = named === null && bare === null ? AT_SIGN.exec(text) : null;
    const parts = named ?? (bare === null ? at : [bare[0], '', bare[1], bare[2], bare[3]]);
    if (parts === null) continue;
    frames.push({
      name: functionName(parts[1]),
      file: fileOf(parts[2]),
      line: Number(parts[3]),
      column: Number(parts[4]),
    });
  }
  return frames;
}

/**
 * A frame as the sandbox words one, so a fault reads the same natively and sandboxed.
 *
 * @example
 * ```ts
 * frameText('onPacket', 'src/index.ts', 12, 5); // "at onPacket (src/index.ts:12:5)"
 * ```
 */
export function frameText(
  name: string | undefined,
  file: string,
  line: number,
  column: number,
): string {
  return `at ${name ?? '<anonymous>'} (${file}:${String(line)}:${String(column)})`;
}

/** The stack of what was thrown, when it is an Error that has one (reading it never throws). */
export function stackOf(thrown: unknown): string | undefined {
  if (!(thrown instanceof Error)) return undefined;
  try {
    const stack: unknown = thrown.stack;
    return typeof stack === 'string' ? stack : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The function's own name, as QuickJS gives it: V8's receiver (`Object.onPacket`,
 * `Module.create`, `StorvspChannel.handle`), `async `, `new ` and ` [as alias]` dropped.
 */
function functionName(raw: string): string | undefined {
  let name = raw
    .trim()
    .replace(/ \[as [^\]]*\]$/, '')
    .replace(/^(async|new) /, '');
  const dot = name.lastIndexOf('.');
  if (dot >= 0) name = name.slice(dot + 1);
  return name === '' || name === '<anonymous>' ? undefined : name;
}

/** The file part of a frame: a path with `/` separators, without `file://` or `webpack-internal:///`. */
function fileOf(raw: string): string {
  let file = raw.trim();
  if (file.startsWith('file://')) {
    file = file.slice('file://'.length);
    try {
      file = decodeURIComponent(file);
    } catch {
      // Not percent-encoded after all: keep it as it is.
    }
    // file:///C:/x on Windows.
    if (/^\/[A-Za-z]:\//.test(file)) file = file.slice(1);
  } else if (file.startsWith('webpack-internal:///')) {
    file = file.slice('webpack-internal:///'.length).replace(/^\.\//, '');
  }
  return file.replace(/\\/g, '/');
}
