import { describe, expect, it } from '@jest/globals';
import { PALETTES, PALETTE_IDS } from '../style/palette.js';
import {
  RING_FULL,
  danglingStub,
  dashes,
  devicePathLook,
  devicesThatLost,
  mixedCores,
  ringLook,
  vmLook,
} from './board-look.js';
import type { Segment } from './layout.js';

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

describe('the board says which device, which path and which VM', () => {
  it('the lost-request cross goes on the devices whose count grew, not the VM’s first one', () => {
    expect(devicesThatLost({ scsi0: 0, eth0: 561 }, { scsi0: 0, eth0: 500 })).toEqual(['eth0']);
    expect(devicesThatLost({ scsi0: 3, eth0: 561 }, {})).toEqual(['scsi0', 'eth0']);
    expect(devicesThatLost({ scsi0: 3, eth0: 561 }, { scsi0: 3, eth0: 561 })).toEqual([]);
  });

  it('a device is on the emulated path only when routed there; unwired it goes nowhere', () => {
    const channels = [{ vm: 'web01', device: 'scsi0' }];
    const emulated = [{ vm: 'old01', device: 'disk0' }];
    expect(devicePathLook('web01', 'scsi0', channels, emulated)).toBe('channel');
    expect(devicePathLook('old01', 'disk0', channels, emulated)).toBe('emulated');
    // Level 2's eth0 on a generation 2 VM: no channel and no emulated device to fall back on.
    expect(devicePathLook('web01', 'eth0', channels, emulated)).toBe('none');
    // Another VM's device of the same name is not this one.
    expect(devicePathLook('web02', 'scsi0', channels, emulated)).toBe('none');
  });

  it('an unwired device is a short stub ending in a ✗ (two crossing strokes) under its VSC', () => {
    const { stub, cross } = danglingStub({ x: 100, y: 50, width: 60, height: 20 }, 12);
    expect(stub).toEqual({ x1: 130, y1: 70, x2: 130, y2: 82 });
    expect(cross).toHaveLength(2);
    for (const c of cross) {
      expect(Math.min(c.y1, c.y2)).toBeGreaterThanOrEqual(stub.y2 - 4);
      expect((c.x1 + c.x2) / 2).toBe(130);
    }
    // The strokes slope opposite ways: an ×, not a bar.
    const slope = (c: Segment) => (c.y2 - c.y1) / (c.x2 - c.x1);
    expect(slope(cross[0]) * slope(cross[1])).toBeLessThan(0);
  });

  it('each VM has its own colour and glyph, in both palettes, before any repeats', () => {
    for (const palette of PALETTE_IDS) {
      const looks = Array.from({ length: 8 }, (_, i) => vmLook(i, palette));
      expect(new Set(looks.map((l) => l.colour)).size).toBe(8);
      expect(new Set(looks.map((l) => `${l.glyph}/${String(l.hollow)}`)).size).toBe(8);
      // No VM takes the root's colour: the grid's blue stays the root's.
      expect(looks.map((l) => l.colour)).not.toContain(PALETTES[palette].root);
    }
    // Two VMs next to each other always differ by shape as well as colour.
    expect(vmLook(0, 'colour-blind').glyph).not.toBe(vmLook(1, 'colour-blind').glyph);
  });

  it('a core is mixed when its SMT siblings run VPs of two different VMs at once', () => {
    // LPs 0-1 core 0: VMs 0 and 1 — mixed. Core 1: VM 0 twice. Core 2: idle + VM 1. Core 3: root + VM 0.
    expect(mixedCores([0, 1, 0, 0, -2, 1, -1, 0], 2)).toEqual([0]);
    expect(mixedCores([1, 0, 0, 1], 2)).toEqual([0, 1]);
    // Without SMT there is nothing to share.
    expect(mixedCores([0, 1, 2, 3], 1)).toEqual([]);
  });
});
