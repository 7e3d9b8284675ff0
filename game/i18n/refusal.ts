/**
 * The host's refusal of a configuration in the player's language. English is the core's own
 * message, exactly what `hyperkata run` prints. Another language says each issue from its
 * structured reason (core/model/configuration-reasons.ts) with the field in the inspector's
 * words; an issue without a reason (a schema problem, a plugin's own settings check — neither
 * reachable from the inspector) keeps its English line of the message, source and all.
 */
import type { ConfigurationReason, InputIssue } from '../../core/index.js';
import { CONFIGURATION_REASON_PT_BR, fieldPtBR } from './configuration-reasons-pt-BR.js';
import type { Language } from './i18n.js';

/** What a refused start carries across the worker boundary. */
export interface Refusal {
  /** The ConfigurationError's message: one `source: path: expected …, found …` line per issue. */
  readonly message: string;
  /** Its issues, each with its path, English words and (where the check gives one) reason. */
  readonly issues?: readonly InputIssue[];
}

const TABLE = CONFIGURATION_REASON_PT_BR as Readonly<
  Partial<Record<string, (args: ConfigurationReason['args']) => string>>
>;

/**
 * One issue in Portuguese — `VM db01 · Mínimo (MiB): no máximo a memória inicial (…), não …` —
 * or null when it has no reason to say it from.
 */
export function issuePtBR(issue: InputIssue): string | null {
  const reason = issue.reason;
  const say = reason === undefined ? undefined : TABLE[reason.id];
  if (reason === undefined || say === undefined) return null;
  return `${fieldPtBR(issue.path)}: ${say(reason.args)}`;
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
  // ConfigurationError.describe writes one line per issue, in order.
  const lines = refusal.message.split('\n');
  const said = issues.map(issuePtBR);
  if (lines.length !== issues.length && said.includes(null)) return refusal.message;
  return said.map((line, k) => line ?? lines[k]).join('\n');
}
