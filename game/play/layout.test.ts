import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Scenario, VspInstance } from '../../core/index.js';
import { parseLevel, parseSolution } from '../../levels/index.js';
import type { Level } from '../../levels/index.js';
import { draftFromLevel, draftFromSolution } from './draft.js';
import {
  emulatedPaths,
  piecesOfPath,
  laneJunctions,
  laneRoute,
  laneSegments,
  layoutHost,
  textRects,
  vmmsWires,
  vmwpCaption,
  vmwpLabel,
  workerCaptions,
} from './layout.js';
import type { HostLayout, LanePoint, Rect, Segment } from './layout.js';

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

/** The pieces of a lane's polyline. */
const piecesOf = (points: readonly LanePoint[]): Segment[] =>
  points.slice(1).map((b, i) => ({ x1: points[i].x, y1: points[i].y, x2: b.x, y2: b.y }));

const inside = (x: number, y: number, r: Rect): boolean =>
  x >= r.x && x <= r.x + r.width && y >= r.y && y <= r.y + r.height;

/**
 * Every lane a player could draw on this host (each VSC to each VSP, whatever their classes)
 * and the level's reference solution's channels: none crosses a worker process or VMMS, all stay
 * in the host view, each starts on its VSC's bottom edge and ends on its VSP's top edge.
 */
function expectLanesBesideWorkers(
  L: HostLayout,
  channels: readonly { vm: string; device: string; vsp: string }[],
): void {
  const every = L.vms.flatMap((vm) =>
    vm.vscs.flatMap((vsc) => L.vsps.map((v) => ({ vm: vm.vm, device: vsc.device, vsp: v.id }))),
  );
  const drawn: LanePoint[][] = [];
  for (const ch of [...channels, ...every]) {
    const points = laneRoute(L, ch.vm, ch.device, ch.vsp);
    if (points === null) throw new Error(`no lane for ${ch.vm}/${ch.device} → ${ch.vsp}`);
    drawn.push(points);
    const vsc = L.vms.find((v) => v.vm === ch.vm)?.vscs.find((d) => d.device === ch.device);
    const vsp = L.vsps.find((v) => v.id === ch.vsp);
    if (!vsc || !vsp) throw new Error('laid out');
    const first = points[0];
    const last = points[points.length - 1];
    expect(onEdgeOf(first.x, first.y, vsc) && first.y === vsc.y + vsc.height).toBe(true);
    expect(onEdgeOf(last.x, last.y, vsp) && last.y === vsp.y).toBe(true);
    for (const s of piecesOf(points)) {
      const where = `${ch.vm}/${ch.device} → ${ch.vsp} (${String(s.x1)},${String(s.y1)})–(${String(s.x2)},${String(s.y2)})`;
      expect({ where, crossesVmms: crossesInside(s, L.vmms) }).toEqual({
        where,
        crossesVmms: false,
      });
      for (const vm of L.vms)
        expect({ where, vmwp: vm.vm, crosses: crossesInside(s, vm.vmwp) }).toEqual({
          where,
          vmwp: vm.vm,
          crosses: false,
        });
      expect(inside(s.x1, s.y1, L.area) && inside(s.x2, s.y2, L.area)).toBe(true);
    }
  }
  // The merged pieces the canvas strokes cross nothing either.
  for (const s of laneSegments(drawn)) {
    expect(crossesInside(s, L.vmms)).toBe(false);
    for (const vm of L.vms) expect(crossesInside(s, vm.vmwp)).toBe(false);
  }
}

const reference = (level: Level) => {
  const file = `levels/campaign/${level.id}.reference.solution.json`;
  return draftFromSolution(level, parseSolution(readFileSync(file, 'utf8'), file));
};

describe('the VMBus lanes pass beside the worker processes, never through them', () => {
  it('the check sees a straight lane from a VSC to its VSP cross a worker box (level 04)', () => {
    const level = campaign.find((l) => l.id.startsWith('04-'));
    if (level === undefined) throw new Error('level 04');
    const draft = reference(level);
    const L = layoutHost(level.scenario, draft.vsps);
    const crossing = draft.channels.some((ch) => {
      const vsc = L.vms.find((v) => v.vm === ch.vm)?.vscs.find((d) => d.device === ch.device);
      const vsp = L.vsps.find((v) => v.id === ch.vsp);
      if (!vsc || !vsp) return false;
      const straight = {
        x1: vsc.x + vsc.width / 2,
        y1: vsc.y + vsc.height,
        x2: vsp.x + vsp.width / 2,
        y2: vsp.y,
      };
      return L.vms.some((vm) => crossesInside(straight, vm.vmwp));
    });
    expect(crossing).toBe(true);
  });

  it.each(campaign.map((l) => [l.id, l] as const))(
    '%s: with the reference solution, every lane misses VMMS and every VMWP',
    (_, level) => {
      const draft = reference(level);
      expectLanesBesideWorkers(layoutHost(level.scenario, draft.vsps), draft.channels);
    },
  );

  it.each([1, 8, 16])(
    'a host of %i VMs and five VSPs: every lane misses VMMS and every VMWP',
    (n) => {
      const { scenario, vsps } = syntheticHost(n);
      const L = layoutHost(scenario, vsps);
      expectLanesBesideWorkers(L, []);
      // The worker boxes stay boxes: apart, inside the root, right of VMMS.
      L.vms.forEach((vm, i) => {
        expect(vm.vmwp.width).toBeGreaterThan(0);
        expect(vm.vmwp.x).toBeGreaterThanOrEqual(L.vmms.x + L.vmms.width);
        if (i > 0) {
          const prev = L.vms[i - 1].vmwp;
          expect(vm.vmwp.x).toBeGreaterThan(prev.x + prev.width);
        }
      });
    },
  );

  it('a VM with two VSCs (level 02) gets two lanes side by side past its worker', () => {
    const level = campaign.find((l) => l.id.startsWith('02-'));
    if (level === undefined) throw new Error('level 02');
    const L = layoutHost(level.scenario, draftFromLevel(level).vsps);
    const [a, b] = L.vms[0].vscs;
    expect(a.laneX).not.toBe(b.laneX);
    expectLanesBesideWorkers(L, []);
  });
});

/** Level 12's host with `count` VMs (copies of its VMs, renamed) and its three VSPs plus two. */
function syntheticHost(count: number): { scenario: Scenario; vsps: VspInstance[] } {
  const level = campaign.find((l) => l.id.startsWith('12-'));
  if (level === undefined) throw new Error('level 12');
  const base = level.scenario;
  const vms = Array.from({ length: count }, (_, i) => ({
    ...base.vms[i % base.vms.length],
    name: `vm${String(i + 1).padStart(2, '0')}`,
  }));
  const vsps = draftFromLevel(level).vsps;
  return {
    scenario: { ...base, vms },
    vsps: [...vsps, { ...vsps[0], id: 'extra-a' }, { ...vsps[1], id: 'extra-b' }],
  };
}

/** Every campaign level with its reference solution, and hosts of 1, 8 and 16 VMs. */
const hosts: [string, HostLayout, { vm: string; device: string; vsp: string }[]][] = [
  ...campaign.map((level): [string, HostLayout, { vm: string; device: string; vsp: string }[]] => {
    const draft = reference(level);
    return [level.id, layoutHost(level.scenario, draft.vsps), [...draft.channels]];
  }),
  ...[1, 8, 16].map((n): [string, HostLayout, { vm: string; device: string; vsp: string }[]] => {
    const { scenario, vsps } = syntheticHost(n);
    return [`${String(n)} VMs`, layoutHost(scenario, vsps), []];
  }),
];

/** The lanes of some channels, as laid out. */
const routesOf = (
  L: HostLayout,
  channels: readonly { vm: string; device: string; vsp: string }[],
): LanePoint[][] =>
  channels.flatMap((ch) => {
    const p = laneRoute(L, ch.vm, ch.device, ch.vsp);
    return p ? [p] : [];
  });

/** Every lane a player could draw on a host: each VSC to each VSP. */
const everyLane = (L: HostLayout): LanePoint[][] =>
  L.vms.flatMap((vm) =>
    vm.vscs.flatMap((vsc) =>
      L.vsps.flatMap((v) => {
        const points = laneRoute(L, vm.vm, vsc.device, v.id);
        return points ? [points] : [];
      }),
    ),
  );

const contains = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;

describe('each worker process can be told apart and read as its VM', () => {
  // The rule: a worker box is at least 12 px wide (one 9 px line, written upwards, and its
  // margin), its label sits inside it and holds the VM's whole name, and names within one host
  // are all different, so no two workers read the same.
  it.each(hosts)('%s', (_, L) => {
    const captions = workerCaptions(L.vms);
    expect(new Set(captions.map((c) => c.shape)).size).toBeLessThanOrEqual(1);
    for (const [i, vm] of L.vms.entries()) {
      const caption = captions[i];
      const where = `VMWP ${vm.vm} (${String(vm.vmwp.width)}×${String(vm.vmwp.height)} px)`;
      expect({ where, wide: vm.vmwp.width >= 12 }).toEqual({ where, wide: true });
      expect({ where, inside: contains(vm.vmwp, caption.rect) }).toEqual({ where, inside: true });
      expect({
        where,
        named: caption.lines.some((l) => l === vm.vm || l === `VMWP ${vm.vm}`),
      }).toEqual({
        where,
        named: true,
      });
    }
  });

  it('a name longer than its box is cut, and the label still fits in the box', () => {
    const box = { x: 0, y: 0, width: 14, height: 48 };
    const caption = vmwpCaption('a-very-long-vm-name', box);
    expect(caption.vertical).toBe(true);
    expect(caption.lines.at(-1)?.endsWith('…')).toBe(true);
    expect(contains(box, caption.rect)).toBe(true);
  });
});

describe('no lane or wire crosses a text label of the host view', () => {
  it('the check sees a lane cross the root title where it used to sit (level 04)', () => {
    const level = campaign.find((l) => l.id.startsWith('04-'));
    if (level === undefined) throw new Error('level 04');
    const L = layoutHost(level.scenario, reference(level).vsps);
    // The title as it was: across the top of the root, from its left edge.
    const old = { x: L.root.x + 10, y: L.root.y + 8, width: 100, height: 14 };
    const lanes = everyLane(L).flatMap(piecesOf);
    expect(lanes.some((s) => crossesInside(s, old))).toBe(true);
  });

  it.each(hosts)('%s', (_, L, channels) => {
    const lanes = [...routesOf(L, channels), ...everyLane(L)];
    const wires: [string, Segment][] = [
      ...lanes.flatMap(piecesOf).map((s): [string, Segment] => ['lane', s]),
      ...laneSegments(lanes).map((s): [string, Segment] => ['lane (drawn)', s]),
      ...vmmsWires(L).map((s): [string, Segment] => ['VMMS wire', s]),
      ...emulatedPaths(
        L,
        L.vms.flatMap((vm) => vm.vscs),
      ).flatMap((path) =>
        [...path.down, ...path.up].length === 0
          ? []
          : [...piecesOfPath(path.down), ...piecesOfPath(path.up)].map((s): [string, Segment] => [
              'emulated path',
              s,
            ]),
      ),
    ];
    const crossings: string[] = [];
    for (const { what, rect } of textRects(L))
      for (const [kind, s] of wires)
        if (crossesInside(s, rect))
          crossings.push(
            `${kind} (${String(s.x1)},${String(s.y1)})–(${String(s.x2)},${String(s.y2)}) × ${what}`,
          );
    expect(crossings).toEqual([]);
  });
});

describe('junction dots', () => {
  /**
   * The junctions worked out from the tracks: on each VSP's track, the points where a lane comes
   * down onto it or the track goes down into its VSP, wherever three strokes meet (the vertical,
   * and the track going on to one side or both).
   */
  function expectedJunctions(L: HostLayout, lanes: readonly LanePoint[][]): string[] {
    const found = new Set<string>();
    for (const vsp of L.vsps) {
      const mine = lanes.filter(
        (p) =>
          p[p.length - 1].y === vsp.y &&
          p.some((q) => q.y === vsp.trackY) &&
          p[p.length - 1].x === Math.round(vsp.x + vsp.width / 2),
      );
      const tx = Math.round(vsp.x + vsp.width / 2);
      const xs = mine.map((p) => p.find((q) => q.y === vsp.trackY)?.x ?? tx);
      if (mine.length === 0) continue;
      const lo = Math.min(tx, ...xs);
      const hi = Math.max(tx, ...xs);
      const check = (x: number, fromAbove: boolean, fromBelow: boolean): void => {
        const ways = Number(fromAbove) + Number(fromBelow) + Number(x > lo) + Number(x < hi);
        if (ways >= 3) found.add(`${String(x)},${String(vsp.trackY)}`);
      };
      for (const x of new Set([...xs, tx])) check(x, xs.includes(x), x === tx);
    }
    return [...found].sort();
  }

  it.each(hosts)(
    '%s: a dot exactly where a lane joins a track another lane shares',
    (_, L, channels) => {
      const lanes = routesOf(L, channels);
      const dots = laneJunctions(lanes)
        .map((p) => `${String(p.x)},${String(p.y)}`)
        .sort();
      expect(dots).toEqual(expectedJunctions(L, lanes));
      // Each VSC to a VSP in turn (a VSC has one channel): lanes cross other VSPs' tracks.
      const vscs = L.vms.flatMap((vm) => vm.vscs);
      const all = routesOf(
        L,
        vscs.map((v, i) => ({ vm: v.vm, device: v.device, vsp: L.vsps[i % L.vsps.length].id })),
      );
      const allDots = laneJunctions(all)
        .map((p) => `${String(p.x)},${String(p.y)}`)
        .sort();
      expect(allDots).toEqual(expectedJunctions(L, all));
    },
  );

  it("level 12: a lane over the other storvsp's track gets no dot there", () => {
    const level = campaign.find((l) => l.id.startsWith('12-'));
    if (level === undefined) throw new Error('level 12');
    const draft = reference(level);
    const L = layoutHost(level.scenario, draft.vsps);
    // db02 to the second storvsp, files01 and batch01 to the first: db02's lane passes down
    // over the first storvsp's track, which runs from files01's lane to its VSP.
    const [ssd0, ssd1] = L.vsps;
    const routes = routesOf(L, [
      { vm: 'db02', device: 'scsi0', vsp: ssd1.id },
      { vm: 'files01', device: 'scsi0', vsp: ssd0.id },
      { vm: 'batch01', device: 'scsi0', vsp: ssd0.id },
      { vm: 'desk01', device: 'scsi0', vsp: ssd1.id },
    ]);
    const dots = laneJunctions(routes);
    expect(dots.length).toBeGreaterThan(0);
    // A crossing: a lane's vertical run over another VSP's track, strictly inside both.
    const crossings = routes.flatMap((p) =>
      piecesOf(p)
        .filter((s) => s.x1 === s.x2)
        .flatMap((s) =>
          L.vsps
            .filter((v) => v.trackY > Math.min(s.y1, s.y2) && v.trackY < Math.max(s.y1, s.y2))
            .filter((v) =>
              routes.some(
                (q) =>
                  q.some((pt) => pt.y === v.trackY && pt.x !== s.x1) &&
                  Math.min(...q.filter((pt) => pt.y === v.trackY).map((pt) => pt.x)) < s.x1 &&
                  Math.max(...q.filter((pt) => pt.y === v.trackY).map((pt) => pt.x)) > s.x1,
              ),
            )
            .map((v) => ({ x: s.x1, y: v.trackY })),
        ),
    );
    expect(crossings.length).toBeGreaterThan(0);
    for (const c of crossings) expect(dots).not.toContainEqual(c);
  });
});

/** Whether two horizontal-or-vertical segments share a point. */
function meet(s: Segment, t: Segment): boolean {
  const [sx1, sx2] = [Math.min(s.x1, s.x2), Math.max(s.x1, s.x2)];
  const [sy1, sy2] = [Math.min(s.y1, s.y2), Math.max(s.y1, s.y2)];
  const [tx1, tx2] = [Math.min(t.x1, t.x2), Math.max(t.x1, t.x2)];
  const [ty1, ty2] = [Math.min(t.y1, t.y2), Math.max(t.y1, t.y2)];
  return sx1 <= tx2 && tx1 <= sx2 && sy1 <= ty2 && ty1 <= sy2;
}

describe('the emulated path goes down to the hypervisor and back up into the VMWP (rule 21)', () => {
  /** Every property of one emulated path on a host, as a list of what is wrong (empty: right). */
  function problems(L: HostLayout, vm: string, device: string, path: EmulatedPathOf): string[] {
    const out: string[] = [];
    const box = L.vms.find((v) => v.vm === vm);
    const vsc = box?.vscs.find((d) => d.device === device);
    if (!box || !vsc) return [`${vm}/${device} not laid out`];
    const first = path.down[0];
    const last = path.up[path.up.length - 1];
    if (!(onEdgeOf(first.x, first.y, vsc) && first.y === vsc.y + vsc.height))
      out.push('does not start on the bottom edge of its device');
    if (!(onEdgeOf(last.x, last.y, box.vmwp) && last.y === box.vmwp.y + box.vmwp.height))
      out.push("does not end on the bottom edge of its VM's worker process");
    const trapEnd = path.down[path.down.length - 1];
    if (trapEnd.x !== path.trap.x || trapEnd.y !== path.trap.y)
      out.push('down leg ends off the trap');
    if (path.up[0].x !== path.trap.x || path.up[0].y !== path.trap.y)
      out.push('up leg starts off the trap');
    if (path.trap.y < L.hypervisor.y || path.trap.y > L.hypervisor.y + 3)
      out.push("the trap is not on the hypervisor's edge");
    const down = piecesOfPath(path.down);
    const up = piecesOfPath(path.up);
    for (const [leg, pieces] of [
      ['down', down],
      ['up', up],
    ] as const) {
      for (const s of pieces) {
        const at = `${leg} (${String(s.x1)},${String(s.y1)})–(${String(s.x2)},${String(s.y2)})`;
        if (s.x1 !== s.x2 && s.y1 !== s.y2) out.push(`${at} is not horizontal or vertical`);
        if (!inside(s.x1, s.y1, L.area) || !inside(s.x2, s.y2, L.area))
          out.push(`${at} leaves the host view`);
        if (crossesInside(s, L.vmms)) out.push(`${at} crosses VMMS`);
        for (const v of L.vsps) if (crossesInside(s, v)) out.push(`${at} crosses VSP ${v.id}`);
        for (const w of L.vms) if (crossesInside(s, w.vmwp)) out.push(`${at} crosses VMWP ${w.vm}`);
      }
    }
    // The two legs meet only at the trap: the last piece down and the first piece up.
    for (const [i, d] of down.entries())
      for (const [j, u] of up.entries())
        if (!(i === down.length - 1 && j === 0) && meet(d, u))
          out.push(`the legs touch: down piece ${String(i)} and up piece ${String(j)}`);
    return out;
  }
  type EmulatedPathOf = ReturnType<typeof emulatedPaths>[number];

  it('the check sees the old straight wire, VSC to VMWP, miss the hypervisor (level 03)', () => {
    const level = campaign.find((l) => l.id.startsWith('03-'));
    if (level === undefined) throw new Error('level 03');
    const L = layoutHost(level.scenario, draftFromLevel(level).vsps);
    const vm = L.vms[0];
    const vsc = vm.vscs[0];
    const straight = {
      vm: vm.vm,
      device: vsc.device,
      down: [
        { x: vsc.x + vsc.width / 2, y: vsc.y + vsc.height },
        { x: vm.vmwp.x + vm.vmwp.width / 2, y: vm.vmwp.y },
      ],
      up: [],
      trap: { x: 0, y: 0 },
    };
    expect(problems(L, vm.vm, vsc.device, { ...straight, up: [straight.down[1]] })).toContain(
      "the trap is not on the hypervisor's edge",
    );
    const [path] = emulatedPaths(L, [vsc]);
    expect(problems(L, vm.vm, vsc.device, path)).toEqual([]);
  });

  it.each(hosts)('%s: each device alone, emulated', (_, L) => {
    for (const vm of L.vms)
      for (const vsc of vm.vscs) {
        const [path] = emulatedPaths(L, [vsc]);
        expect({
          device: `${vm.vm}/${vsc.device}`,
          problems: problems(L, vm.vm, vsc.device, path),
        }).toEqual({
          device: `${vm.vm}/${vsc.device}`,
          problems: [],
        });
      }
  });

  it.each(hosts)('%s: every device at once (no integration components anywhere)', (_, L) => {
    const devices = L.vms.flatMap((vm) => vm.vscs);
    const paths = emulatedPaths(L, devices);
    expect(paths.map((p) => `${p.vm}/${p.device}`)).toEqual(
      devices.map((d) => `${d.vm}/${d.device}`),
    );
    for (const p of paths) expect(problems(L, p.vm, p.device, p)).toEqual([]);
  });

  // Not the 8- and 16-VM hosts: their five VSPs fill the row, so once its gaps are taken the
  // remaining legacy guests' paths share its left end (documented on `emulatedPaths`).
  it.each(hosts.filter(([name]) => !/^(8|16) VMs$/.test(name)))(
    "%s: a VM's emulated devices nest in one gap without touching; other VMs' never run along them",
    (_, L) => {
      const paths = emulatedPaths(
        L,
        L.vms.flatMap((vm) => vm.vscs),
      );
      const pieces = (p: (typeof paths)[number]): Segment[] => [
        ...piecesOfPath(p.down),
        ...piecesOfPath(p.up),
      ];
      const collinear = (s: Segment, t: Segment): boolean =>
        meet(s, t) && ((s.x1 === s.x2 && t.x1 === t.x2) || (s.y1 === s.y2 && t.y1 === t.y2));
      const wrong: string[] = [];
      for (const [i, a] of paths.entries())
        for (const b of paths.slice(i + 1)) {
          const same = a.vm === b.vm;
          for (const s of pieces(a))
            for (const t of pieces(b))
              if (same ? meet(s, t) : collinear(s, t))
                wrong.push(
                  `${a.vm}/${a.device} ${same ? 'touches' : 'runs along'} ${b.vm}/${b.device}`,
                );
        }
      expect([...new Set(wrong)]).toEqual([]);
    },
  );

  it('level 02: its two devices, emulated, nest: two traps, two ways into the worker', () => {
    const level = campaign.find((l) => l.id.startsWith('02-'));
    if (level === undefined) throw new Error('level 02');
    const L = layoutHost(level.scenario, draftFromLevel(level).vsps);
    const [a, b] = emulatedPaths(L, L.vms[0].vscs);
    expect(a.trap).not.toEqual(b.trap);
    expect(a.up.at(-1)?.x).not.toBe(b.up.at(-1)?.x);
  });
});
