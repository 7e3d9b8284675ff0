import { describe, expect, it } from '@jest/globals';
import { RING_FULL, dashes, ringLook } from './board-look.js';

describe('the board tells states apart by shape, not only by colour', () => {
  it('the emulated path is dashed: gaps along the wire, dashes covering it in order', () => {
    const parts = dashes({ x1: 10, y1: 0, x2: 10, y2: 40 }, 4, 3);
    expect(parts.length).toBe(6);
    expect(parts[0]).toEqual({ x1: 10, y1: 0, x2: 10, y2: 4 });
    expect(parts[1].y1).toBe(7);
    // The last dash starts on the wire and stops by its end.
    expect(parts.at(-1)).toEqual({ x1: 10, y1: 35, x2: 10, y2: 39 });
    expect(dashes({ x1: 0, y1: 0, x2: 9, y2: 0 }, 4, 3).at(-1)?.x2).toBe(9);
    const drawn = parts.reduce((sum, p) => sum + (p.y2 - p.y1), 0);
    expect(drawn).toBeLessThan(40);
    expect(dashes({ x1: 3, y1: 3, x2: 3, y2: 3 })).toEqual([]);
  });

  it('a nearly full ring is hatched; a ring with room is a plain bar', () => {
    const ring = { x: 100, y: 50, width: 100, height: 8 };
    const calm = ringLook(ring, 0.5);
    expect(calm).toEqual({ full: false, width: 50, hatch: [] });
    const full = ringLook(ring, 0.9);
    expect(full.full).toBe(true);
    expect(full.width).toBe(90);
    expect(full.hatch.length).toBeGreaterThan(10);
    // Every stripe stays inside the bar.
    for (const s of full.hatch) {
      expect(s.x1).toBeGreaterThanOrEqual(100);
      expect(Math.max(s.x1, s.x2)).toBeLessThanOrEqual(190);
      expect(Math.min(s.y1, s.y2)).toBeGreaterThanOrEqual(50);
      expect(Math.max(s.y1, s.y2)).toBeLessThanOrEqual(58);
    }
    expect(ringLook(ring, RING_FULL).full).toBe(false);
    expect(ringLook(ring, 0).width).toBe(1);
  });
});
