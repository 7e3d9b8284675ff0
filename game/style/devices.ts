/**
 * How each device class looks: a shape as well as a colour, so colour is never the only clue.
 * One module for every place that draws a device (canvas textures, the settings legend, later the
 * Play scene's VSC/VSP chips and packets). Shapes are SVG path data in a 24 × 24 box that we drew.
 */
import type { DeviceClass } from '../../core/model/scenario.js';
import type { StringKey } from '../i18n/i18n.js';
import { PALETTES } from './palette.js';
import type { PaletteId } from './palette.js';

export type { DeviceClass } from '../../core/model/scenario.js';

/** Same order as the core's DEVICE_CLASSES (checked by the type below and by a test). */
export const DEVICE_CLASS_ORDER = [
  'storage',
  'network',
  'video',
  'input',
  'dynamic-memory',
  'heartbeat',
] as const satisfies readonly DeviceClass[];

export type ShapeId = 'cylinder' | 'diamond' | 'screen' | 'triangle' | 'hexagon' | 'circle';

export interface ShapePaths {
  /** Filled silhouette. */
  readonly body: string;
  /** Stroked detail drawn over the body in the background colour. */
  readonly detail: string;
}

export const SHAPES: Readonly<Record<ShapeId, ShapePaths>> = {
  cylinder: {
    body: 'M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3v12c0 1.7-3.6 3-8 3s-8-1.3-8-3z',
    detail: 'M4 6c0 1.7 3.6 3 8 3s8-1.3 8-3M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3',
  },
  diamond: { body: 'M12 1.5 22.5 12 12 22.5 1.5 12z', detail: 'M7 12h10M12 7v10' },
  screen: { body: 'M2 4h20v13H2z', detail: 'M5 7h14v7H5zM12 17v3M8 21h8' },
  triangle: { body: 'M12 2.5 22.5 21h-21z', detail: 'M12 9v6M12 17.5v.5' },
  hexagon: { body: 'M7 2.5h10l5.5 9.5-5.5 9.5H7L1.5 12z', detail: 'M8 9h8M8 12h8M8 15h8' },
  circle: {
    body: 'M12 1.5a10.5 10.5 0 1 0 0 21a10.5 10.5 0 1 0 0-21z',
    detail: 'M4.5 12h3.5l2-4.5 3 9 2-4.5h4.5',
  },
};

export interface DeviceStyle {
  readonly deviceClass: DeviceClass;
  readonly shape: ShapeId;
  readonly label: StringKey;
}

export const DEVICE_STYLES: Readonly<Record<DeviceClass, DeviceStyle>> = {
  storage: { deviceClass: 'storage', shape: 'cylinder', label: 'device.storage' },
  network: { deviceClass: 'network', shape: 'diamond', label: 'device.network' },
  video: { deviceClass: 'video', shape: 'screen', label: 'device.video' },
  input: { deviceClass: 'input', shape: 'triangle', label: 'device.input' },
  'dynamic-memory': {
    deviceClass: 'dynamic-memory',
    shape: 'hexagon',
    label: 'device.dynamic-memory',
  },
  heartbeat: { deviceClass: 'heartbeat', shape: 'circle', label: 'device.heartbeat' },
};

/** The texture key a Preloader registers for a device class in a palette. */
export function deviceTextureKey(deviceClass: DeviceClass, palette: PaletteId): string {
  return `device-${deviceClass}-${palette}`;
}

/** The key of the small texture packets use (drawn at their size, so not scaled down much). */
export function packetTextureKey(deviceClass: DeviceClass, palette: PaletteId): string {
  return `packet-${deviceClass}-${palette}`;
}

/**
 * A standalone SVG of the device's shape in the palette's colour, for textures and for the DOM.
 *
 * @example
 * deviceSvg('storage', 'standard', 48) // '<svg xmlns=… width="48" height="48">…</svg>'
 */
export function deviceSvg(deviceClass: DeviceClass, palette: PaletteId, size: number): string {
  const colours = PALETTES[palette];
  const shape = SHAPES[DEVICE_STYLES[deviceClass].shape];
  const fill = `#${colours.devices[deviceClass].toString(16).padStart(6, '0')}`;
  const ink = `#${colours.bg.toString(16).padStart(6, '0')}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="${size}" height="${size}">` +
    `<path d="${shape.body}" fill="${fill}"/>` +
    `<path d="${shape.detail}" fill="none" stroke="${ink}" stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round"/>` +
    `</svg>`
  );
}
