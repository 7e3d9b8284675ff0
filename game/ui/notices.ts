/**
 * Notices over the top of the stage: problems the player must hear about (corrupt save, import
 * failed) as role="alert", confirmations as role="status". Each is also written to the event log,
 * so it stays in the history after it is dismissed.
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
const AUTO_DISMISS_MS = 7000;

export class Notices {
  constructor(
    private readonly container: HTMLElement,
    private readonly i18n: I18n,
    private readonly log: EventLog,
  ) {}

  show(options: NoticeOptions): HTMLElement {
    const urgent = options.kind === 'error' || options.kind === 'warning';
    const dismiss = (): void => {
      notice.remove();
    };
    const notice = h(
      'div',
      {
        className: `notice notice-${options.kind}`,
        attrs: { role: urgent ? 'alert' : 'status', 'data-kind': options.kind },
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
    this.container.append(notice);
    this.log.narrate(options.text, { kind: options.kind });
    if (!(options.sticky ?? urgent)) {
      window.setTimeout(() => {
        if (!notice.contains(document.activeElement)) dismiss();
      }, AUTO_DISMISS_MS);
    }
    return notice;
  }

  /** Removes every notice (tests and scene changes do not need them; the log keeps them). */
  clear(): void {
    this.container.replaceChildren();
  }
}
