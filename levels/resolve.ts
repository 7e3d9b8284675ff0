/**
 * From a level and a player's solution to the configuration the simulation runs: the solution
 * changes the level's defaults, and only where the level's controls allow it. A change to a locked
 * control is refused naming the field in the solution file, the same way a bad value is.
 */
import { ConfigurationError } from '../core/index.js';
import type { Configuration, ConfigurationInput, InputIssue } from '../core/index.js';
import type { Controls, Level } from './schema/level.js';
import type { Solution } from './schema/solution.js';
import { didYouMean } from './check-level.js';

/** Merges a solution into the level's defaults; throws ConfigurationError naming `source`. */
export function resolveConfiguration(
  level: Level,
  solution: Solution | null,
  source = 'solution',
): ConfigurationInput {
  const base = level.defaults;
  if (solution === null) return base;
  const issues: InputIssue[] = [];
  if (solution.level !== level.id) {
    issues.push({
      path: ['level'],
      expected: `"${level.id}" (the level being played)`,
      found: JSON.stringify(solution.level),
    });
  }
  const c = level.controls;
  const locked = (
    path: (string | number)[],
    control: keyof Controls,
    what: string,
    found = 'a change',
  ): void => {
    if (!c[control])
      issues.push({
        path,
        expected: `no change: this level does not let you change ${what}`,
        found,
      });
  };
  const host = { ...base.host };
  if (solution.host?.rootVps !== undefined && solution.host.rootVps !== base.host.rootVps) {
    locked(
      ['host', 'rootVps'],
      'rootVps',
      'the root VPs',
      was(solution.host.rootVps, base.host.rootVps),
    );
    host.rootVps = solution.host.rootVps;
  }
  if (solution.host?.scheduler !== undefined && solution.host.scheduler !== base.host.scheduler) {
    locked(
      ['host', 'scheduler'],
      'scheduler',
      'the scheduler type',
      was(solution.host.scheduler, base.host.scheduler),
    );
    host.scheduler = solution.host.scheduler;
  }
  const vms: Record<string, Configuration['vms'][string]> = {};
  for (const [name, vm] of Object.entries(base.vms))
    vms[name] = { ...vm, processor: { ...vm.processor } };
  for (const [name, choice] of Object.entries(solution.vms ?? {})) {
    // Own keys only: "constructor" or "toString" is not one of the level's VMs.
    const vm = Object.hasOwn(vms, name) ? vms[name] : undefined;
    if (vm === undefined) {
      issues.push({
        path: ['vms', name],
        expected: `one of the level's VMs (${Object.keys(vms).join(', ')})${didYouMean(name, Object.keys(vms))}`,
        found: JSON.stringify(name),
      });
      continue;
    }
    if (
      choice.integrationComponents !== undefined &&
      choice.integrationComponents !== vm.integrationComponents
    ) {
      locked(
        ['vms', name, 'integrationComponents'],
        'integrationComponents',
        'integration components',
        was(choice.integrationComponents, vm.integrationComponents),
      );
      vm.integrationComponents = choice.integrationComponents;
    }
    const p = choice.processor;
    if (p !== undefined) {
      if (p.count !== undefined && p.count !== vm.processor.count) {
        locked(
          ['vms', name, 'processor', 'count'],
          'vpCount',
          'the number of virtual processors',
          was(p.count, vm.processor.count),
        );
        vm.processor.count = p.count;
      }
      for (const key of ['weight', 'reservePercent', 'limitPercent'] as const) {
        const value = p[key];
        if (value !== undefined && value !== vm.processor[key]) {
          locked(
            ['vms', name, 'processor', key],
            'cpuControls',
            'CPU weight, reserve or limit',
            was(value, vm.processor[key]),
          );
          vm.processor[key] = value;
        }
      }
    }
    if (
      choice.memory !== undefined &&
      JSON.stringify(choice.memory) !== JSON.stringify(vm.memory)
    ) {
      locked(['vms', name, 'memory'], 'memory', 'memory settings');
      vm.memory = choice.memory;
    }
  }
  const changed = (a: unknown, b: unknown): boolean => JSON.stringify(a) !== JSON.stringify(b);
  let vsps = base.vsps;
  if (
    solution.vsps !== undefined &&
    changed(normalizeVsps(solution.vsps), normalizeVsps(base.vsps))
  ) {
    const shape = (list: readonly { id: string; plugin: string; device?: string | undefined }[]) =>
      list.map((v) => `${v.id}|${v.plugin}|${v.device ?? ''}`).sort();
    if (changed(shape(solution.vsps), shape(base.vsps)))
      locked(
        ['vsps'],
        'vspInstances',
        'VSP instances or the plugins serving them',
        changeOf(shape(base.vsps), shape(solution.vsps)),
      );
    else locked(['vsps'], 'vspSettings', 'VSP settings');
    vsps = solution.vsps;
  }
  let channels = base.channels;
  if (solution.channels !== undefined) {
    const routes = (list: readonly { vm: string; device: string; vsp: string }[]) =>
      list.map((r) => `${r.vm}/${r.device}→${r.vsp}`).sort();
    // Ring size and signalling of each route, default values left out (a new route with default
    // settings changes no setting).
    const settings = (
      list: readonly {
        vm: string;
        device: string;
        ringKiB?: number | undefined;
        signalling?: string | undefined;
      }[],
    ) =>
      list
        .filter((r) => r.ringKiB !== undefined || (r.signalling ?? 'low-latency') !== 'low-latency')
        .map((r) => `${r.vm}/${r.device}:${r.ringKiB ?? ''}:${r.signalling ?? 'low-latency'}`)
        .sort();
    if (changed(routes(solution.channels), routes(base.channels)))
      locked(
        ['channels'],
        'routing',
        'how devices are routed',
        changeOf(routes(base.channels), routes(solution.channels)),
      );
    if (changed(settings(solution.channels), settings(base.channels)))
      locked(['channels'], 'channelSettings', 'ring sizes or signalling');
    channels = solution.channels;
  }
  let emulated = base.emulated;
  if (solution.emulated !== undefined) {
    const routes = (
      list: readonly { vm: string; device: string; backing?: string | undefined }[],
    ) => list.map((r) => `${r.vm}/${r.device}@${r.backing ?? ''}`).sort();
    if (changed(routes(solution.emulated), routes(base.emulated)))
      locked(
        ['emulated'],
        'routing',
        'how devices are routed',
        changeOf(routes(base.emulated), routes(solution.emulated)),
      );
    emulated = solution.emulated;
  }
  if (issues.length > 0) throw new ConfigurationError(source, issues);
  return { host, vms, vsps, channels, emulated };
}

function normalizeVsps(
  list: readonly {
    id: string;
    plugin: string;
    device?: string | undefined;
    settings?: Record<string, unknown> | undefined;
  }[],
) {
  return list
    .map((v) => ({
      id: v.id,
      plugin: v.plugin,
      device: v.device ?? '',
      settings: v.settings ?? {},
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * What a solution changed in a list the level locks, in the list's own terms: `a change that adds
 * net0|hyperkata.netvsp|` would be noise, so each entry is shown up to its first `|`
 * (the instance id) — routes are shown whole (`db01/scsi0→storvsp-ssd0`).
 */
function changeOf(before: readonly string[], after: readonly string[]): string {
  const shown = (entry: string) => entry.split('|')[0] ?? entry;
  const addedAll = after.filter((e) => !before.includes(e)).map(shown);
  const removedAll = before.filter((e) => !after.includes(e)).map(shown);
  // An instance on another plugin or device is in both lists: it is changed, not added.
  const changed = addedAll.filter((e) => removedAll.includes(e));
  const added = addedAll.filter((e) => !changed.includes(e));
  const removed = removedAll.filter((e) => !changed.includes(e));
  const parts = [
    ...(added.length > 0 ? [`adds ${added.join(', ')}`] : []),
    ...(removed.length > 0 ? [`removes ${removed.join(', ')}`] : []),
    ...(changed.length > 0 ? [`changes ${changed.join(', ')}`] : []),
  ];
  return parts.length === 0 ? 'a change' : `a change that ${parts.join(' and ')}`;
}

/** `"core" (the level's is "classic")`: a locked value the solution changed, and the level's. */
function was(value: unknown, level: unknown): string {
  return `${JSON.stringify(value)} (the level's is ${level === undefined ? 'unset' : JSON.stringify(level)})`;
}
