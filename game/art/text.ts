/**
 * Canvas labels in the game's two type faces, rendered at a resolution that stays crisp when the
 * camera scales the design space up. Canvas text is decoration only: everything a player must
 * read is also in the DOM.
 */
import type Phaser from 'phaser';
import { cssColour } from '../style/palette.js';

export const FONT_UI =
  '"Inter", "Segoe UI", "Helvetica Neue", "Liberation Sans", Arial, system-ui, sans-serif';
export const FONT_MONO =
  '"JetBrains Mono", "Cascadia Mono", "SFMono-Regular", Consolas, "Liberation Mono", "DejaVu Sans Mono", monospace';

export interface LabelOptions {
  readonly size: number;
  readonly colour: number;
  readonly mono?: boolean;
  readonly bold?: boolean;
  readonly spacing?: number;
  readonly alpha?: number;
  /** 0 = left/top, 0.5 = centre, 1 = right/bottom. */
  readonly originX?: number;
  readonly originY?: number;
  readonly depth?: number;
}

export function label(
  scene: Phaser.Scene,
  x: number,
  y: number,
  text: string,
  options: LabelOptions,
): Phaser.GameObjects.Text {
  const resolution = Math.min(4, Math.max(2, 2 * (window.devicePixelRatio || 1)));
  const t = scene.add.text(x, y, text, {
    fontFamily: options.mono ? FONT_MONO : FONT_UI,
    fontSize: `${options.size}px`,
    fontStyle: options.bold ? 'bold' : 'normal',
    color: cssColour(options.colour),
    resolution,
  });
  if (options.spacing !== undefined) t.setLetterSpacing(options.spacing);
  t.setOrigin(options.originX ?? 0, options.originY ?? 0);
  t.setAlpha(options.alpha ?? 1);
  // Text sits above the shapes it names.
  t.setDepth(options.depth ?? 5);
  return t;
}
