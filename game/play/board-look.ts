/**
 * What the board shows by shape as well as colour, as pure geometry (host-view.ts draws it):
 * the emulated path is dashed where a VMBus lane is solid, and a ring that is nearly full is
 * hatched as well as turning the "bad" colour. A player who cannot tell the colours apart still
 * sees the difference.
 */
import type { Rect, Segment } from './layout.js';

/** Above this share a ring counts as full (the "ring full" objectives' zone). */
export const RING_FULL = 0.8;

/**
 * A segment cut into dashes `dash` px long with `gap` px between them (the last one may be
 * shorter), in order from its first end.
 *
 * @example
 * dashes({ x1: 0, y1: 0, x2: 10, y2: 0 }, 4, 3); // 0–4 and 7–10
 */
export function dashes(s: Segment, dash = 4, gap = 3): Segment[] {
  const length = Math.hypot(s.x2 - s.x1, s.y2 - s.y1);
  if (length === 0) return [];
  const ux = (s.x2 - s.x1) / length;
  const uy = (s.y2 - s.y1) / length;
  const out: Segment[] = [];
  for (let at = 0; at < length; at += dash + gap) {
    const end = Math.min(at + dash, length);
    out.push({ x1: s.x1 + ux * at, y1: s.y1 + uy * at, x2: s.x1 + ux * end, y2: s.y1 + uy * end });
  }
  return out;
}

export interface RingLook {
  /** Filled beyond {@link RING_FULL}: drawn in the "bad" colour and hatched. */
  readonly full: boolean;
  /** How wide the fill bar is drawn (at least 1 px, so an empty ring still shows its start). */
  readonly width: number;
  /** Diagonal stripes over the fill bar, drawn in the background colour; none unless full. */
  readonly hatch: readonly Segment[];
}

/** How a ring `fill` (0–1) full is drawn in its box. */
export function ringLook(ring: Rect, fill: number, step = 5): RingLook {
  const width = Math.max(1, ring.width * Math.min(1, Math.max(0, fill)));
  const full = fill > RING_FULL;
  const hatch: Segment[] = [];
  if (full) {
    const end = ring.x + width;
    const bottom = ring.y + ring.height;
    // Stripes going up to the right, each cut off at the end of the bar.
    for (let x = ring.x; x < end; x += step) {
      const x2 = Math.min(x + ring.height, end);
      hatch.push({ x1: x, y1: bottom, x2, y2: bottom - (x2 - x) });
    }
  }
  return { full, width, hatch };
}
