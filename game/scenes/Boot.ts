/**
 * Boot: makes the few textures the Preloader itself shows (the grid and glow of the current
 * palette), hands over from the HTML splash, tells the player what happened to their save, and
 * starts the Preloader.
 */
import Phaser from 'phaser';
import { makeDotTexture, makeGlowTexture, makeGridTexture } from '../art/textures.js';
import type { GameServices } from '../services.js';
import { SceneKey } from './keys.js';

export class Boot extends Phaser.Scene {
  constructor(
    private readonly services: GameServices,
    /** Startup work outside Phaser: splash, save notices, shared links (StartGame provides it). */
    private readonly onBoot: () => void,
  ) {
    super(SceneKey.Boot);
  }

  create(): void {
    document.body.dataset.scene = SceneKey.Boot;
    const palette = this.services.palette().id;
    makeGridTexture(this, palette);
    makeGlowTexture(this, palette);
    makeDotTexture(this);
    this.onBoot();
    this.scene.start(SceneKey.Preloader);
  }
}
