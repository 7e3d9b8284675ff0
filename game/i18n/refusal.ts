/**
 * The host's refusal of a configuration in the player's language. English is the core's own
 * message, exactly what `hyperkata run` prints. Another language says each issue from its
 * structured reason (core/model/configuration-reasons.ts) with the field in the inspector's
 * words; an issue without a reason (a schema problem, a plugin's own settings check — neither
 * reachable from the inspector) keeps its English words after the translated field.
 */
import type { InputIssue } from '../../core/index.js';
import { CONFIGURATION_REASON_PT_BR, fieldPtBR } from './configuration-reasons-pt-BR.js';
import type { Language } from './i18n.js';

/** What a refused start carries across the worker boundary. */
export interface Refusal {
  /** The ConfigurationError's message: one `source: path: expected …, found …` line per issue. */
  readonly message: string;
  /** Its issues, each with its path, English words and (where the check gives one) reason. */
  readonly issues?: readonly InputIssue[];
}

/** One issue in Portuguese: `VM db01 · Mínimo (MiB): no máximo a memória inicial (…), não …`. */
export function issuePtBR(issue: InputIssue): string {
  const reason = issue.reason;
  const table = CONFIGURATION_REASON_PT_BR as Readonly<
    Partial<Record<string, (args: NonNullable<InputIssue['reason']>['args']) => string>>
  >;
  const say = reason === undefined ? undefined : table[reason.id];
  const words =
    reason === undefined || say === undefined
      ? `esperado ${issue.expected}, encontrado ${issue.found}`
      : say(reason.args);
  return `${fieldPtBR(issue.path)}: ${words}`;
}

/**
 * The refusal in `language`, one line per issue.
 *
 * @example
 * refusalIn('pt-BR', error) // 'VM db01 · Mínimo (MiB): no máximo a memória inicial (2.048 MiB) (regra 33), não 4.096 MiB'
 */
export function refusalIn(language: Language, refusal: Refusal): string {
  const issues = refusal.issues;
  if (language === 'en' || issues === undefined || issues.length === 0) return refusal.message;
  return issues.map(issuePtBR).join('\n');
}
