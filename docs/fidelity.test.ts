/**
 * Guards the fidelity map: every rule of the sections below has a test that names it, and
 * `docs/fidelity.md` has a row for every rule and cites only files that exist. Reads the project's
 * copy of the rules (`docs/hyperv-rules.md`), so it runs on a clean clone.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  citedRepoPaths,
  expandRuleList,
  parseFidelityRows,
  parseHypervRules,
  parseSections,
  ruleTestTitles,
} from './rule-index.js';
import type { HypervRule, RuleTestTitle } from './rule-index.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
const RULES_MD = readFileSync(join(REPO, 'docs/hyperv-rules.md'), 'utf8');
const FIDELITY_MD = readFileSync(join(REPO, 'docs/fidelity.md'), 'utf8');

/** The sections whose every rule must have a test that names it. */
const TESTED_SECTIONS = [
  'VMBus data path',
  'VMBus control path',
  'Emulation path',
  'Hypercalls and SynIC',
  'Scheduler',
  'Dynamic Memory',
  'Security boundary',
];

const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'artifacts']);

/** Every `*.test.ts` under the repo, as repo-relative paths, sorted. */
function testFiles(dir: string = REPO): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || SKIPPED_DIRS.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...testFiles(path));
    else if (entry.name.endsWith('.test.ts')) found.push(relative(REPO, path));
  }
  return found.sort();
}

/** For each rule number, the `file:line title` of every test that names it. */
function testsByRule(): Map<number, string[]> {
  const byRule = new Map<number, string[]>();
  for (const file of testFiles()) {
    const titles: RuleTestTitle[] = ruleTestTitles(readFileSync(join(REPO, file), 'utf8'));
    for (const t of titles) {
      for (const rule of t.rules) {
        const list = byRule.get(rule) ?? [];
        list.push(`${file}:${t.line} ${t.title}`);
        byRule.set(rule, list);
      }
    }
  }
  return byRule;
}

const rules: HypervRule[] = parseHypervRules(RULES_MD);
const byRule = testsByRule();

describe('the project copy of the Hyper-V rules', () => {
  it('numbers its rules 1, 2, 3 … without gaps or repeats', () => {
    expect(rules.length).toBeGreaterThan(0);
    expect(rules.map((r) => r.number)).toEqual(rules.map((_, i) => i + 1));
  });

  it('still has every section whose rules must be tested', () => {
    const sections = parseSections(RULES_MD);
    const missing = TESTED_SECTIONS.filter((s) => !sections.includes(s));
    expect(missing).toEqual([]);
    for (const s of TESTED_SECTIONS) expect(rules.some((r) => r.section === s)).toBe(true);
  });
});

describe('rule tests', () => {
  it('every rule of the tested sections has at least one test named "rule N: …"', () => {
    const untested = rules
      .filter(
        (r) => TESTED_SECTIONS.includes(r.section) && (byRule.get(r.number) ?? []).length === 0,
      )
      .map((r) => `rule ${r.number} (${r.section}): ${r.text}`);
    // The message lists exactly the rules that lack a test.
    expect({ rulesWithoutTests: untested }).toEqual({ rulesWithoutTests: [] });
  });

  it('the title scanner reads the forms the tests use, and skips tests that never run', () => {
    const source = [
      "it('rule 4: signals only on empty', () => {});",
      'describe("rules 36–38: hostile bytes", () => {});',
      'it.each(cases)(\n  `rule 24/25: %s is denied`,\n  () => {},\n);',
      "it('rule 12 / rule 37: refuses malformed GPADLs', () => {});",
      "it('rules 29 and 31: cores are not shared', () => {});",
      "it.skip('rule 7: skipped', () => {});",
      "it.todo('rule 9: later');",
      "it('about rule 8: not a rule title', () => {});",
      "it('rule 10 is named without a colon', () => {});",
    ].join('\n');
    expect(ruleTestTitles(source).map((t) => t.rules)).toEqual([
      [4],
      [36, 37, 38],
      [24, 25],
      [12, 37],
      [29, 31],
    ]);
    expect(ruleTestTitles(source)[2].line).toBe(4);
    expect(expandRuleList('2–5, 7')).toEqual([2, 3, 4, 5, 7]);
  });

  it('the path scanner picks repository paths and leaves other projects’ paths alone', () => {
    const markdown =
      'See `core/vmbus/ring/ring-writer.ts` (`VmbusRingWriter`), `plugins/storvsp`, `README.md`, ' +
      'Linux `drivers/hv/ring_buffer.c`, openvmm `vmbus_server/src/channels.rs`, `WriteStatus.RingFull`.';
    expect(citedRepoPaths(markdown)).toEqual([
      'README.md',
      'core/vmbus/ring/ring-writer.ts',
      'plugins/storvsp',
    ]);
  });
});

describe('docs/fidelity.md', () => {
  const rows = parseFidelityRows(FIDELITY_MD);

  it('has exactly one table row for every rule', () => {
    const counts = new Map<number, number>();
    for (const row of rows) counts.set(row.rule, (counts.get(row.rule) ?? 0) + 1);
    const missing = rules.filter((r) => !counts.has(r.number)).map((r) => r.number);
    const repeated = [...counts].filter(([, n]) => n > 1).map(([rule]) => rule);
    const unknown = [...counts.keys()].filter((n) => !rules.some((r) => r.number === n));
    expect({ missing, repeated, unknown }).toEqual({ missing: [], repeated: [], unknown: [] });
  });

  it('cites only repository files and folders that exist', () => {
    const cited = citedRepoPaths(FIDELITY_MD);
    expect(cited.length).toBeGreaterThan(0);
    const absent = cited.filter((path) => !existsSync(join(REPO, path)));
    expect({ citedButMissing: absent }).toEqual({ citedButMissing: [] });
  });

  it('cites, in each rule row, only test files that name that rule', () => {
    const wrong: string[] = [];
    for (const row of rows) {
      for (const path of citedRepoPaths(row.text).filter((p) => p.endsWith('.test.ts'))) {
        if (!existsSync(join(REPO, path))) continue; // reported by the test above
        const titles = ruleTestTitles(readFileSync(join(REPO, path), 'utf8'));
        if (!titles.some((t) => t.rules.includes(row.rule)))
          wrong.push(`rule ${row.rule}: ${path}`);
      }
    }
    expect({ testFilesNotNamingTheRule: wrong }).toEqual({ testFilesNotNamingTheRule: [] });
  });
});
