/**
 * Relations between the fields of a configuration and its scenario that a schema cannot express.
 * Each check names the Hyper-V rule behind it, so a refused setting teaches something.
 */
import type { InputIssue } from './errors.js';
import { checkMemorySettings, committedMemoryMiB, vmMemoryLimitMiB } from './check-memory.js';
import type { Configuration, VmConfiguration } from './configuration.js';
import type { DeviceClass, Scenario, VmSpec } from './scenario.js';
import { HOST_RELEASE_LIMITS } from './release-limits.js';
import type { HostReleaseLimits } from './release-limits.js';
import type { HostOs } from './scenario.js';
import {
  defaultRootReserveMiB,
  logicalProcessorCount,
  offerClassGuid,
  reserveCapacity,
  reservedUnits,
} from './scenario.js';
import { refusal } from './configuration-reasons.js';
import { meantAmong } from './suggest.js';

/** What configuration checks need to know about the plugins that may serve VSPs. */
export interface PluginCatalog {
  /** Device class the plugin serves, or undefined when no plugin has this id. */
  deviceClassOf(pluginId: string): DeviceClass | undefined;
  /** The ids of the loaded plugins, to list (and suggest from) when a VSP names another. */
  pluginIds?(): readonly string[];
  /** Problems with a VSP instance's settings, located under `path`. */
  settingsIssues?(
    pluginId: string,
    settings: Readonly<Record<string, number | string | boolean>>,
    path: readonly (string | number)[],
  ): InputIssue[];
}

export function checkConfiguration(
  scenario: Scenario,
  config: Configuration,
  plugins: PluginCatalog,
): InputIssue[] {
  const issues: InputIssue[] = [];
  const lps = logicalProcessorCount(scenario.host);
  const vmsByName = new Map(scenario.vms.map((vm) => [vm.name, vm]));
  const os = scenario.host.os;
  const limits = HOST_RELEASE_LIMITS[os];

  if (config.host.rootVps > Math.min(lps, limits.rootVisibleProcessors)) {
    issues.push(
      refusal(['host', 'rootVps'], 'host.rootVpsAboveLps', {
        max: Math.min(lps, limits.rootVisibleProcessors),
        os,
        rootVisible: limits.rootVisibleProcessors,
        rootVps: config.host.rootVps,
      }),
    );
  }

  // WS "Manage Hyper-V hypervisor scheduler types": "The root scheduler arrived with Windows 10,
  // version 1803"; Windows Server 2016 (version 1607) offers the classic and core types only.
  if (config.host.scheduler === 'root' && os === 'ws2016') {
    issues.push(refusal(['host', 'scheduler'], 'host.rootSchedulerTooEarly', { os }));
  }

  for (const vm of scenario.vms) {
    // Own keys only: a VM may be called "constructor", which every object answers to.
    if (!Object.hasOwn(config.vms, vm.name)) {
      issues.push(refusal(['vms', vm.name], 'vm.settingsMissing', { vm: vm.name }));
    }
  }
  let totalVps = 0;
  let reserved = 0;
  let committedMiB = 0;
  for (const [name, vmConfig] of Object.entries(config.vms)) {
    const vm = vmsByName.get(name);
    if (vm === undefined) {
      const known = [...vmsByName.keys()];
      issues.push(
        refusal(['vms', name], 'vm.unknown', { name, known, meant: meantAmong(name, known) }),
      );
      continue;
    }
    totalVps += vmConfig.processor.count;
    reserved += reservedUnits(
      scenario.host,
      config.host.scheduler,
      vmConfig.processor.count,
      vmConfig.processor.reservePercent,
    );
    committedMiB += committedOf(vmConfig);
    checkVm(vm, vmConfig, lps, issues);
    checkVmLimits({ vm, c: vmConfig, os, limits }, issues);
  }

  if (totalVps > limits.virtualProcessors) {
    issues.push(
      refusal(['vms'], 'host.vpsAboveRelease', {
        os,
        limit: limits.virtualProcessors,
        total: totalVps,
      }),
    );
  }
  // Rule 32: the reserves must fit what the scheduler hands out — LPs, or cores under the core
  // scheduler on an SMT host (rule 29), where a VP owed its reserve holds a whole core.
  const capacity = reserveCapacity(scenario.host, config.host.scheduler);
  if (reserved > capacity + 1e-9) {
    issues.push(
      refusal(['vms'], 'host.reservesAboveLps', {
        lps,
        reserved,
        ...(capacity < lps ? { cores: capacity } : {}),
      }),
    );
  }
  const rootReserve = defaultRootReserveMiB(scenario.host.memoryMiB);
  const available = scenario.host.memoryMiB - rootReserve;
  // One VM that alone needs more than the host can give: name its field, not the whole list.
  const tooBig = Object.entries(config.vms).filter(
    ([name, c]) => vmsByName.has(name) && committedOf(c) > available,
  );
  for (const [name, c] of tooBig) {
    issues.push(
      refusal(
        ['vms', name, 'memory', c.memory.dynamic ? 'minimumMiB' : 'startupMiB'],
        'vm.memoryAboveHost',
        {
          available,
          hostMiB: scenario.host.memoryMiB,
          rootReserveMiB: rootReserve,
          committedMiB: committedOf(c),
        },
      ),
    );
  }
  if (tooBig.length === 0 && committedMiB > available) {
    issues.push(
      refusal(['vms'], 'host.memoryAboveHost', {
        available,
        rootReserveMiB: rootReserve,
        committedMiB,
      }),
    );
  }

  checkVsps(scenario, config, plugins, issues);
  checkRoutes(scenario, config, plugins, vmsByName, issues);
  return issues;
}

const committedOf = (c: VmConfiguration): number => committedMemoryMiB(c.memory);

function checkVm(vm: VmSpec, c: VmConfiguration, lps: number, issues: InputIssue[]): void {
  const at = (...rest: string[]) => ['vms', vm.name, ...rest];
  if (c.processor.count > lps) {
    issues.push(
      refusal(at('processor', 'count'), 'vm.vpsAboveLps', { lps, count: c.processor.count }),
    );
  }
  if (c.processor.reservePercent > c.processor.limitPercent) {
    issues.push(
      refusal(at('processor', 'reservePercent'), 'vm.reserveAboveLimit', {
        limitPercent: c.processor.limitPercent,
        reservePercent: c.processor.reservePercent,
      }),
    );
  }
  if (c.integrationComponents && !vm.os.integrationComponents) {
    issues.push(
      refusal(at('integrationComponents'), 'vm.noIntegrationComponents', {
        release: vm.os.release,
      }),
    );
  }
  // Rules 33 and 35: one check, shared with the memory balancer (check-memory.ts).
  issues.push(
    ...checkMemorySettings(c.memory, {
      virtualNuma: c.virtualNuma,
      integrationComponents: c.integrationComponents,
      path: at(),
    }),
  );
}

/**
 * Rule 40 for one VM: the virtual processors and memory its host's release allows a VM of its
 * generation (WS "Hyper-V maximum scale limits in Windows Server"; core/model/release-limits.ts).
 * Generation 1 VMs keep 64 VPs and 1 TB on every release; generation 2 VMs follow the release.
 */
function checkVmLimits(
  check: { vm: VmSpec; c: VmConfiguration; os: HostOs; limits: HostReleaseLimits },
  issues: InputIssue[],
): void {
  const { vm, c, os, limits } = check;
  const gen1 = vm.generation === 1;
  const at = (...rest: string[]) => ['vms', vm.name, ...rest];
  const maxVps = gen1 ? limits.generation1VpsPerVm : limits.vpsPerVm;
  if (c.processor.count > maxVps) {
    issues.push(
      refusal(at('processor', 'count'), 'vm.vpsAboveRelease', {
        os,
        limit: maxVps,
        generation1: gen1,
        count: c.processor.count,
      }),
    );
  }
  const maxMiB = vmMemoryLimitMiB(limits, vm.generation);
  const field = c.memory.dynamic ? 'maximumMiB' : 'startupMiB';
  const mib = c.memory.dynamic ? c.memory.maximumMiB : c.memory.startupMiB;
  if (mib > maxMiB) {
    issues.push(
      refusal(at('memory', field), 'vm.memoryAboveRelease', {
        os,
        limit: maxMiB,
        generation1: gen1,
        mib,
      }),
    );
  }
}

function checkVsps(
  scenario: Scenario,
  config: Configuration,
  plugins: PluginCatalog,
  issues: InputIssue[],
): void {
  const seen = new Set<string>();
  config.vsps.forEach((vsp, i) => {
    if (seen.has(vsp.id)) issues.push(refusal(['vsps', i, 'id'], 'vsp.nameTwice', { id: vsp.id }));
    seen.add(vsp.id);
    const cls = plugins.deviceClassOf(vsp.plugin);
    if (cls === undefined) {
      const loaded = plugins.pluginIds?.();
      issues.push(
        refusal(['vsps', i, 'plugin'], 'vsp.unknownPlugin', {
          plugin: vsp.plugin,
          loaded,
          meant: loaded === undefined ? undefined : meantAmong(vsp.plugin, loaded),
        }),
      );
      return;
    }
    issues.push(
      ...(plugins.settingsIssues?.(vsp.plugin, vsp.settings, ['vsps', i, 'settings']) ?? []),
    );
    const needs = deviceKind(cls);
    if (needs === undefined) {
      if (vsp.device !== undefined) {
        issues.push(
          refusal(['vsps', i, 'device'], 'vsp.deviceNotDriven', {
            deviceClass: cls,
            device: vsp.device,
          }),
        );
      }
      return;
    }
    const list = needs === 'disk' ? scenario.host.disks : scenario.host.nics;
    if (vsp.device === undefined || !list.some((d) => d.id === vsp.device)) {
      // A device of the other kind: the plugin's class is what does not fit, so say it.
      const other = needs === 'disk' ? scenario.host.nics : scenario.host.disks;
      issues.push(
        refusal(['vsps', i, 'device'], 'vsp.deviceMissing', {
          needs,
          devices: list.map((d) => d.id),
          plugin: vsp.plugin,
          deviceClass: cls,
          ...(vsp.device === undefined ? {} : { device: vsp.device }),
          otherKind: other.some((d) => d.id === vsp.device),
        }),
      );
    }
  });
  const usesDynamic = Object.values(config.vms).some((v) => v.memory.dynamic);
  if (
    usesDynamic &&
    !config.vsps.some((v) => plugins.deviceClassOf(v.plugin) === 'dynamic-memory')
  ) {
    issues.push(refusal(['vsps'], 'memory.noDynamicMemoryVsp', {}));
  }
}

/** Names listed in a message before the rest are counted (a host can have 1 024 VMs). */
const NAMES_LISTED = 12;

/** A route's VM that is not one of the scenario's (a typo), with the first of their names. */
function unknownVm(
  path: readonly (string | number)[],
  vm: string,
  vmsByName: ReadonlyMap<string, VmSpec>,
): InputIssue {
  const names = [...vmsByName.keys()];
  return refusal(path, 'route.unknownVm', {
    vm,
    listed: names.slice(0, NAMES_LISTED),
    more: Math.max(0, names.length - NAMES_LISTED),
    meant: meantAmong(vm, names),
  });
}

/** A route's device that is not one of its VM's. */
function unknownDevice(path: readonly (string | number)[], vm: VmSpec, device: string): InputIssue {
  return refusal(path, 'route.unknownDevice', {
    vm: vm.name,
    device,
    devices: vm.devices.map((d) => d.id),
    meant: meantAmong(
      device,
      vm.devices.map((d) => d.id),
    ),
  });
}

function checkRoutes(
  scenario: Scenario,
  config: Configuration,
  plugins: PluginCatalog,
  vmsByName: ReadonlyMap<string, VmSpec>,
  issues: InputIssue[],
): void {
  const routed = new Set<string>();
  const vspClass = new Map(config.vsps.map((v) => [v.id, plugins.deviceClassOf(v.plugin)]));
  config.channels.forEach((route, i) => {
    const path = ['channels', i];
    const vm = vmsByName.get(route.vm);
    if (vm === undefined) {
      issues.push(unknownVm([...path, 'vm'], route.vm, vmsByName));
      return;
    }
    const device = vm.devices.find((d) => d.id === route.device);
    if (device === undefined) {
      issues.push(unknownDevice([...path, 'device'], vm, route.device));
      return;
    }
    const key = `${vm.name}/${device.id}`;
    if (routed.has(key)) issues.push(refusal(path, 'route.twice', { key }));
    routed.add(key);
    if (!vspClass.has(route.vsp)) {
      issues.push(
        refusal([...path, 'vsp'], 'route.unknownVsp', {
          vsp: route.vsp,
          vsps: [...vspClass.keys()],
          meant: meantAmong(route.vsp, [...vspClass.keys()]),
        }),
      );
    }
    const cls = vspClass.get(route.vsp);
    if (cls !== undefined && cls !== device.class) {
      const offered = { key, class: device.class, classGuid: offerClassGuid(vm, device) };
      issues.push(channelClassIssue([...path, 'vsp'], offered, route.vsp, cls));
    }
    const vmConfig = Object.hasOwn(config.vms, vm.name) ? config.vms[vm.name] : undefined;
    if (vmConfig !== undefined && !vmConfig.integrationComponents) {
      issues.push(
        refusal([...path, 'vsp'], 'route.noIntegrationComponents', {
          vm: vm.name,
          device: device.id,
        }),
      );
    }
  });
  config.emulated.forEach((route, i) => {
    const path = ['emulated', i];
    const vm = vmsByName.get(route.vm);
    if (vm === undefined) {
      issues.push(unknownVm([...path, 'vm'], route.vm, vmsByName));
      return;
    }
    const device = vm.devices.find((d) => d.id === route.device);
    if (device === undefined) {
      issues.push(unknownDevice([...path, 'device'], vm, route.device));
      return;
    }
    const key = `${vm.name}/${device.id}`;
    if (routed.has(key)) issues.push(refusal(path, 'route.twice', { key }));
    routed.add(key);
    if (vm.generation === 2) {
      issues.push(refusal([...path, 'vm'], 'emulated.generation2', { vm: vm.name }));
    }
    const needs = deviceKind(device.class);
    if (needs !== undefined) {
      const list = needs === 'disk' ? scenario.host.disks : scenario.host.nics;
      if (route.backing === undefined || !list.some((d) => d.id === route.backing)) {
        issues.push(
          refusal([...path, 'backing'], 'emulated.backingMissing', {
            needs,
            deviceClass: device.class,
            devices: list.map((d) => d.id),
            ...(route.backing === undefined ? {} : { backing: route.backing }),
          }),
        );
      }
    }
  });
}

/** The VM device a refused channel was meant for, as the rule-11 message names it. */
export interface OfferedDevice {
  /** `vm/device`. */
  readonly key: string;
  readonly class: DeviceClass;
  /** The class GUID its offer carries ({@link offerClassGuid}). */
  readonly classGuid: string;
}

/**
 * Rule 11: a VSP makes its offers with its own class's GUIDs, and a guest's VSC binds only to
 * offers of its class, so a channel between a VSC and a VSP of another class cannot exist in
 * Hyper-V. Refused before the run (the game refuses the wire with the same words). The GUID
 * expected is the one the device's offer carries: HV_IDE_GUID for a generation 1 VM's boot disk
 * (the IDE accelerator), its class's GUID otherwise.
 *
 * @example
 * ```ts
 * const nic = {
 *   key: 'web01/eth0',
 *   class: 'network',
 *   classGuid: DEVICE_CLASS_GUIDS.network,
 * } as const;
 * const issue = channelClassIssue(['channels', 1, 'vsp'], nic, 'storvsp-ssd0', 'storage');
 * // { path: ['channels', 1, 'vsp'],
 * //   expected: 'a network VSP for web01/eth0 (class GUID f8615163-…) … (rule 11)',
 * //   found: '"storvsp-ssd0", which serves storage (class GUID ba6163d9-…)' }
 * ```
 */
export function channelClassIssue(
  path: readonly (string | number)[],
  device: OfferedDevice,
  vsp: string,
  vspClass: DeviceClass,
): InputIssue {
  return refusal(path, 'route.classMismatch', {
    key: device.key,
    deviceClass: device.class,
    classGuid: device.classGuid,
    vsp,
    vspClass,
  });
}

function deviceKind(cls: DeviceClass): 'disk' | 'nic' | undefined {
  return cls === 'storage' ? 'disk' : cls === 'network' ? 'nic' : undefined;
}
