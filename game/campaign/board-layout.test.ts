import { describe, expect, it } from '@jest/globals';
import { BOARD, nodePlacement, traceBetween } from './board-layout.js';

const nodes = Array.from({ length: 12 }, (_, i) => nodePlacement(i));

describe('campaign board layout', () => {
  it('keeps every level chip on the board', () => {
    for (const n of nodes) {
      expect(n.x).toBeGreaterThanOrEqual(BOARD.x);
      expect(n.y).toBeGreaterThanOrEqual(BOARD.y);
      expect(n.x + n.width).toBeLessThanOrEqual(BOARD.x + BOARD.width);
      expect(n.y + n.height).toBeLessThanOrEqual(BOARD.y + BOARD.height);
    }
  });

  it('never overlaps two chips (each button stays clickable)', () => {
    for (const a of nodes) {
      for (const b of nodes) {
        if (a === b) continue;
        const overlap =
          a.x < b.x + b.width &&
          b.x < a.x + a.width &&
          a.y < b.y + b.height &&
          b.y < a.y + a.height;
        expect(overlap).toBe(false);
      }
    }
  });

  it('snakes: consecutive levels are neighbours, so the trace is one straight segment', () => {
    for (let i = 0; i < 11; i++) {
      const [from, to] = traceBetween(i);
      expect(from.x === to.x || from.y === to.y).toBe(true);
    }
    // Row 2 runs right to left: level 5 sits under level 4.
    expect(nodes[4]?.x).toBe(nodes[3]?.x);
  });
});
