/**
 * Title: continue, campaign, codex, settings, and the language switch, beside a drawing of the
 * machine the game is about.
 */
import Phaser from 'phaser';
import { drawMachine } from '../art/machine.js';
import { maxStars, nextLevel, totalStars } from '../campaign/progress.js';
import { LANGUAGES, LANGUAGE_NAMES } from '../i18n/i18n.js';
import type { GameServices } from '../services.js';
import { h } from '../ui/dom.js';
import { choiceGroup, menuItem } from '../ui/widgets.js';
import { hostScreen, navigate } from './host.js';
import { SceneKey } from './keys.js';
import type { TitleData } from './keys.js';

export class Title extends Phaser.Scene {
  constructor(private readonly services: GameServices) {
    super(SceneKey.Title);
  }

  create(data: TitleData = {}): void {
    const s = this.services;
    hostScreen(this, s, {
      key: SceneKey.Title,
      data,
      glow: { x: 730, y: 350, scale: 3.4, alpha: 0.3 },
      art: (palette) => {
        drawMachine(this, {
          palette,
          i18n: s.i18n,
          reducedMotion: s.reducedMotion(),
          x: 480,
          y: 72,
        });
      },
      screen: () => ({ root: this.buildScreen() }),
    });
  }

  private buildScreen(): HTMLElement {
    const { i18n, store, campaign } = this.services;
    const levels = campaign.levels();
    const next = nextLevel(levels, store.starsOf);
    const started =
      Object.keys(store.save.progress).length > 0 || store.save.lastLevelId !== undefined;
    const go =
      (key: SceneKey, data: object = {}) =>
      () => {
        navigate(this, this.services, key, data);
      };
    return h(
      'section',
      { className: 'title-screen', attrs: { 'aria-labelledby': 'title-heading' } },
      h(
        'div',
        { className: 'brand', place: { x: 56, y: 64, width: 400 } },
        h('p', { className: 'eyebrow' }, 'Hyper-V · Windows Server'),
        h('h1', { id: 'title-heading', className: 'logo' }, i18n.t('app.title')),
        h('p', { className: 'tagline' }, i18n.t('app.tagline')),
        h('p', { className: 'subtitle' }, i18n.t('app.subtitle')),
      ),
      h(
        'nav',
        {
          className: 'main-menu',
          attrs: { 'aria-label': i18n.t('title.menu') },
          place: { x: 56, y: 292, width: 380 },
        },
        next &&
          menuItem({
            id: 'menu-continue',
            label: started ? i18n.t('title.continue') : i18n.t('title.start'),
            hint: i18n.t('title.continueHint', {
              number: next.number,
              title: i18n.pick(next.title),
            }),
            onActivate: () => {
              store.setLastLevel(next.id);
              go(SceneKey.Play, { levelId: next.id })();
            },
          }),
        menuItem({
          id: 'menu-campaign',
          label: i18n.t('title.campaign'),
          hint: i18n.t('title.campaignHint', {
            stars: totalStars(levels, store.starsOf),
            max: maxStars(levels),
          }),
          onActivate: go(SceneKey.CampaignMap),
        }),
        menuItem({
          id: 'menu-codex',
          label: i18n.t('title.codex'),
          hint: i18n.t('title.codexHint'),
          onActivate: go(SceneKey.Codex, {
            returnTo: { key: SceneKey.Title, data: { focus: 'menu-codex' } },
          }),
        }),
        menuItem({
          id: 'menu-settings',
          label: i18n.t('title.settings'),
          hint: i18n.t('title.settingsHint'),
          onActivate: go(SceneKey.Settings, {
            returnTo: { key: SceneKey.Title, data: { focus: 'menu-settings' } },
          }),
        }),
      ),
      h(
        'div',
        { className: 'title-language', place: { x: 56, y: 604, width: 420 } },
        choiceGroup({
          idPrefix: 'title-lang',
          label: i18n.t('title.language'),
          value: i18n.language,
          choices: LANGUAGES.map((lang) => ({ value: lang, label: LANGUAGE_NAMES[lang], lang })),
          onChoose: (language) => {
            store.updateSettings({ language });
          },
        }),
      ),
      h(
        'p',
        { className: 'keys-hint', place: { x: 56, y: 666, width: 420 } },
        i18n.t('title.keys'),
      ),
    );
  }
}
