import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SAVE_VERSION, SaveFormatError } from './format.js';
import { V1_LEVEL_IDS, readSave } from './migrate.js';
import { defaultSettings } from './settings.js';

const ctx = {
  defaults: defaultSettings({ languages: ['en-US'], prefersReducedMotion: false }),
  now: () => new Date('2025-03-01T10:00:00.000Z'),
};

const v1 = {
  version: 1,
  lang: 'pt',
  sound: false,
  levels: {
    '1': { stars: 3, score: 5120, solution: { channels: [{ vsc: 'disk0', vsp: 'storvsp' }] } },
    '4': { stars: 1 },
  },
};

describe('migration from format 1 to format 2', () => {
  it('keeps stars, the score and the solution, under the level ids of the time', () => {
    const { save, migratedFrom } = readSave(JSON.stringify(v1), ctx);
    expect(migratedFrom).toBe(1);
    expect(save.version).toBe(SAVE_VERSION);
    expect(save.progress['01-first-partition']).toEqual({
      stars: 3,
      best: { throughput: 5120 },
      solutions: [
        {
          id: 'v1-1',
          name: 'Solution (format 1)',
          savedAt: '2025-03-01T10:00:00.000Z',
          origin: 'player',
          data: { channels: [{ vsc: 'disk0', vsp: 'storvsp' }] },
        },
      ],
    });
    expect(save.progress['04-the-root-works-too']).toEqual({ stars: 1, best: {}, solutions: [] });
  });

  it('turns the old language and sound fields into settings', () => {
    const { save } = readSave(JSON.stringify(v1), ctx);
    expect(save.settings.language).toBe('pt-BR');
    expect(save.settings.muted).toBe(true);
    expect(save.settings.palette).toBe(ctx.defaults.palette);
  });

  it('keeps progress of a level number it cannot map instead of dropping it', () => {
    const raw = { version: 1, levels: { '40': { stars: 2 } } };
    expect(readSave(JSON.stringify(raw), ctx).save.progress['level-40']).toMatchObject({
      stars: 2,
    });
  });

  it('maps exactly twelve frozen level numbers', () => {
    expect(V1_LEVEL_IDS).toHaveLength(12);
  });

  it('refuses a format 1 save with impossible content, saying where', () => {
    const bad = { version: 1, levels: { '2': { stars: 7 } } };
    expect(() => readSave(JSON.stringify(bad), ctx)).toThrow(SaveFormatError);
    try {
      readSave(JSON.stringify(bad), ctx);
    } catch (error) {
      expect(SaveFormatError.is(error) && error.kind).toBe('invalid');
      expect(SaveFormatError.is(error) && error.path).toBe('levels.2.stars');
    }
  });
});

describe('reading format 2', () => {
  it('reads a current save without migrating it', () => {
    const current = {
      format: 'hyperkata-save',
      version: 2,
      savedAt: '2025-01-01T00:00:00.000Z',
      settings: { language: 'en', palette: 'colour-blind' },
      progress: { 'two-lanes': { stars: 2, best: { cost: 3 }, solutions: [] } },
    };
    const { save, migratedFrom } = readSave(JSON.stringify(current), ctx);
    expect(migratedFrom).toBeUndefined();
    expect(save.settings.palette).toBe('colour-blind');
    expect(save.progress['two-lanes']).toMatchObject({ best: { cost: 3 } });
  });

  it('keeps progress when only a setting is bad (settings fall back one by one)', () => {
    const current = {
      format: 'hyperkata-save',
      version: 2,
      savedAt: 'x',
      settings: { language: 'klingon', volume: 400, muted: true },
      progress: { 'two-lanes': { stars: 1, best: {}, solutions: [] } },
    };
    const { save } = readSave(JSON.stringify(current), ctx);
    expect(save.settings.language).toBe('en');
    expect(save.settings.volume).toBe(ctx.defaults.volume);
    expect(save.settings.muted).toBe(true);
    expect(save.progress['two-lanes']).toMatchObject({ stars: 1 });
  });
});

describe('unreadable data is a SaveFormatError with a reason', () => {
  const kindOf = (text: string): string => {
    try {
      readSave(text, ctx);
      return 'read';
    } catch (error) {
      return SaveFormatError.is(error) ? error.kind : 'other error';
    }
  };

  it('names each way a save can be unreadable', () => {
    expect(kindOf('{"format":"hyperkata-save","version":2,')).toBe('not-json');
    expect(kindOf('[1,2,3]')).toBe('not-a-save');
    expect(kindOf('{"hello":"world"}')).toBe('not-a-save');
    expect(kindOf('{"format":"hyperkata-save","version":9,"progress":{}}')).toBe('newer-version');
    expect(
      kindOf('{"format":"hyperkata-save","version":2,"savedAt":"x","progress":{"BAD ID":{}}}'),
    ).toBe('invalid');
    expect(kindOf('"' + 'x'.repeat(2_000_001) + '"')).toBe('too-large');
  });

  it('never throws anything else, whatever the bytes (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const kind = kindOf(text);
          return kind !== 'other error';
        },
      ),
      { numRuns: 500 },
    );
  });

  it('never throws anything else for hostile save-shaped objects (property)', () => {
    const hostile = fc.record({
      format: fc.constantFrom('hyperkata-save', 'other', undefined),
      version: fc.oneof(fc.constantFrom(1, 2, 3), fc.anything()),
      savedAt: fc.anything(),
      settings: fc.anything(),
      levels: fc.anything(),
      progress: fc.oneof(
        fc.dictionary(fc.string(), fc.anything()),
        fc.dictionary(
          fc.constantFrom('two-lanes', 'ring-full'),
          fc.record({ stars: fc.anything(), best: fc.anything(), solutions: fc.anything() }),
        ),
      ),
    });
    fc.assert(
      fc.property(hostile, (obj) => kindOf(JSON.stringify(obj)) !== 'other error'),
      { numRuns: 500 },
    );
  });
});
