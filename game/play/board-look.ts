/**
 * What the board shows by shape as well as colour, as pure geometry (host-view.ts draws it):
 * the emulated path is dashed where a VMBus lane is solid, and a ring that is nearly full is
 * hatched as well as turning the "bad" colour. A player who cannot tell the colours apart still
 * sees the difference.
 */
import type { PaletteId } from '../style/palette.js';
import type { Rect, Segment } from './layout.js';

/** Above this share a ring counts as full (the "ring full" objectives' zone). */
export const RING_FULL = 0.8;

/**
 * A segment cut into dashes `dash` px long with `gap` px between them (the last one may be
 * shorter), in order from its first end.
 *
 * @example
 * dashes({ x1: 0, y1: 0, x2: 10, y2: 0 }, 4, 3); // 0–4 and 7–10
 */
export function dashes(s: Segment, dash = 4, gap = 3): Segment[] {
  const length = Math.hypot(s.x2 - s.x1, s.y2 - s.y1);
  if (length === 0) return [];
  const ux = (s.x2 - s.x1) / length;
  const uy = (s.y2 - s.y1) / length;
  const out: Segment[] = [];
  for (let at = 0; at < length; at += dash + gap) {
    const end = Math.min(at + dash, length);
    out.push({ x1: s.x1 + ux * at, y1: s.y1 + uy * at, x2: s.x1 + ux * end, y2: s.y1 + uy * end });
  }
  return out;
}

export interface RingLook {
  /** Filled beyond {@link RING_FULL}: drawn in the "bad" colour and hatched. */
  readonly full: boolean;
  /** How wide the fill bar is drawn (at least 1 px, so an empty ring still shows its start). */
  readonly width: number;
  /** Diagonal stripes over the fill bar, drawn in the background colour; none unless full. */
  readonly hatch: readonly Segment[];
}

/** How a ring `fill` (0–1) full is drawn in its box. */
export function ringLook(ring: Rect, fill: number, step = 5): RingLook {
  const width = Math.max(1, ring.width * Math.min(1, Math.max(0, fill)));
  const full = fill > RING_FULL;
  const hatch: Segment[] = [];
  if (full) {
    const end = ring.x + width;
    const bottom = ring.y + ring.height;
    // Stripes going up to the right, each cut off at the end of the bar.
    for (let x = ring.x; x < end; x += step) {
      const x2 = Math.min(x + ring.height, end);
      hatch.push({ x1: x, y1: bottom, x2, y2: bottom - (x2 - x) });
    }
  }
  return { full, width, hatch };
}

/** The glyph that tells VMs apart on the scheduler grid without colour. */
export type VmGlyph = 'circle' | 'triangle' | 'square' | 'diamond';
const GLYPHS: readonly VmGlyph[] = ['circle', 'triangle', 'square', 'diamond'];

/**
 * Distinct colours for the VMs' VPs on the scheduler grid, per palette: the colour-blind one is
 * Okabe–Ito (orange, sky blue, bluish green, yellow, vermilion, reddish purple, blue), lightened
 * for the dark background; blue stays the root's, so no VM gets it first.
 */
const VM_COLOURS: Readonly<Record<PaletteId, readonly number[]>> = {
  standard: [0xbb97ff, 0xff9a5a, 0x62d892, 0xffd34d, 0xff7aa2, 0x3fd8c8, 0xd9e27a, 0xc98b6b],
  'colour-blind': [0xe69f00, 0xdc93bd, 0x2fbf8f, 0xf0e442, 0xf08a4b, 0x56b4e9, 0xffffff, 0x9a8cff],
};

export interface VmLook {
  readonly colour: number;
  /** The glyph drawn in each cell the VM runs on; hollow for the second round of glyphs. */
  readonly glyph: VmGlyph;
  readonly hollow: boolean;
}

/**
 * How VM number `index` (its position in the scenario) is shown on the scheduler grid: its own
 * colour and its own glyph, so two VMs on one core differ by shape as well as colour. Eight
 * colours and eight glyphs (four shapes, filled then hollow) before either repeats.
 */
export function vmLook(index: number, palette: PaletteId): VmLook {
  const colours = VM_COLOURS[palette];
  const i = Math.max(0, index);
  return {
    colour: colours[i % colours.length],
    glyph: GLYPHS[i % GLYPHS.length],
    hollow: Math.floor(i / GLYPHS.length) % 2 === 1,
  };
}

/**
 * The cores (by index, `threadsPerCore` LPs each, in LP order) whose SMT siblings run VPs of two
 * different VMs at this instant — what the classic scheduler allows and the core scheduler never
 * does. `lps` holds, per LP, a VM's index (0…) or a negative value (idle, the root, unknown).
 *
 * @example
 * mixedCores([0, 1, 0, 0, -2, 1], 2); // [0]: LPs 0 and 1 run VMs 0 and 1
 */
export function mixedCores(lps: readonly number[], threadsPerCore: number): number[] {
  const out: number[] = [];
  if (threadsPerCore < 2) return out;
  for (let first = 0, core = 0; first < lps.length; first += threadsPerCore, core++) {
    const vms = new Set<number>();
    for (let lp = first; lp < Math.min(lps.length, first + threadsPerCore); lp++)
      if (lps[lp] >= 0) vms.add(lps[lp]);
    if (vms.size > 1) out.push(core);
  }
  return out;
}

/** How a VM's device reaches the root, as the board draws it. */
export type DevicePathLook = 'channel' | 'emulated' | 'none';

/**
 * A device's path on the board: a VMBus channel (a solid lane), an emulated device whose
 * intercepts the VM's worker process handles (a dashed wire into the VMWP), or nothing — a
 * synthetic device with no channel loses its requests (a generation 2 VM has no emulated device
 * to fall back on), drawn as a stub that ends in a ✗.
 */
export function devicePathLook(
  vm: string,
  device: string,
  channels: readonly { readonly vm: string; readonly device: string }[],
  emulated: readonly { readonly vm: string; readonly device: string }[],
): DevicePathLook {
  if (channels.some((c) => c.vm === vm && c.device === device)) return 'channel';
  if (emulated.some((e) => e.vm === vm && e.device === device)) return 'emulated';
  return 'none';
}

/** The stub of an unconnected device: straight down from its VSC, ending in a ✗ (`cross`). */
export function danglingStub(
  vsc: Rect,
  length = 12,
): { readonly stub: Segment; readonly cross: readonly Segment[] } {
  const x = vsc.x + vsc.width / 2;
  const y1 = vsc.y + vsc.height;
  const y2 = y1 + length;
  const r = 4;
  return {
    stub: { x1: x, y1, x2: x, y2 },
    cross: [
      { x1: x - r, y1: y2 - r + 4, x2: x + r, y2: y2 + r + 4 },
      { x1: x - r, y1: y2 + r + 4, x2: x + r, y2: y2 - r + 4 },
    ],
  };
}

/**
 * Which of a VM's devices to mark with the "lost request" cross: those whose lost count grew
 * since the previous frame (`before`, by device id). Empty when nothing new was lost.
 */
export function devicesThatLost(
  now: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
): string[] {
  return Object.keys(now).filter((id) => now[id] > (before[id] ?? 0));
}
