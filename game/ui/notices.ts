/**
 * Notices over the top of the stage: problems the player must hear about (corrupt save, import
 * failed) as role="alert", confirmations as role="status". Each is also written to the event log,
 * so it stays in the history after it is dismissed.
 *
 * A notice belongs to the screen that raised it: going to another screen takes it away (the log
 * keeps it), so a level's refusal never sits over the campaign map. Esc closes the newest one
 * first, wherever focus is (the keyboard router asks {@link Notices.dismissNewest}).
 */
import type { I18n } from '../i18n/i18n.js';
import { h } from './dom.js';
import type { EventLog, LogKind } from './event-log.js';

export interface NoticeAction {
  readonly label: string;
  readonly run: () => void;
}

export interface NoticeOptions {
  readonly kind: LogKind;
  readonly text: string;
  readonly actions?: readonly NoticeAction[];
  /** Stays until dismissed. Default: errors and warnings stay, the rest fade after a while. */
  readonly sticky?: boolean;
}

const GLYPHS: Readonly<Record<LogKind, string>> = {
  info: 'i',
  success: '✓',
  warning: '!',
  error: '✕',
};
/** Info and success notices go after this long (not while focus is in them); the rest stay. */
const AUTO_DISMISS_MS = 10_000;

export class Notices {
  /**
   * The screen notices raised now belong to; undefined until the first screen after the start
   * (the save's notices, raised while booting, belong to the title screen).
   */
  private screen: string | undefined;

  constructor(
    private readonly container: HTMLElement,
    private readonly i18n: I18n,
    private readonly log: EventLog,
  ) {}

  show(options: NoticeOptions): HTMLElement {
    const urgent = options.kind === 'error' || options.kind === 'warning';
    let timer: number | undefined;
    const dismiss = (): void => {
      window.clearTimeout(timer);
      notice.remove();
    };
    const notice = h(
      'div',
      {
        className: `notice notice-${options.kind}`,
        attrs: {
          role: urgent ? 'alert' : 'status',
          'data-kind': options.kind,
          'data-screen': this.screen,
        },
        on: {
          keydown: (event) => {
            if (event.key === 'Escape') {
              event.stopPropagation();
              dismiss();
            }
          },
        },
      },
      h(
        'span',
        { className: 'notice-glyph', attrs: { 'aria-hidden': 'true' } },
        GLYPHS[options.kind],
      ),
      h('p', { className: 'notice-text' }, options.text),
      h(
        'div',
        { className: 'notice-actions' },
        ...(options.actions ?? []).map((action) =>
          h(
            'button',
            {
              className: 'notice-button',
              attrs: { type: 'button' },
              on: {
                click: () => {
                  action.run();
                },
              },
            },
            action.label,
          ),
        ),
        h(
          'button',
          {
            className: 'notice-button notice-dismiss',
            attrs: { type: 'button' },
            on: { click: dismiss },
          },
          this.i18n.t('notice.dismiss'),
        ),
      ),
    );
    this.dismissers.set(notice, dismiss);
    this.container.append(notice);
    this.log.narrate(options.text, { kind: options.kind });
    if (!(options.sticky ?? urgent)) {
      // Not while the player is in it (reading, or about to press one of its buttons).
      const expire = (): void => {
        if (notice.contains(document.activeElement)) timer = window.setTimeout(expire, 2000);
        else dismiss();
      };
      timer = window.setTimeout(expire, AUTO_DISMISS_MS);
    }
    return notice;
  }

  private readonly dismissers = new WeakMap<HTMLElement, () => void>();

  /** The notices on screen, oldest first. */
  private open(): HTMLElement[] {
    return [...this.container.querySelectorAll<HTMLElement>(':scope > .notice')];
  }

  private close(notice: HTMLElement): void {
    const dismiss = this.dismissers.get(notice);
    if (dismiss) dismiss();
    else notice.remove();
  }

  /**
   * A screen is shown (`key`, its scene): notices another screen raised go (the event log keeps
   * them); those raised before any screen (at start) become this one's. A rebuild of the same
   * screen (language, palette) keeps them.
   */
  enterScreen(key: string): void {
    if (key === this.screen) return;
    for (const notice of this.open()) {
      if (notice.dataset.screen === undefined) notice.dataset.screen = key;
      else this.close(notice);
    }
    this.screen = key;
  }

  /** Closes the newest notice; false when none is open (Esc then does what it does otherwise). */
  dismissNewest(): boolean {
    const newest = this.open().at(-1);
    if (!newest) return false;
    this.close(newest);
    return true;
  }

  /** Removes every notice (tests and scene changes do not need them; the log keeps them). */
  clear(): void {
    for (const notice of this.open()) this.close(notice);
    this.container.replaceChildren();
  }
}
