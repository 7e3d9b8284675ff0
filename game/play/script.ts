/**
 * The whole draft as the script an administrator would run on a real Hyper-V host: the core's
 * {@link configurationScript} (the same text `hyperkata powershell` prints) with the comments in
 * the player's language, under two comment lines that say which level it is and how to run it.
 */
import { configurationScript } from '../../core/root/powershell.js';
import type { Level } from '../../levels/index.js';
import type { I18n } from '../i18n/i18n.js';
import type { Draft } from './draft.js';
import { powerShellNotes } from './powershell-notes.js';

/**
 * `title` names the level as the play screen does ("12 · Consolidation").
 *
 * @example
 * draftScript(level, draft, i18n, '12 · Consolidation');
 * // # Hyperkata 12 · Consolidation: the configuration on the board
 * // # Run it in an elevated PowerShell on the Hyper-V host; the VMs must be off.
 * //
 * // # ── lab12 ──
 * // bcdedit /set hypervisorrootproc 4   # minroot: …
 */
export function draftScript(
  level: Pick<Level, 'scenario'>,
  draft: Draft,
  i18n: I18n,
  title: string,
): string {
  const header = [
    `# ${i18n.t('play.script.header', { title })}`,
    `# ${i18n.t('play.script.howToRun')}`,
  ].join('\n');
  return `${header}\n\n${configurationScript(level.scenario, draft, powerShellNotes(i18n.language))}`;
}

/** The file name a downloaded script gets: the level's id, as the solution file's is. */
export function scriptFileName(level: Pick<Level, 'id'>): string {
  return `${level.id}.ps1`;
}
