/**
 * Play (stub). The integrator replaces the body of this scene with the real level: build the
 * simulation from the level and the player's solution, run it with a FixedStepLoop
 * (play/loop.ts) that calls `sim.advance(step)`, draw by reading `sim` only, feed
 * `sim.on(line => services.log.narrate(...))` to the event log, and on the end start
 * `SceneKey.Results` with {@link ResultsSceneData} after `store.recordRun(...)`.
 * Until then it says what the level will ask and links to the codex.
 */
import Phaser from 'phaser';
import { drawMachine } from '../art/machine.js';
import { codexEntry } from '../codex/index.js';
import type { GameServices } from '../services.js';
import { h } from '../ui/dom.js';
import { backButton, screenHeader } from '../ui/widgets.js';
import { hostScreen, navigate } from './host.js';
import { SceneKey } from './keys.js';
import type { PlaySceneData } from './keys.js';

export class Play extends Phaser.Scene {
  constructor(private readonly services: GameServices) {
    super(SceneKey.Play);
  }

  create(data: PlaySceneData): void {
    const s = this.services;
    const level =
      s.campaign.levels().find((l) => l.id === data.levelId) ?? s.campaign.levels().at(0);
    if (!level) {
      navigate(this, s, SceneKey.CampaignMap);
      return;
    }
    const back = (): void => {
      navigate(this, s, SceneKey.CampaignMap, { levelId: level.id, focus: `level-${level.id}` });
    };
    const { i18n } = s;
    hostScreen(this, s, {
      key: SceneKey.Play,
      data,
      title: i18n.t('play.heading', { number: level.number, title: i18n.pick(level.title) }),
      glow: { x: 730, y: 350, scale: 3.4, alpha: 0.2 },
      art: (palette) => {
        drawMachine(this, { palette, i18n, reducedMotion: s.reducedMotion(), x: 480, y: 100 });
      },
      screen: () => ({
        back,
        root: h(
          'section',
          { className: 'play-screen', attrs: { 'aria-labelledby': 'play-heading' } },
          h(
            'div',
            { place: { x: 28, y: 24, width: 968 } },
            screenHeader({
              id: 'play-heading',
              title: i18n.t('play.heading', {
                number: level.number,
                title: i18n.pick(level.title),
              }),
              back: backButton(i18n.t('nav.back'), back),
            }),
          ),
          h(
            'div',
            { className: 'panel play-card', place: { x: 28, y: 104, width: 420, height: 584 } },
            h('p', { className: 'eyebrow' }, i18n.t('play.brief')),
            h('p', { className: 'detail-brief lead' }, i18n.pick(level.brief)),
            h('h2', { className: 'card-heading' }, i18n.t('campaign.concepts')),
            h(
              'ul',
              { className: 'concept-list' },
              ...level.concepts.map((id) =>
                h(
                  'li',
                  {},
                  h(
                    'button',
                    {
                      className: 'concept-chip',
                      attrs: { type: 'button' },
                      on: {
                        click: () => {
                          navigate(this, s, SceneKey.Codex, {
                            entryId: id,
                            returnTo: { key: SceneKey.Play, data: { levelId: level.id } },
                          });
                        },
                      },
                    },
                    (() => {
                      const entry = codexEntry(id);
                      return entry ? i18n.pick(entry.term) : id;
                    })(),
                  ),
                ),
              ),
            ),
            h(
              'div',
              { className: 'coming', attrs: { role: 'note' } },
              h('h2', { className: 'card-heading' }, i18n.t('play.coming')),
              h('p', {}, i18n.t('play.comingDetail')),
            ),
            h(
              'div',
              { className: 'detail-actions' },
              h(
                'button',
                {
                  id: 'play-back',
                  className: 'secondary-button',
                  attrs: { type: 'button' },
                  on: { click: back },
                },
                h('span', { attrs: { 'aria-hidden': 'true' } }, '← '),
                i18n.t('play.backToMap'),
              ),
            ),
          ),
        ),
      }),
    });
  }
}
