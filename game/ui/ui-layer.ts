/**
 * The DOM overlay over the canvas. Each scene mounts one screen (a <section> of real buttons,
 * headings and lists) into a 1024 × 720 design box that is scaled exactly like the camera, so DOM
 * controls sit on the canvas art they belong to.
 */
import type { Fit } from './geometry.js';
import { DESIGN } from './geometry.js';

/** What a scene shows in the overlay and how it reacts to Esc and its own keys. */
export interface Screen {
  readonly root: HTMLElement;
  /** What Esc does (go back). Undefined on the title screen. */
  readonly back?: () => void;
  /** Extra keys for this screen: `event.key` → action. */
  readonly hotkeys?: Readonly<Record<string, () => void>>;
}

/**
 * Scrolls the element's scrollable panel (only that one) so the element is in view. Unlike
 * scrollIntoView it never scrolls the overlay itself, which must stay aligned with the canvas.
 */
export function reveal(el: HTMLElement): void {
  let box = el.parentElement;
  while (
    box &&
    !(box.scrollHeight > box.clientHeight && /auto|scroll/.test(getComputedStyle(box).overflowY))
  ) {
    box = box.parentElement;
  }
  if (!box) return;
  const outer = box.getBoundingClientRect();
  const inner = el.getBoundingClientRect();
  const ratio = box.offsetHeight / (outer.height || 1);
  const margin = 12;
  if (inner.top < outer.top) box.scrollTop -= (outer.top - inner.top) * ratio + margin;
  else if (inner.bottom > outer.bottom)
    box.scrollTop += (inner.bottom - outer.bottom) * ratio + margin;
}

const FOCUSABLE =
  'button:not([disabled]), a[href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export interface UiLayerElements {
  /** Scaled box in design pixels; screens go in here. */
  readonly design: HTMLElement;
}

export class UiLayer {
  private current: Screen | undefined;

  constructor(private readonly el: UiLayerElements) {
    el.design.style.width = `${DESIGN.width}px`;
    el.design.style.height = `${DESIGN.height}px`;
  }

  get active(): Screen | undefined {
    return this.current;
  }

  /**
   * Shows a screen in place of the current one and moves focus into it (to `focus`, else its
   * first control), so keyboard users always know where they are.
   */
  mount(screen: Screen, focus?: HTMLElement | null): void {
    this.current?.root.remove();
    this.current = screen;
    this.el.design.append(screen.root);
    const target = focus ?? this.focusables().at(0);
    if (target) {
      target.focus({ preventScroll: true });
      reveal(target);
    }
  }

  unmount(screen: Screen): void {
    screen.root.remove();
    if (this.current === screen) this.current = undefined;
  }

  /** Scales and places the design box like the camera. */
  fit(fit: Fit): void {
    this.el.design.style.transform = `translate(${fit.offsetX}px, ${fit.offsetY}px) scale(${fit.scale})`;
  }

  /** The visible, enabled focusable elements of the current screen, in DOM order. */
  focusables(): HTMLElement[] {
    if (!this.current) return [];
    return [...this.current.root.querySelectorAll<HTMLElement>(FOCUSABLE)].filter(
      (el) => el.getClientRects().length > 0 && !el.closest('[inert], [hidden]'),
    );
  }

  contains(node: Node | null): boolean {
    return node !== null && this.current !== undefined && this.current.root.contains(node);
  }
}
