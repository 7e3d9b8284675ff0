/**
 * Reads the numbered Hyper-V rules (`docs/hyperv-rules.md`), finds which tests name which rule,
 * and reads the rule table of `docs/fidelity.md`. Pure functions over text: the guard test
 * (`docs/fidelity.test.ts`) does the file reading.
 */

/** One numbered rule of `docs/hyperv-rules.md`. */
export interface HypervRule {
  readonly number: number;
  /** The `## ` heading the rule sits under, without its parenthesised source keys. */
  readonly section: string;
  /** The rule's text (first line only). */
  readonly text: string;
}

/** A test title that names one or more rules, with where it was found. */
export interface RuleTestTitle {
  readonly rules: readonly number[];
  readonly title: string;
  /** 1-based line of the title's opening quote. */
  readonly line: number;
}

const SECTION_HEADING = /^## +(.+?)\s*$/;
const NUMBERED_RULE = /^(\d+)\. +(.+)$/;

/** Drops a heading's source keys: "VMBus data path (L, O)" → "VMBus data path". */
function sectionName(heading: string): string {
  return heading.replace(/\s*\(.*\)\s*$/, '');
}

/**
 * Every numbered rule with the section it belongs to, in document order.
 *
 * @example
 * parseHypervRules('## Scheduler (WS)\n28. Classic: fair-share.\n')
 * // → [{ number: 28, section: 'Scheduler', text: 'Classic: fair-share.' }]
 */
export function parseHypervRules(markdown: string): HypervRule[] {
  const rules: HypervRule[] = [];
  let section = '';
  for (const line of markdown.split('\n')) {
    const heading = SECTION_HEADING.exec(line);
    if (heading !== null) {
      section = sectionName(heading[1]);
      continue;
    }
    const rule = NUMBERED_RULE.exec(line);
    if (rule !== null) rules.push({ number: Number(rule[1]), section, text: rule[2] });
  }
  return rules;
}

/** The section names of `docs/hyperv-rules.md`, in document order. */
export function parseSections(markdown: string): string[] {
  const sections: string[] = [];
  for (const line of markdown.split('\n')) {
    const heading = SECTION_HEADING.exec(line);
    if (heading !== null) sections.push(sectionName(heading[1]));
  }
  return sections;
}

// A rule list: "4", "2–5", "24/25", "36–38", "37 and 38", "12 / rule 37", "7, 36".
const RULE_LIST = String.raw`\d+(?:\s*(?:[–-]|\/|,|and)\s*(?:rules?\s+)?\d+)*`;
// A title is a string literal that opens a call's argument list: it('…'), describe("…"),
// it.each(cases)(`…`). The word before "(" tells skipped and todo tests apart.
const RULE_TITLE = new RegExp(
  String.raw`(\w*)\(\s*(['"\x60])([Rr]ules? (${RULE_LIST})\s*:[^'"\x60\n]*)`,
  'g',
);
const NOT_RUN = new Set(['skip', 'todo', 'xit', 'xtest', 'xdescribe']);

/** Expands a rule list ("2–5", "24/25", "12 / rule 37") into rule numbers. */
export function expandRuleList(list: string): number[] {
  const numbers: number[] = [];
  const parts = /(\d+)|([–-])/g;
  let rangeFrom: number | null = null;
  for (let part = parts.exec(list); part !== null; part = parts.exec(list)) {
    if (part[0] === '–' || part[0] === '-') {
      rangeFrom = numbers.length > 0 ? numbers[numbers.length - 1] : null;
      continue;
    }
    const n = Number(part[1]);
    if (rangeFrom !== null) {
      for (let k = rangeFrom + 1; k <= n; k++) numbers.push(k);
      rangeFrom = null;
    } else numbers.push(n);
  }
  return numbers;
}

/**
 * The titles in a test file's source that start with `rule N:` (or `rules N–M:`, `rule N/M:` …),
 * skipping `it.skip`, `it.todo`, `xit` and the like: a test that never runs checks nothing.
 *
 * @example
 * ruleTestTitles("it('rule 4: signals only when empty', () => {});")
 * // → [{ rules: [4], title: 'rule 4: signals only when empty', line: 1 }]
 */
export function ruleTestTitles(source: string): RuleTestTitle[] {
  const titles: RuleTestTitle[] = [];
  RULE_TITLE.lastIndex = 0;
  for (let m = RULE_TITLE.exec(source); m !== null; m = RULE_TITLE.exec(source)) {
    if (NOT_RUN.has(m[1])) continue;
    const quoteAt = m.index + m[0].indexOf(m[2]);
    const line = source.slice(0, quoteAt).split('\n').length;
    titles.push({ rules: expandRuleList(m[4]), title: m[3], line });
  }
  return titles;
}

/** One row of the rule table in `docs/fidelity.md`. */
export interface FidelityRow {
  readonly rule: number;
  /** The row's raw markdown. */
  readonly text: string;
}

const TABLE_ROW = /^\|\s*(\d+)\s*\|/;

/** The rows of `docs/fidelity.md` whose first cell is a rule number. */
export function parseFidelityRows(markdown: string): FidelityRow[] {
  const rows: FidelityRow[] = [];
  for (const line of markdown.split('\n')) {
    const row = TABLE_ROW.exec(line);
    if (row !== null) rows.push({ rule: Number(row[1]), text: line });
  }
  return rows;
}

/** Top-level folders of this repository that a cited path may start with. */
export const REPO_FOLDERS = ['core', 'plugins', 'levels', 'cli', 'docs', 'game', 'bench', 'e2e'];

const CODE_SPAN = /`([^`\n]+)`/g;
const REPO_PATH = new RegExp(String.raw`^(?:${REPO_FOLDERS.join('|')})\/[\w.\/-]*$`);
const FILE_PATH = /^[\w.-]+(?:\/[\w.-]+)*\.(?:ts|js|json|md)$/;

/**
 * The repository paths a markdown text cites in code spans: anything starting with one of the
 * repo's folders, and any `.ts`/`.js`/`.json`/`.md` path. Paths of other projects (the Linux
 * kernel's `drivers/hv/ring_buffer.c`, openvmm's `channels.rs`) match neither and are left alone.
 */
export function citedRepoPaths(markdown: string): string[] {
  const paths = new Set<string>();
  CODE_SPAN.lastIndex = 0;
  for (let m = CODE_SPAN.exec(markdown); m !== null; m = CODE_SPAN.exec(markdown)) {
    const span = m[1].trim();
    if (REPO_PATH.test(span) || FILE_PATH.test(span)) paths.add(span);
  }
  return [...paths].sort();
}
