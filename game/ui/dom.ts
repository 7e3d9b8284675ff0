/**
 * A tiny element builder: `h('button', { className: 'menu', on: { click } }, 'Play')`.
 * The menus are real DOM (buttons, headings, lists) so keyboards, screen readers and tests see
 * what a player sees.
 */

type Handlers = { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };

export interface Props {
  readonly className?: string;
  readonly id?: string;
  /** Attributes (aria-*, data-*, role, type…); `false`/undefined leave them out. */
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly on?: Handlers;
  /** Absolute placement in design pixels (the overlay is scaled as a whole). */
  readonly place?: {
    readonly x: number;
    readonly y: number;
    readonly width?: number;
    readonly height?: number;
  };
}

export type Child = Node | string | false | null | undefined;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.className) el.className = props.className;
  if (props.id) el.id = props.id;
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : String(value));
  }
  for (const [type, handler] of Object.entries(props.on ?? {})) {
    el.addEventListener(type, handler as EventListener);
  }
  if (props.place) {
    el.style.position = 'absolute';
    el.style.left = `${props.place.x}px`;
    el.style.top = `${props.place.y}px`;
    if (props.place.width !== undefined) el.style.width = `${props.place.width}px`;
    if (props.place.height !== undefined) el.style.height = `${props.place.height}px`;
  }
  append(el, children);
  return el;
}

export function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === false || child === null || child === undefined) continue;
    parent.append(child);
  }
}

/** Replaces an element's children, skipping false/null/undefined. */
export function replace(parent: Element, ...children: readonly Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/**
 * Sets an element's text only when it differs: a write, even of the same text, replaces the text
 * node and costs the page a style and layout pass. Returns whether it wrote.
 *
 * @example
 * setText(clock, `Running · ${now} of 300 ms`); // five times a second, writes when it changed
 */
export function setText(el: { textContent: string | null }, text: string): boolean {
  if (el.textContent === text) return false;
  el.textContent = text;
  return true;
}

/** Builds an element from an SVG string we wrote (device shapes, icons). */
export function svg(markup: string, label?: string): HTMLSpanElement {
  const span = h('span', {
    className: 'svg',
    attrs: label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': 'true' },
  });
  span.innerHTML = markup;
  return span;
}

let uid = 0;
/** A unique id for aria-labelledby and label/for pairs. */
export function uniqueId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}
