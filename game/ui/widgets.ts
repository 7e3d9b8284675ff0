/**
 * The few controls every screen is made of. All are native buttons (Enter and Space work, screen
 * readers announce them) with a visible focus ring from the stylesheet; state is shown by shape
 * and text as well as colour (a check mark on the chosen option, ★ and ☆ for stars, a lock icon).
 */
import { h, uniqueId } from './dom.js';
import type { Child } from './dom.js';

export interface MenuItemOptions {
  readonly id: string;
  readonly label: string;
  readonly hint?: string;
  readonly onActivate: () => void;
}

/**
 * A big menu entry: label plus a one-line hint. Its accessible name is all it shows ("Campaign
 * 6 of 36 stars"), so speech input can say what is on screen (WCAG 2.5.3, label in name).
 */
export function menuItem(options: MenuItemOptions): HTMLButtonElement {
  return h(
    'button',
    {
      id: options.id,
      className: 'menu-item',
      attrs: { type: 'button' },
      on: { click: options.onActivate },
    },
    h('span', { className: 'menu-label' }, options.label),
    options.hint && h('span', { className: 'menu-hint' }, options.hint),
  );
}

export interface Choice<T> {
  readonly value: T;
  readonly label: string;
  /** Something shown inside the button after the label (a swatch, a shape). */
  readonly extra?: Child;
  /** `lang` attribute when the label is in another language (language names). */
  readonly lang?: string;
}

export interface ChoiceGroupOptions<T> {
  /** Used for element ids: `${idPrefix}-${value}`. */
  readonly idPrefix: string;
  readonly label: string;
  readonly choices: readonly Choice<T>[];
  readonly value: T;
  readonly onChoose: (value: T) => void;
  readonly className?: string;
}

/**
 * A row of toggle buttons of which one is pressed (aria-pressed), e.g. language or palette.
 * The label is the group's accessible name.
 */
export function choiceGroup<T extends string | number>(
  options: ChoiceGroupOptions<T>,
): HTMLDivElement {
  const labelId = uniqueId('group');
  return h(
    'div',
    { className: `choice-row ${options.className ?? ''}`.trim() },
    h('span', { className: 'choice-label', id: labelId }, options.label),
    h(
      'div',
      { className: 'choice-group', attrs: { role: 'group', 'aria-labelledby': labelId } },
      ...options.choices.map((choice) => {
        const pressed = choice.value === options.value;
        return h(
          'button',
          {
            id: `${options.idPrefix}-${String(choice.value)}`,
            className: 'choice',
            attrs: { type: 'button', 'aria-pressed': String(pressed), lang: choice.lang },
            on: {
              click: () => {
                if (!pressed) options.onChoose(choice.value);
              },
            },
          },
          h(
            'span',
            { className: 'choice-check', attrs: { 'aria-hidden': 'true' } },
            pressed ? '✓' : '',
          ),
          h('span', { className: 'choice-text' }, choice.label),
          choice.extra,
        );
      }),
    ),
  );
}

/** The back button every screen has at its top left (Esc does the same). */
export function backButton(label: string, onBack: () => void): HTMLButtonElement {
  return h(
    'button',
    { id: 'back', className: 'back-button', attrs: { type: 'button' }, on: { click: onBack } },
    h('span', { className: 'back-arrow', attrs: { 'aria-hidden': 'true' } }, '←'),
    h('span', {}, label),
    h('kbd', { attrs: { 'aria-hidden': 'true' } }, 'Esc'),
  );
}

/** ★★☆ with a spoken equivalent ("2 of 3 stars"). */
export function starRow(stars: number, spoken: string, max = 3): HTMLSpanElement {
  const shown = '★'.repeat(stars) + '☆'.repeat(Math.max(0, max - stars));
  return h('span', { className: 'stars', attrs: { role: 'img', 'aria-label': spoken } }, shown);
}

/**
 * A padlock drawn in SVG (no emoji: it must look the same on every system). Hidden from screen
 * readers where words beside it say it already; with `label`, an image of that name.
 */
export function lockIcon(label?: string): HTMLSpanElement {
  const span = h('span', {
    className: 'lock-icon',
    attrs: label === undefined ? { 'aria-hidden': 'true' } : { role: 'img', 'aria-label': label },
  });
  span.innerHTML =
    '<svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14"><path d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2" fill="none" stroke="currentColor" stroke-width="1.6"/><rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor"/></svg>';
  return span;
}

/** A screen's heading block: back button, title and optional trailing content. */
export function screenHeader(options: {
  readonly id: string;
  readonly title: string;
  readonly back?: HTMLButtonElement;
  readonly trailing?: Child;
}): HTMLElement {
  return h(
    'header',
    { className: 'screen-header' },
    options.back,
    h('h1', { id: options.id, className: 'screen-title' }, options.title),
    options.trailing,
  );
}

/** A list of codex concepts as chips (native buttons); `onPick` opens the one chosen. */
export function conceptChips(
  ids: readonly string[],
  label: (id: string) => string,
  onPick: (id: string) => void,
): HTMLUListElement {
  return h(
    'ul',
    { className: 'concept-list' },
    ...ids.map((id) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            className: 'concept-chip',
            attrs: { type: 'button' },
            on: {
              click: () => {
                onPick(id);
              },
            },
          },
          label(id),
        ),
      ),
    ),
  );
}

/**
 * A hidden `<input type="file">` for JSON files, opened by a visible button's `click()` (so the
 * button keeps the focus ring and the label): `onFile` gets the chosen file, and the input is
 * cleared so the same file can be chosen again.
 */
export function jsonFilePicker(id: string, onFile: (file: File) => void): HTMLInputElement {
  const input = h('input', {
    id,
    className: 'sr-only',
    attrs: { type: 'file', accept: '.json,application/json', tabindex: -1, 'aria-hidden': 'true' },
    on: {
      change: () => {
        const file = input.files?.[0];
        if (file) onFile(file);
        input.value = '';
      },
    },
  });
  return input;
}

/**
 * Attributes of a block of text that may scroll (max-height): a named region that takes focus,
 * so a keyboard can scroll it and a screen reader says what it holds; Up and Down scroll it.
 */
export function scrollableText(label: string): Record<string, string | number> {
  return { tabindex: 0, role: 'region', 'aria-label': label, 'data-arrows': 'native' };
}
