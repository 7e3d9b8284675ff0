/**
 * Languages, the string tables and a small service that translates keys and tells listeners when
 * the player switches language (scenes rebuild their text live). No DOM here: the browser's
 * preferred languages are passed in, so tests and the CLI can use it too.
 */
import { en } from './en.js';
import type { StringKey } from './en.js';
import { ptBR } from './pt-BR.js';
import { formatPercent } from '../../levels/metric-text.js';

export type { StringKey } from './en.js';

export const LANGUAGES = ['en', 'pt-BR'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Text in each language (codex entries, level titles). */
export type Localized = Readonly<Record<Language, string>>;

/** Each language's name in that language: a player looking for theirs must recognise it. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  en: 'English',
  'pt-BR': 'Português (Brasil)',
};

export const STRING_TABLES: Readonly<Record<Language, Readonly<Record<StringKey, string>>>> = {
  en,
  'pt-BR': ptBR,
};

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/**
 * The first of the browser's preferred languages we have, matched by primary subtag
 * (`pt-PT` and `pt` get pt-BR); English otherwise.
 *
 * @example
 * detectLanguage(navigator.languages) // 'pt-BR' for ['pt-PT', 'en']
 */
export function detectLanguage(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'pt') return 'pt-BR';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

export type Params = Readonly<Partial<Record<string, string | number>>>;

/** Replaces `{name}` with `params.name`; unknown placeholders stay visible so they get noticed. */
export function format(template: string, params: Params = {}): string {
  return template.replace(/\{(\w[\w-]*)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** The placeholder names a template uses, sorted (for the table consistency test). */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w[\w-]*)\}/g)].map((m) => m[1]).sort();
}

export type LanguageListener = (language: Language) => void;

/**
 * The current language and the translation of keys in it.
 *
 * @example
 * const i18n = new I18n('pt-BR');
 * i18n.t('campaign.level', { number: 3 }); // 'Fase 3'
 * i18n.onChange((lang) => scene.restart());
 * i18n.setLanguage('en');
 */
export class I18n {
  private current: Language;
  private readonly listeners = new Set<LanguageListener>();

  constructor(language: Language) {
    this.current = language;
  }

  get language(): Language {
    return this.current;
  }

  t(key: StringKey, params?: Params): string {
    return format(STRING_TABLES[this.current][key], params);
  }

  /**
   * A percentage in this language ("70%" / "70%", "92.3%" / "92,3%"): the game's one way to write
   * one, shared with the objectives, scores and diagnoses ({@link formatPercent} says why pt-BR
   * writes no space). `points` is in percentage points.
   */
  percent(points: number): string {
    return formatPercent(points, this.current);
  }

  /** Picks this language's text from a {@link Localized} value. */
  pick(text: Localized): string {
    return text[this.current];
  }

  setLanguage(language: Language): void {
    if (language === this.current) return;
    this.current = language;
    for (const listener of [...this.listeners]) listener(language);
  }

  onChange(listener: LanguageListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
