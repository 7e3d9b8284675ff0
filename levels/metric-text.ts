/**
 * Measures as a player reads them, in both languages: the metric's name, its value with a unit
 * scaled to be read (37237 µs → 37.2 ms), and what an objective or a star needed
 * ("p99 latency 37.2 ms — needed ≤ 33 ms"). Used by the game's results, the diagnosis and the
 * CLI summary; `--json` keeps the raw numbers.
 */
import type { ScoreName } from './schema/level.js';

export type TextLanguage = 'en' | 'pt-BR';

/** How a metric's raw number is counted. */
type Unit = 'us' | 'percent' | 'mbps' | 'mb' | 'iops' | 'count' | 'cost';

interface MetricInfo {
  readonly en: string;
  readonly pt: string;
  readonly unit: Unit;
}

/** Every objective metric (VM and host) and every score, by its name in the level files. */
export const METRIC_INFO: Readonly<Record<string, MetricInfo>> = {
  iops: { en: 'throughput', pt: 'vazão', unit: 'iops' },
  mbps: { en: 'bandwidth', pt: 'banda', unit: 'mbps' },
  p50LatencyUs: { en: 'median latency', pt: 'latência mediana', unit: 'us' },
  p99LatencyUs: { en: 'p99 latency', pt: 'latência p99', unit: 'us' },
  cpuPercent: { en: 'CPU use', pt: 'uso de CPU', unit: 'percent' },
  readyPercent: { en: 'CPU wait', pt: 'espera por CPU', unit: 'percent' },
  misrouted: { en: 'misrouted requests', pt: 'requisições mal encaminhadas', unit: 'count' },
  dropped: { en: 'dropped operations', pt: 'operações perdidas', unit: 'count' },
  failed: { en: 'failed operations', pt: 'operações com erro', unit: 'count' },
  strayCompletions: {
    en: 'completions for no request in flight',
    pt: 'conclusões sem pedido em andamento',
    unit: 'count',
  },
  ringFullPercent: { en: 'time its ring was full', pt: 'tempo com o anel cheio', unit: 'percent' },
  ringOccupancyPercent: { en: 'ring occupancy', pt: 'ocupação do anel', unit: 'percent' },
  memoryPressure: { en: 'memory pressure', pt: 'pressão de memória', unit: 'percent' },
  pagingMB: { en: 'paging to disk', pt: 'paginação em disco', unit: 'mb' },
  completed: { en: 'completed operations', pt: 'operações concluídas', unit: 'count' },
  rootCpuPercent: { en: 'root partition CPU', pt: 'CPU da partição raiz', unit: 'percent' },
  lpUtilizationPercent: { en: 'host CPU use', pt: 'uso de CPU do host', unit: 'percent' },
  isolationFaults: { en: 'isolation faults', pt: 'violações de isolamento', unit: 'count' },
  pluginFaults: { en: 'plugin faults', pt: 'falhas de plugin', unit: 'count' },
  siblingSharingPercent: {
    en: 'cross-VM SMT sharing',
    pt: 'compartilhamento de núcleo entre VMs',
    unit: 'percent',
  },
  interrupts: { en: 'interrupts', pt: 'interrupções', unit: 'count' },
  hypercalls: { en: 'hypercalls', pt: 'hypercalls', unit: 'count' },
};

/** The scores' units (their names are the game's and the CLI's own). */
const SCORE_UNITS: Readonly<Record<ScoreName, Unit>> = {
  throughput: 'iops',
  p99LatencyUs: 'us',
  rootCpuPercent: 'percent',
  cost: 'cost',
};

/** A metric's name in `lang` (its file name when unknown). */
export function metricName(metric: string, lang: TextLanguage): string {
  const info = METRIC_INFO[metric] as MetricInfo | undefined;
  if (info === undefined) return metric;
  return lang === 'pt-BR' ? info.pt : info.en;
}

/**
 * A plain number as `lang` writes it: at most one decimal, none from 100 up, digits grouped
 * (`53.9`, `37,237` / `53,9`, `37.237`); `—` when not measured.
 *
 * @example
 * formatNumber(37237, 'pt-BR') // '37.237'
 */
export function formatNumber(value: number, lang: TextLanguage): string {
  if (Number.isNaN(value)) return '—';
  return number(value, lang, 0);
}

/** {@link formatNumber}'s digits, plus `extra` decimals where a near miss must show. */
function number(value: number, lang: TextLanguage, extra: number): string {
  const digits = (Math.abs(value) >= 100 ? 0 : 1) + extra;
  return new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value);
}

/** {@link formatPercent}'s formats, made once per language and number of decimals. */
const PERCENT_FORMATS = new Map<string, Intl.NumberFormat>();

/**
 * A percentage as `lang` writes it — the one place every percentage a player sees (settings,
 * loading bar, objectives, scores, map, diagnoses, CLI) is written, so the same value never reads
 * two ways. `points` is in percentage points (92.3, not 0.923); at most one decimal, none from 100
 * up, plus `extra` where a near miss must show.
 *
 * The convention is CLDR's, through `Intl.NumberFormat(lang, { style: 'percent' })`: English
 * "92.3%", Brazilian Portuguese "92,3%" — decimal comma, sign right after the number, no space.
 * For pt-BR that is the usage of the Brazilian press, IBGE's published tables and Microsoft's
 * pt-BR documentation the game's terms follow; the SI/INMETRO style "92,3 %" (with a space) is the
 * metrological one, seen far less in everyday text, and a space would also let the sign wrap to
 * a line of its own.
 *
 * @example
 * formatPercent(92.3, 'pt-BR') // '92,3%'
 */
export function formatPercent(points: number, lang: TextLanguage, extra = 0): string {
  if (Number.isNaN(points)) return '—';
  const digits = (Math.abs(points) >= 100 ? 0 : 1) + extra;
  const key = `${lang}/${digits.toString()}`;
  let format = PERCENT_FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: digits });
    PERCENT_FORMATS.set(key, format);
  }
  return format.format(points / 100);
}

function withUnit(value: number, unit: Unit, lang: TextLanguage, extra = 0): string {
  const n = (v: number): string => number(v, lang, extra);
  switch (unit) {
    case 'us':
      // Latencies read in the unit that keeps the number short: 840 µs, 37.2 ms, 1.2 s.
      if (Math.abs(value) >= 1_000_000) return `${n(value / 1_000_000)} s`;
      if (Math.abs(value) >= 1000) return `${n(value / 1000)} ms`;
      return `${n(value)} µs`;
    case 'percent':
      return formatPercent(value, lang, extra);
    case 'mbps':
      return `${n(value)} MB/s`;
    case 'mb':
      return `${n(value)} MB`;
    case 'iops':
      return `${n(value)} ${lang === 'pt-BR' ? 'op/s' : 'ops/s'}`;
    case 'cost':
    case 'count':
      return n(value);
  }
}

/**
 * Metrics that only grow during a run (counts since it began): under an "at most" cap such an
 * objective can still be lost, and once past it, it is lost for good.
 */
export const CUMULATIVE_METRICS: ReadonlySet<string> = new Set([
  'misrouted',
  'dropped',
  'failed',
  'strayCompletions',
  'pagingMB',
  'completed',
  'isolationFaults',
  'pluginFaults',
  'interrupts',
  'hypercalls',
]);

/** A metric's value with its unit: `37.2 ms`, `12%`, `2,500 ops/s`; `—` when not measured. */
export function formatMetric(metric: string, value: number, lang: TextLanguage, extra = 0): string {
  if (Number.isNaN(value)) return '—';
  const info = METRIC_INFO[metric] as MetricInfo | undefined;
  return withUnit(value, info?.unit ?? 'count', lang, extra);
}

/**
 * `value` and `target` as {@link formatMetric} writes them, but never reading the same when they
 * are not: a near miss gets up to three more decimals (a p99 of 33 040 µs against 33 000 reads
 * "33.04 ms — needed ≤ 33 ms", not "33 ms — needed ≤ 33 ms"), and where even that is not enough
 * both are written unscaled with two decimals ("2,500,001 µs — needed ≤ 2,500,000 µs").
 */
function distinctTexts(
  metric: string,
  value: number,
  target: number,
  lang: TextLanguage,
): { readonly value: string; readonly target: string } {
  const goal = formatMetric(metric, target, lang);
  for (let extra = 0; extra <= 3; extra++) {
    const text = formatMetric(metric, value, lang, extra);
    if (text !== goal || value === target) return { value: text, target: goal };
  }
  const info = METRIC_INFO[metric] as MetricInfo | undefined;
  const unit = info?.unit === 'us' ? ' µs' : '';
  const exact = (v: number): string =>
    unit === ''
      ? formatMetric(metric, v, lang, 2 - (Math.abs(v) >= 100 ? 0 : 1))
      : `${new Intl.NumberFormat(lang, { maximumFractionDigits: 2 }).format(v)}${unit}`;
  return { value: exact(value), target: exact(target) };
}

/** A score's value with its unit (throughput in ops/s, p99 latency in µs/ms, root CPU in %). */
export function formatScore(score: ScoreName, value: number, lang: TextLanguage): string {
  if (Number.isNaN(value)) return '—';
  return withUnit(value, SCORE_UNITS[score], lang);
}

/** `≤` or `≥`: how a player writes the comparison. */
export function opSymbol(op: '<=' | '>='): string {
  return op === '<=' ? '≤' : '≥';
}

/** What an objective needed: `needed ≤ 33 ms` / `precisava ≤ 33 ms`. */
export function neededText(
  o: { readonly metric: string; readonly op: '<=' | '>='; readonly target: number },
  lang: TextLanguage,
  target = formatMetric(o.metric, o.target, lang),
): string {
  return `${lang === 'pt-BR' ? 'precisava' : 'needed'} ${opSymbol(o.op)} ${target}`;
}

/**
 * One objective's outcome as a player reads it:
 * `p99 latency 37.2 ms — needed ≤ 33 ms` / `latência p99 37,2 ms — precisava ≤ 33 ms`;
 * a value never measured (the VM did not start, or no I/O came back) says so.
 */
export function objectiveOutcome(
  o: {
    readonly metric: string;
    readonly value: number;
    readonly op: '<=' | '>=';
    readonly target: number;
  },
  lang: TextLanguage,
): string {
  if (Number.isNaN(o.value)) {
    const none = lang === 'pt-BR' ? 'sem medida' : 'not measured';
    return `${metricName(o.metric, lang)} ${none} — ${neededText(o, lang)}`;
  }
  const texts = distinctTexts(o.metric, o.value, o.target, lang);
  return `${metricName(o.metric, lang)} ${texts.value} — ${neededText(o, lang, texts.target)}`;
}
