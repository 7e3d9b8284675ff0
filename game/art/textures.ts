/**
 * Textures we make ourselves, once, behind the Preloader's progress bar: the blueprint grid, a soft
 * glow, a packet dot, and each device class's shape in each palette (from our SVG). No image file
 * is downloaded.
 */
import type Phaser from 'phaser';
import {
  DEVICE_CLASS_ORDER,
  deviceSvg,
  deviceTextureKey,
  packetTextureKey,
} from '../style/devices.js';
import { PALETTES, PALETTE_IDS, cssColour, cssRgba } from '../style/palette.js';
import type { PaletteId } from '../style/palette.js';

export const GRID_TILE = 96;
export const gridKey = (palette: PaletteId): string => `grid-${palette}`;
export const glowKey = (palette: PaletteId): string => `glow-${palette}`;
export const DOT_KEY = 'dot';
/** Device textures are drawn at this size and scaled down, so they stay sharp when zoomed. */
export const DEVICE_TEXTURE_SIZE = 64;
/** Packet textures: twice a packet's size on screen (12–13 px), sharp at a zoom of 2. */
export const PACKET_TEXTURE_SIZE = 24;

/** Blueprint grid: a dot every 24 px and a faint major line every 96 px. */
export function makeGridTexture(scene: Phaser.Scene, palette: PaletteId): void {
  const key = gridKey(palette);
  if (scene.textures.exists(key)) return;
  const p = PALETTES[palette];
  const texture = scene.textures.createCanvas(key, GRID_TILE, GRID_TILE);
  if (!texture) return;
  const ctx = texture.getContext();
  ctx.fillStyle = cssColour(p.bg);
  ctx.fillRect(0, 0, GRID_TILE, GRID_TILE);
  ctx.fillStyle = cssColour(p.gridMajor);
  ctx.fillRect(0, 0, GRID_TILE, 1);
  ctx.fillRect(0, 0, 1, GRID_TILE);
  ctx.fillStyle = cssColour(p.grid);
  for (let y = 0; y < GRID_TILE; y += 24) {
    for (let x = 0; x < GRID_TILE; x += 24) ctx.fillRect(x, y, 2, 2);
  }
  texture.refresh();
}

/** A radial glow in the VMBus colour, used behind the title art and on open levels. */
export function makeGlowTexture(scene: Phaser.Scene, palette: PaletteId): void {
  const key = glowKey(palette);
  if (scene.textures.exists(key)) return;
  const size = 256;
  const texture = scene.textures.createCanvas(key, size, size);
  if (!texture) return;
  const ctx = texture.getContext();
  const gradient = ctx.createRadialGradient(size / 2, size / 2, 0, size / 2, size / 2, size / 2);
  const c = PALETTES[palette].vmbus;
  gradient.addColorStop(0, cssRgba(c, 0.55));
  gradient.addColorStop(0.4, cssRgba(c, 0.18));
  gradient.addColorStop(1, cssRgba(c, 0));
  ctx.fillStyle = gradient;
  ctx.fillRect(0, 0, size, size);
  texture.refresh();
}

/** A small white disc (32 × 32). */
export function makeDotTexture(scene: Phaser.Scene): void {
  dotTexture(scene, 0xffffff, DOT_KEY);
}

/**
 * A small disc in one colour (32 × 32), made on first use; returns its texture key. Use it
 * instead of tinting the white dot: Phaser's Canvas renderer ignores `setTint`.
 */
export function dotTexture(
  scene: Phaser.Scene,
  colour: number,
  key = `dot-${colour.toString(16)}`,
): string {
  if (scene.textures.exists(key)) return key;
  const texture = scene.textures.createCanvas(key, 32, 32);
  if (!texture) return DOT_KEY;
  const ctx = texture.getContext();
  ctx.fillStyle = cssColour(colour);
  ctx.beginPath();
  ctx.arc(16, 16, 14, 0, Math.PI * 2);
  ctx.fill();
  texture.refresh();
  return key;
}

function loadSvg(markup: string): Promise<HTMLImageElement> {
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  return image.decode().then(() => image);
}

/**
 * Rasterises an SVG image into a bitmap texture of `size` × `size`. The texture must not be the
 * SVG image itself: Chrome's 2D canvas re-renders an SVG source (a whole document lifecycle and
 * its paths) on every `drawImage`, which cost the Play scene's frame about 8 ms with 150 packets
 * on screen. Nor a canvas: drawing from a canvas snapshots it each time. A decoded PNG is one
 * copy.
 */
async function rasterise(
  scene: Phaser.Scene,
  key: string,
  image: HTMLImageElement,
  size: number,
): Promise<void> {
  const canvas = document.createElement('canvas');
  canvas.width = size;
  canvas.height = size;
  canvas.getContext('2d')?.drawImage(image, 0, 0, size, size);
  const bitmap = new Image();
  bitmap.src = canvas.toDataURL('image/png');
  await bitmap.decode();
  if (!scene.textures.exists(key)) scene.textures.addImage(key, bitmap);
}

/**
 * Every device shape in every palette, from our SVG, as bitmaps: one for icons
 * ({@link DEVICE_TEXTURE_SIZE}) and a small one for packets ({@link PACKET_TEXTURE_SIZE}).
 */
export async function makeDeviceTextures(scene: Phaser.Scene): Promise<void> {
  const jobs = PALETTE_IDS.flatMap((palette) =>
    DEVICE_CLASS_ORDER.map(async (deviceClass) => {
      const key = deviceTextureKey(deviceClass, palette);
      if (scene.textures.exists(key)) return;
      const image = await loadSvg(deviceSvg(deviceClass, palette, DEVICE_TEXTURE_SIZE));
      await Promise.all([
        rasterise(scene, key, image, DEVICE_TEXTURE_SIZE),
        rasterise(scene, packetTextureKey(deviceClass, palette), image, PACKET_TEXTURE_SIZE),
      ]);
    }),
  );
  await Promise.all(jobs);
}
