/**
 * Level 4 (the root works too): what its hints send the player to watch must show something in
 * the run they watch. The root VP is saturated; the rings hold the waiting requests but stay
 * nearly empty, so the ring bars barely move.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { parseLevel, parseSolution, playLevel } from './index.js';

const dir = new URL('./campaign/', import.meta.url);
const read = (name: string): string => readFileSync(new URL(name, dir), 'utf8');
const ID = '04-the-root-works-too';

describe('level 4: the hints point at what the naive run shows', () => {
  it('the naive run saturates the root while the rings stay nearly empty, and no hint says to watch the ring fill', () => {
    const level = parseLevel(read(`${ID}.json`), `${ID}.json`);
    const solution = parseSolution(read(`${ID}.naive.solution.json`), 'naive');
    const { report } = playLevel({ level, solution, vsps: BUILT_IN_VSPS });
    expect(report.host.rootCpuPercent).toBeGreaterThan(90);
    const peaks = Object.values(report.vms).map((vm) => vm?.ringPeakPercent ?? Number.NaN);
    expect(peaks).toHaveLength(8);
    for (const peak of peaks) expect(peak).toBeLessThan(10);
    // Play-test: hint 1 read "Watch the root VP in the scheduler grid and the fill of the
    // rings" — the ring bars sat at 5% all run, and the briefing said requests "pile up" there.
    const texts = [level.briefing, ...level.hints].flatMap((t) => [t.en, t['pt-BR']]);
    for (const text of texts) {
      expect(text).not.toMatch(/fill of the rings|pile up|preenchimento dos anéis|se acumulam/);
    }
    expect(level.hints[0].en).toContain('the ring bars stay low');
    expect(level.hints[0]['pt-BR']).toContain('as barras dos anéis ficam baixas');
  });
});
