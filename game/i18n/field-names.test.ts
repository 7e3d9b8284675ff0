/**
 * A hint or the codex that names a setting uses the inspector's name for it, so a student finds
 * the field it points at.
 *
 * Level 8 asks a pt-BR student to pick each channel's signalling in the inspector's
 * “Sinalização” list, which offers “imediata (low-latency)” and “agrupada (batched)”. Every
 * Portuguese text that tells them which to pick — the level's briefing and hints, the diagnosis
 * after a failed run, the codex — names the two modes with those same words, and the monitor page
 * the same way each time. Before, one level said “em lote” / “baixa latência”, the diagnosis and
 * the codex the bare English “batched” / “low-latency”, and none matched the list.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import { parseLevel, parseSolution, playLevel } from '../../levels/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { CODEX } from '../codex/index.js';
import { en } from './en.js';
import { ptBR } from './pt-BR.js';

const BATCHED = ptBR['play.signalling.batched'];
const LOW_LATENCY = ptBR['play.signalling.lowLatency'];
const LEVEL = '08-interrupt-storm';

const read = (name: string): string =>
  readFileSync(new URL(`../../levels/campaign/${name}`, import.meta.url), 'utf8');

/** Every pt-BR string inside a level file or a codex entry. */
function portuguese(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(portuguese);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = record['pt-BR'];
  if (typeof own === 'string') return [own];
  return Object.values(record).flatMap(portuguese);
}

function level8Diagnosis(): string {
  const level = parseLevel(read(`${LEVEL}.json`), `${LEVEL}.json`);
  const solution = parseSolution(read(`${LEVEL}.naive.solution.json`), 'naive');
  const { result } = playLevel({ level, solution, vsps: BUILT_IN_VSPS });
  const storm = result.objectives.find((o) => o.diagnosis?.cause === 'low-latency-signalling');
  const text = storm?.diagnosis?.['pt-BR'];
  if (text === undefined) throw new Error('level 8 naive run: no signalling diagnosis');
  return text;
}

const diagnosis = level8Diagnosis();

const texts: readonly (readonly [string, string])[] = [
  ...portuguese(JSON.parse(read(`${LEVEL}.json`))).map((t) => [`${LEVEL}.json`, t] as const),
  ['diagnosis', diagnosis],
  ...CODEX.flatMap((e) => portuguese(e).map((t) => [`codex ${e.id}`, t] as const)),
];

describe('pt-BR names the signalling modes as the inspector lists them', () => {
  it('the hint that says what to pick uses the list’s two labels', () => {
    const hints = (JSON.parse(read(`${LEVEL}.json`)) as { hints: Record<string, string>[] }).hints;
    const last = hints[hints.length - 1]?.['pt-BR'] ?? '';
    expect(last).toContain(BATCHED);
    expect(last).toContain(LOW_LATENCY);
  });

  it('the diagnosis of a stormy run names the modes as the list does', () => {
    expect(diagnosis).toContain(BATCHED);
    expect(diagnosis).toContain(LOW_LATENCY);
  });

  it.each(texts)('%s: no other name for a mode or for the monitor page', (_where, text) => {
    // The English names appear only inside the list's own labels.
    const rest = text.split(BATCHED).join('').split(LOW_LATENCY).join('');
    expect(rest).not.toMatch(/\bbatched\b|\blow-latency\b/);
    expect(text).not.toMatch(/sinalização em lote|canais em lote|em baixa latência/);
    expect(text).not.toMatch(/páginas? de monitor(?!ação)/);
  });
});

/** Every text of a language in the campaign's level files and the codex. */
function everyText(language: 'en' | 'pt-BR'): (readonly [string, string])[] {
  const pick = (value: unknown): string[] => {
    if (Array.isArray(value)) return value.flatMap(pick);
    if (value === null || typeof value !== 'object') return [];
    const record = value as Record<string, unknown>;
    const own = record[language];
    if (typeof own === 'string' && typeof record[language === 'en' ? 'pt-BR' : 'en'] === 'string')
      return [own];
    return Object.values(record).flatMap(pick);
  };
  const dir = new URL('../../levels/campaign/', import.meta.url);
  const levels = readdirSync(dir)
    .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
    .flatMap((f) => pick(JSON.parse(read(f))).map((t) => [f, t] as const));
  return [...levels, ...CODEX.flatMap((e) => pick(e).map((t) => [`codex ${e.id}`, t] as const))];
}

/**
 * The memory fields: the inspector says “Startup memory” / “Memória inicial” and “Memory
 * priority” / “Prioridade de memória”. The codex said “Startup RAM” / “RAM de inicialização” and
 * called the priority “the weight” — the CPU field's name — and level 7 “memória de
 * inicialização”.
 */
describe('the memory fields are named as the inspector names them', () => {
  it('the labels are what the texts below rely on', () => {
    expect(en['play.field.memory']).toMatch(/^Startup memory/);
    expect(ptBR['play.field.memory']).toMatch(/^Memória inicial/);
    expect(en['play.field.priority']).toMatch(/^Memory priority/);
    expect(ptBR['play.field.priority']).toMatch(/^Prioridade de memória/);
  });

  it.each(everyText('en'))('%s (en): no other name for a memory field', (_where, text) => {
    expect(text).not.toMatch(/startup RAM|the weight \(priority|buffer, weight/i);
  });

  it.each(everyText('pt-BR'))('%s (pt-BR): no other name for a memory field', (_where, text) => {
    expect(text).not.toMatch(/(memória|RAM) de inicialização|o peso \(prioridade|buffer, peso/i);
  });
});
