import { describe, expect, it } from '@jest/globals';
import { en } from './en.js';
import { I18n, LANGUAGES, STRING_TABLES, detectLanguage, format, placeholders } from './i18n.js';

const englishKeys = Object.keys(en).sort();

describe('string tables', () => {
  it.each(LANGUAGES)('%s has exactly the English keys', (language) => {
    expect(Object.keys(STRING_TABLES[language]).sort()).toEqual(englishKeys);
  });

  it.each(LANGUAGES)('%s has no empty or untrimmed value', (language) => {
    const bad = Object.entries(STRING_TABLES[language]).filter(
      ([, value]) => value.trim() === '' || value !== value.trim(),
    );
    expect(bad).toEqual([]);
  });

  it('every translation uses the same placeholders as the English text', () => {
    const mismatched = LANGUAGES.flatMap((language) =>
      englishKeys
        .filter((key) => {
          const k = key as keyof typeof en;
          return placeholders(STRING_TABLES[language][k]).join() !== placeholders(en[k]).join();
        })
        .map((key) => `${language}:${key}`),
    );
    expect(mismatched).toEqual([]);
  });

  it('Portuguese is really translated, not copied: most visible strings differ from English', () => {
    const same = englishKeys.filter(
      (key) => STRING_TABLES['pt-BR'][key as keyof typeof en] === en[key as keyof typeof en],
    );
    // Names (Hyperkata, VMBus, RAM, NIC, Info…) may stay; sentences may not.
    expect(same.length).toBeLessThan(englishKeys.length / 10);
  });
});

describe('detectLanguage', () => {
  it('picks Brazilian Portuguese for any Portuguese preference', () => {
    expect(detectLanguage(['pt-BR'])).toBe('pt-BR');
    expect(detectLanguage(['pt-PT', 'en-US'])).toBe('pt-BR');
    expect(detectLanguage(['PT'])).toBe('pt-BR');
  });

  it('takes the first language it has, in the browser’s order', () => {
    expect(detectLanguage(['de-DE', 'en-GB', 'pt-BR'])).toBe('en');
    expect(detectLanguage(['fr', 'pt-BR', 'en'])).toBe('pt-BR');
  });

  it('falls back to English', () => {
    expect(detectLanguage([])).toBe('en');
    expect(detectLanguage(['ja-JP'])).toBe('en');
  });
});

describe('I18n', () => {
  it('translates with parameters and switches live, telling listeners', () => {
    const i18n = new I18n('en');
    const seen: string[] = [];
    const stop = i18n.onChange((lang) => seen.push(lang));
    expect(i18n.t('campaign.level', { number: 4 })).toBe('Level 4');
    i18n.setLanguage('pt-BR');
    expect(i18n.t('campaign.level', { number: 4 })).toBe('Fase 4');
    i18n.setLanguage('pt-BR'); // no change, no event
    stop();
    i18n.setLanguage('en');
    expect(seen).toEqual(['pt-BR']);
  });

  it('leaves an unknown placeholder visible instead of printing "undefined"', () => {
    expect(format('{a} and {b}', { a: 1 })).toBe('1 and {b}');
  });
});
