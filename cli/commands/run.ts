/**
 * `hyperkata run <level> [--solution FILE] [--seed N] [--json] [--replay-out FILE] [--plugin FILE]`:
 * plays a level headless and prints a readable summary or the JSON report. Exit 0 when every
 * objective is met, 1 when not, 2 on bad input.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import {
  finishLevel,
  formatMetric,
  formatScore,
  objectiveOutcome,
  runJson,
  startLevel,
} from '../../levels/index.js';
import type { Level, LevelResult, PlayResult, Solution } from '../../levels/index.js';
import type { NarrationLine, SimReport, VspModule } from '../../core/index.js';
import { SeedSchema, entriesOf } from '../../core/index.js';
import { findLevel, readSolution } from '../campaign.js';
import type { CliEnv } from '../env.js';
import { loadPlugins, withPlugins } from '../env.js';
import { EXIT_NOT_MET, EXIT_OK, LANGS, UsageError } from '../errors.js';
import { writeText } from '../files.js';
import { pluginUsage, usageLine } from '../plugin-usage.js';
import type { PluginUsage } from '../plugin-usage.js';
import { replayOf } from '../replay-file.js';

export interface RunOptions {
  solution?: string;
  seed?: string;
  json?: boolean;
  replayOut?: string;
  plugin?: string[];
  lang?: string;
  log?: string | true;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

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
    .addOption(new Option('--lang <lang>', 'language of the summary').choices(LANGS).default('en'))
    .option(
      '--log [text]',
      "print the run's narration to stderr as it happens — VMs starting, channels opening, faults, every host.log line of a plugin — or only the lines that mention TEXT (e.g. a VSP instance id or a VM name)",
    )
    .action(async (levelRef: string, opts: RunOptions) => {
      const { level, file } = findLevel(levelRef, env.campaignDir);
      const solution = opts.solution === undefined ? null : readSolution(opts.solution);
      const seed = parseSeed(opts.seed);
      const loaded = await loadPlugins(env, opts.plugin ?? []);
      const vsps = withPlugins(env, loaded);
      const played = play(env, {
        level,
        levelFile: file,
        solution,
        solutionFile: opts.solution,
        vsps,
        seed,
        progress: opts.json !== true && opts.log === undefined,
        log: opts.log,
      });
      if (opts.replayOut !== undefined) {
        const replay = replayOf(level, solution, played.report, vsps, played.result.stars);
        writeText(opts.replayOut, JSON.stringify(replay, null, 2) + '\n');
      }
      const plugins = pluginUsage(loaded, played.simulation.configuration);
      const lang = opts.lang === 'pt-BR' ? 'pt-BR' : 'en';
      if (opts.json === true) {
        // The summary says it in a line; the JSON says it with `instances: []`, and stderr too.
        // Without --plugin the JSON stays the game's (which loads no plugin files).
        for (const p of plugins.filter((u) => u.instances.length === 0))
          env.err(`hyperkata: warning: ${usageLine(p, 'en')}\n`);
        const json = runJson(played.result, played.report);
        env.out(JSON.stringify(plugins.length === 0 ? json : { ...json, plugins }) + '\n');
      } else env.out(summary(played.result, played.report, lang, plugins));
      setExit(played.result.objectives.every((o) => o.met) ? EXIT_OK : EXIT_NOT_MET);
    });
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
        `\r  [${'#'.repeat(done)}${' '.repeat(50 - done)}] ${Math.round((100 * sim.now) / sim.durationNs)} % of ${level.scenario.durationMs} ms simulated`,
      );
    }
  }
  if (bar) env.err('\r' + ' '.repeat(90) + '\r');
  return finishLevel(level, sim);
}

/** Shown at most, of the guest memory accesses refused to --plugin code; --json has them all. */
const REFUSED_SHOWN = 3;

/**
 * Guest memory the --plugin VSPs were refused (rule 36): the plugin keeps its channel and the
 * level may still earn its stars, so without these lines only --json would say it happened.
 */
function refusedMemory(report: SimReport, plugins: readonly PluginUsage[], pt: boolean): string[] {
  const ids = new Set(plugins.map((p) => p.id));
  const refused = report.faults.isolation.filter((f) => ids.has(f.actor));
  const lines = refused
    .slice(0, REFUSED_SHOWN)
    .map(
      (f) =>
        `  ${pt ? 'memória recusada' : 'memory refused'}: ${f.actor} ${pt ? 'em' : 'on'} ${f.vm}: ${f.kind} (${f.detail})`,
    );
  if (refused.length > REFUSED_SHOWN)
    lines.push(
      pt
        ? `  … e mais ${String(refused.length - REFUSED_SHOWN)} (--json: faults.isolation)`
        : `  … and ${String(refused.length - REFUSED_SHOWN)} more (--json: faults.isolation)`,
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

/** One narration line as `--log` prints it: simulated time in ms, source, text. */
export function narrationLine(line: NarrationLine): string {
  return `${(line.time / 1e6).toFixed(3).padStart(10)} ms  ${line.source}: ${line.text}`;
}

export function summary(
  result: LevelResult,
  report: SimReport,
  lang: 'en' | 'pt-BR',
  plugins: readonly PluginUsage[] = [],
): string {
  const pt = lang === 'pt-BR';
  const stars = '★'.repeat(result.stars) + '☆'.repeat(3 - result.stars);
  const lines = [
    `${result.level}  ${stars}`,
    `  ${pt ? 'vazão' : 'throughput'} ${formatScore('throughput', result.scores.throughput, lang)} · p99 ${formatScore('p99LatencyUs', result.scores.p99LatencyUs, lang)} · ${pt ? 'CPU da raiz' : 'root CPU'} ${formatScore('rootCpuPercent', result.scores.rootCpuPercent, lang)} · ${pt ? 'custo' : 'cost'} ${formatScore('cost', result.scores.cost, lang)}`,
  ];
  for (const o of result.objectives) {
    lines.push(
      `  ${o.met ? '✔' : '✘'} ${o.label[lang]}${o.vm !== undefined && o.vm !== '' ? ` (${o.vm})` : ''}`,
    );
    // A missed objective's diagnosis starts with what was measured and what was needed
    // ("db01 p99 latency 37.2 ms — needed ≤ 33 ms"); a diagnosis-less miss still says so.
    if (o.diagnosis !== undefined) lines.push(`      ${o.diagnosis[lang]}`);
    else if (!o.met) lines.push(`      ${objectiveOutcome(o, lang)}`);
  }
  for (const [name, vm] of entriesOf(report.vms)) {
    lines.push(
      `  ${name.padEnd(10)} ${formatMetric('iops', vm.iops, lang).padStart(12)}  p50 ${formatMetric('p50LatencyUs', vm.p50LatencyUs, lang)}  p99 ${formatMetric('p99LatencyUs', vm.p99LatencyUs, lang)}  CPU ${formatMetric('cpuPercent', vm.cpuPercent, lang)}  ${pt ? 'perdidas' : 'dropped'} ${vm.dropped}`,
    );
  }
  if (report.faults.plugins.length > 0)
    lines.push(
      `  ${pt ? 'falhas' : 'faults'}: ${report.faults.plugins.map((f) => `${f.plugin} on ${f.vm}/${f.device}: ${f.reason}`).join('; ')}`,
    );
  lines.push(...refusedMemory(report, plugins, pt));
  lines.push(...strayCompletions(report, pt));
  for (const p of plugins) lines.push(`  ${usageLine(p, lang)}`);
  lines.push(`  hash ${report.hash}`);
  return lines.join('\n') + '\n';
}
