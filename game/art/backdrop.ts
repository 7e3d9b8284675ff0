/**
 * The blueprint background every scene sits on. It covers whatever part of the world the camera
 * shows, at any window size, so there are never letterbox bars.
 */
import type Phaser from 'phaser';
import type { Palette } from '../style/palette.js';
import { DESIGN } from '../ui/geometry.js';
import type { Fit } from '../ui/geometry.js';
import { glowKey, gridKey } from './textures.js';

export interface Backdrop {
  /** Re-covers the visible world after a resize. */
  resize(viewWidth: number, viewHeight: number, fit: Fit): void;
}

export function drawBackdrop(
  scene: Phaser.Scene,
  palette: Palette,
  glow: {
    readonly x: number;
    readonly y: number;
    readonly scale: number;
    readonly alpha: number;
  } | null,
): Backdrop {
  scene.cameras.main.setBackgroundColor(palette.bg);
  const grid = scene.add.tileSprite(0, 0, DESIGN.width, DESIGN.height, gridKey(palette.id));
  grid.setOrigin(0, 0).setDepth(-100);
  if (glow) {
    scene.add
      .image(glow.x, glow.y, glowKey(palette.id))
      .setScale(glow.scale)
      .setAlpha(glow.alpha)
      .setDepth(-90);
  }
  return {
    resize(viewWidth, viewHeight, fit) {
      const w = viewWidth / fit.scale;
      const h = viewHeight / fit.scale;
      const x = DESIGN.width / 2 - w / 2;
      const y = DESIGN.height / 2 - h / 2;
      // Keep the grid anchored to the design space so it does not swim when the window changes.
      grid.setPosition(Math.floor(x / 96) * 96, Math.floor(y / 96) * 96);
      grid.setSize(Math.ceil(w / 96) * 96 + 192, Math.ceil(h / 96) * 96 + 192);
    },
  };
}
