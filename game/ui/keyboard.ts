/**
 * One keyboard model for every scene: Tab and the arrow keys move focus (arrows spatially, to the
 * nearest control in that direction), Enter and Space activate (native buttons), Esc closes the
 * newest notice or else goes back, M toggles sound. Fields, lists and sliders keep every arrow key
 * (Tab leaves them); a screen's hotkey on Space or Enter (Play: Space runs) fires only where focus
 * is not on a control that uses the key.
 */
import type { Direction, Rect } from './geometry.js';
import { nearestInDirection } from './geometry.js';
import { reveal } from './ui-layer.js';
import type { UiLayer } from './ui-layer.js';

const ARROWS: Readonly<Partial<Record<string, Direction>>> = {
  ArrowUp: 'up',
  ArrowDown: 'down',
  ArrowLeft: 'left',
  ArrowRight: 'right',
};

export interface GlobalKeys {
  /** M: mute or unmute. */
  readonly toggleMute: () => void;
  /** Esc: closes the newest open notice, if any (whatever has focus); false when none was open. */
  readonly dismissNotice?: () => boolean;
}

function isTextField(el: Element | null): el is HTMLInputElement | HTMLTextAreaElement {
  if (el instanceof HTMLTextAreaElement) return true;
  return (
    el instanceof HTMLInputElement && ['text', 'search', 'url', 'email', 'number'].includes(el.type)
  );
}

/** Inputs that do nothing with the arrow keys themselves (the rest move a caret, step, slide). */
const ARROWLESS_INPUTS = new Set([
  'button',
  'submit',
  'reset',
  'checkbox',
  'image',
  'file',
  'color',
]);

/**
 * Whether `el`, focused, uses the arrow keys itself: a text field moves its caret, a number field
 * steps, a slider slides, a list changes its choice, a text area and editable text move the caret.
 * The game's arrow navigation then leaves the key to it.
 */
export function usesArrowKeys(el: Element | null): boolean {
  if (el === null) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  if (el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && !ARROWLESS_INPUTS.has(el.type);
}

/** ARIA widgets whose keyboard contract makes Space (and Enter) theirs: a script handles it. */
const SPACE_ROLES = new Set([
  'button',
  'checkbox',
  'switch',
  'radio',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'option',
  'tab',
]);
const ENTER_ROLES = new Set([
  'button',
  'link',
  'menuitem',
  'menuitemcheckbox',
  'menuitemradio',
  'option',
  'tab',
]);

/**
 * Whether `el`, focused, does something itself with `key`: Space presses a button, ticks a
 * checkbox, opens a list and types a space in a field; Enter presses a button, follows a link and
 * opens a summary. A screen's hotkey on that key then leaves it to the control (WCAG 2.1.1: a
 * keyboard player presses a focused button with Space) and fires only elsewhere. A slider takes
 * neither key.
 */
export function handlesKeyNatively(el: Element | null, key: string): boolean {
  if (el === null || (key !== ' ' && key !== 'Enter')) return false;
  if (el instanceof HTMLElement && el.isContentEditable) return true;
  if (el instanceof HTMLInputElement) return el.type !== 'range';
  if (
    el instanceof HTMLButtonElement ||
    el instanceof HTMLSelectElement ||
    el instanceof HTMLTextAreaElement ||
    el.tagName === 'SUMMARY'
  )
    return true;
  const role = el.getAttribute('role');
  if (key === 'Enter')
    return (el instanceof HTMLAnchorElement && el.href !== '') || ENTER_ROLES.has(role ?? '');
  return SPACE_ROLES.has(role ?? '');
}

function rectOf(el: Element): Rect {
  const r = el.getBoundingClientRect();
  return { x: r.left, y: r.top, width: r.width, height: r.height };
}

export class KeyboardRouter {
  private readonly onKeyDown = (event: KeyboardEvent): void => {
    this.handle(event);
  };

  constructor(
    private readonly ui: UiLayer,
    private readonly keys: GlobalKeys,
  ) {}

  attach(target: Document): () => void {
    target.addEventListener('keydown', this.onKeyDown);
    return () => {
      target.removeEventListener('keydown', this.onKeyDown);
    };
  }

  handle(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const active = document.activeElement;
    const inScreen = this.ui.contains(active) || active === document.body || active === null;
    const direction = ARROWS[event.key];
    if (direction) {
      if (inScreen) this.arrow(event, direction, active);
      return;
    }
    if (event.key === 'Escape') {
      this.escape(event, active, inScreen);
      return;
    }
    if (isTextField(active)) return;
    if ((event.key === 'm' || event.key === 'M') && !event.repeat) {
      event.preventDefault();
      this.keys.toggleMute();
      return;
    }
    const hotkey = inScreen ? this.ui.active?.hotkeys?.[event.key] : undefined;
    if (hotkey && handlesKeyNatively(active, event.key)) return;
    if (hotkey && !event.repeat) {
      event.preventDefault();
      hotkey();
    }
  }

  private arrow(event: KeyboardEvent, direction: Direction, active: Element | null): void {
    // A field, a list or a slider: the key is the control's (Tab leaves it).
    if (usesArrowKeys(active)) return;
    const horizontal = direction === 'left' || direction === 'right';
    // Scrollable text regions keep Up/Down for scrolling; Left/Right still leave them.
    if (!horizontal && active?.closest('[data-arrows="native"]')) return;
    const candidates = this.ui.focusables();
    if (candidates.length === 0) return;
    event.preventDefault();
    if (!(active instanceof HTMLElement) || !candidates.includes(active)) {
      candidates[0]?.focus();
      return;
    }
    const others = candidates.filter((el) => el !== active);
    const index = nearestInDirection(rectOf(active), others.map(rectOf), direction);
    if (index < 0) return;
    const target = others[index];
    target.focus({ preventScroll: true });
    reveal(target);
  }

  private escape(event: KeyboardEvent, active: Element | null, inScreen: boolean): void {
    // A notice first, wherever focus is: Esc must never leave the screen under an open notice.
    if (this.keys.dismissNotice?.() === true) {
      event.preventDefault();
      return;
    }
    if (isTextField(active) && active.value !== '') {
      event.preventDefault();
      active.value = '';
      active.dispatchEvent(new Event('input', { bubbles: true }));
      return;
    }
    const back = this.ui.active?.back;
    if (!back) return;
    if (!inScreen && active instanceof HTMLElement) active.blur();
    event.preventDefault();
    back();
  }
}
