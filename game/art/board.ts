/**
 * The campaign map's circuit board: a bus trace through twelve sockets, lit up to where the player
 * has got. Locked sockets are dashed and dim; open ones glow (still when motion is reduced);
 * finished ones are solid. The DOM draws the text on top of each chip.
 */
import Phaser from 'phaser';
import { BOARD, nodePlacement, traceBetween } from '../campaign/board-layout.js';
import type { LevelState } from '../campaign/progress.js';
import type { Palette } from '../style/palette.js';
import { chip, dashedPath, dashedRect, path } from './draw.js';
import { label } from './text.js';
import { glowKey } from './textures.js';

export interface BoardArtOptions {
  readonly palette: Palette;
  readonly states: readonly LevelState[];
  readonly reducedMotion: boolean;
  readonly caption: string;
}

export function drawBoard(scene: Phaser.Scene, options: BoardArtOptions): void {
  const p = options.palette;
  const board = scene.add.graphics().setDepth(0);
  const traces = scene.add.graphics().setDepth(1);
  const g = scene.add.graphics().setDepth(3);

  // The board itself, with mounting holes and a silkscreen caption.
  board.fillStyle(p.panel, 0.85);
  board.fillRoundedRect(BOARD.x, BOARD.y, BOARD.width, BOARD.height, 14);
  board.lineStyle(1.5, p.edge, 1);
  board.strokeRoundedRect(BOARD.x, BOARD.y, BOARD.width, BOARD.height, 14);
  for (const [hx, hy] of [
    [BOARD.x + 14, BOARD.y + 14],
    [BOARD.x + BOARD.width - 14, BOARD.y + 14],
    [BOARD.x + 14, BOARD.y + BOARD.height - 14],
    [BOARD.x + BOARD.width - 14, BOARD.y + BOARD.height - 14],
  ] as const) {
    board.lineStyle(1.5, p.edge, 1);
    board.strokeCircle(hx, hy, 5);
  }
  label(scene, BOARD.x + BOARD.width - 28, BOARD.y + BOARD.height - 20, options.caption, {
    size: 10,
    colour: p.textDim,
    mono: true,
    spacing: 2,
    originX: 1,
    originY: 0.5,
    alpha: 0.8,
  });

  // Traces: lit up to the furthest finished level, each with a via halfway.
  for (let i = 0; i < options.states.length - 1; i++) {
    const points = traceBetween(i);
    const lit = options.states[i] === 'completed';
    if (lit) {
      path(traces, points, p.vmbus, 7, 0.16);
      path(traces, points, p.vmbus, 2.5, 1);
    } else {
      dashedPath(traces, points, p.textDim, { width: 2, dash: 6, gap: 5, alpha: 0.45 });
    }
    const [a, b] = points;
    const via = { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
    traces.fillStyle(p.panel, 1);
    traces.fillCircle(via.x, via.y, 5);
    traces.lineStyle(1.5, lit ? p.vmbus : p.textDim, lit ? 1 : 0.7);
    traces.strokeCircle(via.x, via.y, 5);
  }

  // Sockets.
  const glows: Phaser.GameObjects.Image[] = [];
  options.states.forEach((state, i) => {
    const n = nodePlacement(i);
    // Silkscreen reference designator, as on a real board.
    label(scene, n.x + n.width, n.y + n.height + 9, `U${String(i + 1).padStart(2, '0')}`, {
      size: 9,
      colour: p.textDim,
      mono: true,
      spacing: 1,
      originX: 1,
      alpha: 0.7,
    });
    if (state === 'open') {
      glows.push(
        scene.add
          .image(n.x + n.width / 2, n.y + n.height / 2, glowKey(p.id))
          .setScale((n.width * 1.5) / 256, (n.height * 1.7) / 256)
          .setAlpha(0.55)
          .setDepth(2),
      );
    }
    if (state === 'locked') {
      g.fillStyle(p.panel, 1);
      g.fillRoundedRect(n.x, n.y, n.width, n.height, 5);
      dashedRect(g, n.x, n.y, n.width, n.height, p.edge, 1);
    } else {
      chip(g, n.x, n.y, n.width, n.height, {
        colour: state === 'completed' ? p.vmbus : p.hypervisor,
        fill: p.panelRaised,
        pins: 7,
      });
    }
  });

  if (options.reducedMotion || glows.length === 0) return;
  scene.tweens.add({
    targets: glows,
    alpha: { from: 0.3, to: 0.75 },
    duration: 1400,
    yoyo: true,
    repeat: -1,
    ease: Phaser.Math.Easing.Sine.InOut,
  });
}
