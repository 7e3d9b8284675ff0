/**
 * Turning untrusted input into a scenario or a configuration the model can run. Shape errors come
 * from the zod schemas; relations between fields (a VM that does not exist, a channel to a VSP of
 * another device class, more reserve than the host has) are checked here. Every issue found is
 * reported at once, each with its path and what was expected.
 */
import type { z } from 'zod';
import type { InputIssue } from './errors.js';
import { ConfigurationError, describeValue } from './errors.js';
import { HOST_RELEASE_LIMITS, releaseLimit } from './release-limits.js';
import { ScenarioSchema } from './scenario.js';
import type { Scenario } from './scenario.js';
import { ConfigurationSchema } from './configuration.js';
import type { Configuration } from './configuration.js';
import { checkConfiguration } from './check-configuration.js';
import { fieldsAt, nearest } from './suggest.js';
import type { PluginCatalog } from './check-configuration.js';

/**
 * Converts zod issues into our located, plain-words issues. Given the `schema` that was parsed, a
 * misspelt field or value also gets the nearest one it accepts ("did you mean …?").
 */
export function issuesFromZod(
  error: z.ZodError,
  input: unknown,
  schema?: z.core.$ZodType,
): InputIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    const found = valueAt(input, path);
    return {
      path,
      expected:
        issue.code === 'unrecognized_keys'
          ? unknownFields(issue.keys, path, found, schema)
          : expectedFromZod(issue) + suggestion(issue, found),
      found: describeValue(found),
    };
  });
}

/** ` (did you mean "iops"?)` for a misspelt enum value; empty when none is near. */
function suggestion(issue: z.core.$ZodIssue, found: unknown): string {
  if (issue.code !== 'invalid_value' || typeof found !== 'string') return '';
  const near = nearest(
    found,
    issue.values.filter((v): v is string => typeof v === 'string'),
  );
  return near === undefined ? '' : ` (did you mean ${JSON.stringify(near)}?)`;
}

/**
 * `no unknown fields (remove "wieght": did you mean "weight"?)` — a suggestion for each unknown
 * field that is a near miss of a field the schema accepts there and the input does not have yet.
 */
function unknownFields(
  keys: readonly string[],
  path: readonly (string | number)[],
  found: unknown,
  schema: z.core.$ZodType | undefined,
): string {
  const fields = schema === undefined ? undefined : fieldsAt(schema, path);
  const given = found !== null && typeof found === 'object' ? found : {};
  const free = fields === undefined ? [] : [...fields].filter((f) => !Object.hasOwn(given, f));
  const each = keys.map((k) => {
    const near = nearest(k, free);
    return near === undefined
      ? JSON.stringify(k)
      : `${JSON.stringify(k)}: did you mean ${JSON.stringify(near)}?`;
  });
  return `no unknown fields (remove ${each.join('; ')})`;
}

function expectedFromZod(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'undefined'
        ? 'nothing here'
        : `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} item(s)`
        : issue.origin === 'string'
          ? `at least ${issue.minimum} character(s)`
          : `a number ${issue.inclusive ? '≥' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} item(s)`
        : issue.origin === 'string'
          ? `at most ${issue.maximum} character(s)`
          : `a number ${issue.inclusive ? '≤' : '<'} ${issue.maximum}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? JSON.stringify(issue.values[0])
        : `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_format':
      return issue.message;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    case 'invalid_union':
      return unionExpected(issue.errors);
    default:
      return issue.message;
  }
}

/**
 * What a union accepts, from what each of its branches said: `one of 1, 2` (a VM's `generation`),
 * `a number, a string or a boolean`. A branch that refused the value deeper inside (an object
 * whose field was wrong) has no one-phrase answer: then `one of the allowed shapes`.
 */
function unionExpected(branches: readonly (readonly z.core.$ZodIssue[])[]): string {
  const issues = branches.map((b) => (b.length === 1 && b[0].path.length === 0 ? b[0] : undefined));
  if (issues.length === 0 || issues.some((i) => i === undefined))
    return 'one of the allowed shapes';
  const each = issues as z.core.$ZodIssue[];
  if (each.every((i) => i.code === 'invalid_value'))
    return `one of ${each.flatMap((i) => i.values.map((v) => JSON.stringify(v))).join(', ')}`;
  const words = each.map(expectedFromZod);
  return words.length === 1 ? words[0] : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}

function valueAt(input: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/** Parses a scenario; throws {@link ConfigurationError} listing every problem. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const result = ScenarioSchema.safeParse(input);
  if (!result.success)
    throw new ConfigurationError(source, issuesFromZod(result.error, input, ScenarioSchema));
  const issues = checkScenario(result.data);
  if (issues.length > 0) throw new ConfigurationError(source, issues);
  return result.data;
}

function checkScenario(s: Scenario): InputIssue[] {
  const issues: InputIssue[] = [];
  // Rule 40: the host's release sets how many LPs and how much memory Hyper-V supports.
  const limits = HOST_RELEASE_LIMITS[s.host.os];
  const lps =
    s.host.processor.sockets * s.host.processor.coresPerSocket * s.host.processor.threadsPerCore;
  if (lps > limits.logicalProcessors) {
    issues.push({
      path: ['host', 'processor'],
      expected: releaseLimit(s.host.os, limits.logicalProcessors, 'logical processors per host'),
      found: `${lps}`,
    });
  }
  if (s.host.memoryMiB > limits.memoryMiB) {
    issues.push({
      path: ['host', 'memoryMiB'],
      expected: releaseLimit(s.host.os, limits.memoryMiB, 'MiB of memory per host'),
      found: `${s.host.memoryMiB}`,
    });
  }
  // Running VMs (1024) are the same on every release: the schema's bound says it.
  duplicates(
    s.host.disks.map((d) => d.id),
    ['host', 'disks'],
    issues,
  );
  duplicates(
    s.host.nics.map((n) => n.id),
    ['host', 'nics'],
    issues,
  );
  duplicates(
    s.vms.map((v) => v.name),
    ['vms'],
    issues,
    'name',
  );
  s.vms.forEach((vm, i) => {
    duplicates(
      vm.devices.map((d) => d.id),
      ['vms', i, 'devices'],
      issues,
    );
    // Scheduled management operations: in time order, and before the run ends.
    (vm.actions ?? []).forEach((a, j) => {
      if (a.atMs >= s.durationMs)
        issues.push({
          path: ['vms', i, 'actions', j, 'atMs'],
          expected: `a time before the end of the run (durationMs ${s.durationMs})`,
          found: `${a.atMs}`,
        });
      const before = j > 0 ? vm.actions?.[j - 1] : undefined;
      if (before !== undefined && a.atMs < before.atMs)
        issues.push({
          path: ['vms', i, 'actions', j, 'atMs'],
          expected: `actions in time order: at or after the previous one (${before.atMs} ms)`,
          found: `${a.atMs}`,
        });
    });
    if (vm.generation === 2 && !vm.os.integrationComponents) {
      issues.push({
        path: ['vms', i, 'os', 'integrationComponents'],
        expected:
          'true for a generation 2 VM: it has no emulated devices, so its guest must be enlightened',
        found: 'false',
      });
    }
  });
  return issues;
}

function duplicates(
  ids: readonly string[],
  path: (string | number)[],
  issues: InputIssue[],
  field = 'id',
): void {
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (seen.has(id))
      issues.push({
        path: [...path, i, field],
        expected: 'a name used once',
        found: JSON.stringify(id),
      });
    seen.add(id);
  });
}

/**
 * Parses the player's configuration against a scenario; throws {@link ConfigurationError} listing
 * every problem, each naming the field and what was expected.
 */
export function parseConfiguration(
  scenario: Scenario,
  input: unknown,
  plugins: PluginCatalog,
  source = 'configuration',
): Configuration {
  const result = ConfigurationSchema.safeParse(input);
  if (!result.success)
    throw new ConfigurationError(source, issuesFromZod(result.error, input, ConfigurationSchema));
  const issues = checkConfiguration(scenario, result.data, plugins);
  if (issues.length > 0) throw new ConfigurationError(source, issues);
  return result.data;
}
