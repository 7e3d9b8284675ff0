/**
 * A percentage reads the same wherever the player sees it: the settings' volume, the loading bar,
 * an objective on the play screen and in the results, a score in the results and on the map, a
 * diagnosis, the codex and the levels' own text. English "92.3%", Brazilian Portuguese "92,3%"
 * (CLDR's convention: levels/metric-text.ts `formatPercent` says why), one formatter for all.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import ts from 'typescript';
import {
  METRIC_INFO,
  formatMetric,
  formatPercent,
  formatScore,
  metricName,
  objectiveOutcome,
} from '../../levels/metric-text.js';
import { CODEX } from '../codex/index.js';
import { I18n, LANGUAGES, STRING_TABLES } from './i18n.js';
import type { Language } from './i18n.js';

const ROOT = path.resolve(new URL('../..', import.meta.url).pathname);

const PERCENT_METRICS = Object.entries(METRIC_INFO)
  .filter(([, info]) => info.unit === 'percent')
  .map(([metric]) => metric);

/** A percentage as the simulation reports one: 0–100 with up to two decimals. */
const points = fc.integer({ min: 0, max: 10_000 }).map((n) => n / 100);

describe('one way to write a percentage, per language', () => {
  it('writes 92.3 as "92.3%" in English and "92,3%" in Brazilian Portuguese, 70 as "70%"', () => {
    expect(formatPercent(92.3, 'en')).toBe('92.3%');
    expect(formatPercent(92.3, 'pt-BR')).toBe('92,3%');
    expect(new I18n('en').percent(70)).toBe('70%');
    expect(new I18n('pt-BR').percent(70)).toBe('70%');
    expect(formatPercent(1250, 'pt-BR')).toBe('1.250%');
    expect(formatPercent(Number.NaN, 'en')).toBe('—');
  });

  it.each(LANGUAGES)(
    '%s: settings, loading bar, scores, map, live objectives and results write a value alike',
    (lang: Language) => {
      const i18n = new I18n(lang);
      fc.assert(
        fc.property(points, (value) => {
          const text = i18n.percent(value); // settings' volume, loading bar
          expect(text).toBe(formatPercent(value, lang));
          expect(text).toMatch(/^[\d.,]+%$/);
          // Results' score table and the map's best scores.
          expect(formatScore('rootCpuPercent', value, lang)).toBe(text);
          for (const metric of PERCENT_METRICS) {
            // The play screen's live objective readout.
            expect(formatMetric(metric, value, lang)).toBe(text);
            // The results' objective line, when the target is far from the value.
            const target = value >= 50 ? 0 : 100;
            const outcome = objectiveOutcome({ metric, value, op: '>=', target }, lang);
            expect(outcome.startsWith(`${metricName(metric, lang)} ${text} — `)).toBe(true);
          }
          expect(i18n.t('preloader.progress', { percent: text })).toContain(text);
        }),
      );
    },
  );
});

/** Every pair of texts `{ en, 'pt-BR' }` inside a value (codex entries, level files). */
function localizedTexts(value: unknown, out: [Language, string][] = []): [Language, string][] {
  if (Array.isArray(value)) for (const v of value) localizedTexts(v, out);
  else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const lang of LANGUAGES) {
      const text = record[lang];
      if (typeof text === 'string') out.push([lang, text]);
    }
    for (const v of Object.values(record)) localizedTexts(v, out);
  }
  return out;
}

/** A number as `lang` writes it in prose ("2.000" / "2,000"), back to a number. */
function parseNumber(text: string, lang: Language): number {
  const plain =
    lang === 'pt-BR' ? text.replace(/\./g, '').replace(',', '.') : text.replace(/,/g, '');
  return Number(plain);
}

describe('percentages written into the text itself', () => {
  const levelDir = path.join(ROOT, 'levels', 'campaign');
  const levelTexts = readdirSync(levelDir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) =>
      localizedTexts(JSON.parse(readFileSync(path.join(levelDir, f), 'utf8'))).map(
        ([lang, text]) => ({ where: `levels/campaign/${f}`, lang, text }),
      ),
    );
  const texts = [
    ...levelTexts,
    ...localizedTexts(CODEX).map(([lang, text]) => ({ where: 'codex', lang, text })),
    ...LANGUAGES.flatMap((lang) =>
      Object.entries(STRING_TABLES[lang]).map(([key, text]) => ({ where: key, lang, text })),
    ),
  ];

  it('found the level files, the codex and the string tables', () => {
    expect(levelTexts.length).toBeGreaterThan(100);
    expect(texts.filter((t) => t.text.includes('%')).length).toBeGreaterThan(10);
  });

  it('write each "N%" in level files, codex and string tables as the formatter does', () => {
    const wrong = texts.flatMap(({ where, lang, text }) =>
      [...text.matchAll(/(\d[\d.,]*\d|\d)(\s*)%/g)]
        .filter((m) => m[0] !== formatPercent(parseNumber(m[1], lang), lang))
        .map(
          (m) =>
            `${where} (${lang}): "${m[0]}" should read "${formatPercent(parseNumber(m[1], lang), lang)}"`,
        ),
    );
    expect(wrong).toEqual([]);
  });

  it('leave no "{placeholder}%" in a string table: the formatter writes the sign', () => {
    const signAfterPlaceholder = LANGUAGES.flatMap((lang) =>
      Object.entries(STRING_TABLES[lang])
        .filter(([, text]) => /\}\s*%/.test(text))
        .map(([key]) => `${lang} ${key}`),
    );
    expect(signAfterPlaceholder).toEqual([]);
  });
});

/** Non-test TypeScript files under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sources(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [full] : [];
  });
}

describe('code that shows a number', () => {
  it('never glues a "%" onto a number itself (`${volume}%`): it calls the formatter', () => {
    const glued: string[] = [];
    for (const file of ['game', 'levels', 'cli'].flatMap((d) => sources(path.join(ROOT, d)))) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
      const visit = (node: ts.Node): void => {
        if (ts.isTemplateExpression(node))
          for (const span of node.templateSpans)
            if (/^\s?%/.test(span.literal.text)) {
              const { line } = source.getLineAndCharacterOfPosition(span.getStart(source));
              glued.push(`${path.relative(ROOT, file)}:${(line + 1).toString()}`);
            }
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(glued).toEqual([]);
  });
});
