import { describe, expect, it } from '@jest/globals';
import { DEVICE_CLASSES } from '../../core/model/scenario.js';
import { DEVICE_CLASS_ORDER, DEVICE_STYLES, SHAPES, deviceSvg } from './devices.js';
import { PALETTES, PALETTE_IDS, contrastRatio } from './palette.js';

describe('device styles', () => {
  it('cover exactly the device classes the simulation knows', () => {
    expect([...DEVICE_CLASS_ORDER]).toEqual([...DEVICE_CLASSES]);
    expect(Object.keys(DEVICE_STYLES).sort()).toEqual([...DEVICE_CLASSES].sort());
  });

  it('give every class its own shape, so colour is never the only clue', () => {
    const shapes = DEVICE_CLASS_ORDER.map((c) => DEVICE_STYLES[c].shape);
    expect(new Set(shapes).size).toBe(shapes.length);
    const bodies = shapes.map((s) => SHAPES[s].body);
    expect(new Set(bodies).size).toBe(bodies.length);
  });

  it.each(PALETTE_IDS)('give every class its own colour in the %s palette too', (id) => {
    const colours = DEVICE_CLASS_ORDER.map((c) => PALETTES[id].devices[c]);
    expect(new Set(colours).size).toBe(colours.length);
  });

  it('render as a self-contained SVG in the palette’s colour', () => {
    const svg = deviceSvg('network', 'colour-blind', 32);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('#2fbf8f');
    expect(svg).toContain('width="32"');
  });
});

describe('palettes are readable on their background (WCAG 2)', () => {
  it.each(PALETTE_IDS)('%s: body and secondary text reach 4.5:1', (id) => {
    const p = PALETTES[id];
    expect(contrastRatio(p.text, p.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(p.textDim, p.bg)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(p.textDim, p.panel)).toBeGreaterThanOrEqual(4.5);
  });

  it.each(PALETTE_IDS)(
    '%s: shapes, lanes and the focus ring reach 3:1 (non-text contrast)',
    (id) => {
      const p = PALETTES[id];
      const roles = [
        p.vmbus,
        p.emulated,
        p.hypervisor,
        p.root,
        p.child,
        p.hardware,
        p.good,
        p.bad,
        p.star,
        p.focus,
        p.focusRing,
        ...Object.values(p.devices),
      ];
      const weak = roles.filter((c) => contrastRatio(c, p.bg) < 3 || contrastRatio(c, p.panel) < 3);
      expect(weak).toEqual([]);
    },
  );

  it.each(PALETTE_IDS)('%s: keyboard focus is never drawn in the selection colour', (id) => {
    const p = PALETTES[id];
    expect(p.focusRing).not.toBe(p.focus);
  });

  it('computes contrast like the WCAG definition (black on white is 21:1)', () => {
    expect(contrastRatio(0x000000, 0xffffff)).toBeCloseTo(21, 5);
    expect(contrastRatio(0x777777, 0x777777)).toBeCloseTo(1, 5);
  });

  it('the colour-blind palette never pairs green with red for good and bad', () => {
    const p = PALETTES['colour-blind'];
    const hue = (c: number) => {
      const [r, g, b] = [(c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff];
      return { r, g, b };
    };
    const good = hue(p.good);
    const bad = hue(p.bad);
    // good is blue-dominant, bad is red/orange-dominant: distinguishable for red–green deficiencies.
    expect(good.b).toBeGreaterThan(good.r);
    expect(bad.r).toBeGreaterThan(bad.b);
  });
});
