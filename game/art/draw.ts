/**
 * Drawing primitives of the schematic style: partition boxes, chips with pins, lanes, dashed
 * paths. One look everywhere: thin strokes, faint fills, rounded corners, pins on chips.
 */
import type Phaser from 'phaser';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A partition or hardware box: faint fill, crisp edge, corner ticks. */
export function partitionBox(
  g: Phaser.GameObjects.Graphics,
  x: number,
  y: number,
  width: number,
  height: number,
  colour: number,
  fill: number,
): void {
  g.fillStyle(fill, 0.78);
  g.fillRoundedRect(x, y, width, height, 10);
  g.fillStyle(colour, 0.05);
  g.fillRoundedRect(x, y, width, height, 10);
  g.lineStyle(1.5, colour, 0.75);
  g.strokeRoundedRect(x, y, width, height, 10);
  // Registration ticks at the corners: the blueprint look.
  g.lineStyle(2, colour, 1);
  const t = 10;
  g.lineBetween(x - 4, y + t, x - 4, y - 4);
  g.lineBetween(x - 4, y - 4, x + t, y - 4);
  g.lineBetween(x + width + 4, y + height - t, x + width + 4, y + height + 4);
  g.lineBetween(x + width + 4, y + height + 4, x + width - t, y + height + 4);
}

export interface ChipOptions {
  readonly colour: number;
  readonly fill: number;
  readonly dashed?: boolean;
  readonly pins?: number;
  readonly alpha?: number;
}

/** A chip: body, edge (solid or dashed) and pins on its top and bottom edges. */
export function chip(
  g: Phaser.GameObjects.Graphics,
  x: number,
  y: number,
  width: number,
  height: number,
  options: ChipOptions,
): void {
  const alpha = options.alpha ?? 1;
  const pins = options.pins ?? Math.max(2, Math.floor(width / 14));
  g.fillStyle(options.colour, 0.55 * alpha);
  const step = width / (pins + 1);
  for (let i = 1; i <= pins; i++) {
    g.fillRect(x + i * step - 2, y - 4, 4, 4);
    g.fillRect(x + i * step - 2, y + height, 4, 4);
  }
  g.fillStyle(options.fill, alpha);
  g.fillRoundedRect(x, y, width, height, 5);
  if (options.dashed) {
    dashedRect(g, x, y, width, height, options.colour, alpha);
  } else {
    g.lineStyle(1.5, options.colour, 0.95 * alpha);
    g.strokeRoundedRect(x, y, width, height, 5);
  }
}

export function dashedRect(
  g: Phaser.GameObjects.Graphics,
  x: number,
  y: number,
  width: number,
  height: number,
  colour: number,
  alpha = 1,
): void {
  dashedPath(
    g,
    [
      { x, y },
      { x: x + width, y },
      { x: x + width, y: y + height },
      { x, y: y + height },
      { x, y },
    ],
    colour,
    {
      alpha,
      width: 1.5,
      dash: 6,
      gap: 4,
    },
  );
}

/** A polyline drawn in dashes (the emulated path, locked traces). */
export function dashedPath(
  g: Phaser.GameObjects.Graphics,
  points: readonly Point[],
  colour: number,
  style: {
    readonly width: number;
    readonly dash: number;
    readonly gap: number;
    readonly alpha?: number;
  },
): void {
  g.lineStyle(style.width, colour, style.alpha ?? 1);
  let carry = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (length === 0) continue;
    const ux = (b.x - a.x) / length;
    const uy = (b.y - a.y) / length;
    let at = -carry;
    while (at < length) {
      const from = Math.max(0, at);
      const to = Math.min(length, at + style.dash);
      if (to > from) g.lineBetween(a.x + ux * from, a.y + uy * from, a.x + ux * to, a.y + uy * to);
      at += style.dash + style.gap;
    }
    carry = at - length;
    carry = carry > style.gap ? 0 : carry;
  }
}

/** A solid polyline. */
export function path(
  g: Phaser.GameObjects.Graphics,
  points: readonly Point[],
  colour: number,
  width: number,
  alpha = 1,
): void {
  g.lineStyle(width, colour, alpha);
  g.beginPath();
  points.forEach((p, i) => {
    if (i === 0) g.moveTo(p.x, p.y);
    else g.lineTo(p.x, p.y);
  });
  g.strokePath();
}

/** Total length of a polyline. */
export function pathLength(points: readonly Point[]): number {
  let length = 0;
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    length += Math.hypot(b.x - a.x, b.y - a.y);
  }
  return length;
}

/** The point at distance `d` along a polyline (clamped to its ends). */
export function pointAlong(points: readonly Point[], d: number): Point {
  let remaining = Math.max(0, d);
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1];
    const b = points[i];
    const length = Math.hypot(b.x - a.x, b.y - a.y);
    if (remaining <= length && length > 0) {
      const t = remaining / length;
      return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t };
    }
    remaining -= length;
  }
  return points.at(-1) ?? { x: 0, y: 0 };
}
