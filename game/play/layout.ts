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
  const vmwpRow = row(
    scenario.vms.length,
    { x: x + 86, y: root.y + 28, width: w - 94, height: 26 },
    90,
  );
  const vms: VmBox[] = scenario.vms.map((vm, i) => {
    const r = vmRects[i];
    const chipRects = row(
      vm.devices.length,
      { x: r.x + 4, y: r.y + r.height - 40, width: r.width - 8, height: 34 },
      64,
    );
    return {
      ...r,
      vm: vm.name,
      vscs: vm.devices.map((d, j) => ({
        ...chipRects[j],
        vm: vm.name,
        device: d.id,
        deviceClass: d.class,
      })),
      sparkline: { x: r.x + 6, y: r.y + 58, width: r.width - 12, height: 36 },
      ring: { x: r.x + 6, y: r.y + 100, width: r.width - 12, height: 8 },
      vmwp: vmwpRow[i],
    };
  });

  const vspRects = row(
    vsps.length,
    { x: x + 8, y: root.y + root.height - 56, width: w - 16, height: 48 },
    110,
  );
  const vspBoxes: VspBox[] = vsps.map((v, i) => ({
    ...vspRects[i],
    id: v.id,
    plugin: v.plugin,
    ...(v.device === undefined ? {} : { device: v.device }),
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
    vmms: { x: x + 8, y: root.y + 28, width: 70, height: 26 },
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

/** How far below the worker processes' row the wire from VMMS runs. */
const VMMS_BUS_DROP = 6;

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
