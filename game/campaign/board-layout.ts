/**
 * Where the campaign map puts its levels: chips on a circuit board, four to a row, the bus trace
 * snaking left-to-right, then right-to-left. The canvas draws the chips and traces from this
 * layout and the DOM puts a real button on each chip, so the two always line up.
 */
import type { Point } from '../art/draw.js';

export const BOARD = {
  /** The board's area in design px. */
  x: 28,
  y: 104,
  width: 632,
  height: 584,
  node: { width: 132, height: 104 },
  columns: 4,
  columnStep: 150,
  rowStep: 186,
  first: { x: 52, y: 138 },
} as const;

export interface NodePlacement {
  readonly index: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Placement of the n-th level (0-based) on the board. */
export function nodePlacement(index: number): NodePlacement {
  const row = Math.floor(index / BOARD.columns);
  const inRow = index % BOARD.columns;
  const column = row % 2 === 0 ? inRow : BOARD.columns - 1 - inRow;
  return {
    index,
    x: BOARD.first.x + column * BOARD.columnStep,
    y: BOARD.first.y + row * BOARD.rowStep,
    width: BOARD.node.width,
    height: BOARD.node.height,
  };
}

/** The trace from level `index` to level `index + 1`: out of one chip's side, into the next. */
export function traceBetween(index: number): [Point, Point] {
  const a = nodePlacement(index);
  const b = nodePlacement(index + 1);
  const sameRow = a.y === b.y;
  if (sameRow) {
    const y = a.y + a.height / 2;
    return a.x < b.x
      ? [
          { x: a.x + a.width, y },
          { x: b.x, y },
        ]
      : [
          { x: a.x, y },
          { x: b.x + b.width, y },
        ];
  }
  const x = a.x + a.width / 2;
  return [
    { x, y: a.y + a.height },
    { x, y: b.y },
  ];
}
