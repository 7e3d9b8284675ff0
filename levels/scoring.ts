/**
 * Turning a run's report into what the player sees: several scores (throughput, p99 latency, root
 * CPU, cost), each objective met or not — with a diagnosis in plain words when not — and stars.
 */
import type { Configuration, SimReport, VmReport } from '../core/index.js';
import { valuesOf } from '../core/index.js';
import { diagnose } from './diagnosis.js';
import type { Diagnosis } from './diagnosis.js';
import type { Level, Objective, Threshold } from './schema/level.js';

export interface Scores {
  /** Completed I/O operations per second, all VMs together. */
  readonly throughput: number;
  /** The worst p99 latency among VMs that did I/O, µs. */
  readonly p99LatencyUs: number;
  readonly rootCpuPercent: number;
  /** What the configuration provisions, in cost units (see `costOf`). */
  readonly cost: number;
}

export interface ObjectiveResult {
  readonly id: string;
  /** What was measured: a metric of the level file (`p99LatencyUs`, `interrupts`…). */
  readonly metric: Objective['metric'];
  readonly met: boolean;
  /** The measured value (for a "*" objective, the worst VM's). */
  readonly value: number;
  readonly target: number;
  readonly op: '<=' | '>=';
  readonly label: Objective['label'];
  /**
   * Whom the objective is about: one VM (`"vm": "db01"` in the level), every VM of the scenario
   * (`"vm": "*"`), or the host.
   */
  readonly scope: ObjectiveScope;
  /**
   * The VM whose value `value` is: the named one (scope `vm`); for scope `all` the one worst VM,
   * and none when several share the worst value (every VM at 0 dropped: no VM decided it).
   */
  readonly vm?: string;
  /** For scope `all`, when missed: every VM that misses it, in the report's order. */
  readonly missedBy?: readonly string[];
  readonly diagnosis?: Diagnosis;
}

export type ObjectiveScope = 'vm' | 'all' | 'host';

export interface LevelResult {
  readonly level: string;
  readonly stars: 0 | 1 | 2 | 3;
  readonly scores: Scores;
  readonly objectives: readonly ObjectiveResult[];
}

/**
 * Cost units (our model, not a price list): each virtual processor 2, each GiB of memory the VM
 * holds 1, each root VP 2, each VSP instance 1. Dynamic Memory VMs pay for what they were
 * assigned at the end of the run, static ones for their startup memory.
 */
export function costOf(config: Configuration, report: SimReport): number {
  let cost = 2 * config.host.rootVps + config.vsps.length;
  for (const [name, vm] of Object.entries(config.vms)) {
    cost += 2 * vm.processor.count;
    // icsvc: VmReport.memory now exists (assigned, installed, ballooned, demand MiB).
    const assigned = report.vms[name]?.memory.assignedMiB;
    const mib = vm.memory.dynamic && assigned !== undefined ? assigned : vm.memory.startupMiB;
    cost += mib / 1024;
  }
  return Math.round(cost * 10) / 10;
}

export function scoresOf(config: Configuration, report: SimReport): Scores {
  const vms = valuesOf(report.vms);
  const withIo = vms.filter((v) => v.completed > 0);
  return {
    throughput: Math.round(vms.reduce((a, v) => a + v.iops, 0) * 10) / 10,
    p99LatencyUs: withIo.length === 0 ? 0 : Math.max(...withIo.map((v) => v.p99LatencyUs)),
    rootCpuPercent: report.host.rootCpuPercent,
    cost: costOf(config, report),
  };
}

const meets = (value: number, op: '<=' | '>=', target: number): boolean =>
  op === '<=' ? value <= target : value >= target;

function hostMetric(report: SimReport, metric: string): number {
  if (metric === 'pluginFaults')
    return report.faults.plugins.filter((f) => f.kind.startsWith('plugin-')).length;
  return (report.host as unknown as Record<string, number>)[metric] ?? 0;
}

/** Objectives measured over completed operations: they need at least one. */
const LATENCY_METRICS: ReadonlySet<string> = new Set(['p50LatencyUs', 'p99LatencyUs']);

/** A VM metric from the report: top-level fields, or the memory block's (pagingMB…). */
function vmMetric(r: VmReport, metric: string): number {
  const top = (r as unknown as Record<string, unknown>)[metric];
  if (typeof top === 'number') return top;
  const memory = (r as unknown as { memory?: Record<string, unknown> }).memory?.[metric];
  return typeof memory === 'number' ? memory : Number.NaN;
}

export function evaluate(level: Level, config: Configuration, report: SimReport): LevelResult {
  const objectives: ObjectiveResult[] = level.objectives.map((o) => {
    if (o.scope === 'host') {
      const value = hostMetric(report, o.metric);
      const met = meets(value, o.op, o.value);
      return {
        id: o.id,
        metric: o.metric,
        met,
        value,
        target: o.value,
        op: o.op,
        label: o.label,
        scope: 'host',
        ...(met ? {} : { diagnosis: diagnose({ objective: o, value, report, config, level }) }),
      };
    }
    const all = o.vm === '*';
    const names = all ? Object.keys(report.vms) : [o.vm];
    // Each VM's value: NaN when it measured nothing (missing, failed to start, or a latency of no
    // completed operation) — a VM that failed to start meets no objective, a "≤" one included,
    // nor is the latency of no operation at all a low latency.
    const measured = names.map((vm) => {
      const r = report.vms[vm];
      const value =
        r === undefined || r.failure !== '' || (LATENCY_METRICS.has(o.metric) && r.completed === 0)
          ? Number.NaN
          : vmMetric(r, o.metric);
      return { vm, value };
    });
    // The VM that matters: the worst one (one that measured nothing is the worst of all).
    const worse = (a: number, b: number): boolean =>
      !Number.isNaN(b) && (Number.isNaN(a) || (o.op === '<=' ? a > b : a < b));
    let chosen = measured[0] ?? { vm: names[0] ?? '', value: Number.NaN };
    for (const m of measured) if (worse(m.value, chosen.value)) chosen = m;
    const met = !Number.isNaN(chosen.value) && meets(chosen.value, o.op, o.value);
    const sameAs = (v: number): boolean =>
      Number.isNaN(v) ? Number.isNaN(chosen.value) : v === chosen.value;
    // "*": a VM decided the value only when no other VM shares it.
    const decided = !all || measured.filter((m) => sameAs(m.value)).length === 1;
    const missedBy = measured
      .filter((m) => Number.isNaN(m.value) || !meets(m.value, o.op, o.value))
      .map((m) => m.vm);
    return {
      id: o.id,
      metric: o.metric,
      met,
      value: chosen.value,
      target: o.value,
      op: o.op,
      label: o.label,
      scope: all ? 'all' : 'vm',
      ...(decided ? { vm: chosen.vm } : {}),
      ...(all && !met ? { missedBy } : {}),
      ...(met
        ? {}
        : {
            diagnosis: diagnose({
              objective: o,
              value: chosen.value,
              vm: chosen.vm,
              report,
              config,
              level,
            }),
          }),
    };
  });
  const scores = scoresOf(config, report);
  const thresholdsMet = (list: readonly Threshold[]): boolean =>
    list.every((t) => meets(scores[t.score], t.op, t.value));
  let stars: 0 | 1 | 2 | 3 = 0;
  if (objectives.every((o) => o.met)) {
    stars = 1;
    if (thresholdsMet(level.stars.two)) {
      stars = 2;
      if (thresholdsMet(level.stars.three)) stars = 3;
    }
  }
  return { level: level.id, stars, scores, objectives };
}
