/**
 * The two palettes of the game: a dark schematic one and a colour-blind-safe one (Okabe–Ito hues,
 * lightened for a dark background, with blue/orange instead of green/red for good/bad). Colours
 * are roles, not decoration: every scene and the CSS read them from here. Pure data.
 */
import type { DeviceClass } from './devices.js';

export const PALETTE_IDS = ['standard', 'colour-blind'] as const;
export type PaletteId = (typeof PALETTE_IDS)[number];

export interface Palette {
  readonly id: PaletteId;
  /** Page and canvas background. */
  readonly bg: number;
  /** Dots and lines of the blueprint grid. */
  readonly grid: number;
  readonly gridMajor: number;
  /** Panels and boxes drawn over the background. */
  readonly panel: number;
  readonly panelRaised: number;
  readonly edge: number;
  readonly text: number;
  readonly textDim: number;
  /** VMBus lanes and the main accent. */
  readonly vmbus: number;
  /** The emulated path (intercepts through VMWP). */
  readonly emulated: number;
  readonly hypervisor: number;
  readonly root: number;
  readonly child: number;
  readonly hardware: number;
  readonly good: number;
  readonly bad: number;
  readonly star: number;
  /**
   * The board's selection (a solid ring on a chip's edge) and the tutorial's pointer (an arrow
   * and corner brackets).
   */
  readonly focus: number;
  /** Keyboard focus (a dashed ring around a control): never the selection's colour. */
  readonly focusRing: number;
  readonly devices: Readonly<Record<DeviceClass, number>>;
}

const standard: Palette = {
  id: 'standard',
  bg: 0x0a1120,
  grid: 0x1b2a45,
  gridMajor: 0x132038,
  panel: 0x0f1a2e,
  panelRaised: 0x15233b,
  edge: 0x2a4066,
  text: 0xe8eef7,
  textDim: 0xa3b3cc,
  vmbus: 0x3fd8c8,
  emulated: 0xff9a5a,
  hypervisor: 0xf5bd4f,
  root: 0x6eaaff,
  child: 0xbb97ff,
  hardware: 0x8fa1bd,
  good: 0x62d892,
  bad: 0xff6f6f,
  star: 0xffd34d,
  focus: 0xffe066,
  focusRing: 0xffffff,
  devices: {
    storage: 0x6eaaff,
    network: 0x3fd8c8,
    video: 0xbb97ff,
    input: 0xff9a5a,
    'dynamic-memory': 0x62d892,
    heartbeat: 0xff7aa2,
  },
};

const colourBlind: Palette = {
  id: 'colour-blind',
  bg: 0x0b1220,
  grid: 0x1d2b44,
  gridMajor: 0x142137,
  panel: 0x101a2c,
  panelRaised: 0x17243a,
  edge: 0x34486b,
  text: 0xf2f2f2,
  textDim: 0xb8c2d0,
  vmbus: 0x56b4e9,
  emulated: 0xe69f00,
  hypervisor: 0xf0e442,
  root: 0x8fc6f0,
  child: 0xdc93bd,
  hardware: 0xa8b3c4,
  good: 0x56b4e9,
  bad: 0xf08a4b,
  star: 0xf0e442,
  focus: 0xffffff,
  focusRing: 0xf0e442,
  devices: {
    storage: 0x56b4e9,
    network: 0x2fbf8f,
    video: 0xdc93bd,
    input: 0xe69f00,
    'dynamic-memory': 0xf0e442,
    heartbeat: 0xf08a4b,
  },
};

export const PALETTES: Readonly<Record<PaletteId, Palette>> = {
  standard,
  'colour-blind': colourBlind,
};

export function isPaletteId(value: unknown): value is PaletteId {
  return typeof value === 'string' && (PALETTE_IDS as readonly string[]).includes(value);
}

/** `0x3fd8c8` → `#3fd8c8`. */
export function cssColour(colour: number): string {
  return `#${colour.toString(16).padStart(6, '0')}`;
}

/** `0x3fd8c8, 0.4` → `rgba(63, 216, 200, 0.4)`. */
export function cssRgba(colour: number, alpha: number): string {
  return `rgba(${(colour >> 16) & 0xff}, ${(colour >> 8) & 0xff}, ${colour & 0xff}, ${alpha})`;
}

/** WCAG 2 relative luminance of an sRGB colour. */
export function luminance(colour: number): number {
  const channel = (shift: number): number => {
    const c = ((colour >> shift) & 0xff) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0);
}

/** WCAG 2 contrast ratio between two colours (1–21). */
export function contrastRatio(a: number, b: number): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}
