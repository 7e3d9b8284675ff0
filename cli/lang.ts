/**
 * The language of the CLI's words: `--lang` when given, else the POSIX locale variables — the
 * first of LC_ALL, LC_MESSAGES and LANG that is set and not empty decides (`pt_BR.UTF-8` gives
 * pt-BR) — else English.
 */
import type { TextLanguage } from '../levels/index.js';

/** The locale variables the CLI reads (a test passes its own: the runner's LANG must not count). */
export interface LocaleVars {
  readonly LC_ALL?: string | undefined;
  readonly LC_MESSAGES?: string | undefined;
  readonly LANG?: string | undefined;
}

/** The locale variables of this process. */
export function processLocale(): LocaleVars {
  const { LC_ALL, LC_MESSAGES, LANG } = process.env;
  return { LC_ALL, LC_MESSAGES, LANG };
}

/**
 * The language the locale variables ask for: pt-BR for a Portuguese locale (`pt_BR.UTF-8`,
 * `pt_BR`, `pt-BR`, `pt_PT@euro` — pt-BR is the only Portuguese there is), English for any other
 * (`C`, `POSIX`, `en_US.UTF-8`, `fr_FR`). Precedence as POSIX: LC_ALL over LC_MESSAGES over LANG,
 * an empty variable counting as unset.
 */
export function langFromLocale(vars: LocaleVars): TextLanguage {
  const locale = [vars.LC_ALL, vars.LC_MESSAGES, vars.LANG].find(
    (v) => v !== undefined && v !== '',
  );
  if (locale === undefined) return 'en';
  // language[_territory][.codeset][@modifier]
  const language = locale.split(/[_.@-]/)[0]?.toLowerCase();
  return language === 'pt' ? 'pt-BR' : 'en';
}

/** `--lang` when given, else the locale's language. */
export function cliLang(option: string | undefined, vars: LocaleVars): TextLanguage {
  if (option === 'pt-BR' || option === 'en') return option;
  return langFromLocale(vars);
}

/** What `--help` says of `--lang`'s default. */
export const LANG_DEFAULT_HELP =
  'default: from LC_ALL, LC_MESSAGES or LANG, the first set — pt_BR.UTF-8 gives pt-BR — else en';
