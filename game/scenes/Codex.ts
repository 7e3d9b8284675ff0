/**
 * Codex: every glossary term of the seed article and every mechanic of the game, in the player's
 * language, each with its sources and what the game simplifies. A searchable list on the left
 * (selection follows focus), the entry on the right.
 */
import Phaser from 'phaser';
import { CODEX, SOURCE_NAMES, codexEntry, searchCodex } from '../codex/index.js';
import type { CodexEntry } from '../codex/index.js';
import type { GameServices } from '../services.js';
import { h, replace } from '../ui/dom.js';
import { backButton, conceptChips, screenHeader } from '../ui/widgets.js';
import { hostScreen, navigate } from './host.js';
import { SceneKey } from './keys.js';
import type { CodexData, ReturnTo } from './keys.js';

export class Codex extends Phaser.Scene {
  private article!: HTMLElement;
  private list!: HTMLElement;
  private count!: HTMLElement;
  private selected = '';
  private query = '';

  constructor(private readonly services: GameServices) {
    super(SceneKey.Codex);
  }

  create(data: CodexData = {}): void {
    const s = this.services;
    this.selected = data.entryId && codexEntry(data.entryId) ? data.entryId : (CODEX[0]?.id ?? '');
    this.query = '';
    const returnTo: ReturnTo = data.returnTo ?? {
      key: SceneKey.Title,
      data: { focus: 'menu-codex' },
    };
    const back = (): void => {
      navigate(this, s, returnTo.key, returnTo.data ?? {});
    };
    hostScreen(this, s, {
      key: SceneKey.Codex,
      data: { ...data, focus: data.focus ?? `entry-${this.selected}` },
      screen: () => ({ root: this.buildScreen(back), back }),
    });
  }

  private buildScreen(back: () => void): HTMLElement {
    const { i18n } = this.services;
    this.list = h('div', { className: 'codex-list-inner' });
    this.article = h('article', {
      className: 'codex-article',
      attrs: {
        tabindex: 0,
        'data-arrows': 'native',
        'aria-live': 'off',
        'aria-labelledby': 'codex-term',
      },
    });
    this.count = h('span', { className: 'codex-count', attrs: { 'aria-live': 'polite' } });
    const search = h('input', {
      id: 'codex-search',
      className: 'search-input',
      attrs: {
        type: 'search',
        'aria-label': i18n.t('codex.search'),
        placeholder: i18n.t('codex.search'),
        autocomplete: 'off',
      },
      on: {
        input: () => {
          this.query = search.value;
          this.renderList();
        },
      },
    });
    const root = h(
      'section',
      { className: 'codex-screen', attrs: { 'aria-labelledby': 'codex-heading' } },
      h(
        'div',
        { place: { x: 28, y: 24, width: 968 } },
        screenHeader({
          id: 'codex-heading',
          title: i18n.t('codex.heading'),
          back: backButton(i18n.t('nav.back'), back),
          trailing: h('div', { className: 'codex-search' }, search, this.count),
        }),
      ),
      h(
        'nav',
        {
          className: 'panel codex-list',
          attrs: { 'aria-label': i18n.t('codex.heading') },
          place: { x: 28, y: 104, width: 316, height: 584 },
        },
        this.list,
      ),
      h(
        'div',
        { className: 'panel codex-reader', place: { x: 360, y: 104, width: 636, height: 584 } },
        this.article,
      ),
    );
    this.renderList();
    this.renderArticle();
    return root;
  }

  private renderList(): void {
    const { i18n } = this.services;
    const found = new Set(searchCodex(this.query, i18n.language).map((e) => e.id));
    const group = (kind: CodexEntry['kind'], title: string) => {
      const entries = CODEX.filter((e) => e.kind === kind && found.has(e.id));
      if (entries.length === 0) return null;
      return h(
        'div',
        { className: 'codex-group' },
        h('h2', { className: 'codex-group-title' }, title),
        h('ul', {}, ...entries.map((e) => h('li', {}, this.entryButton(e)))),
      );
    };
    const groups = [
      group('glossary', i18n.t('codex.glossary')),
      group('mechanic', i18n.t('codex.mechanics')),
    ];
    replace(
      this.list,
      ...groups,
      found.size === 0
        ? h(
            'p',
            { className: 'muted codex-empty' },
            i18n.t('codex.noResults', { query: this.query }),
          )
        : null,
    );
    this.count.textContent = i18n.t('codex.count', { count: found.size });
  }

  private entryButton(entry: CodexEntry): HTMLButtonElement {
    const { i18n } = this.services;
    return h(
      'button',
      {
        id: `entry-${entry.id}`,
        className: 'codex-entry',
        attrs: { type: 'button', 'aria-current': entry.id === this.selected ? 'true' : undefined },
        on: {
          focus: () => {
            this.select(entry.id);
          },
          click: () => {
            this.select(entry.id);
            this.article.focus();
          },
        },
      },
      h('span', { className: 'codex-entry-term' }, i18n.pick(entry.term)),
      entry.expansion &&
        h('span', { className: 'codex-entry-expansion' }, i18n.pick(entry.expansion)),
    );
  }

  private select(id: string): void {
    if (id === this.selected) return;
    this.selected = id;
    for (const el of this.list.querySelectorAll('[aria-current]'))
      el.removeAttribute('aria-current');
    document.getElementById(`entry-${id}`)?.setAttribute('aria-current', 'true');
    this.renderArticle();
  }

  private renderArticle(): void {
    const { i18n } = this.services;
    const entry = codexEntry(this.selected);
    if (!entry) {
      this.article.replaceChildren();
      return;
    }
    const paragraphs = i18n.pick(entry.body).split('\n\n');
    replace(
      this.article,
      h(
        'p',
        { className: 'eyebrow' },
        entry.kind === 'glossary' ? i18n.t('codex.glossary') : i18n.t('codex.mechanics'),
      ),
      h('h2', { id: 'codex-term', className: 'codex-term' }, i18n.pick(entry.term)),
      entry.expansion && h('p', { className: 'codex-expansion' }, i18n.pick(entry.expansion)),
      h('p', { className: 'codex-summary' }, i18n.pick(entry.summary)),
      ...paragraphs.map((text) => h('p', {}, text)),
      h(
        'div',
        { className: 'callout callout-game' },
        h(
          'h3',
          {},
          h('span', { className: 'callout-icon', attrs: { 'aria-hidden': 'true' } }, '▸'),
          i18n.t('codex.inGame'),
        ),
        h('p', {}, i18n.pick(entry.inGame)),
      ),
      h(
        'div',
        { className: `callout ${entry.simplification ? 'callout-simplified' : 'callout-exact'}` },
        h(
          'h3',
          {},
          h(
            'span',
            { className: 'callout-icon', attrs: { 'aria-hidden': 'true' } },
            entry.simplification ? '≈' : '=',
          ),
          i18n.t('codex.simplified'),
        ),
        h('p', {}, entry.simplification ? i18n.pick(entry.simplification) : i18n.t('codex.exact')),
      ),
      h('h3', {}, i18n.t('codex.sources')),
      h(
        'ul',
        { className: 'source-list' },
        ...entry.sources.map((source) =>
          h(
            'li',
            {},
            h('span', { className: 'source-key' }, source.key),
            h('span', { className: 'source-name' }, i18n.pick(SOURCE_NAMES[source.key])),
            h('span', { className: 'source-ref' }, source.ref),
          ),
        ),
      ),
      entry.related.length > 0 && h('h3', {}, i18n.t('codex.related')),
      entry.related.length > 0 &&
        conceptChips(
          entry.related,
          (id) => {
            const other = codexEntry(id);
            return other ? i18n.pick(other.term) : id;
          },
          (id) => {
            this.query = '';
            const search = document.getElementById('codex-search');
            if (search instanceof HTMLInputElement) search.value = '';
            this.renderList();
            this.select(id);
            document.getElementById(`entry-${id}`)?.focus();
            this.article.scrollTop = 0;
          },
        ),
    );
    this.article.scrollTop = 0;
  }
}
