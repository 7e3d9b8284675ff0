/**
 * Reading level and solution files a person wrote: size limit, JSON syntax with line and column,
 * keys the parser would take silently (one written twice, `__proto__`), then the schema — every
 * problem reported with the file name, the JSON path, what was found and what was expected. Pure:
 * callers pass the text (the CLI and the game read files their own way).
 */
import { parse as parseJsonc, printParseErrorCode, visit } from 'jsonc-parser';
import type { JSONPath, ParseError } from 'jsonc-parser';
import { ConfigurationError, formatPath, issuesFromZod } from '../core/index.js';
import type { InputIssue } from '../core/index.js';
import { lineAndColumn } from '../core/model/text-position.js';
import { HOST_METRICS, LevelSchema, VM_METRICS } from './schema/level.js';
import type { Level } from './schema/level.js';
import { SolutionSchema } from './schema/solution.js';
import type { Solution } from './schema/solution.js';

/** Level and solution files larger than this are refused before parsing. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Arrays and objects nested deeper than this are refused before parsing: the JSON parser
 * recurses, so a file of 100 000 `[` would overflow the stack. Real files nest about 8 deep.
 */
export const MAX_JSON_DEPTH = 64;

/** At most this many repeated keys are reported for one file (the rest add nothing). */
export const MAX_KEY_ISSUES = 10;

/** A file that is not valid JSON, too large, or not of the expected shape. */
export class FileFormatError extends ConfigurationError {
  constructor(source: string, issues: readonly InputIssue[]) {
    super(source, issues);
    this.name = 'FileFormatError';
  }
}

/**
 * Level and solution files are JSON with comments (`//`, `/* *\/`) and trailing commas allowed, as
 * docs/levels.md promises: a teacher annotates a level, a student deletes the last entry of a list.
 */
const JSONC_OPTIONS = { disallowComments: false, allowTrailingComma: true } as const;

/**
 * Parses JSON text, turning a syntax error — or a key written twice in one object, or a
 * `__proto__` key — into an issue with its line and column.
 */
export function parseJsonText(text: string, source: string): unknown {
  const bytes = text.length;
  if (bytes > MAX_FILE_BYTES) {
    throw new FileFormatError(source, [
      {
        path: [],
        expected: `a file of at most ${MAX_FILE_BYTES / (1024 * 1024)} MB`,
        found: `${(bytes / (1024 * 1024)).toFixed(1)} MB`,
      },
    ]);
  }
  // A UTF-8 byte order mark is not JSON, but editors on Windows may write one: skip it.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const deep = offsetTooDeep(text, MAX_JSON_DEPTH);
  if (deep >= 0) {
    const { line, column } = lineAndColumn(text, deep);
    throw new FileFormatError(source, [
      {
        path: [`line ${line}, column ${column}`],
        expected: `at most ${MAX_JSON_DEPTH} levels of nested arrays and objects`,
        found: 'deeper nesting',
      },
    ]);
  }
  const errors: ParseError[] = [];
  const value = parseJsonc(text, errors, {
    ...JSONC_OPTIONS,
    allowEmptyContent: false,
  }) as unknown;
  const first = errors.at(0);
  if (first === undefined) {
    const keys = keyIssues(text);
    if (keys.length > 0) throw new FileFormatError(source, keys);
    return value;
  }
  const { line, column } = lineAndColumn(text, first.offset);
  const code = printParseErrorCode(first.error);
  // A token running to the end of the file is cut short (`tru`), unless it is the closing
  // punctuation itself: `"level": }` in a file without a final newline is a missing value.
  const last = text.slice(first.offset, first.offset + first.length);
  const atEnd =
    first.offset >= text.trimEnd().length ||
    code.startsWith('UnexpectedEnd') ||
    (first.offset + first.length >= text.length && !/^[\]},:]$/.test(last));
  const found = atEnd
    ? 'the end of the file (is it cut short?)'
    : JSON.stringify(
        text.slice(first.offset, first.offset + Math.max(1, Math.min(12, first.length))),
      );
  throw new FileFormatError(source, [
    {
      path: [`line ${line}, column ${column}`],
      expected: `valid JSON: ${SYNTAX_EXPECTED[code] ?? 'a JSON value'} (${code})`,
      found,
    },
  ]);
}

/**
 * What each JSON syntax error of jsonc-parser expected, in the words of a person who wrote the
 * file by hand — a student reads "a comma between two entries", not "CommaExpected".
 */
const SYNTAX_EXPECTED: Readonly<Record<string, string>> = {
  InvalidSymbol: 'a value — text in double quotes, a number, true, false, null, {…} or […]',
  InvalidNumberFormat: 'a number such as 42 or 0.5',
  PropertyNameExpected: 'a key in double quotes, such as "vm"',
  ValueExpected: 'a value after the key or the comma',
  ColonExpected: 'a colon (:) between a key and its value',
  CommaExpected: 'a comma between two entries',
  CloseBraceExpected: 'a } closing the object',
  CloseBracketExpected: 'a ] closing the list',
  EndOfFileExpected: 'nothing after the closing } of the file',
  InvalidCommentToken: 'a comment written // … or /* … */',
  UnexpectedEndOfComment: 'a comment closed with */',
  UnexpectedEndOfString: 'text closed with a double quote (")',
  UnexpectedEndOfNumber: 'the rest of the number',
  InvalidUnicode: 'four hex digits after \\u',
  InvalidEscapeCharacter: 'an escape such as \\n, \\" or \\\\ after a backslash',
  InvalidCharacter: 'no line break or tab inside text in double quotes',
};

/**
 * Keys the parser would take silently: a key written twice in one object (the parser keeps the
 * last, so the first is lost without a word), and `__proto__` (the parser assigns it, which sets
 * the object's prototype instead of adding a key: a VM named so would vanish). Each is located by
 * line and column and by the JSON path of the object it is in.
 */
function keyIssues(text: string): InputIssue[] {
  const issues: InputIssue[] = [];
  const open: Set<string>[] = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        open.push(new Set());
      },
      onObjectEnd: () => {
        open.pop();
      },
      onObjectProperty: (key, offset, _length, _line, _column, objectPath) => {
        const seen = open[open.length - 1];
        if (issues.length < MAX_KEY_ISSUES && key === '__proto__')
          issues.push({
            path: [where(text, offset, objectPath())],
            expected: 'a key other than __proto__ (it is reserved in JavaScript)',
            found: '"__proto__"',
          });
        else if (issues.length < MAX_KEY_ISSUES && seen.has(key))
          issues.push({
            path: [where(text, offset, objectPath())],
            expected: 'each key at most once in an object',
            found: `a second ${JSON.stringify(key)}`,
          });
        seen.add(key);
      },
    },
    JSONC_OPTIONS,
  );
  return issues;
}

/** `line 4, column 7 (in vms.db01.memory)`: where a key is, and the object it belongs to. */
function where(text: string, offset: number, objectPath: JSONPath): string {
  const { line, column } = lineAndColumn(text, offset);
  const inside = objectPath.length === 0 ? 'the top-level object' : formatPath(objectPath);
  return `line ${line}, column ${column} (in ${inside})`;
}

/**
 * Offset of the first `[` or `{` nested deeper than `max` (outside strings and comments), or -1.
 * A comment is skipped whole: a `"` in `// don't "quote" me` must not hide the brackets after it.
 */
function offsetTooDeep(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return -1;
}

/** Parses a level file's text. */
export function parseLevel(text: string, source: string): Level {
  const json = parseJsonText(text, source);
  const result = LevelSchema.safeParse(json);
  if (!result.success)
    throw new FileFormatError(
      source,
      issuesFromZod(result.error, json, LevelSchema).map(scopeHint),
    );
  return result.data;
}

/**
 * An objective's metric of the other scope (`rootCpuPercent` on a `"scope": "vm"` objective) is
 * refused with the list of the right scope's metrics; say which scope it belongs to instead.
 */
function scopeHint(issue: InputIssue): InputIssue {
  const [top, , field] = issue.path;
  if (top !== 'objectives' || field !== 'metric' || issue.path.length !== 3) return issue;
  const metric = /^"(\w+)"$/.exec(issue.found)?.[1] ?? '';
  const host = (HOST_METRICS as readonly string[]).includes(metric);
  const vm = (VM_METRICS as readonly string[]).includes(metric);
  if (!host && !vm) return issue;
  const hint = host
    ? `${metric} is a host metric: give this objective "scope": "host" and no "vm"`
    : `${metric} is a VM metric: give this objective "scope": "vm" and a "vm"`;
  // The metric is spelt right, only in the wrong scope: no "did you mean" another name.
  const expected = issue.expected.replace(/ \(did you mean [^)]*\)$/, '');
  return { ...issue, expected: `${expected} (${hint})` };
}

/** Parses a solution file's text. */
export function parseSolution(text: string, source: string): Solution {
  return solutionFromJson(parseJsonText(text, source), source);
}

/**
 * Checks a solution that was already read as JSON — one kept in the game's saved progress or
 * received through a share link — against the solution schema, as {@link parseSolution} does.
 */
export function solutionFromJson(json: unknown, source: string): Solution {
  const result = SolutionSchema.safeParse(json);
  if (!result.success)
    throw new FileFormatError(source, issuesFromZod(result.error, json, SolutionSchema));
  return result.data;
}
