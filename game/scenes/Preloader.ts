/**
 * Preloader: everything the game shows or plays is made here, by us — palettes' textures, device
 * shapes from our SVG, synthesised sound cues — behind a progress bar (canvas, mirrored by an ARIA
 * progressbar). Then the title screen.
 */
import Phaser from 'phaser';
import { CUE_NAMES } from '../audio/cues.js';
import { chip } from '../art/draw.js';
import { makeDeviceTextures, makeGlowTexture, makeGridTexture } from '../art/textures.js';
import type { StringKey } from '../i18n/i18n.js';
import type { GameServices } from '../services.js';
import { PALETTE_IDS } from '../style/palette.js';
import { h } from '../ui/dom.js';
import { hostScreen, navigate } from './host.js';
import { SceneKey } from './keys.js';

interface Step {
  readonly label: StringKey;
  readonly run: () => Promise<void> | void;
}

const BAR = { x: 312, y: 404, width: 400, height: 18 } as const;

export class Preloader extends Phaser.Scene {
  private bar!: Phaser.GameObjects.Graphics;
  private progress!: HTMLElement;
  private stepText!: HTMLElement;

  constructor(private readonly services: GameServices) {
    super(SceneKey.Preloader);
  }

  create(): void {
    const s = this.services;
    hostScreen(this, s, {
      key: SceneKey.Preloader,
      data: {},
      narrate: false,
      fadeIn: false,
      ownsNotices: false,
      glow: { x: 512, y: 360, scale: 4, alpha: 0.25 },
      art: (palette) => {
        const frame = this.add.graphics();
        chip(frame, BAR.x - 10, BAR.y - 10, BAR.width + 20, BAR.height + 20, {
          colour: palette.edge,
          fill: palette.panel,
          pins: 18,
        });
        this.bar = this.add.graphics();
      },
      screen: () => {
        this.stepText = h('span', { className: 'preload-step' }, '');
        this.progress = h(
          'div',
          {
            className: 'preload-progress',
            attrs: {
              role: 'progressbar',
              'aria-valuemin': 0,
              'aria-valuemax': 100,
              'aria-valuenow': 0,
              'aria-label': s.i18n.t('preloader.heading'),
            },
          },
          this.stepText,
        );
        return {
          root: h(
            'section',
            { className: 'preloader-screen', attrs: { 'aria-labelledby': 'preload-heading' } },
            h(
              'p',
              { className: 'eyebrow', place: { x: 0, y: 262, width: 1024 } },
              s.i18n.t('app.tagline'),
            ),
            h(
              'h1',
              {
                id: 'preload-heading',
                className: 'logo logo-centred',
                place: { x: 0, y: 290, width: 1024 },
              },
              'Hyperkata',
            ),
            h('div', { place: { x: BAR.x, y: BAR.y + 42, width: BAR.width } }, this.progress),
          ),
        };
      },
    });
    void this.runSteps();
  }

  private steps(): Step[] {
    const s = this.services;
    return [
      {
        label: 'preloader.step.palette',
        run: () => {
          for (const id of PALETTE_IDS) {
            makeGridTexture(this, id);
            makeGlowTexture(this, id);
          }
        },
      },
      { label: 'preloader.step.shapes', run: () => makeDeviceTextures(this) },
      ...CUE_NAMES.map((cue) => ({
        label: 'preloader.step.sounds' as const,
        run: () => s.sound.prepare(cue),
      })),
    ];
  }

  private async runSteps(): Promise<void> {
    const steps = this.steps();
    for (const [i, step] of steps.entries()) {
      this.show(i / steps.length, step.label);
      try {
        await step.run();
      } catch (error) {
        // A missing texture or sound is not worth a blank screen: say so and carry on.
        this.services.log.narrate(String(error), { kind: 'warning' });
      }
      await this.nextFrame();
    }
    this.show(1, 'preloader.step.done');
    navigate(this, this.services, SceneKey.Title);
  }

  private show(fraction: number, stepLabel: StringKey): void {
    const palette = this.services.palette();
    const percent = Math.round(fraction * 100);
    this.bar.clear();
    this.bar.fillStyle(palette.vmbus, 1);
    this.bar.fillRoundedRect(
      BAR.x,
      BAR.y,
      Math.max(BAR.height, BAR.width * fraction),
      BAR.height,
      4,
    );
    this.progress.setAttribute('aria-valuenow', String(percent));
    const text = `${this.services.i18n.t(stepLabel)} · ${this.services.i18n.t('preloader.progress', { percent: this.services.i18n.percent(percent) })}`;
    this.progress.setAttribute('aria-valuetext', text);
    this.stepText.textContent = text;
  }

  private nextFrame(): Promise<void> {
    return new Promise((resolve) => {
      this.time.delayedCall(0, resolve);
    });
  }
}
