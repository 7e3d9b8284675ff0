/**
 * What a level file must satisfy beyond its shape: a scenario the model can run, defaults the
 * host accepts for it, objectives about VMs it has — each with its own id and a value the metric can
 * reach — and naive failures that name its objectives.
 * Every problem names the level file and the path inside it — `scenario.vms[1].name`, not
 * `vms[1].name` — so a person can find it, also when the level sits inside a replay file.
 */
import { catalogOf, ConfigurationError, parseConfiguration, parseScenario } from '../core/index.js';
import { meantAmong } from '../core/model/suggest.js';
import type { InputIssue, Scenario, VspModule } from '../core/index.js';
import type { Level } from './schema/level.js';

/** Where a part of a file sits in it, e.g. `["level"]` for the level inside a replay. */
export type JsonPath = readonly (string | number)[];

/**
 * Runs `check`; a ConfigurationError it throws is thrown again naming `source`, with each issue's
 * path placed under `at`.
 */
export function locatedIn<T>(source: string, at: JsonPath, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!ConfigurationError.is(e)) throw e;
    throw new ConfigurationError(
      source,
      e.issues.map((i) => ({ ...i, path: [...at, ...i.path] })),
    );
  }
}

/**
 * Checks a level against the plugins that may serve it; returns its scenario.
 * @throws ConfigurationError naming `source` and paths inside the level (under `at`).
 */
export function checkLevel(
  level: Level,
  vsps: readonly VspModule[],
  source: string,
  at: JsonPath = [],
): Scenario {
  const scenario = locatedIn(source, [...at, 'scenario'], () => parseScenario(level.scenario));
  const issues: InputIssue[] = [];
  try {
    parseConfiguration(scenario, level.defaults, catalogOf(vsps));
  } catch (e) {
    if (!ConfigurationError.is(e)) throw e;
    issues.push(...e.issues.map((i) => ({ ...i, path: [...at, 'defaults', ...i.path] })));
  }
  const vms = scenario.vms.map((v) => v.name);
  level.objectives.forEach((o, i) => {
    if (o.scope === 'vm' && o.vm !== '*' && !vms.includes(o.vm))
      issues.push({
        path: [...at, 'objectives', i, 'vm'],
        expected: `"*" or one of the scenario's VMs (${vms.join(', ') || 'none'})${didYouMean(o.vm, vms)}`,
        found: JSON.stringify(o.vm),
      });
  });
  const seen = new Set<string>();
  level.objectives.forEach((o, i) => {
    // Two objectives with one id: the report and verify's naiveFails could not tell them apart.
    if (seen.has(o.id))
      issues.push({
        path: [...at, 'objectives', i, 'id'],
        expected: 'an id no other objective has',
        found: JSON.stringify(o.id),
      });
    seen.add(o.id);
    // Every metric is a count, a time or a share, never below 0; a share never above 100 %.
    if (o.op === '<=' && o.value < 0)
      issues.push({
        path: [...at, 'objectives', i, 'value'],
        expected: `a value ≥ 0 (${o.metric} is never negative, so "<= ${String(o.value)}" cannot be met)`,
        found: String(o.value),
      });
    if (o.op === '>=' && o.value > 100 && o.metric.endsWith('Percent'))
      issues.push({
        path: [...at, 'objectives', i, 'value'],
        expected: `a value ≤ 100 (${o.metric} is a percentage, so ">= ${String(o.value)}" cannot be met)`,
        found: String(o.value),
      });
  });
  const objectives = level.objectives.map((o) => o.id);
  level.naiveFails.forEach((id, i) => {
    if (!objectives.includes(id))
      issues.push({
        path: [...at, 'naiveFails', i],
        expected: `the id of one of the level's objectives (${objectives.join(', ')})`,
        found: JSON.stringify(id),
      });
  });
  if (issues.length > 0) throw new ConfigurationError(source, issues);
  return scenario;
}

/**
 * ` — did you mean db01?` after a list of names that `name` is a near miss of one of, as the
 * core's configuration refusals say it; empty when none is near, or when the list has one name
 * (it already says which).
 */
export function didYouMean(name: string, names: readonly string[]): string {
  const meant = meantAmong(name, names);
  return meant === undefined ? '' : ` — did you mean ${meant}?`;
}
