/**
 * The codex: every term of the seed article's glossary and every mechanic the game uses, in
 * English and Brazilian Portuguese, with sources. Pure data plus lookups: the game, the CLI and
 * tests import it the same way.
 *
 * @example
 * import { codexEntry, CODEX } from '../codex/index.js';
 * codexEntry('vmbus')?.sources; // [{ key: 'L', ref: 'Documentation/virt/hyperv/vmbus.rst, …' }, …]
 */
import type { Language } from '../i18n/i18n.js';
import { GLOSSARY } from './glossary.js';
import { MECHANICS } from './mechanics.js';
import type { CodexEntry } from './types.js';

export type { CodexEntry, CodexKind, CodexSource, SourceKey } from './types.js';
export { SOURCE_NAMES, TECHNICAL_SOURCES } from './types.js';
export { GLOSSARY } from './glossary.js';
export { MECHANICS } from './mechanics.js';

/** Glossary first (in the seed's order), then mechanics. */
export const CODEX: readonly CodexEntry[] = [...GLOSSARY, ...MECHANICS];

const byId = new Map(CODEX.map((entry) => [entry.id, entry]));

export function codexEntry(id: string): CodexEntry | undefined {
  return byId.get(id);
}

/** Folds case and accents so "particao" finds "Partição". */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/** Entries whose term, expansion, summary or body contain every word of the query. */
export function searchCodex(query: string, language: Language): CodexEntry[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...CODEX];
  return CODEX.filter((entry) => {
    const haystack = foldForSearch(
      [
        entry.term[language],
        entry.term.en,
        entry.expansion?.[language] ?? '',
        entry.summary[language],
        entry.body[language],
      ].join(' '),
    );
    return words.every((word) => haystack.includes(word));
  });
}
