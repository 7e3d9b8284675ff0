/**
 * The dialog that shows the whole draft as a PowerShell script (see script.ts): the text in a
 * scrollable, selectable block, Copy (with its outcome said where the player is looking and to a
 * screen reader), Download as a .ps1 file, and Close. Esc closes it; Tab stays inside it.
 */
import type { I18n } from '../i18n/i18n.js';
import { h } from '../ui/dom.js';
import { DESIGN } from '../ui/geometry.js';

export interface ScriptDialogOptions {
  readonly i18n: I18n;
  readonly script: string;
  readonly fileName: string;
  /** Resolves true when the text reached the clipboard. */
  readonly copy: (text: string) => Promise<boolean>;
  readonly download: (fileName: string, text: string) => void;
  readonly onClose: () => void;
}

/** Where the dialog stands, in design pixels: over the board and the inspector. */
const PLACE = { x: 262, y: 64, width: 746, height: 640 } as const;

/** Keys the screen's own hotkeys and the arrow navigation may still see while the dialog is open. */
const PASSED_ON = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Tab', 'm', 'M']);

const FOCUSABLE = 'button:not([disabled]), [tabindex="0"]';

export function buildScriptDialog(o: ScriptDialogOptions): HTMLElement {
  const { i18n } = o;
  const status = h('p', {
    id: 'script-status',
    className: 'script-status',
    attrs: { role: 'status', 'aria-live': 'polite' },
  });
  const copyButton = h(
    'button',
    {
      id: 'script-copy',
      className: 'primary-button small',
      attrs: { type: 'button' },
      on: {
        click: () => {
          void o.copy(o.script).then((ok) => {
            status.textContent = i18n.t(ok ? 'play.script.copied' : 'play.script.copyFailed');
            status.dataset.outcome = ok ? 'copied' : 'failed';
          });
        },
      },
    },
    i18n.t('play.script.copy'),
  );
  const dialog = h(
    'section',
    {
      id: 'script-dialog',
      className: 'panel script-dialog',
      attrs: {
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': 'script-heading',
        'aria-describedby': 'script-intro',
      },
      place: PLACE,
      on: {
        keydown: (event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            event.stopPropagation();
            o.onClose();
            return;
          }
          if (event.key === 'Tab') keepTabInside(dialog, event);
          // Space and C are the play screen's Run and Connect: not while the script is open.
          if (!PASSED_ON.has(event.key)) event.stopPropagation();
        },
      },
    },
    h('h2', { id: 'script-heading', className: 'card-heading' }, i18n.t('play.script.title')),
    h('p', { id: 'script-intro', className: 'muted' }, i18n.t('play.script.intro')),
    h(
      'pre',
      {
        id: 'script-text',
        className: 'ps-line script-text',
        // Focusable so a keyboard can scroll it; Up and Down scroll rather than move focus.
        attrs: {
          tabindex: 0,
          role: 'region',
          'aria-label': i18n.t('play.script.code'),
          'data-arrows': 'native',
        },
      },
      h('code', {}, ...o.script.trimEnd().split('\n').map(scriptLine)),
    ),
    h(
      'div',
      { className: 'script-actions' },
      copyButton,
      h(
        'button',
        {
          id: 'script-download',
          className: 'secondary-button',
          attrs: { type: 'button' },
          on: {
            click: () => {
              o.download(o.fileName, o.script);
            },
          },
        },
        i18n.t('play.script.download'),
      ),
      status,
      h(
        'button',
        {
          id: 'script-close',
          className: 'secondary-button',
          attrs: { type: 'button', 'aria-keyshortcuts': 'Escape' },
          on: {
            click: () => {
              o.onClose();
            },
          },
        },
        i18n.t('play.script.close'),
      ),
    ),
  );
  return h(
    'div',
    {
      className: 'script-backdrop',
      place: { x: 0, y: 0, ...DESIGN },
      on: {
        // A click beside the dialog closes it, as Esc does; one inside it does not.
        click: (event) => {
          if (event.target === event.currentTarget) o.onClose();
        },
      },
    },
    dialog,
  );
}

/** Tab from the last control goes to the first, Shift+Tab from the first to the last. */
function keepTabInside(dialog: HTMLElement, event: KeyboardEvent): void {
  const stops = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = stops.at(0);
  const last = stops.at(-1);
  if (!first || !last) return;
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

/**
 * One line of the script as its own block, so a long line wraps under itself (indented) rather
 * than under the line's start, and its comment (`# …`) dimmed beside the command. The text is
 * the script's own: selecting and copying it gives the same lines.
 */
function scriptLine(line: string): HTMLElement {
  const at = line.startsWith('#') ? 0 : line.indexOf('   # ');
  const command = at < 0 ? line : line.slice(0, at);
  const comment = at < 0 ? '' : line.slice(at);
  return h(
    'span',
    { className: 'script-line' },
    command,
    comment && h('span', { className: 'script-comment' }, comment),
    '\n',
  );
}
