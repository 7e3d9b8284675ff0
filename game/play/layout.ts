/**
 * Where the Play scene draws the host, as its architecture, bottom to top: the hardware (logical
 * processors grouped by core, RAM, disks, NICs), the hypervisor strip (the scheduler grid and
 * counters), the root partition (VMMS, one VMWP per VM, the VSPs) and the child partitions (the
 * guest, its VSCs, a workload sparkline). The canvas draws from this layout and the DOM puts a
 * real button on every VSC and VSP, so both always line up. Pure: design pixels in, rects out.
 */
import type { DeviceClass, Scenario, VspInstance } from '../../core/index.js';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface VscBox extends Rect {
  readonly vm: string;
  readonly device: string;
  readonly deviceClass: DeviceClass;
  /** Where its lane passes the worker processes' row: beside its VM's VMWP, never through it. */
  readonly laneX: number;
  /** Height of the lane's jog between the VSC and `laneX`, in the band above the root. */
  readonly jogY: number;
}

export interface VmBox extends Rect {
  readonly vm: string;
  readonly vscs: readonly VscBox[];
  readonly sparkline: Rect;
  readonly ring: Rect;
  readonly vmwp: Rect;
}

export interface VspBox extends Rect {
  readonly id: string;
  readonly plugin: string;
  readonly device?: string;
  /** Height of this VSP's track in root kernel mode, below the workers: its lanes join there. */
  readonly trackY: number;
}

export interface LpCell extends Rect {
  readonly lp: number;
  readonly core: number;
}

export interface HostLayout {
  readonly area: Rect;
  readonly children: Rect;
  readonly vms: readonly VmBox[];
  readonly root: Rect;
  /** Where the root partition's title is written: the left column, above VMMS, clear of lanes. */
  readonly rootTitle: Rect;
  readonly vmms: Rect;
  readonly vsps: readonly VspBox[];
  readonly hypervisor: Rect;
  readonly lanes: Rect;
  readonly schedulerGrid: readonly LpCell[];
  readonly counters: Rect;
  readonly hardware: Rect;
  readonly cores: readonly LpCell[];
  readonly ram: Rect;
  readonly disks: readonly (Rect & { readonly id: string })[];
  readonly nics: readonly (Rect & { readonly id: string })[];
}

/** The centre column of the Play screen, in design pixels. */
export const HOST_AREA: Rect = { x: 262, y: 64, width: 506, height: 640 };

const GAP = 8;

function row(count: number, area: Rect, maxWidth: number): Rect[] {
  if (count === 0) return [];
  const width = Math.min(maxWidth, (area.width - GAP * (count - 1)) / count);
  const total = width * count + GAP * (count - 1);
  const x0 = area.x + (area.width - total) / 2;
  return Array.from({ length: count }, (_, i) => ({
    x: Math.round(x0 + i * (width + GAP)),
    y: area.y,
    width: Math.floor(width),
    height: area.height,
  }));
}

/** How far below the worker processes' row the wire from VMMS runs. */
const VMMS_BUS_DROP = 6;

/** The VSPs' row starts this far above the root's bottom edge. */
const VSP_ROW_FROM_BOTTOM = 56;

/** The band above the VSPs' row that no track uses: emulated paths turn there. */
const EMULATED_JOG_BAND = 16;

/** Room for one lane beside a worker process, px: a 3 px stroke and its margin. */
const LANE_PITCH = 6;

/** Top of the worker processes' row below the root's top edge: the row is as tall as it can be. */
const WORKER_ROW_TOP = 6;

/*
 * Why the lanes are routed, not straight. A VMBus channel joins a VSC in the guest's kernel to a
 * VSP in the root's kernel; it does not pass through the VM's worker process in root user mode
 * (only the emulated path does: a legacy guest's device access is an intercept the VMWP handles).
 * A straight line from the VSCs above the root to the VSPs below its workers' row crossed those
 * boxes and drew the opposite of the lesson. So each VM's worker process sits under its VM with a
 * corridor beside it, and each lane runs orthogonally: down from its VSC, a short jog above the
 * root to its corridor, down past the worker (never into it), along its VSP's own track in root
 * kernel mode, and down into the VSP. Lanes to one VSP share its track, as a bus. We kept the
 * workers under their VMs (rather than moving the row aside or one trunk per VSP) because then a
 * VM's two paths sit side by side in its column: the emulated one into its VMWP, the synthetic one
 * past it; and the routing needs no search, so it holds for 1–16 VMs and any number of VSPs.
 * The lanes cross the VMMS→VMWP wires at right angles: every VMWP has a lane on each side, so a
 * wire from VMMS to all of them cannot avoid them.
 */

/**
 * The worker processes' slots: one under each VM's column, the columns squeezed into the room
 * right of VMMS (`left`) where they would reach under it. A slot takes its column's share of the
 * gap to the next one too (2 px apart), so sixteen workers keep room to be read.
 */
function workerSlots(cols: readonly Rect[], left: number, y: number, height: number): Rect[] {
  if (cols.length === 0) return [];
  const l0 = cols[0].x;
  const last = cols[cols.length - 1];
  const r = last.x + last.width;
  const a = Math.max(l0, left);
  const scale = (r - a) / (r - l0);
  const share = cols.length > 1 ? (GAP * scale) / 2 : 0;
  return cols.map((c, i) => {
    const from = a + (c.x - l0) * scale - (i > 0 ? share : 0) + (i > 0 ? 1 : 0);
    const to = a + (c.x + c.width - l0) * scale + (i < cols.length - 1 ? share - 1 : 0);
    return { x: Math.round(from), y, width: Math.floor(to - Math.round(from)), height };
  });
}

/**
 * Splits a VM's worker slot into its VMWP box and a corridor for its lanes, on the side of the
 * slot nearer the VM's VSCs (so their jogs are short). One lane's room per VSC.
 */
function besideWorker(slot: Rect, chips: readonly Rect[]): { vmwp: Rect; laneX: number[] } {
  const corridor = Math.min(slot.width - 1, LANE_PITCH * Math.max(1, chips.length) + 2);
  const mean =
    chips.reduce((sum, c) => sum + c.x + c.width / 2, 0) / Math.max(1, chips.length) || 0;
  const onLeft = chips.length > 0 && mean < slot.x + slot.width / 2;
  const start = onLeft ? slot.x : slot.x + slot.width - corridor;
  const pitch = (corridor - 2) / Math.max(1, chips.length);
  const laneX = chips.map((_, j) => Math.round(start + 1 + pitch * (j + 0.5)));
  const width = Math.max(1, slot.width - corridor - 1);
  return {
    vmwp: { ...slot, x: onLeft ? slot.x + corridor + 1 : slot.x, width },
    laneX,
  };
}

/**
 * The height of each lane's jog from its VSC to its corridor, in the band between the children
 * and the root. Jogs that overlap get different heights, as a staircase: of two jogs to the
 * right, the one starting further left runs lower (mirrored for jogs to the left), so a lane's
 * drop never cuts another's jog.
 */
function jogHeights(jogs: readonly { from: number; to: number }[], band: Rect): number[] {
  const level = jogs.map(() => 0);
  const lo = (i: number): number => Math.min(jogs[i].from, jogs[i].to);
  const hi = (i: number): number => Math.max(jogs[i].from, jogs[i].to);
  const order = jogs
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = jogs[a].to >= jogs[a].from;
      const rb = jogs[b].to >= jogs[b].from;
      if (ra !== rb) return ra ? -1 : 1;
      return ra ? jogs[b].from - jogs[a].from : jogs[a].from - jogs[b].from;
    });
  const done: number[] = [];
  for (const i of order) {
    for (const j of done) {
      if (lo(i) < hi(j) + LANE_PITCH && lo(j) < hi(i) + LANE_PITCH)
        level[i] = Math.max(level[i], level[j] + 1);
    }
    done.push(i);
  }
  const levels = Math.max(0, ...level);
  const pitch = Math.min(LANE_PITCH, (band.height - 12) / Math.max(1, levels));
  return level.map((l) => Math.round(band.y + 6 + l * pitch));
}

/** Logical processors of the host, numbered as Windows does: core by core, sibling threads adjacent. */
export function lpCount(scenario: Scenario): number {
  const p = scenario.host.processor;
  return p.sockets * p.coresPerSocket * p.threadsPerCore;
}

export function layoutHost(
  scenario: Scenario,
  vsps: readonly VspInstance[],
  area: Rect = HOST_AREA,
): HostLayout {
  const x = area.x;
  const w = area.width;
  const children: Rect = { x, y: area.y, width: w, height: 196 };
  const lanes: Rect = { x, y: children.y + children.height, width: w, height: 44 };
  const root: Rect = { x, y: lanes.y + lanes.height, width: w, height: 162 };
  const hypervisor: Rect = { x, y: root.y + root.height + 10, width: w, height: 96 };
  const hardware: Rect = {
    x,
    y: hypervisor.y + hypervisor.height + 10,
    width: w,
    height: area.y + area.height - (hypervisor.y + hypervisor.height + 10),
  };

  const vmRects = row(
    scenario.vms.length,
    { x: x + 8, y: children.y + 26, width: w - 16, height: children.height - 34 },
    180,
  );
  const vmms: Rect = { x: x + 8, y: root.y + 28, width: 70, height: 26 };
  const rootTitle: Rect = { x: vmms.x, y: root.y + 4, width: vmms.width, height: 22 };
  const slots = workerSlots(
    vmRects,
    vmms.x + vmms.width + GAP,
    root.y + WORKER_ROW_TOP,
    vmms.y + vmms.height - (root.y + WORKER_ROW_TOP),
  );
  const placed = scenario.vms.map((vm, i) => {
    const r = vmRects[i];
    const chips = row(
      vm.devices.length,
      { x: r.x + 4, y: r.y + r.height - 40, width: r.width - 8, height: 34 },
      64,
    );
    return { r, chips, ...besideWorker(slots[i], chips) };
  });
  const jogY = jogHeights(
    placed.flatMap((p) => p.chips.map((c, j) => ({ from: c.x + c.width / 2, to: p.laneX[j] }))),
    lanes,
  );
  let next = 0;
  const vms: VmBox[] = scenario.vms.map((vm, i) => {
    const { r, chips, laneX, vmwp } = placed[i];
    return {
      ...r,
      vm: vm.name,
      vscs: vm.devices.map((d, j) => ({
        ...chips[j],
        vm: vm.name,
        device: d.id,
        deviceClass: d.class,
        laneX: laneX[j],
        jogY: jogY[next++],
      })),
      sparkline: { x: r.x + 6, y: r.y + 58, width: r.width - 12, height: 36 },
      ring: { x: r.x + 6, y: r.y + 100, width: r.width - 12, height: 8 },
      vmwp,
    };
  });

  const vspRects = row(
    vsps.length,
    { x: x + 8, y: root.y + root.height - VSP_ROW_FROM_BOTTOM, width: w - 16, height: 48 },
    110,
  );
  // Each VSP's track, between the VMMS wires under the workers and the VSPs' row, clear of the
  // band just above the row where emulated paths turn (`emulatedPaths`).
  const tracksTop = vmms.y + vmms.height + 2 * VMMS_BUS_DROP;
  const tracksRoom = (vspRects.at(0)?.y ?? tracksTop) - EMULATED_JOG_BAND - tracksTop;
  const trackPitch = Math.min(8, tracksRoom / Math.max(1, vsps.length - 1));
  const vspBoxes: VspBox[] = vsps.map((v, i) => ({
    ...vspRects[i],
    id: v.id,
    plugin: v.plugin,
    ...(v.device === undefined ? {} : { device: v.device }),
    trackY: Math.round(tracksTop + i * trackPitch),
  }));

  const lps = lpCount(scenario);
  const threads = scenario.host.processor.threadsPerCore;
  const coreCount = Math.ceil(lps / threads);
  const cell = Math.max(5, Math.min(22, Math.floor((w - 164 - 2 * coreCount) / lps) - 2));
  const grid: LpCell[] = Array.from({ length: lps }, (_, lp) => ({
    x: x + 12 + lp * (cell + 2) + Math.floor(lp / threads) * 2,
    y: hypervisor.y + 30,
    width: cell,
    height: 40,
    lp,
    core: Math.floor(lp / threads),
  }));
  const cores: LpCell[] = grid.map((c) => ({ ...c, y: hardware.y + 26, height: 22 }));

  const disks = scenario.host.disks.map((d, i) => ({
    id: d.id,
    x: x + 190 + i * 76,
    y: hardware.y + 62,
    width: 68,
    height: 30,
  }));
  const nics = scenario.host.nics.map((n, i) => ({
    id: n.id,
    x: x + 190 + (disks.length + i) * 76,
    y: hardware.y + 62,
    width: 68,
    height: 30,
  }));

  return {
    area,
    children,
    vms,
    root,
    rootTitle,
    vmms,
    vsps: vspBoxes,
    hypervisor,
    lanes,
    schedulerGrid: grid,
    counters: { x: x + w - 130, y: hypervisor.y + 28, width: 120, height: 44 },
    hardware,
    cores,
    ram: { x: x + 12, y: hardware.y + 62, width: 168, height: 30 },
    disks,
    nics,
  };
}

/** A straight piece of a wire, from (x1, y1) to (x2, y2). */
export interface Segment {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/**
 * The wires from VMMS to each VM's worker process (VMMS starts and manages one VMWP per VM),
 * routed orthogonally so that none crosses another VM's worker box: down from the bottom of
 * VMMS, along a bus just below the workers' row, and up into the middle of each worker's bottom
 * edge. Each piece is listed once (the wires share the bus), so a translucent stroke does not
 * darken where they overlap.
 */
export function vmmsWires(layout: HostLayout): Segment[] {
  const { vmms, vms } = layout;
  if (vms.length === 0) return [];
  const x0 = Math.round(vmms.x + vmms.width / 2);
  const bottom = Math.max(vmms.y + vmms.height, ...vms.map((v) => v.vmwp.y + v.vmwp.height));
  const bus = bottom + VMMS_BUS_DROP;
  const drops = vms.map((v) => Math.round(v.vmwp.x + v.vmwp.width / 2));
  const segments: Segment[] = [
    { x1: x0, y1: vmms.y + vmms.height, x2: x0, y2: bus },
    { x1: Math.min(x0, ...drops), y1: bus, x2: Math.max(x0, ...drops), y2: bus },
  ];
  vms.forEach((v, i) => {
    segments.push({ x1: drops[i], y1: bus, x2: drops[i], y2: v.vmwp.y + v.vmwp.height });
  });
  return segments;
}

/** Centre of a rect. */
export function centre(r: Rect): { x: number; y: number } {
  return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
}

/** Width of one character of the monospace labels at 9 px, generously (monospace ≈ 0.6 em). */
const MONO_9PX_CHAR = 5.6;

/**
 * The label of a VM's worker process box, fitted to its width: `VMWP name` when it fits, else the
 * VM's name alone (the row is the worker processes' row), else the name cut with an ellipsis — so
 * seven VMs' boxes (level 08) do not write over each other.
 */
export function vmwpLabel(vm: string, width: number): string {
  const fits = Math.floor((width - 8) / MONO_9PX_CHAR);
  const full = `VMWP ${vm}`;
  if (full.length <= fits) return full;
  if (vm.length <= fits) return vm;
  return `${vm.slice(0, Math.max(1, fits - 1))}…`;
}

/** A point of a lane's path, in design pixels. */
export interface LanePoint {
  readonly x: number;
  readonly y: number;
}

/**
 * The path of a VMBus channel's lane, VSC to VSP, as a polyline of horizontal and vertical
 * pieces (see "Why the lanes are routed" above): from the middle of the VSC's bottom edge, down to
 * its jog, across to its corridor beside the VM's worker process, down to the VSP's track, along
 * it, and down into the middle of the VSP's top edge. Null when the VSC or VSP is not laid out.
 *
 * @example
 * const points = laneRoute(layout, 'db01', 'scsi0', 'storvsp-ssd0');
 * // [{ x: 353, y: 246 }, { x: 353, y: 266 }, …, { x: 455, y: 410 }]
 */
export function laneRoute(
  layout: HostLayout,
  vm: string,
  device: string,
  vsp: string,
): LanePoint[] | null {
  const vsc = layout.vms.find((v) => v.vm === vm)?.vscs.find((d) => d.device === device);
  const target = layout.vsps.find((v) => v.id === vsp);
  if (!vsc || !target) return null;
  const cx = Math.round(vsc.x + vsc.width / 2);
  const tx = Math.round(target.x + target.width / 2);
  const points: LanePoint[] = [
    { x: cx, y: vsc.y + vsc.height },
    { x: cx, y: vsc.jogY },
    { x: vsc.laneX, y: vsc.jogY },
    { x: vsc.laneX, y: target.trackY },
    { x: tx, y: target.trackY },
    { x: tx, y: target.y },
  ];
  return corners(points);
}

/** The straight pieces of a path, in order. */
export function piecesOfPath(points: readonly LanePoint[]): Segment[] {
  return points.slice(1).map((b, i) => ({ x1: points[i].x, y1: points[i].y, x2: b.x, y2: b.y }));
}

/** A path's corners: repeated points and the middles of straight runs dropped. */
function corners(path: readonly LanePoint[]): LanePoint[] {
  const points: LanePoint[] = [];
  for (const p of path) {
    const last = points.at(-1);
    if (last && last.x === p.x && last.y === p.y) continue;
    const before = points.at(-2);
    if (
      last &&
      before &&
      ((before.x === last.x && last.x === p.x) || (before.y === last.y && last.y === p.y))
    )
      points.pop();
    points.push(p);
  }
  return points;
}

/**
 * The pieces to stroke for a set of lanes: lanes to one VSP share its track and its drop, and each
 * shared stretch is listed once (as `vmmsWires` does), so a translucent stroke stays even.
 */
export function laneSegments(lanes: readonly (readonly LanePoint[])[]): Segment[] {
  const runs = new Map<string, { at: number; vertical: boolean; spans: [number, number][] }>();
  for (const points of lanes) {
    for (let i = 1; i < points.length; i++) {
      const a = points[i - 1];
      const b = points[i];
      const vertical = a.x === b.x;
      const key = vertical ? `v${String(a.x)}` : `h${String(a.y)}`;
      const run = runs.get(key) ?? { at: vertical ? a.x : a.y, vertical, spans: [] };
      const [p, q] = vertical ? [a.y, b.y] : [a.x, b.x];
      run.spans.push([Math.min(p, q), Math.max(p, q)]);
      runs.set(key, run);
    }
  }
  const segments: Segment[] = [];
  for (const run of runs.values()) {
    const spans = run.spans.sort((s, t) => s[0] - t[0]);
    let [from, to] = spans[0];
    const emit = (): void => {
      segments.push(
        run.vertical
          ? { x1: run.at, y1: from, x2: run.at, y2: to }
          : { x1: from, y1: run.at, x2: to, y2: run.at },
      );
    };
    for (const [s, e] of spans.slice(1)) {
      if (s <= to) to = Math.max(to, e);
      else {
        emit();
        [from, to] = [s, e];
      }
    }
    emit();
  }
  return segments;
}

/** Height of one line of the 9 px monospace labels, px. */
const MONO_9PX_LINE = 11;

/** A worker process box's label as drawn: its lines, whether they run upwards, and their rect. */
export interface VmwpCaption {
  readonly lines: readonly string[];
  /** Rotated a quarter turn, reading bottom to top: a box too narrow for the VM's name across. */
  readonly vertical: boolean;
  /** Where the text sits, centred in the box (nothing may be drawn across it). */
  readonly rect: Rect;
  /** 0: one line, 1: `VMWP` over the name, 2: upwards (see `workerCaptions`). */
  readonly shape: number;
}

/**
 * The label of a VM's worker process box, so every worker can be told apart and read as its
 * VM's at any number of VMs: `VMWP name` on one line when it fits; `VMWP` over the name when
 * each fits across; else written upwards along the box's height (the name, and `VMWP` beside it
 * when the box has room for two lines); a name longer than the box is cut with an ellipsis.
 * `atLeast` asks for that shape or a narrower one (0, 1, 2 as listed).
 *
 * @example
 * vmwpCaption('db01', { x: 0, y: 0, width: 40, height: 48 }).lines; // ['VMWP', 'db01']
 * vmwpCaption('db01', { x: 0, y: 0, width: 90, height: 48 }, 1).lines; // ['VMWP', 'db01']
 */
export function vmwpCaption(vm: string, box: Rect, atLeast = 0): VmwpCaption {
  const across = Math.floor((box.width - 6) / MONO_9PX_CHAR);
  const full = `VMWP ${vm}`;
  const fitted = (lines: string[], vertical: boolean, shape: number): VmwpCaption => {
    const long = Math.max(...lines.map((l) => l.length)) * MONO_9PX_CHAR;
    const tall = lines.length * MONO_9PX_LINE;
    const [w, h] = vertical ? [tall, long] : [long, tall];
    const c = centre(box);
    const rect = { x: c.x - w / 2, y: c.y - h / 2, width: w, height: h };
    return { lines, vertical, rect, shape };
  };
  if (atLeast <= 0 && full.length <= across) return fitted([full], false, 0);
  if (atLeast <= 1 && vm.length <= across && 2 * MONO_9PX_LINE <= box.height - 4)
    return fitted(['VMWP', vm], false, 1);
  const along = Math.floor((box.height - 6) / MONO_9PX_CHAR);
  const name = vm.length <= along ? vm : `${vm.slice(0, Math.max(1, along - 1))}…`;
  const twoLines = 2 * MONO_9PX_LINE <= box.width - 2;
  return fitted(twoLines ? ['VMWP', name] : [name], true, 2);
}

/**
 * The labels of all the worker boxes of a host, in one shape: the roomiest shape every box can
 * hold (one line, `VMWP` over the name, or upwards), so the row reads as one scheme and not as
 * boxes that happen to differ (level 12's `VMWP db02` beside `VMWP` over `files01`).
 */
export function workerCaptions(vms: readonly VmBox[]): VmwpCaption[] {
  const shape = Math.max(0, ...vms.map((v) => vmwpCaption(v.vm, v.vmwp).shape));
  return vms.map((v) => vmwpCaption(v.vm, v.vmwp, shape));
}

/** The way an emulated device's accesses go, as the board draws it (`emulatedPaths`). */
export interface EmulatedPath {
  readonly vm: string;
  readonly device: string;
  /** From the device down through the root to the hypervisor's edge: the access traps. */
  readonly down: readonly LanePoint[];
  /** From the trap back up into the VM's worker process: the intercept it is handed to emulate. */
  readonly up: readonly LanePoint[];
  /** Where the access traps, on the hypervisor's top edge. */
  readonly trap: LanePoint;
}

/** Stretches `[a, b]` with `lo`–`hi` taken out. */
function without(spans: readonly [number, number][], lo: number, hi: number): [number, number][] {
  return spans.flatMap(([a, b]): [number, number][] => {
    if (hi <= a || lo >= b) return [[a, b]];
    return [
      ...(lo > a ? [[a, lo] as [number, number]] : []),
      ...(hi < b ? [[hi, b] as [number, number]] : []),
    ];
  });
}

/** How many turning heights the band above the VSPs' row holds, 2 px apart. */
const JOG_LEVELS = Math.floor((EMULATED_JOG_BAND - 3) / 2) + 1;

/** Distance between two legs of emulated paths side by side in the VSPs' row, px. */
const LEG_PITCH = 4;

/**
 * The emulated paths of some devices (a guest without integration components, rule 21). A
 * legacy guest's access to an emulated device's registers is not a message to the root: it stops
 * the virtual processor, the hypervisor takes the intercept, and hands it up to the VM's worker
 * process in the root, which emulates the device. So each path goes down its VSC's corridor past
 * the worker (as a VMBus lane does), through a gap in the VSPs' row (it never enters a VSP), to a
 * trap on the hypervisor's top edge, and back up into the worker process from below.
 *
 * The two legs of a path turn in the band above the VSPs' row, nested so they never touch. A VM's
 * emulated devices share one gap, nested too: the path whose corridor lane is nearest the worker
 * is innermost (its legs in the middle of the gap, its turns in the middle of the band, its entry
 * into the worker nearest the corridor, its trap highest); each further path wraps around it.
 * Different VMs take different gaps and turning heights, as far as the row and the band have
 * room; past that (many legacy guests beside a row full of VSPs) they share the row's left end.
 *
 * @example
 * const [path] = emulatedPaths(layout, [{ vm: 'old01', device: 'disk0' }]);
 * path.trap.y === layout.hypervisor.y; // true
 */
export function emulatedPaths(
  layout: HostLayout,
  devices: readonly { readonly vm: string; readonly device: string }[],
): EmulatedPath[] {
  const { root, hypervisor, vsps } = layout;
  const rowTop = root.y + root.height - VSP_ROW_FROM_BOTTOM;
  // Free stretches of the VSPs' row, narrowed as paths take them: with a 3 px margin around each
  // box, and (where a crowded row leaves none) with 1 px.
  const spans = (margin: number): [number, number][] => {
    let out: [number, number][] = [[root.x + 3, root.x + root.width - 3]];
    for (const v of vsps) out = without(out, v.x - margin, v.x + v.width + margin);
    return out;
  };
  const free = [spans(3), spans(1)];
  const takeOut = (lo: number, hi: number): void => {
    for (const [i, f] of free.entries()) free[i] = without(f, lo, hi);
  };
  const chosen = layout.vms.flatMap((box) => {
    const w = box.vmwp;
    const middle = w.x + w.width / 2;
    // This VM's emulated devices, innermost first: the corridor lane nearest the worker.
    const mine = box.vscs
      .filter((vsc) => devices.some((d) => d.vm === box.vm && d.device === vsc.device))
      .sort((a, b) => Math.abs(a.laneX - middle) - Math.abs(b.laneX - middle));
    if (mine.length === 0) return [];
    // The worker is on this side of the corridor; the path enters it on the corridor's side of
    // its middle (the VMMS wire comes up the middle).
    const toward = Math.sign(middle - mine[0].laneX) || 1;
    const step = Math.max(2, Math.floor(w.width / 2 / (mine.length + 1)));
    const edge = toward > 0 ? w.x : w.x + w.width;
    const enter = mine.map((_, m) => Math.round(edge + toward * step * (m + 1)));
    return [{ box, mine, toward, enter }];
  });
  // No leg passes where a way back rises into its worker.
  for (const { enter } of chosen) for (const x of enter) takeOut(x - LEG_PITCH, x + LEG_PITCH);
  const groups = chosen.map(({ box, mine, toward, enter }) => {
    const half = LEG_PITCH / 2 + LEG_PITCH * (mine.length - 1);
    // The gap nearest the corridor with room for every leg; the row's left end when none has.
    const lane0 = mine[0].laneX;
    let pass = root.x + 3 + half;
    let best = Infinity;
    for (const tier of free) {
      for (const [a, b] of tier) {
        if (b - a < 2 * half) continue;
        const x = Math.round(Math.min(Math.max(lane0, a + half), b - half));
        if (Math.abs(x - lane0) < best) {
          best = Math.abs(x - lane0);
          pass = x;
        }
      }
      if (best < Infinity) break;
    }
    takeOut(pass - half - LEG_PITCH, pass + half + LEG_PITCH);
    const xs = [...mine.map((v) => v.laneX), pass - half, pass + half, ...enter];
    return { box, mine, pass, toward, enter, lo: Math.min(...xs), hi: Math.max(...xs), base: 0 };
  });
  // Each VM's paths take 2 turning heights per device; VMs whose turns overlap across the row
  // take different heights (as far as the band has room), so no two VMs' paths run together.
  for (const [i, g] of groups.entries()) {
    const taken = groups
      .slice(0, i)
      .filter((o) => o.lo < g.hi + LEG_PITCH && g.lo < o.hi + LEG_PITCH)
      .map((o) => [o.base, o.base + 2 * o.mine.length] as const);
    const size = 2 * g.mine.length;
    while (taken.some(([a, b]) => g.base < b && a < g.base + size)) g.base++;
    // Past the band's room, paths share heights (a host of many legacy guests).
    if (g.base + size > JOG_LEVELS) g.base = 0;
  }
  const levels = Math.max(0, ...groups.map((g) => g.base + 2 * g.mine.length));
  const pitch = Math.min(3, (EMULATED_JOG_BAND - 3) / Math.max(1, levels - 1));
  const turn = (level: number): number =>
    Math.round(rowTop - EMULATED_JOG_BAND + 2 + pitch * level);
  const byPath = new Map<string, EmulatedPath>();
  for (const { box, mine, pass, toward, enter, base } of groups) {
    const w = box.vmwp;
    // When the gap lies beyond the worker's entry, each way back turns above its way down;
    // otherwise below it.
    const beyond = (pass - enter[0]) * toward > 0;
    mine.forEach((vsc, m) => {
      const higher = turn(base + mine.length - 1 - m);
      const lower = turn(base + mine.length + m);
      const [downTurn, upTurn] = beyond ? [lower, higher] : [higher, lower];
      const offset = LEG_PITCH / 2 + LEG_PITCH * m;
      const downX = Math.round(pass - toward * offset);
      const upX = Math.round(pass + toward * offset);
      const trap = { x: pass, y: hypervisor.y + 3 * m };
      const cx = Math.round(vsc.x + vsc.width / 2);
      byPath.set(`${box.vm}/${vsc.device}`, {
        vm: box.vm,
        device: vsc.device,
        down: corners([
          { x: cx, y: vsc.y + vsc.height },
          { x: cx, y: vsc.jogY },
          { x: vsc.laneX, y: vsc.jogY },
          { x: vsc.laneX, y: downTurn },
          { x: downX, y: downTurn },
          { x: downX, y: trap.y },
          trap,
        ]),
        up: corners([
          trap,
          { x: upX, y: trap.y },
          { x: upX, y: upTurn },
          { x: enter[m], y: upTurn },
          { x: enter[m], y: w.y + w.height },
        ]),
        trap,
      });
    });
  }
  return devices.flatMap((d) => byPath.get(`${d.vm}/${d.device}`) ?? []);
}

/**
 * Where the host view writes text, each with what it is: the partition titles, VMMS, each
 * worker's label, the VSPs (their names are buttons over their boxes) and the hypervisor's
 * counters. No lane or wire may cross one of these.
 */
export function textRects(layout: HostLayout): { what: string; rect: Rect }[] {
  const title = (r: Rect): Rect => ({ x: r.x + 4, y: r.y + 4, width: 170, height: 20 });
  const captions = workerCaptions(layout.vms);
  return [
    { what: 'children title', rect: title(layout.children) },
    { what: 'root title', rect: layout.rootTitle },
    { what: 'VMMS', rect: layout.vmms },
    ...layout.vms.map((v, i) => ({ what: `VMWP ${v.vm}`, rect: captions[i].rect })),
    ...layout.vsps.map((v) => ({ what: `VSP ${v.id}`, rect: v })),
    { what: 'hypervisor title', rect: title(layout.hypervisor) },
    { what: 'hypervisor counters', rect: layout.counters },
    { what: 'hardware title', rect: title(layout.hardware) },
  ];
}

/**
 * The junctions of a set of lanes: each point where a lane turns or ends and three or more
 * strokes meet there (a lane joining a track that another lane's run shares), so the canvas can
 * dot them as a circuit diagram does. A lane passing straight over another VSP's track turns
 * nowhere there: a crossing, no dot.
 */
export function laneJunctions(lanes: readonly (readonly LanePoint[])[]): LanePoint[] {
  const pieces = lanes.flatMap((points) => piecesOfPath(points));
  const seen = new Set<string>();
  const junctions: LanePoint[] = [];
  for (const p of lanes.flat()) {
    const key = `${String(p.x)},${String(p.y)}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const ways = new Set<string>();
    for (const s of pieces) {
      const lo = { x: Math.min(s.x1, s.x2), y: Math.min(s.y1, s.y2) };
      const hi = { x: Math.max(s.x1, s.x2), y: Math.max(s.y1, s.y2) };
      if (p.x < lo.x || p.x > hi.x || p.y < lo.y || p.y > hi.y) continue;
      if (s.x1 === s.x2) {
        if (p.y > lo.y) ways.add('up');
        if (p.y < hi.y) ways.add('down');
      } else {
        if (p.x > lo.x) ways.add('left');
        if (p.x < hi.x) ways.add('right');
      }
    }
    if (ways.size >= 3) junctions.push(p);
  }
  return junctions;
}
