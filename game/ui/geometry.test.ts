import { describe, expect, it } from '@jest/globals';
import { DESIGN, fitDesign, nearestInDirection } from './geometry.js';

describe('fitDesign', () => {
  it('is exactly 1:1 at 1280 × 720 with the event log beside the stage (20 vw)', () => {
    expect(fitDesign(1280 - 256, 720)).toEqual({ scale: 1, offsetX: 0, offsetY: 0 });
  });

  it('scales up for larger windows and centres the design space', () => {
    const fit = fitDesign(1920 - 384, 1080);
    expect(fit.scale).toBeCloseTo(1.5, 5);
    expect(fit.offsetX).toBe(0);
    const wide = fitDesign(2560, 1080);
    expect(wide.scale).toBeCloseTo(1.5, 5);
    expect(wide.offsetX).toBe(Math.round((2560 - DESIGN.width * 1.5) / 2));
  });
});

describe('nearestInDirection (arrow-key navigation)', () => {
  const box = (x: number, y: number, width = 100, height = 40) => ({ x, y, width, height });

  it('moves down a vertical menu to the next item, not a far one', () => {
    const items = [box(0, 0), box(0, 50), box(0, 100)];
    expect(nearestInDirection(items[0] ?? box(0, 0), items, 'down')).toBe(1);
    expect(nearestInDirection(items[2] ?? box(0, 0), items, 'down')).toBe(-1);
    expect(nearestInDirection(items[2] ?? box(0, 0), items, 'up')).toBe(1);
  });

  it('prefers an item in line over a closer one off to the side', () => {
    const from = box(0, 0);
    const inLine = box(0, 200);
    const diagonal = box(300, 60);
    expect(nearestInDirection(from, [diagonal, inLine], 'down')).toBe(1);
  });

  it('moves across a row of toggle buttons left and right', () => {
    const row = [box(0, 0, 80), box(90, 0, 80), box(180, 0, 80)];
    const middle = row[1] ?? box(0, 0);
    expect(nearestInDirection(middle, row, 'right')).toBe(2);
    expect(nearestInDirection(middle, row, 'left')).toBe(0);
  });
});
