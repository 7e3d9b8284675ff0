/**
 * A first hint that sends the player to look at something points at what the play screen shows,
 * named in the words the screen uses. The board draws no disk load and no VM memory or CPU wait
 * (the codex says “No bar draws a VM’s memory”); before, level 5 said “look at db01's CPU wait”,
 * level 7 “watch memory pressure” and level 10 “compare the two disks' load bars” — nothing a
 * student could find. Now they point at the results' “Why” (which, after the level's naive run,
 * says exactly that) or at the objective that counts it live.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parseLevel, parseSolution, playLevel } from '../../levels/index.js';
import type { Level } from '../../levels/index.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { I18n, LANGUAGES } from '../i18n/i18n.js';

const read = (name: string): string =>
  readFileSync(new URL(`../../levels/campaign/${name}`, import.meta.url), 'utf8');
const level = (id: string): Level => parseLevel(read(`${id}.json`), `${id}.json`);

/** The causes the naive run's “Why” lines name. */
function naiveCauses(id: string): string[] {
  const solution = parseSolution(read(`${id}.naive.solution.json`), 'naive');
  const { result } = playLevel({ level: level(id), solution, vsps: BUILT_IN_VSPS });
  return result.objectives.flatMap((o) => (o.diagnosis ? [o.diagnosis.cause] : []));
}

describe('first hints point at what the play screen shows', () => {
  it.each([
    ['05-noisy-neighbour', 'cpu-wait'],
    ['10-two-disks', 'disk-busy'],
    // "Start from the report": the panel is “Results”, and in level 5 the report is batch01's.
    ['12-consolidation', 'emulated-path'],
  ])('%s: the hint sends the player to the “Why” that names %s', (id, cause) => {
    const hint = level(id).hints[0];
    for (const language of LANGUAGES)
      expect(hint[language]).toContain(`“${new I18n(language).t('play.why')}”`);
    expect(naiveCauses(id)).toContain(cause);
    expect(hint.en).not.toMatch(/load bars?|look at db01's CPU wait|the report/i);
    expect(hint['pt-BR']).not.toMatch(/barras? de carga|veja a espera por CPU|relatório/i);
  });

  it('07-memory-pressure: memory pressure is read off the paging objective, named as it is', () => {
    const l = level('07-memory-pressure');
    const paging = l.objectives.find((o) => o.metric === 'pagingMB');
    if (!paging) throw new Error('level 7 has no paging objective');
    for (const language of LANGUAGES)
      expect(l.hints[0][language]).toContain(`“${paging.label[language]}”`);
    expect(l.hints[0].en).not.toMatch(/^Watch memory pressure/);
    expect(l.hints[0]['pt-BR']).not.toMatch(/^Observe a pressão de memória/);
  });
});
