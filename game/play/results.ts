/**
 * The results panel: stars, every score against the level's star thresholds, each objective met or
 * not with its diagnosis in the current language, the player's previous best, and the run's JSON
 * exactly as `hyperkata run --json` prints it.
 */
import { formatScore, objectiveOutcome, opSymbol } from '../../levels/metric-text.js';
import type { Level, LevelResult, RunJson } from '../../levels/index.js';
import type { I18n } from '../i18n/i18n.js';
import { HIGHER_IS_BETTER, SCORE_KINDS } from '../save/format.js';
import type { ScoreKind } from '../save/format.js';
import { h } from '../ui/dom.js';
import { scrollableText, starRow } from '../ui/widgets.js';

export interface ResultsOptions {
  readonly level: Level;
  readonly result: LevelResult;
  readonly json: RunJson;
  readonly previousBest: Readonly<Partial<Record<string, number>>>;
  readonly previousStars: number;
  readonly i18n: I18n;
  readonly onAgain: () => void;
  readonly onNext: (() => void) | null;
  readonly onMap: () => void;
}

export function resultsPanel(o: ResultsOptions): HTMLElement {
  const { i18n, result, level } = o;
  const lang = i18n.language;
  const thresholds = (score: ScoreKind): string => {
    const parts: string[] = [];
    for (const [stars, list] of [
      ['★★', level.stars.two],
      ['★★★', level.stars.three],
    ] as const) {
      for (const t of list)
        if (t.score === score)
          parts.push(`${stars} ${opSymbol(t.op)} ${formatScore(score, t.value, lang)}`);
    }
    return parts.join(' · ') || '—';
  };
  const rows = SCORE_KINDS.map((kind) => {
    const value = result.scores[kind];
    const best = o.previousBest[kind];
    // A run that missed an objective (0 stars) beats no best: the store does not keep its scores.
    const better =
      result.stars > 0 &&
      (best === undefined || (HIGHER_IS_BETTER[kind] ? value > best : value < best));
    return h(
      'tr',
      { id: `score-${kind}` },
      h('th', { attrs: { scope: 'row' } }, i18n.t(`campaign.score.${kind}`)),
      h(
        'td',
        { className: 'score-value', attrs: { 'data-value': value } },
        formatScore(kind, value, lang),
      ),
      h('td', {}, thresholds(kind)),
      h(
        'td',
        {},
        best === undefined ? i18n.t('play.noBest') : formatScore(kind, best, lang),
        better && best !== undefined ? ` · ${i18n.t('play.newBest')}` : '',
      ),
    );
  });
  const objectives = result.objectives.map((ob) =>
    h(
      'li',
      { className: `objective ${ob.met ? 'met' : 'unmet'}`, id: `result-${ob.id}` },
      h(
        'span',
        { className: 'objective-mark', attrs: { 'aria-hidden': 'true' } },
        ob.met ? '✓' : '✗',
      ),
      h('span', {}, i18n.pick(ob.label)),
      // The measure as a player reads it: "p99 latency 37.2 ms — needed ≤ 33 ms".
      h('span', { className: 'objective-value' }, objectiveOutcome(ob, lang)),
      // The run is over: a missed objective was not met, not "not met yet".
      h(
        'span',
        { className: 'sr-only' },
        ` (${i18n.t(ob.met ? 'play.objective.met' : 'play.objective.missed')})`,
      ),
      ob.diagnosis &&
        h(
          'p',
          { className: 'diagnosis' },
          h('strong', {}, `${i18n.t('play.why')}: `),
          i18n.pick({ en: ob.diagnosis.en, 'pt-BR': ob.diagnosis['pt-BR'] }),
        ),
    ),
  );
  return h(
    'section',
    {
      id: 'play-results',
      className: 'panel play-results',
      attrs: {
        role: 'dialog',
        'aria-modal': 'false',
        'aria-labelledby': 'results-heading',
        // Read when focus enters the panel: "Results, dialog — 3 of 3 stars".
        'aria-describedby': 'result-stars-text',
        'data-stars': result.stars,
      },
      place: { x: 262, y: 84, width: 506, height: 600 },
    },
    h('h2', { id: 'results-heading', className: 'screen-title' }, i18n.t('play.results')),
    h(
      'p',
      { className: 'results-stars', id: 'result-stars' },
      starRow(result.stars, i18n.t('play.resultStars', { stars: result.stars })),
      h(
        'span',
        { className: 'muted', id: 'result-stars-text' },
        ` ${i18n.t('play.resultStars', { stars: result.stars })}`,
      ),
    ),
    h(
      'table',
      { className: 'score-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { attrs: { scope: 'col' } }, i18n.t('play.score')),
          // Named for a screen reader (an empty header is read as nothing); the column shows it.
          h(
            'th',
            { attrs: { scope: 'col' } },
            h('span', { className: 'sr-only' }, i18n.t('play.thisRun')),
          ),
          h('th', { attrs: { scope: 'col' } }, i18n.t('play.target')),
          h(
            'th',
            { attrs: { scope: 'col' } },
            // The stars of the best run so far; a first run has none to show.
            SCORE_KINDS.some((k) => o.previousBest[k] !== undefined)
              ? `${i18n.t('play.best')} (${'★'.repeat(o.previousStars) || '☆'})`
              : i18n.t('play.best'),
          ),
        ),
      ),
      h('tbody', {}, ...rows),
    ),
    h('p', { className: 'score-note', id: 'score-note' }, i18n.t('play.costHelp')),
    h('h3', { className: 'card-heading' }, i18n.t('play.objectives')),
    h('ul', { className: 'objective-list' }, ...objectives),
    h(
      'div',
      { className: 'detail-actions' },
      h(
        'button',
        {
          id: 'results-again',
          className: 'secondary-button',
          attrs: { type: 'button' },
          on: { click: o.onAgain },
        },
        i18n.t('play.again'),
      ),
      o.onNext &&
        h(
          'button',
          {
            id: 'results-next',
            className: 'primary-button',
            attrs: { type: 'button' },
            on: { click: o.onNext },
          },
          i18n.t('play.next'),
        ),
      h(
        'button',
        {
          id: 'results-map',
          className: 'secondary-button',
          attrs: { type: 'button' },
          on: { click: o.onMap },
        },
        i18n.t('play.backToMap'),
      ),
    ),
    h(
      'details',
      { className: 'solution-box' },
      h('summary', {}, i18n.t('play.runJson')),
      h(
        'pre',
        {
          id: 'result-json',
          className: 'ps-line',
          attrs: scrollableText(i18n.t('play.runJson')),
        },
        JSON.stringify(o.json, null, 2),
      ),
    ),
  );
}
