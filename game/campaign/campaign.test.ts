import { describe, expect, it } from '@jest/globals';
import { codexEntry } from '../codex/index.js';
import { LANGUAGES } from '../i18n/i18n.js';
import { BUILT_IN_LEVELS } from './levels.js';
import {
  isUnlocked,
  levelState,
  maxStars,
  nextLevel,
  opensNext,
  totalStars,
  unlockStatus,
} from './progress.js';

const stars =
  (map: Record<string, number>) =>
  (id: string): number =>
    map[id] ?? 0;
const levels = BUILT_IN_LEVELS;
const byNumber = (n: number) => {
  const level = levels.find((l) => l.number === n);
  if (!level) throw new Error(`no level ${n}`);
  return level;
};

describe('the built-in campaign', () => {
  it('has the twelve levels in order, with unique ids', () => {
    expect(levels.map((l) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(new Set(levels.map((l) => l.id)).size).toBe(12);
  });

  it('titles and briefs every level in both languages', () => {
    for (const level of levels) {
      for (const language of LANGUAGES) {
        expect(level.title[language].trim()).not.toBe('');
        expect(level.brief[language].trim()).not.toBe('');
      }
    }
  });

  it('teaches only concepts the codex explains', () => {
    const missing = levels.flatMap((l) => l.concepts.filter((id) => !codexEntry(id)));
    expect(missing).toEqual([]);
  });

  it('can be finished: following the unlock rules with three stars each opens every level', () => {
    const earned: Record<string, number> = {};
    for (let round = 0; round < levels.length; round++) {
      for (const level of levels) {
        if (isUnlocked(level, levels, stars(earned))) earned[level.id] = 3;
      }
    }
    expect(Object.keys(earned)).toHaveLength(levels.length);
  });
});

describe('unlock rules', () => {
  it('opens only the first level for a new player', () => {
    const open = levels.filter((l) => isUnlocked(l, levels, stars({})));
    expect(open.map((l) => l.number)).toEqual([1]);
  });

  it('opens a level when the one before has a star', () => {
    const s = stars({ 'first-partition': 1 });
    expect(levelState(byNumber(1), levels, s)).toBe('completed');
    expect(levelState(byNumber(2), levels, s)).toBe('open');
    expect(levelState(byNumber(3), levels, s)).toBe('locked');
  });

  it('needs every condition: the last level wants level 11 and 20 stars in total', () => {
    const onlyOneEach = Object.fromEntries(levels.slice(0, 11).map((l) => [l.id, 1]));
    const status = unlockStatus(byNumber(12), levels, stars(onlyOneEach));
    expect(status.map((s) => s.met)).toEqual([true, false]);
    expect(isUnlocked(byNumber(12), levels, stars(onlyOneEach))).toBe(false);
  });

  it('says what finishing a level opens', () => {
    expect(opensNext(byNumber(3), levels).map((l) => l.number)).toEqual([4]);
    expect(opensNext(byNumber(12), levels)).toEqual([]);
  });
});

describe('stars and Continue', () => {
  it('counts stars out of three per level', () => {
    expect(maxStars(levels)).toBe(36);
    expect(totalStars(levels, stars({ 'first-partition': 3, 'two-lanes': 2 }))).toBe(5);
  });

  it('continues with the first open level not yet finished', () => {
    expect(nextLevel(levels, stars({}))?.number).toBe(1);
    expect(nextLevel(levels, stars({ 'first-partition': 2, 'two-lanes': 1 }))?.number).toBe(3);
  });

  it('when everything open is finished, continues where a star is still missing', () => {
    const all = Object.fromEntries(levels.map((l) => [l.id, 3]));
    all['legacy-guest'] = 2;
    expect(nextLevel(levels, stars(all))?.number).toBe(3);
    all['legacy-guest'] = 3;
    expect(nextLevel(levels, stars(all))?.number).toBe(12);
  });
});
