/**
 * The composition root (like the Phaser template's StartGame): reads the save, builds the
 * services once, wires settings to the page, and starts Phaser with every scene constructed with
 * those services. Nothing else creates services or reaches for globals.
 */
import Phaser from 'phaser';
import { SoundBoard } from './audio/sound-board.js';
import { BUILT_IN_CAMPAIGN } from './campaign/levels.js';
import type { CampaignSource } from './campaign/types.js';
import { I18n } from './i18n/i18n.js';
import { defaultSettings } from './save/settings.js';
import type { Settings as PlayerSettings } from './save/settings.js';
import { openStorage } from './save/storage.js';
import { SaveStore } from './save/store.js';
import { Boot } from './scenes/Boot.js';
import { CampaignMap } from './scenes/CampaignMap.js';
import { Codex } from './scenes/Codex.js';
import { Play } from './scenes/Play.js';
import { Preloader } from './scenes/Preloader.js';
import { Settings } from './scenes/Settings.js';
import { Title } from './scenes/Title.js';
import type { GameServices } from './services.js';
import { sharedSimClient } from './play/sim-client.js';
import { acceptSharedSolution, reportLoadNotices } from './startup.js';
import { PALETTES, cssColour } from './style/palette.js';
import type { Palette } from './style/palette.js';
import { EventLog } from './ui/event-log.js';
import { KeyboardRouter } from './ui/keyboard.js';
import { Notices } from './ui/notices.js';
import { FrameGate, gateFrames } from './ui/frame-gate.js';
import { chooseRenderer } from './ui/renderer-choice.js';
import { UiLayer } from './ui/ui-layer.js';

export interface StartOptions {
  /** The campaign's levels (default: the built-in list; the integrator passes levels/ here). */
  readonly campaign?: CampaignSource;
}

function byId<T extends HTMLElement>(id: string, type: new () => T): T {
  const el = document.getElementById(id);
  if (!(el instanceof type)) throw new Error(`the page has no #${id}`);
  return el;
}

/** Writes the palette as CSS custom properties (--bg, --vmbus, --dev-storage…). */
function applyPalette(root: HTMLElement, palette: Palette): void {
  const { devices, id: _id, ...roles } = palette;
  for (const [role, colour] of Object.entries(roles)) {
    root.style.setProperty(
      `--${role.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
      cssColour(colour),
    );
  }
  for (const [deviceClass, colour] of Object.entries(devices)) {
    root.style.setProperty(`--dev-${deviceClass}`, cssColour(colour));
  }
  document
    .querySelector('meta[name="theme-color"]')
    ?.setAttribute('content', cssColour(palette.bg));
}

function download(fileName: string, text: string): void {
  // A solution is JSON; the PowerShell script (.ps1) is plain text.
  const type = fileName.endsWith('.json') ? 'application/json' : 'text/plain';
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => {
    URL.revokeObjectURL(url);
  }, 10_000);
}

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the game in `parent` (the stage element of game/index.html).
 *
 * @example
 * StartGame(document.getElementById('stage')!, { campaign: levelsFromJson });
 */
export function StartGame(parent: HTMLElement, options: StartOptions = {}): Phaser.Game {
  const app = byId('app', HTMLElement);
  const opened = openStorage(() => window.localStorage);
  const defaults = defaultSettings({
    languages: navigator.languages.length > 0 ? navigator.languages : [navigator.language],
    prefersReducedMotion: window.matchMedia('(prefers-reduced-motion: reduce)').matches,
  });
  const { store, notices: loadNotices } = SaveStore.open({
    storage: opened.storage,
    persistent: opened.persistent,
    defaults,
    now: () => new Date(),
  });
  const i18n = new I18n(store.settings.language);
  const log = new EventLog(
    {
      app,
      list: byId('log', HTMLElement),
      heading: byId('log-heading', HTMLElement),
      toggle: byId('log-toggle', HTMLButtonElement),
      summary: byId('log-summary', HTMLElement),
    },
    i18n,
  );
  const notices = new Notices(byId('notices', HTMLElement), i18n, log);
  const ui = new UiLayer({ design: byId('ui', HTMLElement) });
  const sound = new SoundBoard(store.settings);
  const frames = new FrameGate();
  const services: GameServices = {
    i18n,
    store,
    sound,
    log,
    notices,
    ui,
    campaign: options.campaign ?? BUILT_IN_CAMPAIGN,
    palette: () => PALETTES[store.settings.palette],
    reducedMotion: () => store.settings.reducedMotion,
    frames,
    fitOverlay: (fit) => {
      ui.fit(fit);
    },
    download,
    copy,
    baseUrl: () => window.location.href.split('#')[0] ?? '',
  };

  // Settings → the page. Runs now and on every change.
  let applied: PlayerSettings | undefined;
  const applySettings = (settings: PlayerSettings): void => {
    document.documentElement.lang = settings.language;
    app.dataset.palette = settings.palette;
    app.dataset.motion = settings.reducedMotion ? 'reduced' : 'full';
    applyPalette(document.documentElement, PALETTES[settings.palette]);
    sound.apply(settings);
    log.setOpen(settings.logOpen);
    if (applied && applied.language !== settings.language) {
      i18n.setLanguage(settings.language);
      log.relabel();
      // Said once, in the language chosen: a later switch must not rename the one chosen here.
      log.narrate(i18n.t('log.language'));
    }
    applied = settings;
  };
  applySettings(store.settings);
  store.onChange((save) => {
    applySettings(save.settings);
  });
  store.onProblem((reason) => {
    notices.show({ kind: 'error', text: i18n.t('notice.storageFull', { reason }) });
  });

  new KeyboardRouter(ui, {
    toggleMute: () => {
      const muted = !store.settings.muted;
      store.updateSettings({ muted });
      log.narrate(() => i18n.t(muted ? 'notice.muted' : 'notice.unmuted'));
      sound.play('click');
    },
    dismissNotice: () => notices.dismissNewest(),
  }).attach(document);
  // Every activated button ticks (one place for all of them; keyboard activation clicks too).
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (button && button.getAttribute('aria-disabled') !== 'true') sound.play('click');
  });

  const renderer = chooseRenderer(window.location.search);
  document.body.dataset.renderer = renderer;
  const game = new Phaser.Game({
    type: renderer === 'canvas' ? Phaser.CANVAS : Phaser.AUTO,
    parent,
    backgroundColor: cssColour(services.palette().bg),
    scale: { mode: Phaser.Scale.RESIZE, parent, width: '100%', height: '100%' },
    audio: { noAudio: true },
    banner: false,
    input: { keyboard: false, gamepad: false },
    render: { antialias: true },
    // Before the loop starts: frames render only when the gate says so (the Play scene's build).
    callbacks: {
      postBoot: (booted) => {
        gateFrames(booted, frames);
      },
    },
    scene: [
      new Boot(services, () => {
        document.getElementById('splash')?.remove();
        log.narrate(() => i18n.t('log.welcome'));
        reportLoadNotices(loadNotices, services);
        void acceptSharedSolution(services, window.location, window.history, (id, data, source) =>
          sharedSimClient().check(id, { json: data }, source),
        );
      }),
      new Preloader(services),
      new Title(services),
      new CampaignMap(services),
      new Codex(services),
      new Settings(services),
      new Play(services),
    ],
  });
  log.onToggle((open) => {
    store.updateSettings({ logOpen: open });
    // The stage changed size with the panel: let Phaser measure it now, not at its next poll.
    // (refresh() alone would reuse the stale parent size: measure first.)
    requestAnimationFrame(() => {
      if (game.scale.getParentBounds()) game.scale.refresh();
    });
  });
  return game;
}
