import { describe, expect, it } from '@jest/globals';
import { codexEntry } from '../codex/index.js';
import { LANGUAGES } from '../i18n/i18n.js';
import { PT_BR_NOTES } from '../play/powershell-notes.js';
import { readdirSync } from 'node:fs';
import { CAMPAIGN_LEVELS, LEVEL_FILES } from './levels.js';
import type { RawLevelFile } from './levels.js';
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
const levels = CAMPAIGN_LEVELS;
const id = (n: number) => byNumber(n).id;
const byNumber = (n: number) => {
  const level = levels.find((l) => l.number === n);
  if (!level) throw new Error(`no level ${n}`);
  return level;
};

describe('the built-in campaign', () => {
  it('has the level files in order, with unique ids', () => {
    const numbers = levels.map((l) => l.number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(levels.length).toBeGreaterThanOrEqual(10);
    expect(new Set(levels.map((l) => l.id)).size).toBe(levels.length);
  });

  it("calls an enlightened guest 'iluminado' in Portuguese, as the codex and the event log do", () => {
    // Before: level 3 asked to make old01 "esclarecida" and the inspector's PowerShell said
    // "convidados esclarecidos", while the log said "iluminado: VMBus iniciando".
    const pt = [
      ...levels.map((l) => l.brief['pt-BR']),
      PT_BR_NOTES.video('db01', true),
      codexEntry('ic')?.summary['pt-BR'] ?? '',
    ].join('\n');
    expect(pt).not.toMatch(/esclarecid/);
    expect(codexEntry('ic')?.summary['pt-BR']).toContain('“iluminados”');
    expect(levels.find((l) => l.number === 3)?.brief['pt-BR']).toContain('iluminada (enlightened)');
    expect(PT_BR_NOTES.video('db01', true)).toContain('convidados iluminados');
  });

  it('titles and briefs every level in both languages', () => {
    for (const level of levels) {
      for (const language of LANGUAGES) {
        expect(level.title[language].trim()).not.toBe('');
        expect(level.brief[language].trim()).not.toBe('');
      }
    }
  });

  it('bundles every level file of levels/campaign, in file-name order', () => {
    const files = readdirSync('levels/campaign')
      .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
      .sort()
      .map((f) => f.replace(/\.json$/, ''));
    expect((LEVEL_FILES as readonly RawLevelFile[]).map((f) => f.id)).toEqual(files);
  });

  it('every codex id a level file’s concepts cite is a codex entry (no aliases)', () => {
    const missing = (LEVEL_FILES as readonly RawLevelFile[]).flatMap((file) =>
      file.concepts
        .flatMap((c) => c.codex ?? [])
        .filter((id) => !codexEntry(id))
        .map((id) => `${file.id}: ${id}`),
    );
    expect(missing).toEqual([]);
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
    const s = stars({ [id(1)]: 1 });
    expect(levelState(levels[0], levels, s)).toBe('completed');
    expect(levelState(levels[1], levels, s)).toBe('open');
    expect(levelState(levels[2], levels, s)).toBe('locked');
    expect(unlockStatus(levels[2], levels, s).map((c) => c.met)).toEqual([false]);
    expect(isUnlocked(levels[1], levels, s)).toBe(true);
  });

  it('says what finishing a level opens', () => {
    expect(opensNext(levels[2], levels).map((l) => l.id)).toEqual([levels[3].id]);
    expect(opensNext(levels[levels.length - 1], levels)).toEqual([]);
  });
});

describe('stars and Continue', () => {
  it('counts stars out of three per level', () => {
    expect(maxStars(levels)).toBe(3 * levels.length);
    expect(totalStars(levels, stars({ [levels[0].id]: 3, [levels[1].id]: 2 }))).toBe(5);
  });

  it('continues with the first open level not yet finished', () => {
    expect(nextLevel(levels, stars({}))?.number).toBe(1);
    expect(nextLevel(levels, stars({ [levels[0].id]: 2, [levels[1].id]: 1 }))?.id).toBe(
      levels[2].id,
    );
  });

  it('when everything open is finished, continues where a star is still missing', () => {
    const all = Object.fromEntries(levels.map((l) => [l.id, 3]));
    all[levels[1].id] = 2;
    expect(nextLevel(levels, stars(all))?.id).toBe(levels[1].id);
    all[levels[1].id] = 3;
    expect(nextLevel(levels, stars(all))?.id).toBe(levels[levels.length - 1].id);
  });
});
