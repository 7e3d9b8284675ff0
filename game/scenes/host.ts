/**
 * What every menu-like scene does around its own content, by composition: the backdrop, fitting
 * the camera and the DOM overlay to the window, mounting the screen with focus in it, taking away
 * the previous screen's notices, narrating the change, rebuilding itself when the language, palette or motion setting changes, and cleaning up.
 */
import Phaser from 'phaser';
import { drawBackdrop } from '../art/backdrop.js';
import type { GameServices } from '../services.js';
import type { Palette } from '../style/palette.js';
import { DESIGN, fitDesign } from '../ui/geometry.js';
import type { Screen } from '../ui/ui-layer.js';
import type { SceneKey, ScreenData } from './keys.js';

export interface HostOptions {
  readonly key: SceneKey;
  readonly data: ScreenData;
  /** Builds the DOM screen (called once per start). */
  readonly screen: () => Screen;
  /** Draws the canvas art (called once per start, before the screen is mounted). */
  readonly art?: (palette: Palette) => void;
  /** Where the backdrop's glow sits, or null for none. */
  readonly glow?: {
    readonly x: number;
    readonly y: number;
    readonly scale: number;
    readonly alpha: number;
  } | null;
  /** Say "now on …" in the event log (default true). */
  readonly narrate?: boolean;
  /** What the log calls this screen, in the current language (default: the scene's name). */
  readonly title?: () => string;
  /** Fade in (default true; never with reduced motion). */
  readonly fadeIn?: boolean;
  /**
   * Notices raised on this screen are its own and go when another screen opens (default true).
   * The preloader passes the start's notices (a damaged save) on to the title screen.
   */
  readonly ownsNotices?: boolean;
}

const FADE_MS = 160;

export function hostScreen(
  scene: Phaser.Scene,
  services: GameServices,
  options: HostOptions,
): Screen {
  const palette = services.palette();
  const reduced = services.reducedMotion();
  document.body.dataset.scene = options.key;

  const backdrop = drawBackdrop(scene, palette, options.glow ?? null);
  options.art?.(palette);

  const fitToWindow = (): void => {
    const { width, height } = scene.scale;
    const fit = fitDesign(width, height);
    const camera = scene.cameras.main;
    camera.setZoom(fit.scale);
    camera.centerOn(DESIGN.width / 2, DESIGN.height / 2);
    backdrop.resize(width, height, fit);
    services.fitOverlay(fit);
    services.frames.invalidate();
  };
  fitToWindow();

  const screen = options.screen();
  screen.root.classList.add('screen');
  if (!reduced && !options.data.restarted) {
    screen.root.classList.add('screen-enter');
    // A finished entrance leaves nothing behind (see .screen-enter in index.html).
    const entered = (event: AnimationEvent): void => {
      if (event.target !== screen.root) return;
      screen.root.classList.remove('screen-enter');
      screen.root.removeEventListener('animationend', entered);
    };
    screen.root.addEventListener('animationend', entered);
  }
  const focus = options.data.focus
    ? screen.root.querySelector<HTMLElement>(`#${CSS.escape(options.data.focus)}`)
    : null;
  // A notice belongs to the screen that raised it: a level's refusal is not the map's business.
  if (options.ownsNotices !== false) services.notices.enterScreen(options.key);
  services.ui.mount(screen, focus);
  const screenTitle = (): string =>
    options.title?.() ?? services.i18n.t(`screen.${screenName(options.key)}`);
  document.title = options.narrate === false ? 'Hyperkata' : `${screenTitle()} — Hyperkata`;
  if (!options.data.restarted && options.narrate !== false) {
    services.log.narrate(() => services.i18n.t('log.opened', { screen: screenTitle() }));
  }
  if (!reduced && !options.data.restarted && options.fadeIn !== false) {
    scene.cameras.main.fadeIn(FADE_MS, 10, 17, 32);
  }

  // Rebuild in place when what the scene draws depends on a setting that changed.
  const restart = (): void => {
    const active = document.activeElement;
    const focusId =
      active instanceof HTMLElement && screen.root.contains(active) ? active.id : undefined;
    scene.scene.restart({ ...options.data, focus: focusId, restarted: true });
  };
  const stopLanguage = services.i18n.onChange(restart);
  const stopStore = services.store.onChange((save) => {
    if (save.settings.palette !== palette.id || save.settings.reducedMotion !== reduced) restart();
  });
  scene.scale.on(Phaser.Scale.Events.RESIZE, fitToWindow);
  scene.events.once(Phaser.Scenes.Events.SHUTDOWN, () => {
    stopLanguage();
    stopStore();
    scene.scale.off(Phaser.Scale.Events.RESIZE, fitToWindow);
    services.ui.unmount(screen);
  });
  return screen;
}

function screenName(key: SceneKey): 'Title' | 'CampaignMap' | 'Codex' | 'Settings' | 'Play' {
  switch (key) {
    case 'CampaignMap':
    case 'Codex':
    case 'Settings':
    case 'Play':
      return key;
    default:
      return 'Title';
  }
}

/** Goes to another scene, with a short fade unless motion is reduced. */
export function navigate(
  scene: Phaser.Scene,
  services: GameServices,
  key: SceneKey,
  data: object = {},
): void {
  if (scene.registry.get('navigating') === true) return;
  if (services.reducedMotion()) {
    scene.scene.start(key, data);
    return;
  }
  scene.registry.set('navigating', true);
  const camera = scene.cameras.main;
  camera.once(Phaser.Cameras.Scene2D.Events.FADE_OUT_COMPLETE, () => {
    scene.registry.set('navigating', false);
    scene.scene.start(key, data);
  });
  camera.fadeOut(FADE_MS, 10, 17, 32);
}
