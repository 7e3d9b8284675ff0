/**
 * Layout geometry shared by the canvas and the DOM overlay: the design space both draw in, how it
 * fits a window of any size, and spatial navigation between focusable things. Pure functions.
 */

/**
 * Every scene is laid out in this space; the canvas camera and the DOM overlay scale it by the
 * same factor. At a 1280 × 720 window with the event log beside it (20 vw) the scale is exactly 1.
 */
export const DESIGN = { width: 1024, height: 720 } as const;

export interface Fit {
  /** Design pixels → screen pixels. */
  readonly scale: number;
  /** Screen position of the design space's top-left corner. */
  readonly offsetX: number;
  readonly offsetY: number;
}

/** The largest scale at which the design space fits the stage, centred. */
export function fitDesign(stageWidth: number, stageHeight: number): Fit {
  const scale = Math.max(0.1, Math.min(stageWidth / DESIGN.width, stageHeight / DESIGN.height));
  return {
    scale,
    offsetX: Math.round((stageWidth - DESIGN.width * scale) / 2),
    offsetY: Math.round((stageHeight - DESIGN.height * scale) / 2),
  };
}

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export type Direction = 'up' | 'down' | 'left' | 'right';

/**
 * The candidate an arrow key should move to: the nearest one whose centre lies in that direction,
 * preferring ones in line with the current element (distance along the axis plus twice the
 * sideways offset, as in the CSS spatial navigation draft). -1 when there is none.
 */
export function nearestInDirection(
  from: Rect,
  candidates: readonly Rect[],
  direction: Direction,
): number {
  const cx = from.x + from.width / 2;
  const cy = from.y + from.height / 2;
  let best = -1;
  let bestScore = Infinity;
  candidates.forEach((rect, index) => {
    const x = rect.x + rect.width / 2;
    const y = rect.y + rect.height / 2;
    const dx = x - cx;
    const dy = y - cy;
    let along: number;
    let across: number;
    switch (direction) {
      case 'up':
        along = -dy;
        across = Math.abs(dx);
        break;
      case 'down':
        along = dy;
        across = Math.abs(dx);
        break;
      case 'left':
        along = -dx;
        across = Math.abs(dy);
        break;
      case 'right':
        along = dx;
        across = Math.abs(dy);
        break;
    }
    if (along <= 1) return;
    // Overlapping on the cross axis means "in line": no sideways penalty.
    const inLine =
      direction === 'up' || direction === 'down'
        ? rect.x < from.x + from.width && from.x < rect.x + rect.width
        : rect.y < from.y + from.height && from.y < rect.y + rect.height;
    const score = along + (inLine ? 0 : 2 * across);
    if (score < bestScore) {
      bestScore = score;
      best = index;
    }
  });
  return best;
}
