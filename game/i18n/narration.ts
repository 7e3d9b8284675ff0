/**
 * The simulation's narration (the event log's lines) in the player's language. The core gives each
 * line a message id and its parameters beside its English text; this says the message from the
 * language's table, and falls back to the line's English text for a line without a message or
 * with an id the table lacks. (The tables are typed against the core's ids, so in this build
 * that is no line; the fallback keeps a stray one readable rather than blank.)
 */
// From its own module, not core/index.js: the game's main bundle must not pull in the simulation.
import { NARRATION_TEXT } from '../../core/simulation/narration-messages.js';
import type { NarrationArgs, NarrationId, NarrationMessage } from '../../core/index.js';
import type { Language } from './i18n.js';
import { NARRATION_PT_BR } from './narration-pt-BR.js';

/** One line per core narration id: a table without one of them does not compile. */
export type NarrationTable = {
  readonly [I in NarrationId]: (args: NarrationArgs<I>) => string;
};

/** English is the core's own words: the text every line already carries. */
export const NARRATION_TABLES: Readonly<Record<Language, NarrationTable>> = {
  en: NARRATION_TEXT,
  'pt-BR': NARRATION_PT_BR,
};

/** What a narration line carries across the worker boundary (`NarrationLine`, `FrameNarration`). */
export interface SaidLine {
  readonly text: string;
  readonly message?: NarrationMessage;
}

/**
 * The line in `language`.
 *
 * @example
 * narrationIn('pt-BR', { text: 'db01 is Running', message: { id: 'vm.state', args: { vm: 'db01', state: 'Running' } } })
 * // 'db01 está em execução (Running)'
 */
export function narrationIn(language: Language, line: SaidLine): string {
  const message = line.message;
  if (message === undefined) return line.text;
  const tables: Readonly<Partial<Record<string, NarrationTable[NarrationId]>>> =
    NARRATION_TABLES[language];
  const say = tables[message.id] as ((args: NarrationMessage['args']) => string) | undefined;
  return say === undefined ? line.text : say(message.args);
}
