/**
 * The scheduler grid's legend names each VM beside its colour and glyph (host-view.ts draws it,
 * in the monospace face). A name is cut, with an ellipsis, only where it does not fit the room
 * its column has.
 */

/** Width of one character of the monospace face, in ems (JetBrains Mono, DejaVu Sans Mono: 0.6). */
const MONO_ADVANCE_EM = 0.61;

/**
 * `name` as it fits in `widthPx` at `sizePx`: whole when it fits, else cut with an ellipsis.
 *
 * @example
 * legendName('nightshift', 66, 9); // 'nightshift' (10 characters need 55 px)
 * legendName('consolidation-db01', 66, 9); // 'consolidat…'
 */
export function legendName(name: string, widthPx: number, sizePx: number): string {
  const fit = Math.max(2, Math.floor(widthPx / (sizePx * MONO_ADVANCE_EM)));
  return name.length <= fit ? name : `${name.slice(0, fit - 1)}…`;
}
