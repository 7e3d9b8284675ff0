import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseLevel } from '../../levels/index.js';
import { draftFromLevel } from './draft.js';
import { layoutHost, vmmsWires, vmwpLabel } from './layout.js';
import type { Rect, Segment } from './layout.js';

describe('worker process labels', () => {
  it('say "VMWP name" when the box has room for it', () => {
    expect(vmwpLabel('shop01', 90)).toBe('VMWP shop01');
  });

  it('never hold more characters than fit in the box, so neighbouring boxes do not overlap', () => {
    // Level 08: seven VMs share the root's row, each worker box about 52 px wide.
    for (const width of [30, 40, 52, 60, 75]) {
      const fits = Math.floor((width - 8) / 5.6);
      for (const vm of ['db01', 'log06', 'nightshift', 'a-very-long-vm-name']) {
        expect(vmwpLabel(vm, width).length).toBeLessThanOrEqual(Math.max(2, fits));
      }
    }
  });

  it('keep the VM name whole when only the prefix does not fit', () => {
    expect(vmwpLabel('log06', 52)).toBe('log06');
  });
});

/** Whether a segment passes through the inside of a rect (touching its edge does not count). */
function crossesInside(s: Segment, r: Rect): boolean {
  // Liang–Barsky clipping against the open rect.
  let t0 = 0;
  let t1 = 1;
  const dx = s.x2 - s.x1;
  const dy = s.y2 - s.y1;
  const edges: [number, number][] = [
    [-dx, s.x1 - r.x],
    [dx, r.x + r.width - s.x1],
    [-dy, s.y1 - r.y],
    [dy, r.y + r.height - s.y1],
  ];
  for (const [p, q] of edges) {
    if (p === 0) {
      if (q <= 0) return false;
      continue;
    }
    const t = q / p;
    if (p < 0) t0 = Math.max(t0, t);
    else t1 = Math.min(t1, t);
    if (t0 >= t1) return false;
  }
  return true;
}

const onEdgeOf = (x: number, y: number, r: Rect): boolean =>
  x >= r.x && x <= r.x + r.width && (y === r.y || y === r.y + r.height);

const campaign = readdirSync('levels/campaign')
  .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
  .map((f) => parseLevel(readFileSync(`levels/campaign/${f}`, 'utf8'), f));

describe('the wires from VMMS to the worker processes', () => {
  it('the check sees a straight VMMS→VMWP line cross the workers before the one it joins', () => {
    const level = campaign.find((l) => l.scenario.vms.length >= 3);
    if (level === undefined) throw new Error('a level with three VMs');
    const L = layoutHost(level.scenario, draftFromLevel(level).vsps);
    const third = L.vms[2].vmwp;
    const straight = {
      x1: L.vmms.x + L.vmms.width,
      y1: L.vmms.y + 13,
      x2: third.x,
      y2: third.y + 13,
    };
    expect(crossesInside(straight, L.vms[0].vmwp)).toBe(true);
  });

  it.each(campaign.map((l) => [l.id, l] as const))(
    '%s: cross no worker box and reach each worker at its own box edge',
    (_, level) => {
      const L = layoutHost(level.scenario, draftFromLevel(level).vsps);
      const wires = vmmsWires(L);
      for (const w of wires) {
        // Orthogonal: each piece is horizontal or vertical.
        expect(w.x1 === w.x2 || w.y1 === w.y2).toBe(true);
        for (const vm of L.vms) expect(crossesInside(w, vm.vmwp)).toBe(false);
        expect(crossesInside(w, L.vmms)).toBe(false);
      }
      for (const vm of L.vms) {
        const ends = wires.filter(
          (w) => onEdgeOf(w.x1, w.y1, vm.vmwp) || onEdgeOf(w.x2, w.y2, vm.vmwp),
        );
        expect(ends.length).toBeGreaterThanOrEqual(1);
      }
      // All pieces form one tree rooted at VMMS: every end is VMMS's edge or another piece's.
      const touches = (x: number, y: number, w: Segment): boolean =>
        x >= Math.min(w.x1, w.x2) &&
        x <= Math.max(w.x1, w.x2) &&
        y >= Math.min(w.y1, w.y2) &&
        y <= Math.max(w.y1, w.y2);
      const reached = new Set<Segment>(wires.filter((w) => onEdgeOf(w.x1, w.y1, L.vmms)));
      expect(reached.size).toBe(1);
      for (let grew = true; grew;) {
        grew = false;
        for (const w of wires) {
          if (reached.has(w)) continue;
          if ([...reached].some((r) => touches(w.x1, w.y1, r) || touches(w.x2, w.y2, r))) {
            reached.add(w);
            grew = true;
          }
        }
      }
      expect(reached.size).toBe(wires.length);
    },
  );
});
