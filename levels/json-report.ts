/**
 * The JSON shape `hyperkata run --json` prints (and the game's results screen reads): stable keys
 * other tools can rely on.
 */
import type { SimReport } from '../core/index.js';
import type { LevelResult, ObjectiveScope } from './scoring.js';

export interface RunJson {
  readonly level: string;
  readonly seed: number;
  readonly stars: number;
  readonly scores: LevelResult['scores'];
  readonly objectives: readonly {
    readonly id: string;
    /** What it measures, and the level's own words for it: a grader's spreadsheet column. */
    readonly metric: string;
    readonly label: { readonly en: string; readonly 'pt-BR': string };
    readonly met: boolean;
    readonly value: number | null;
    readonly target: number;
    readonly op: string;
    /**
     * Whom it is about: `vm` one VM (named in `vm`), `all` every VM of the scenario (each must meet
     * it; `value` is the worst VM's), `host` the host.
     */
    readonly scope: ObjectiveScope;
    /**
     * The VM whose value `value` is. Absent for `host`, and for `all` when several VMs share the
     * worst value (every VM at 0 dropped): no single VM decided it, and naming one would mislead.
     */
    readonly vm?: string;
    /** For `all` when missed: every VM that misses it, in the report's order. */
    readonly missedBy?: readonly string[];
    readonly diagnosis?: {
      readonly en: string;
      readonly 'pt-BR': string;
      readonly control: string;
    };
  }[];
  readonly faults: SimReport['faults'];
  readonly metrics: { readonly host: SimReport['host']; readonly vms: SimReport['vms'] };
  readonly hash: string;
}

export function runJson(result: LevelResult, report: SimReport): RunJson {
  return {
    level: result.level,
    seed: report.seed,
    stars: result.stars,
    scores: result.scores,
    objectives: result.objectives.map((o) => ({
      id: o.id,
      metric: o.metric,
      label: { en: o.label.en, 'pt-BR': o.label['pt-BR'] },
      met: o.met,
      value: Number.isNaN(o.value) ? null : o.value,
      target: o.target,
      op: o.op,
      scope: o.scope,
      ...(o.vm === undefined ? {} : { vm: o.vm }),
      ...(o.missedBy === undefined ? {} : { missedBy: o.missedBy }),
      ...(o.diagnosis === undefined
        ? {}
        : {
            diagnosis: {
              en: o.diagnosis.en,
              'pt-BR': o.diagnosis['pt-BR'],
              control: o.diagnosis.control,
            },
          }),
    })),
    faults: report.faults,
    metrics: { host: report.host, vms: report.vms },
    hash: report.hash,
  };
}
