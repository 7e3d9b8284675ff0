/**
 * Relations between the fields of a configuration and its scenario that a schema cannot express.
 * Each check names the Hyper-V rule behind it, so a refused setting teaches something.
 */
import type { InputIssue } from './errors.js';
import { checkMemorySettings, committedMemoryMiB, vmMemoryLimitMiB } from './check-memory.js';
import type { Configuration, VmConfiguration } from './configuration.js';
import type { DeviceClass, Scenario, VmSpec } from './scenario.js';
import { HOST_RELEASE_LIMITS, HOST_RELEASE_NAMES, releaseLimit } from './release-limits.js';
import type { HostReleaseLimits } from './release-limits.js';
import type { HostOs } from './scenario.js';
import {
  DEVICE_CLASS_GUIDS,
  IDE_ACCELERATOR_CLASS_GUID,
  defaultRootReserveMiB,
  logicalProcessorCount,
  offerClassGuid,
} from './scenario.js';

/** What configuration checks need to know about the plugins that may serve VSPs. */
export interface PluginCatalog {
  /** Device class the plugin serves, or undefined when no plugin has this id. */
  deviceClassOf(pluginId: string): DeviceClass | undefined;
  /** Problems with a VSP instance's settings, located under `path`. */
  settingsIssues?(
    pluginId: string,
    settings: Readonly<Record<string, number | string | boolean>>,
    path: readonly (string | number)[],
  ): InputIssue[];
}

/** Emulated counterpart of each routable device class (rule 21), shown to the player. */
export const EMULATED_DEVICES: Readonly<Partial<Record<DeviceClass, string>>> = {
  storage: 'emulated IDE controller',
  network: 'legacy network adapter (DEC 21140, 100 Mbit/s)',
  video: 'S3 Trio emulated video',
  input: 'PS/2 keyboard and mouse',
};

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
    issues.push({
      path: ['host', 'rootVps'],
      expected: `at most ${Math.min(lps, limits.rootVisibleProcessors)} (one root VP per logical processor, and ${HOST_RELEASE_NAMES[os]}'s root sees at most ${limits.rootVisibleProcessors}; rule 40)`,
      found: `${config.host.rootVps}`,
    });
  }

  // WS "Manage Hyper-V hypervisor scheduler types": "The root scheduler arrived with Windows 10,
  // version 1803"; Windows Server 2016 (version 1607) offers the classic and core types only.
  if (config.host.scheduler === 'root' && os === 'ws2016') {
    issues.push({
      path: ['host', 'scheduler'],
      expected: `classic or core: the root scheduler arrived with Windows 10 version 1803, after ${HOST_RELEASE_NAMES[os]} (rule 30)`,
      found: 'root',
    });
  }

  for (const vm of scenario.vms) {
    // Own keys only: a VM may be called "constructor", which every object answers to.
    if (!Object.hasOwn(config.vms, vm.name)) {
      issues.push({
        path: ['vms', vm.name],
        expected: `settings for VM "${vm.name}"`,
        found: 'nothing',
      });
    }
  }
  let totalVps = 0;
  let reservedLps = 0;
  let committedMiB = 0;
  for (const [name, vmConfig] of Object.entries(config.vms)) {
    const vm = vmsByName.get(name);
    if (vm === undefined) {
      issues.push({
        path: ['vms', name],
        expected: `one of the scenario's VMs (${[...vmsByName.keys()].join(', ') || 'none'})`,
        found: JSON.stringify(name),
      });
      continue;
    }
    totalVps += vmConfig.processor.count;
    reservedLps += (vmConfig.processor.count * vmConfig.processor.reservePercent) / 100;
    committedMiB += committedOf(vmConfig);
    checkVm(vm, vmConfig, lps, issues);
    checkVmLimits({ vm, c: vmConfig, os, limits }, issues);
  }

  if (totalVps > limits.virtualProcessors) {
    issues.push({
      path: ['vms'],
      expected: releaseLimit(os, limits.virtualProcessors, 'virtual processors per host'),
      found: `${totalVps}`,
    });
  }
  if (reservedLps > lps + 1e-9) {
    issues.push({
      path: ['vms'],
      expected: `CPU reserves that fit the host: Σ count × reserve ≤ ${lps} logical processors (rule 32)`,
      found: `${reservedLps.toFixed(2)} logical processors reserved`,
    });
  }
  const rootReserve = defaultRootReserveMiB(scenario.host.memoryMiB);
  const available = scenario.host.memoryMiB - rootReserve;
  // One VM that alone needs more than the host can give: name its field, not the whole list.
  const tooBig = Object.entries(config.vms).filter(
    ([name, c]) => vmsByName.has(name) && committedOf(c) > available,
  );
  for (const [name, c] of tooBig) {
    issues.push({
      path: ['vms', name, 'memory', c.memory.dynamic ? 'minimumMiB' : 'startupMiB'],
      expected: `at most ${available} MiB: what the host's ${scenario.host.memoryMiB} MiB leave after the root's ${rootReserve} MiB`,
      found: `${committedOf(c)} MiB`,
    });
  }
  if (tooBig.length === 0 && committedMiB > available) {
    issues.push({
      path: ['vms'],
      expected: `static memory plus Dynamic Memory minimums within what the host can give (${available} MiB after the root's ${rootReserve} MiB)`,
      found: `${committedMiB} MiB`,
    });
  }

  checkVsps(scenario, config, plugins, issues);
  checkRoutes(scenario, config, plugins, vmsByName, issues);
  return issues;
}

const committedOf = (c: VmConfiguration): number => committedMemoryMiB(c.memory);

function checkVm(vm: VmSpec, c: VmConfiguration, lps: number, issues: InputIssue[]): void {
  const at = (...rest: string[]) => ['vms', vm.name, ...rest];
  if (c.processor.count > lps) {
    issues.push({
      path: at('processor', 'count'),
      expected: `at most ${lps} (a VM cannot have more virtual processors than the host has logical processors)`,
      found: `${c.processor.count}`,
    });
  }
  if (c.processor.reservePercent > c.processor.limitPercent) {
    issues.push({
      path: at('processor', 'reservePercent'),
      expected: `at most the limit (${c.processor.limitPercent} %): a VP cannot be guaranteed more than it may use (rule 32)`,
      found: `${c.processor.reservePercent}`,
    });
  }
  if (c.integrationComponents && !vm.os.integrationComponents) {
    issues.push({
      path: at('integrationComponents'),
      expected: `false: ${vm.os.release} cannot run integration components, so it can only use emulated devices`,
      found: 'true',
    });
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
  const kind = gen1 ? 'per generation 1 VM' : 'per VM';
  const at = (...rest: string[]) => ['vms', vm.name, ...rest];
  const maxVps = gen1 ? limits.generation1VpsPerVm : limits.vpsPerVm;
  if (c.processor.count > maxVps) {
    issues.push({
      path: at('processor', 'count'),
      expected: releaseLimit(os, maxVps, `virtual processors ${kind}`),
      found: `${c.processor.count}`,
    });
  }
  const maxMiB = vmMemoryLimitMiB(limits, vm.generation);
  const field = c.memory.dynamic ? 'maximumMiB' : 'startupMiB';
  const mib = c.memory.dynamic ? c.memory.maximumMiB : c.memory.startupMiB;
  if (mib > maxMiB) {
    issues.push({
      path: at('memory', field),
      expected: releaseLimit(os, maxMiB, `MiB of memory ${kind}`),
      found: `${mib} MiB`,
    });
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
    if (seen.has(vsp.id))
      issues.push({
        path: ['vsps', i, 'id'],
        expected: 'a VSP name used once',
        found: JSON.stringify(vsp.id),
      });
    seen.add(vsp.id);
    const cls = plugins.deviceClassOf(vsp.plugin);
    if (cls === undefined) {
      issues.push({
        path: ['vsps', i, 'plugin'],
        expected: 'the id of a loaded VSP plugin',
        found: JSON.stringify(vsp.plugin),
      });
      return;
    }
    issues.push(
      ...(plugins.settingsIssues?.(vsp.plugin, vsp.settings, ['vsps', i, 'settings']) ?? []),
    );
    const needs = deviceKind(cls);
    if (needs === undefined) {
      if (vsp.device !== undefined) {
        issues.push({
          path: ['vsps', i, 'device'],
          expected: `no physical device: a ${cls} VSP drives none`,
          found: JSON.stringify(vsp.device),
        });
      }
      return;
    }
    const list = needs === 'disk' ? scenario.host.disks : scenario.host.nics;
    if (vsp.device === undefined || !list.some((d) => d.id === vsp.device)) {
      // A device of the other kind: the plugin's class is what does not fit, so say it.
      const otherKind = needs === 'disk' ? 'nic' : 'disk';
      const other = needs === 'disk' ? scenario.host.nics : scenario.host.disks;
      const isOther = other.some((d) => d.id === vsp.device);
      issues.push({
        path: ['vsps', i, 'device'],
        expected: `one of the host's ${needs}s (${list.map((d) => d.id).join(', ') || 'none'}): ${vsp.plugin} is a ${cls} VSP`,
        found: isOther
          ? `${describe(vsp.device)}, a ${otherKind}, which a ${cls} VSP cannot drive`
          : describe(vsp.device),
      });
    }
  });
  const usesDynamic = Object.values(config.vms).some((v) => v.memory.dynamic);
  if (
    usesDynamic &&
    !config.vsps.some((v) => plugins.deviceClassOf(v.plugin) === 'dynamic-memory')
  ) {
    issues.push({
      path: ['vsps'],
      expected:
        'a dynamic-memory VSP (e.g. hyperkata.dynmem): VMs with Dynamic Memory need it to balloon and hot-add',
      found: 'none',
    });
  }
}

/** Names listed in a message before the rest are counted (a host can have 1 024 VMs). */
const NAMES_LISTED = 12;

/** The scenario's VM names, for a message about a name that is not one of them (a typo). */
function vmNames(vmsByName: ReadonlyMap<string, VmSpec>): string {
  const names = [...vmsByName.keys()];
  if (names.length === 0) return 'none';
  const more = names.length - NAMES_LISTED;
  return more > 0
    ? `${names.slice(0, NAMES_LISTED).join(', ')} and ${more.toString()} more`
    : names.join(', ');
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
      issues.push({
        path: [...path, 'vm'],
        expected: `the name of a VM in the scenario (${vmNames(vmsByName)})`,
        found: JSON.stringify(route.vm),
      });
      return;
    }
    const device = vm.devices.find((d) => d.id === route.device);
    if (device === undefined) {
      issues.push({
        path: [...path, 'device'],
        expected: `one of ${vm.name}'s devices (${vm.devices.map((d) => d.id).join(', ') || 'none'})`,
        found: JSON.stringify(route.device),
      });
      return;
    }
    const key = `${vm.name}/${device.id}`;
    if (routed.has(key))
      issues.push({ path, expected: `one route for ${key}`, found: 'a second route' });
    routed.add(key);
    if (!vspClass.has(route.vsp)) {
      issues.push({
        path: [...path, 'vsp'],
        expected: `one of the configured VSP instances (${[...vspClass.keys()].join(', ') || 'none'})`,
        found: JSON.stringify(route.vsp),
      });
    }
    const cls = vspClass.get(route.vsp);
    if (cls !== undefined && cls !== device.class) {
      const offered = { key, class: device.class, classGuid: offerClassGuid(vm, device) };
      issues.push(channelClassIssue([...path, 'vsp'], offered, route.vsp, cls));
    }
    const vmConfig = Object.hasOwn(config.vms, vm.name) ? config.vms[vm.name] : undefined;
    if (vmConfig !== undefined && !vmConfig.integrationComponents) {
      issues.push({
        path: [...path, 'vsp'],
        expected: `a VM with integration components: without them ${vm.name} has no VSC to use this channel (route ${device.id} through the worker process instead)`,
        found: 'integrationComponents: false',
      });
    }
  });
  config.emulated.forEach((route, i) => {
    const path = ['emulated', i];
    const vm = vmsByName.get(route.vm);
    if (vm === undefined) {
      issues.push({
        path: [...path, 'vm'],
        expected: `the name of a VM in the scenario (${vmNames(vmsByName)})`,
        found: JSON.stringify(route.vm),
      });
      return;
    }
    const device = vm.devices.find((d) => d.id === route.device);
    if (device === undefined) {
      issues.push({
        path: [...path, 'device'],
        expected: `one of ${vm.name}'s devices (${vm.devices.map((d) => d.id).join(', ') || 'none'})`,
        found: JSON.stringify(route.device),
      });
      return;
    }
    const key = `${vm.name}/${device.id}`;
    if (routed.has(key))
      issues.push({ path, expected: `one route for ${key}`, found: 'a second route' });
    routed.add(key);
    if (vm.generation === 2) {
      issues.push({
        path: [...path, 'vm'],
        expected: `a generation 1 VM: generation 2 VMs have no emulated devices (rule 21)`,
        found: `${vm.name} (generation 2)`,
      });
    }
    const needs = deviceKind(device.class);
    if (needs !== undefined) {
      const list = needs === 'disk' ? scenario.host.disks : scenario.host.nics;
      if (route.backing === undefined || !list.some((d) => d.id === route.backing)) {
        issues.push({
          path: [...path, 'backing'],
          expected: `one of the host's ${needs}s for the ${EMULATED_DEVICES[device.class] ?? 'device'} (${list.map((d) => d.id).join(', ') || 'none'})`,
          found: describe(route.backing),
        });
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
  const { key, classGuid } = device;
  const ide =
    classGuid === IDE_ACCELERATOR_CLASS_GUID
      ? ', HV_IDE_GUID: the boot disk of a generation 1 VM sits on its IDE controller, and storvsc reaches it through the IDE accelerator channel'
      : '';
  return {
    path,
    expected: `a ${device.class} VSP for ${key} (class GUID ${classGuid}${ide}): a VSP offers channels only with its own class's GUIDs and a VSC binds only to an offer of its own class, so no channel can join ${key} to a VSP of another class (rule 11)`,
    found: `${JSON.stringify(vsp)}, which serves ${vspClass} (class GUID ${DEVICE_CLASS_GUIDS[vspClass]})`,
  };
}

function deviceKind(cls: DeviceClass): 'disk' | 'nic' | undefined {
  return cls === 'storage' ? 'disk' : cls === 'network' ? 'nic' : undefined;
}

function describe(value: string | undefined): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
