/**
 * `hyperkata run <level> [--solution FILE] [--seed N] [--json] [--replay-out FILE] [--plugin FILE]`:
 * plays a level headless and prints a readable summary or the JSON report. Exit 0 when every
 * objective is met, 1 when not, 2 on bad input (and on a --trusted-plugin call that never returned).
 */
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import {
  finishLevel,
  formatMetric,
  formatPercent,
  formatScore,
  objectiveOutcome,
  opSymbol,
  runJson,
  startLevel,
} from '../../levels/index.js';
import type {
  Level,
  LevelResult,
  ObjectiveResult,
  PlayResult,
  ScoreName,
  Solution,
} from '../../levels/index.js';
import type { NarrationLine, SimReport, VspModule } from '../../core/index.js';
import {
  ConfigurationError,
  formatPath,
  HyperkataError,
  SeedSchema,
  entriesOf,
} from '../../core/index.js';
import { PluginError } from '../../plugins/sdk/load.js';
import { findLevel, readSolution } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { loadPlugins, withPlugins } from '../env.js';
import { EXIT_NOT_MET, EXIT_OK, LANGS, reportError, UsageError } from '../errors.js';
import { writeText } from '../files.js';
import { channelStopPtBr } from '../../levels/vsp-failures-pt-BR.js';
import { cliLang, LANG_DEFAULT_HELP } from '../lang.js';
import { pluginUsage, pointAtPluginOption, usageLine } from '../plugin-usage.js';
import type { PluginUsage } from '../plugin-usage.js';
import { replayOf } from '../replay-file.js';
import { collect } from '../options.js';
import { DEFAULT_PLUGIN_TIMEOUT_S, runWatched } from '../trusted/watchdog.js';

export interface RunOptions {
  solution?: string;
  seed?: string;
  json?: boolean;
  replayOut?: string;
  plugin?: string[];
  trustedPlugin?: string[];
  /** Wall-clock seconds one call into a --trusted-plugin may run before the run is stopped. */
  pluginTimeout?: number;
  lang?: string;
  log?: string | true;
}

export function registerRun(program: Command, env: CliEnv, setExit: (code: number) => void): void {
  program
    .command('run')
    .description('run a level headless with a solution and report the scores')
    .argument(
      '<level>',
      'a campaign level id (e.g. 01-first-partition) or the path of a level file',
    )
    .option('--solution <file>', 'the solution to run (default: the level as it starts)')
    .option('--seed <n>', "override the level's seed")
    .option('--json', 'print the JSON report')
    .option('--replay-out <file>', 'write a replay file that `hyperkata replay` can check')
    .option('--plugin <file>', 'load a VSP plugin file (repeatable; runs in the sandbox)', collect)
    .option(
      '--trusted-plugin <file>',
      'run a VSP plugin you wrote natively, outside the sandbox, to debug it (repeatable; only for code you trust: it runs with your permissions; its scores can differ from a sandboxed run)',
      collect,
    )
    .addOption(
      new Option(
        '--plugin-timeout <seconds>',
        `stop the run when one call into a --trusted-plugin has not returned in this many wall-clock seconds (an infinite loop; default ${String(DEFAULT_PLUGIN_TIMEOUT_S)})`,
      ).argParser(parseSeconds),
    )
    .addOption(
      new Option('--lang <lang>', `language of the summary (${LANG_DEFAULT_HELP})`).choices(LANGS),
    )
    .option(
      '--log [text]',
      "print the run's narration to stderr as it happens — VMs starting, channels opening, faults, every host.log line of a plugin — or only the lines that mention TEXT (e.g. a VSP instance id or a VM name)",
    )
    .action(async (levelRef: string, opts: RunOptions) => {
      try {
        // A trusted plugin runs natively: in a worker thread this one watches, which stops it
        // if a call never returns (the sandbox's interrupt does that for --plugin).
        const watched = env.trustedWorker;
        if ((opts.trustedPlugin ?? []).length > 0 && watched !== undefined)
          setExit(await runWatched(env, watched, levelRef, opts));
        else await runAction(env, setExit, levelRef, opts);
      } catch (e) {
        refused(env, levelRef, opts, e);
        throw e;
      }
    });
}

/**
 * `run` in this thread, its errors reported as `hyperkata` reports them: what the worker of a
 * watched --trusted-plugin run does. Resolves to the exit code.
 */
export async function runHere(env: CliEnv, levelRef: string, opts: RunOptions): Promise<number> {
  let code = EXIT_OK;
  try {
    await runAction(
      env,
      (c) => {
        code = c;
      },
      levelRef,
      opts,
    );
    return code;
  } catch (e) {
    refused(env, levelRef, opts, e);
    return reportError(e, env.err);
  }
}

/**
 * A grader collecting --json reports needs a line for every student, the refused ones too: the
 * error goes to stdout as JSON (and to stderr in words, as without --json).
 */
function refused(env: CliEnv, levelRef: string, opts: RunOptions, e: unknown): void {
  if (opts.json === true && HyperkataError.is(e))
    env.out(JSON.stringify(refusalJson(levelIdOr(levelRef, env), opts.solution, e)) + '\n');
}

/**
 * The level's id, as a graded line gives it, so a class's lines group by one key whether a
 * student's solution ran or was refused; the argument itself when the level is what was refused.
 */
function levelIdOr(levelRef: string, env: CliEnv): string {
  try {
    return findLevel(levelRef, env.campaignDir).level.id;
  } catch {
    return levelRef;
  }
}

/** Commander's parser for --plugin-timeout: a number of seconds above 0 (at most a day). */
export function parseSeconds(text: string): number {
  const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(n > 0 && n <= 86_400))
    throw new InvalidArgumentError(
      'expected a number of seconds above 0 and up to 86400 (a day), e.g. 10 or 0.5',
    );
  return n;
}

/**
 * What `run --json` prints for input it refuses (exit 2): which level and solution it was given and
 * every problem, each with its file, JSON path, what was expected and what was found.
 */
export interface RefusalJson {
  readonly level: string;
  readonly solution: string | null;
  readonly error: {
    readonly message: string;
    readonly file?: string;
    /** A plugin's issues also say where in its sources (`src/index.ts:38:17`) when known. */
    readonly issues?: readonly { path: string; expected: string; found: string; at?: string }[];
  };
}

export function refusalJson(
  levelRef: string,
  solutionFile: string | undefined,
  e: HyperkataError,
): RefusalJson {
  return {
    level: levelRef,
    solution: solutionFile ?? null,
    error: {
      message: e.message,
      // A solution refused, or a student's plugin that does not load: the file and each problem
      // (a plugin's also with where in its sources).
      ...(ConfigurationError.is(e) || PluginError.is(e)
        ? {
            file: e.source,
            issues: e.issues.map((i) => ({
              path: formatPath(i.path),
              expected: i.expected,
              found: i.found,
              ...('at' in i && i.at !== undefined ? { at: i.at } : {}),
            })),
          }
        : {}),
    },
  };
}

async function runAction(
  env: CliEnv,
  setExit: (code: number) => void,
  levelRef: string,
  opts: RunOptions,
): Promise<void> {
  const { level, file } = findLevel(levelRef, env.campaignDir);
  const solution = opts.solution === undefined ? null : readSolution(opts.solution);
  const seed = parseSeed(opts.seed);
  const trusted = opts.trustedPlugin ?? [];
  if (opts.pluginTimeout !== undefined && trusted.length === 0)
    throw new UsageError(
      '--plugin-timeout: expected --trusted-plugin, whose calls it limits, found none (a --plugin is stopped by the sandbox)',
    );
  // A replay must replay where plugins run sandboxed (a grader's machine): trusted code runs
  // natively, with a different digest and cost.
  if (trusted.length > 0 && opts.replayOut !== undefined)
    throw new UsageError(
      '--replay-out: expected plugins that run sandboxed (--plugin), found --trusted-plugin; a replay is checked where plugins run in the sandbox',
    );
  const loaded = await loadPlugins(env, opts.plugin ?? [], trusted);
  const vsps = withPlugins(env, loaded);
  let played: PlayResult;
  try {
    played = play(env, {
      level,
      levelFile: file,
      solution,
      solutionFile: opts.solution,
      vsps,
      seed,
      progress: opts.json !== true && opts.log === undefined,
      log: opts.log,
    });
  } catch (e) {
    throw pointAtPluginOption(e, [...(opts.plugin ?? []), ...trusted]);
  }
  await env.played?.();
  if (opts.replayOut !== undefined) {
    const replay = replayOf(level, solution, played.report, vsps, played.result.stars);
    writeText(opts.replayOut, JSON.stringify(replay, null, 2) + '\n');
  }
  const plugins = pluginUsage(loaded, played.simulation.configuration);
  const lang = cliLang(opts.lang, env.locale ?? {});
  if (opts.json === true) {
    // The summary says it in a line; the JSON says it with `instances: []`, and stderr too.
    // Without --plugin the JSON stays the game's (which loads no plugin files).
    for (const p of plugins.filter((u) => u.instances.length === 0))
      env.err(`hyperkata: warning: ${usageLine(p, 'en')}\n`);
    // The solution file graded, right after the level: a class's reports collected one line per
    // student say whose each is, as the line of a refused solution does.
    const { level: id, ...rest } = runJson(played.result, played.report);
    const json = { level: id, solution: opts.solution ?? null, ...rest };
    env.out(JSON.stringify(plugins.length === 0 ? json : { ...json, plugins }) + '\n');
  } else {
    env.out(summary(played.result, played.report, lang, plugins, level.stars));
  }
  setExit(played.result.objectives.every((o) => o.met) ? EXIT_OK : EXIT_NOT_MET);
}

export function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // Decimal digits only: Number() would read '' as 0, '0x10' as 16 and '1e3' as 1000.
  const n = /^\d{1,10}$/.test(text) ? Number(text) : Number.NaN;
  if (!SeedSchema.safeParse(n).success)
    throw new UsageError(
      `--seed: expected an integer from 0 to 4294967295, found ${JSON.stringify(text)}`,
    );
  return n;
}

/** Runs with a progress bar on stderr when interactive. */
export interface PlayRequest {
  readonly level: Level;
  readonly levelFile: string;
  readonly solution: Solution | null;
  readonly solutionFile: string | undefined;
  readonly vsps: readonly VspModule[];
  readonly seed: number | undefined;
  /** Draw a progress bar on an interactive stderr. */
  readonly progress: boolean;
  /** Print the narration to stderr: every line (`true`) or those that mention the text. */
  readonly log?: string | true | undefined;
}

export function play(env: CliEnv, request: PlayRequest): PlayResult {
  const { level, solution, solutionFile, vsps, seed, log } = request;
  const sim = startLevel({
    level,
    solution,
    vsps,
    ...(seed === undefined ? {} : { seed }),
    sources: {
      level: request.levelFile,
      ...(solutionFile === undefined ? {} : { solution: solutionFile }),
    },
  });
  if (log !== undefined) {
    sim.on((line) => {
      if (log === true || line.source.includes(log) || line.text.includes(log))
        env.err(narrationLine(line) + '\n');
    });
  }
  const step = Math.max(1_000_000, Math.floor(sim.durationNs / 50));
  const bar = request.progress && env.interactive;
  while (!sim.finished) {
    sim.advance(step);
    if (bar) {
      const done = Math.round((50 * sim.now) / sim.durationNs);
      env.err(
        `\r  [${'#'.repeat(done)}${' '.repeat(50 - done)}] ${formatPercent(Math.round((100 * sim.now) / sim.durationNs), 'en')} of ${level.scenario.durationMs} ms simulated`,
      );
    }
  }
  if (bar) env.err('\r' + ' '.repeat(90) + '\r');
  return finishLevel(level, sim);
}

/** Shown at most, of the kinds of guest memory access refused to --plugin code; --json has them all. */
const REFUSED_SHOWN = 3;

/**
 * Guest memory the --plugin VSPs were refused (rule 36): the plugin keeps its channel and the
 * level may still earn its stars, so without these lines only --json would say it happened. A
 * plugin that makes the same mistake on every packet gets one line for it, with how many times.
 */
function refusedMemory(report: SimReport, plugins: readonly PluginUsage[], pt: boolean): string[] {
  const ids = new Set(plugins.map((p) => p.id));
  const times = new Map<string, number>();
  for (const f of report.faults.isolation) {
    if (!ids.has(f.actor)) continue;
    const line = `  ${pt ? 'memória recusada' : 'memory refused'}: ${f.actor} ${pt ? 'em' : 'on'} ${f.vm}: ${f.kind} (${f.detail})`;
    times.set(line, (times.get(line) ?? 0) + 1);
  }
  const kinds = [...times];
  const lines = kinds
    .slice(0, REFUSED_SHOWN)
    .map(([line, n]) => (n === 1 ? line : `${line} ×${n.toLocaleString(pt ? 'pt-BR' : 'en')}`));
  const more = kinds.slice(REFUSED_SHOWN).reduce((sum, [, n]) => sum + n, 0);
  if (more > 0)
    lines.push(
      pt
        ? `  … e mais ${String(more)} (--json: faults.isolation)`
        : `  … and ${String(more)} more (--json: faults.isolation)`,
    );
  // The report keeps the most recent records only; the total counts them all.
  const kept = report.faults.isolation.length;
  if (lines.length > 0 && report.host.isolationFaults > kept)
    lines.push(
      pt
        ? `  (contadas das últimas ${String(kept)} de ${String(report.host.isolationFaults)} recusas da execução, que o relatório guarda)`
        : `  (counted over the last ${String(kept)} of the run's ${String(report.host.isolationFaults)} refusals, which the report keeps)`,
    );
  return lines;
}

/**
 * VMs whose drivers dropped completions for no request in flight: a VSP completing twice, or a
 * trans_id it never received. The guest goes on, so without this line only --json would say so.
 */
function strayCompletions(report: SimReport, pt: boolean): string[] {
  return entriesOf(report.vms)
    .filter(([, vm]) => vm.strayCompletions > 0)
    .map(([name, vm]) =>
      pt
        ? `  conclusões sem pedido: ${name} descartou ${String(vm.strayCompletions)} (trans_id de nenhum pedido em andamento: o VSP concluiu duas vezes, ou um pedido que não recebeu)`
        : `  stray completions: ${name} dropped ${String(vm.strayCompletions)} (a trans_id of no request in flight: the VSP completed twice, or a request it never received)`,
    );
}

/**
 * Devices whose guest driver gave up with no plugin fault to show for it — the VSP broke no rule
 * but answered as this guest cannot use (storvsp held to protocol 4.2: "Obsolete Hyper-V
 * version", rule 16). Without this line the run would only show a VM that completed nothing.
 */
function driversGaveUp(report: SimReport, pt: boolean): string[] {
  const blamed = new Set(report.faults.plugins.map((f) => `${f.vm}/${f.device}`));
  const lines: string[] = [];
  for (const [vm, r] of entriesOf(report.vms))
    for (const [device, reason] of entriesOf(r.deviceFailures))
      if (!blamed.has(`${vm}/${device}`))
        lines.push(`  ${pt ? 'driver desistiu' : 'driver gave up'}: ${vm}/${device} — ${reason}`);
  return lines;
}

/**
 * The channels plugins lost, and why: one entry per plugin and reason, naming every channel it
 * happened on — a bug usually fails each channel the same way, and its message is long.
 */
function pluginFaults(report: SimReport, pt: boolean): string {
  const channels = new Map<string, { plugin: string; reason: string; on: string[] }>();
  for (const f of report.faults.plugins) {
    const reason = pt ? channelStopPtBr(f) : f.reason;
    const key = `${f.plugin}\n${reason}`;
    const entry = channels.get(key) ?? { plugin: f.plugin, reason, on: [] };
    entry.on.push(`${f.vm}/${f.device}`);
    channels.set(key, entry);
  }
  return [...channels.values()]
    .map((e) => `${e.plugin} ${pt ? 'em' : 'on'} ${e.on.join(', ')}: ${e.reason}`)
    .join('; ');
}

/** One narration line as `--log` prints it: simulated time in ms, source, text. */
export function narrationLine(line: NarrationLine): string {
  return `${(line.time / 1e6).toFixed(3).padStart(10)} ms  ${line.source}: ${line.text}`;
}

/** VMs named at most after a missed objective about every VM; the rest are counted. */
const MISSED_BY_SHOWN = 6;

/**
 * Whom an objective's line is about: the VM it names; for one about every VM, `(every VM)` when
 * met — naming one would mislead — and the VMs that missed it when missed; nothing for the host.
 */
function whom(o: ObjectiveResult, pt: boolean): string {
  if (o.scope === 'host') return '';
  if (o.scope === 'vm') return o.vm === undefined ? '' : ` (${o.vm})`;
  if (o.met) return ` (${pt ? 'todas as VMs' : 'every VM'})`;
  const names = o.missedBy ?? [];
  if (names.length === 0) return '';
  const shown = names.slice(0, MISSED_BY_SHOWN).join(', ');
  const more = names.length - MISSED_BY_SHOWN;
  if (more <= 0) return ` (${shown})`;
  return pt ? ` (${shown} e mais ${String(more)})` : ` (${shown} and ${String(more)} more)`;
}

/** A score's name in the summary's words. */
function scoreName(score: ScoreName, pt: boolean): string {
  const names: Record<ScoreName, [string, string]> = {
    throughput: ['throughput', 'vazão'],
    p99LatencyUs: ['p99', 'p99'],
    rootCpuPercent: ['root CPU', 'CPU da raiz'],
    cost: ['cost', 'custo'],
  };
  return names[score][pt ? 1 : 0];
}

export function summary(
  result: LevelResult,
  report: SimReport,
  lang: 'en' | 'pt-BR',
  plugins: readonly PluginUsage[] = [],
  /** The level's star thresholds: a run short of three stars says what the next one needs. */
  thresholds?: Level['stars'],
): string {
  const pt = lang === 'pt-BR';
  const stars = '★'.repeat(result.stars) + '☆'.repeat(3 - result.stars);
  const lines = [
    `${result.level}  ${stars}`,
    `  ${pt ? 'vazão' : 'throughput'} ${formatScore('throughput', result.scores.throughput, lang)} · p99 ${formatScore('p99LatencyUs', result.scores.p99LatencyUs, lang)} · ${pt ? 'CPU da raiz' : 'root CPU'} ${formatScore('rootCpuPercent', result.scores.rootCpuPercent, lang)} · ${pt ? 'custo' : 'cost'} ${formatScore('cost', result.scores.cost, lang)}`,
  ];
  // One or two stars: the thresholds of the next star this run missed, with its own scores.
  const next =
    result.stars === 1 ? thresholds?.two : result.stars === 2 ? thresholds?.three : undefined;
  const missed = (next ?? []).filter((t) =>
    t.op === '<=' ? !(result.scores[t.score] <= t.value) : !(result.scores[t.score] >= t.value),
  );
  if (missed.length > 0)
    lines.push(
      `  ${'★'.repeat(result.stars + 1)} ${pt ? 'precisa de' : 'needs'} ${missed
        .map(
          (t) =>
            `${scoreName(t.score, pt)} ${opSymbol(t.op)} ${formatScore(t.score, t.value, lang)} (${pt ? 'esta execução' : 'this run'}: ${formatScore(t.score, result.scores[t.score], lang)})`,
        )
        .join(pt ? ' e ' : ' and ')}`,
    );
  for (const o of result.objectives) {
    lines.push(`  ${o.met ? '✔' : '✘'} ${o.label[lang]}${whom(o, pt)}`);
    // A missed objective's diagnosis starts with what was measured and what was needed
    // ("db01: p99 latency 37.2 ms — needed ≤ 33 ms"); a diagnosis-less miss still says so.
    if (o.diagnosis !== undefined) lines.push(`      ${o.diagnosis[lang]}`);
    else if (!o.met) lines.push(`      ${objectiveOutcome(o, lang)}`);
  }
  for (const [name, vm] of entriesOf(report.vms)) {
    // No operation completed, no latency measured: "0 µs" would read as the best of latencies.
    const latency = (metric: 'p50LatencyUs' | 'p99LatencyUs', value: number): string =>
      vm.completed === 0 ? '—' : formatMetric(metric, value, lang);
    lines.push(
      `  ${name.padEnd(10)} ${formatMetric('iops', vm.iops, lang).padStart(12)}  p50 ${latency('p50LatencyUs', vm.p50LatencyUs)}  p99 ${latency('p99LatencyUs', vm.p99LatencyUs)}  CPU ${formatMetric('cpuPercent', vm.cpuPercent, lang)}  ${pt ? 'perdidas' : 'dropped'} ${vm.dropped.toLocaleString(pt ? 'pt-BR' : 'en')}`,
    );
  }
  if (report.faults.plugins.length > 0)
    lines.push(`  ${pt ? 'falhas' : 'faults'}: ${pluginFaults(report, pt)}`);
  lines.push(...refusedMemory(report, plugins, pt));
  lines.push(...strayCompletions(report, pt));
  lines.push(...driversGaveUp(report, pt));
  for (const p of plugins) lines.push(`  ${usageLine(p, lang)}`);
  lines.push(`  hash ${report.hash}`);
  return lines.join('\n') + '\n';
}
