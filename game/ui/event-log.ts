/**
 * The text event log beside the canvas: an ARIA live region (role="log", polite, additions only)
 * that narrates what happens, so a screen-reader user can follow a run. Visible, scrollable,
 * reachable with Tab. Scenes say single lines with {@link EventLog.narrate}; the Play scene
 * streams the simulation's narration with {@link EventLog.stream}, which keeps every line on
 * screen but mutes the region and speaks a summary at most every {@link SUMMARY_EVERY_MS}.
 */
import type { I18n } from '../i18n/i18n.js';
import { h } from './dom.js';
import { SummaryGate } from './live-summary.js';

/** Least real time between two spoken summaries while a run streams lines (ms). */
export const SUMMARY_EVERY_MS = 8000;

export type LogKind = 'info' | 'success' | 'warning' | 'error';

export interface LogEntry {
  readonly text: string;
  readonly kind?: LogKind;
  /** Simulated time, already formatted (`12.345 ms`). */
  readonly time?: string;
  /** Who speaks (`VMMS`, `storvsp`, `hypervisor`). */
  readonly source?: string;
  /**
   * The line again, in the language chosen since: called after a language switch, so earlier
   * lines read in the new language too. Without it a line keeps its words (an error's own text).
   */
  readonly again?: () => Pick<LogEntry, 'text' | 'time' | 'source'>;
}

/** A line's words: fixed, or said again in the current language whenever it changes. */
export type LogText = string | (() => string);

/** A shape for each kind, so the kind is never told by colour alone. */
const GLYPHS: Readonly<Record<LogKind, string>> = {
  info: '•',
  success: '✓',
  warning: '!',
  error: '✕',
};

export interface EventLogElements {
  readonly app: HTMLElement;
  /** The live region (role="log") holding one element per line. */
  readonly list: HTMLElement;
  readonly heading: HTMLElement;
  readonly toggle: HTMLButtonElement;
  /**
   * A polite live region, off screen, where summaries of a streaming run are spoken (no
   * role="status": that role is for the notices and the play screen's status line).
   */
  readonly summary: HTMLElement;
}

export class EventLog {
  private open = true;
  private readonly listeners = new Set<(open: boolean) => void>();
  /**
   * Whether the list follows the newest line: true until the reader scrolls up, true again once
   * they scroll back to the end. Kept from scroll events, so adding lines never has to measure
   * the list (a measure right after a DOM change forces a layout in the middle of a frame).
   */
  private following = true;
  private scrollQueued = false;
  private streaming = false;
  private readonly gate: SummaryGate;
  /** What each line on screen was made from, so a language switch can say it again. */
  private readonly entries = new WeakMap<Element, LogEntry>();

  constructor(
    private readonly el: EventLogElements,
    private readonly i18n: I18n,
    /** Oldest lines are dropped beyond this many. */
    private readonly maxLines = 400,
    now: () => number = () => performance.now(),
  ) {
    this.gate = new SummaryGate(SUMMARY_EVERY_MS, now);
    el.toggle.addEventListener('click', () => {
      this.setOpen(!this.open);
    });
    el.list.addEventListener(
      'scroll',
      () => {
        const list = el.list;
        this.following = list.scrollHeight - list.scrollTop - list.clientHeight < 24;
      },
      { passive: true },
    );
    this.relabel();
  }

  /**
   * Adds one line and announces it.
   *
   * @example
   * log.narrate(() => i18n.t('log.welcome')); // said again in Portuguese after a switch to pt-BR
   * log.narrate(String(error), { kind: 'warning' }); // an error's own words: kept as they are
   */
  narrate(text: LogText, options: Omit<LogEntry, 'text'> = {}): void {
    this.narrateAll([
      typeof text === 'string'
        ? { text, ...options }
        : { text: text(), again: () => ({ text: text() }), ...options },
    ]);
  }

  /** Adds several lines at once, each spoken (ends a stream: what follows is heard again). */
  narrateAll(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    this.endStream();
    this.append(entries);
  }

  /**
   * Adds lines of a running simulation: shown like any other, but not read one by one. The
   * region is muted (aria-live="off") until the next {@link narrate}; a short summary — how many
   * lines came and the latest — is spoken at once, then at most every {@link SUMMARY_EVERY_MS}.
   */
  stream(entries: readonly LogEntry[]): void {
    if (entries.length === 0) return;
    if (!this.streaming) {
      this.streaming = true;
      this.el.list.setAttribute('aria-live', 'off');
      this.el.list.dataset.streaming = 'true';
    }
    this.append(entries);
    const covered = this.gate.add(entries.length);
    const latest = entries.at(-1);
    if (covered > 0 && latest) {
      this.el.summary.textContent = this.i18n.t('log.summary', {
        count: covered,
        text: latest.text,
      });
    }
  }

  /** Whether the log is muted because a run streams lines into it. */
  get isStreaming(): boolean {
    return this.streaming;
  }

  private endStream(): void {
    if (!this.streaming) return;
    this.streaming = false;
    this.gate.reset();
    this.el.list.setAttribute('aria-live', 'polite');
    delete this.el.list.dataset.streaming;
    this.el.summary.textContent = '';
  }

  private append(entries: readonly LogEntry[]): void {
    const list = this.el.list;
    const fragment = document.createDocumentFragment();
    for (const entry of entries) fragment.append(this.line(entry));
    list.append(fragment);
    while (list.children.length > this.maxLines) list.firstElementChild?.remove();
    if (this.following) this.followTail();
  }

  /** Scrolls to the newest line once, before the next frame is drawn (one layout for all lines). */
  private followTail(): void {
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      const list = this.el.list;
      list.scrollTop = list.scrollHeight;
    });
  }

  clear(): void {
    this.endStream();
    this.el.list.replaceChildren();
  }

  get isOpen(): boolean {
    return this.open;
  }

  setOpen(open: boolean): void {
    if (open === this.open) return;
    this.open = open;
    this.relabel();
    for (const listener of [...this.listeners]) listener(open);
  }

  onToggle(listener: (open: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-applies translated labels (after a language switch). */
  relabel(): void {
    this.el.app.dataset.logOpen = String(this.open);
    this.el.heading.textContent = this.i18n.t('log.heading');
    this.el.toggle.setAttribute('aria-expanded', String(this.open));
    this.el.toggle.textContent = this.open ? this.i18n.t('log.hide') : this.i18n.t('log.show');
    this.el.toggle.setAttribute(
      'aria-label',
      this.i18n.t(this.open ? 'log.hideLong' : 'log.showLong'),
    );
    this.el.list.dataset.empty = this.i18n.t('log.empty');
    this.sayAgain();
  }

  /**
   * Every line on screen in the current language: its words where it can say them again, and its
   * kind's spoken prefix. In place, so the live region (additions only) does not read them again.
   */
  private sayAgain(): void {
    for (const el of this.el.list.children) {
      const entry = this.entries.get(el);
      if (!entry) continue;
      const kind = entry.kind ?? 'info';
      const prefix = el.querySelector('.sr-only');
      if (prefix) prefix.textContent = `${this.i18n.t(`log.kind.${kind}`)}: `;
      if (!entry.again) continue;
      const fresh = entry.again();
      const set = (selector: string, text: string | undefined): void => {
        const span = el.querySelector(selector);
        if (span && text !== undefined) span.textContent = text;
      };
      set('.log-text', fresh.text);
      set('.log-time', fresh.time);
      set('.log-source', fresh.source);
    }
  }

  private line(entry: LogEntry): HTMLDivElement {
    const kind = entry.kind ?? 'info';
    const spoken = kind === 'warning' || kind === 'error';
    // A div, not an li: role="log" replaces the list role, and an li outside a list is an error.
    const el = h(
      'div',
      { className: `log-line log-${kind}` },
      h('span', { className: 'log-glyph', attrs: { 'aria-hidden': 'true' } }, GLYPHS[kind]),
      spoken && h('span', { className: 'sr-only' }, `${this.i18n.t(`log.kind.${kind}`)}: `),
      entry.time !== undefined && h('span', { className: 'log-time' }, entry.time),
      entry.source !== undefined && h('span', { className: 'log-source' }, entry.source),
      h('span', { className: 'log-text' }, entry.text),
    );
    this.entries.set(el, entry);
    return el;
  }
}
