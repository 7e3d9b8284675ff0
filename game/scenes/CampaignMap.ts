/**
 * Campaign map: the twelve levels on a circuit board, the stars earned, and — for the selected
 * level — what it teaches, what unlocks it, what it opens next, best scores and saved solutions
 * (with share links). Selection follows focus; Enter plays an open level.
 */
import Phaser from 'phaser';
import { formatScore } from '../../levels/metric-text.js';
import { drawBoard } from '../art/board.js';
import { nodePlacement } from '../campaign/board-layout.js';
import { levelState, maxStars, opensNext, totalStars, unlockStatus } from '../campaign/progress.js';
import type { ConditionStatus } from '../campaign/progress.js';
import type { CampaignLevel } from '../campaign/types.js';
import { codexEntry } from '../codex/index.js';
import { SCORE_KINDS } from '../save/format.js';
import type { SavedSolution } from '../save/format.js';
import { encodeShare, SHARE_PARAM } from '../save/share.js';
import type { GameServices } from '../services.js';
import { h, replace } from '../ui/dom.js';
import { backButton, conceptChips, lockIcon, screenHeader, starRow } from '../ui/widgets.js';
import { hostScreen, navigate } from './host.js';
import { SceneKey } from './keys.js';
import type { CampaignMapData } from './keys.js';

const two = (n: number): string => String(n).padStart(2, '0');

export class CampaignMap extends Phaser.Scene {
  private detail!: HTMLElement;
  private actions!: HTMLElement;
  private selected = '';

  constructor(private readonly services: GameServices) {
    super(SceneKey.CampaignMap);
  }

  create(data: CampaignMapData = {}): void {
    const s = this.services;
    const levels = s.campaign.levels();
    this.selected =
      data.levelId ??
      levels.find((l) => levelState(l, levels, s.store.starsOf) === 'open')?.id ??
      levels.at(0)?.id ??
      '';
    hostScreen(this, s, {
      key: SceneKey.CampaignMap,
      data: { ...data, focus: data.focus ?? `level-${this.selected}` },
      art: (palette) => {
        drawBoard(this, {
          palette,
          states: levels.map((l) => levelState(l, levels, s.store.starsOf)),
          reducedMotion: s.reducedMotion(),
          caption: s.i18n.t('campaign.boardCaption'),
        });
      },
      screen: () => ({
        root: this.buildScreen(levels),
        back: () => {
          navigate(this, s, SceneKey.Title, { focus: 'menu-campaign' });
        },
      }),
    });
  }

  private buildScreen(levels: readonly CampaignLevel[]): HTMLElement {
    const { i18n, store } = this.services;
    const stars = totalStars(levels, store.starsOf);
    const max = maxStars(levels);
    this.detail = h('div', { className: 'detail-scroll' });
    this.actions = h('div', { className: 'detail-actions' });
    const nodes = levels.map((level, i) => this.levelNode(level, i, levels));
    const root = h(
      'section',
      { className: 'campaign-screen', attrs: { 'aria-labelledby': 'campaign-heading' } },
      h(
        'div',
        { place: { x: 28, y: 24, width: 968 } },
        screenHeader({
          id: 'campaign-heading',
          title: i18n.t('campaign.heading'),
          back: backButton(i18n.t('nav.back'), () => {
            navigate(this, this.services, SceneKey.Title, { focus: 'menu-campaign' });
          }),
          trailing: h(
            'p',
            { className: 'header-stat' },
            h(
              'span',
              { attrs: { 'aria-hidden': 'true' } },
              i18n.t('campaign.total', { stars, max }),
            ),
            h('span', { className: 'sr-only' }, i18n.t('campaign.totalLong', { stars, max })),
          ),
        }),
      ),
      h('h2', { className: 'sr-only' }, i18n.t('campaign.levels')),
      h('ol', { className: 'level-list' }, ...nodes),
      h(
        'aside',
        { className: 'panel detail-panel', place: { x: 680, y: 104, width: 316, height: 584 } },
        this.detail,
        this.actions,
      ),
    );
    this.renderDetail(levels);
    return root;
  }

  private levelNode(
    level: CampaignLevel,
    index: number,
    levels: readonly CampaignLevel[],
  ): HTMLLIElement {
    const { i18n, store } = this.services;
    const state = levelState(level, levels, store.starsOf);
    const place = nodePlacement(index);
    const stars = store.starsOf(level.id);
    const status =
      state === 'locked'
        ? h('span', { className: 'node-status node-locked' }, lockIcon(), i18n.t('campaign.locked'))
        : starRow(stars, i18n.t('campaign.stars', { stars }));
    const button = h(
      'button',
      {
        id: `level-${level.id}`,
        className: `level-node state-${state}`,
        attrs: {
          type: 'button',
          'aria-current': level.id === this.selected ? 'true' : undefined,
          'aria-disabled': state === 'locked' ? 'true' : undefined,
        },
        place: { x: place.x, y: place.y, width: place.width, height: place.height },
        on: {
          focus: () => {
            this.select(level.id, levels);
          },
          // Real pointer movement only: Chrome sends mouseover when a screen appears under a
          // resting pointer, which would steal the selection from keyboard focus.
          pointermove: (event) => {
            if (event.movementX !== 0 || event.movementY !== 0) this.select(level.id, levels);
          },
          click: () => {
            this.play(level, levels);
          },
        },
      },
      h('span', { className: 'node-number', attrs: { 'aria-hidden': 'true' } }, two(level.number)),
      h(
        'span',
        { className: 'sr-only' },
        `${i18n.t('campaign.level', { number: level.number })}: `,
      ),
      h('span', { className: 'node-title' }, i18n.pick(level.title)),
      status,
    );
    return h('li', {}, button);
  }

  private select(levelId: string, levels: readonly CampaignLevel[]): void {
    if (levelId === this.selected) return;
    this.selected = levelId;
    for (const el of document.querySelectorAll('.level-node[aria-current]'))
      el.removeAttribute('aria-current');
    document.getElementById(`level-${levelId}`)?.setAttribute('aria-current', 'true');
    this.renderDetail(levels);
  }

  /** Opens the level (with one of its saved solutions on the board, when `solutionId` names one). */
  private play(level: CampaignLevel, levels: readonly CampaignLevel[], solutionId?: string): void {
    const { i18n, store, log } = this.services;
    if (levelState(level, levels, store.starsOf) === 'locked') {
      const reasons = unlockStatus(level, levels, store.starsOf)
        .filter((c) => !c.met)
        .map((c) => this.conditionText(c, levels));
      log.narrate(() => i18n.t('campaign.lockedReason', { reason: reasons.join('; ') }), {
        kind: 'warning',
      });
      return;
    }
    store.setLastLevel(level.id);
    navigate(this, this.services, SceneKey.Play, {
      levelId: level.id,
      ...(solutionId === undefined ? {} : { solutionId }),
    });
  }

  private conditionText(status: ConditionStatus, levels: readonly CampaignLevel[]): string {
    const { i18n } = this.services;
    const c = status.condition;
    switch (c.kind) {
      case 'start':
        return i18n.t('campaign.unlock.start');
      case 'totalStars':
        return i18n.t('campaign.unlock.total', { stars: c.min });
      case 'after': {
        const other = levels.find((l) => l.id === c.level);
        const params = {
          number: other?.number ?? '?',
          title: other ? i18n.pick(other.title) : c.level,
          stars: c.minStars,
        };
        return c.minStars > 1
          ? i18n.t('campaign.unlock.afterStars', params)
          : i18n.t('campaign.unlock.after', params);
      }
    }
  }

  private renderDetail(levels: readonly CampaignLevel[]): void {
    const { i18n, store } = this.services;
    const level = levels.find((l) => l.id === this.selected);
    if (!level) {
      this.detail.replaceChildren();
      this.actions.replaceChildren();
      return;
    }
    const state = levelState(level, levels, store.starsOf);
    const progress = store.progressOf(level.id);
    const next = opensNext(level, levels);
    const scores = SCORE_KINDS.filter((k) => progress.best[k] !== undefined);
    const stateText = {
      locked: i18n.t('campaign.locked'),
      open: i18n.t('campaign.available'),
      completed: i18n.t('campaign.completed'),
    }[state];
    const keepFocus = document.activeElement?.id === 'detail-play';
    const playButton = h(
      'button',
      {
        id: 'detail-play',
        className: 'primary-button',
        attrs: { type: 'button', 'aria-disabled': state === 'locked' ? 'true' : undefined },
        on: {
          click: () => {
            this.play(level, levels);
          },
        },
      },
      state === 'locked' ? lockIcon() : h('span', { attrs: { 'aria-hidden': 'true' } }, '▶'),
      ` ${i18n.t('campaign.play')} · ${i18n.t('campaign.level', { number: level.number })}`,
    );
    replace(
      this.detail,
      h(
        'p',
        { className: 'eyebrow detail-eyebrow' },
        `${i18n.t('campaign.level', { number: level.number })} · `,
        h('span', { className: `state-badge state-${state}` }, stateText),
      ),
      h('h2', { className: 'detail-title' }, i18n.pick(level.title)),
      starRow(progress.stars, i18n.t('campaign.stars', { stars: progress.stars })),
      h('p', { className: 'detail-brief' }, i18n.pick(level.brief)),
      h('h3', {}, i18n.t('campaign.concepts')),
      conceptChips(
        level.concepts,
        (id) => {
          const entry = codexEntry(id);
          return entry ? i18n.pick(entry.term) : id;
        },
        (id) => {
          navigate(this, this.services, SceneKey.Codex, {
            entryId: id,
            returnTo: {
              key: SceneKey.CampaignMap,
              data: { levelId: level.id, focus: `level-${level.id}` },
            },
          });
        },
      ),
      h('h3', {}, i18n.t('campaign.unlocks')),
      h(
        'ul',
        { className: 'condition-list' },
        ...unlockStatus(level, levels, store.starsOf).map((c) =>
          h(
            'li',
            { className: c.met ? 'met' : 'unmet' },
            h(
              'span',
              { className: 'condition-mark', attrs: { 'aria-hidden': 'true' } },
              c.met ? '✓' : '○',
            ),
            h('span', {}, this.conditionText(c, levels)),
            h(
              'span',
              { className: 'sr-only' },
              ` (${i18n.t(c.met ? 'campaign.unlock.met' : 'campaign.unlock.unmet')})`,
            ),
          ),
        ),
      ),
      h('h3', {}, i18n.t('campaign.opensNext')),
      h(
        'p',
        { className: 'detail-next' },
        next.length > 0
          ? next
              .map(
                (n) => `${i18n.t('campaign.level', { number: n.number })} · ${i18n.pick(n.title)}`,
              )
              .join(', ')
          : i18n.t('campaign.opensNothing'),
      ),
      h('h3', {}, i18n.t('campaign.best')),
      scores.length === 0
        ? h('p', { className: 'muted' }, i18n.t('campaign.noScores'))
        : h(
            'dl',
            { className: 'score-list' },
            ...scores.flatMap((k) => [
              h('dt', {}, i18n.t(`campaign.score.${k}`)),
              h('dd', {}, formatScore(k, progress.best[k] ?? Number.NaN, i18n.language)),
            ]),
          ),
      h('h3', {}, i18n.t('campaign.solutions')),
      progress.solutions.length === 0
        ? h('p', { className: 'muted' }, i18n.t('campaign.noSolutions'))
        : h(
            'ul',
            { className: 'solution-list' },
            ...progress.solutions.map((sol) => this.solutionItem(level, levels, sol)),
          ),
    );
    this.detail.scrollTop = 0;
    this.actions.replaceChildren(playButton);
    if (keepFocus) playButton.focus();
  }

  private solutionItem(
    level: CampaignLevel,
    levels: readonly CampaignLevel[],
    solution: SavedSolution,
  ): HTMLLIElement {
    const { i18n } = this.services;
    const output = h('input', {
      className: 'share-output',
      attrs: {
        type: 'text',
        readonly: true,
        'aria-label': i18n.t('campaign.shareLabel', { name: solution.name }),
        hidden: true,
      },
    });
    const share = async (): Promise<void> => {
      const value = await encodeShare({
        levelId: level.id,
        name: solution.name,
        data: solution.data,
      });
      const url = `${this.services.baseUrl()}#${SHARE_PARAM}=${value}`;
      output.value = url;
      output.hidden = false;
      output.select();
      const copied = await this.services.copy(url);
      this.services.log.narrate(
        () =>
          i18n.t(copied ? 'campaign.shareCopied' : 'campaign.shareShown', { name: solution.name }),
        { kind: 'success' },
      );
    };
    return h(
      'li',
      { className: 'solution' },
      h('span', { className: 'solution-name' }, solution.name),
      h('span', { className: 'solution-origin' }, i18n.t(`campaign.origin.${solution.origin}`)),
      h(
        'span',
        { className: 'solution-actions' },
        h(
          'button',
          {
            className: 'small-button',
            attrs: {
              type: 'button',
              'aria-label': i18n.t('campaign.openLabel', { name: solution.name }),
            },
            on: {
              click: () => {
                this.play(level, levels, solution.id);
              },
            },
          },
          i18n.t('campaign.open'),
        ),
        h(
          'button',
          {
            className: 'small-button',
            attrs: {
              type: 'button',
              'aria-label': i18n.t('campaign.shareLabel', { name: solution.name }),
            },
            on: {
              click: () => {
                void share();
              },
            },
          },
          i18n.t('campaign.share'),
        ),
      ),
      output,
    );
  }
}
