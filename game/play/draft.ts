/**
 * The build phase's state: the player's choices for one level, kept as a full configuration (the
 * level's defaults, changed where the player changed them) and turned into a `Solution` — the
 * same file format the CLI runs — holding only what differs from the defaults. Pure functions.
 */
import type {
  ChannelRoute,
  Configuration,
  DeviceClass,
  MemorySettings,
  ProcessorSettings,
} from '../../core/index.js';
import type { Controls, Level, Solution, VmChoices } from '../../levels/index.js';
import { DEVICE_CLASS_GUIDS, offerClassGuid } from '../../core/model/class-guids.js';

export type Draft = Configuration;

/** A VM's device as the guest sees it (its VSC when the guest has integration components). */
export interface VscRef {
  readonly vm: string;
  readonly device: string;
  readonly deviceClass: DeviceClass;
}

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The level's starting configuration, as a draft the player may change. */
export function draftFromLevel(level: Level): Draft {
  return clone(level.defaults);
}

/** Every device of every VM of the level, in scenario order. */
export function vscsOf(level: Level): VscRef[] {
  return level.scenario.vms.flatMap((vm) =>
    vm.devices.map((d) => ({ vm: vm.name, device: d.id, deviceClass: d.class })),
  );
}

/** The VSP a device's channel goes to, or undefined when it has none. */
export function channelOf(draft: Draft, vm: string, device: string): ChannelRoute | undefined {
  return draft.channels.find((c) => c.vm === vm && c.device === device);
}

/**
 * Routes a VM's device over a VMBus channel to a VSP instance: replaces any channel or emulated
 * route the device had (a device has one path), keeping the channel's ring and signalling.
 */
export function connect(draft: Draft, vm: string, device: string, vsp: string): Draft {
  const old = channelOf(draft, vm, device);
  const route: ChannelRoute = old
    ? { ...old, vsp }
    : { vm, device, vsp, signalling: 'low-latency' };
  return {
    ...draft,
    channels: [...draft.channels.filter((c) => c !== old), route],
    emulated: draft.emulated.filter((e) => !(e.vm === vm && e.device === device)),
  };
}

/**
 * Rule 11: a VSP offers channels only with its own class's GUIDs and a VSC binds only to an offer
 * of its own class, so no channel can join a VSC to a VSP of another class. Returns the VSP's class when it differs
 * from the VSC's (the build phase refuses that wire), or null when the channel may exist.
 *
 * @example
 * otherClassOf(draft, { vm: 'web01', device: 'eth0', deviceClass: 'network' }, 'storvsp-ssd0', classOf)
 * // 'storage'
 */
export function otherClassOf(
  draft: Draft,
  vsc: VscRef,
  vspId: string,
  classOf: (plugin: string) => DeviceClass | undefined,
): DeviceClass | null {
  const vsp = draft.vsps.find((v) => v.id === vspId);
  const cls = vsp === undefined ? undefined : classOf(vsp.plugin);
  return cls !== undefined && cls !== vsc.deviceClass ? cls : null;
}

/**
 * Rule 11: the class GUID the offer for `vsc`'s channel carries, as the guest's VSC sees it:
 * HV_IDE_GUID for the disk a generation 1 VM boots from (storvsc reaches it through the IDE
 * accelerator), its class's GUID otherwise.
 *
 * @example
 * offerGuidOf(level3, { vm: 'old01', device: 'disk0', deviceClass: 'storage' }) // '32412632-…'
 */
export function offerGuidOf(level: Level, vsc: VscRef): string {
  const vm = level.scenario.vms.find((v) => v.name === vsc.vm);
  return vm === undefined
    ? DEVICE_CLASS_GUIDS[vsc.deviceClass]
    : offerClassGuid(vm, { id: vsc.device, class: vsc.deviceClass });
}

/**
 * Rule 21: a guest without integration components has no VSCs and no VMBus driver, so it cannot
 * open a channel; it reaches its devices only through the emulated ones its worker process
 * (VMWP) serves. The channels of the draft that such a VM would need, in draft order — the build
 * phase refuses them before the host does.
 *
 * @example
 * channelsWithoutVsc(connect(draftFromLevel(level3), 'old01', 'disk0', 'storvsp-ssd0'))
 * // [{ vm: 'old01', device: 'disk0', vsp: 'storvsp-ssd0', … }]
 */
export function channelsWithoutVsc(draft: Draft): ChannelRoute[] {
  return draft.channels.filter(
    (c) => Object.hasOwn(draft.vms, c.vm) && !draft.vms[c.vm].integrationComponents,
  );
}

/**
 * Rule 33 in the host's checks: what Dynamic Memory on `vm` still lacks — the balloon driver of
 * the guest's integration components, and a dynamic-memory VSP in the root to balloon and
 * hot-add (hyperkata.dynmem) — or an empty list when it can be switched on.
 *
 * @example
 * dynamicMemoryLacks(draftFromLevel(level12), 'old01', builtInClassOf) // ['ics', 'vsp']
 */
export function dynamicMemoryLacks(
  draft: Draft,
  vm: string,
  classOf: (plugin: string) => DeviceClass | undefined,
): ('ics' | 'vsp')[] {
  const lacks: ('ics' | 'vsp')[] = [];
  if (Object.hasOwn(draft.vms, vm) && !draft.vms[vm].integrationComponents) lacks.push('ics');
  if (!draft.vsps.some((v) => classOf(v.plugin) === 'dynamic-memory')) lacks.push('vsp');
  return lacks;
}

/** Removes a device's channel. */
export function disconnect(draft: Draft, vm: string, device: string): Draft {
  return {
    ...draft,
    channels: draft.channels.filter((c) => !(c.vm === vm && c.device === device)),
  };
}

/**
 * Changes one channel's ring size or signalling. A ring size is taken to the nearest whole number
 * of 4 KiB pages (the guest allocates rings as pages, rule 9), as the configuration requires.
 */
export function setChannel(
  draft: Draft,
  vm: string,
  device: string,
  patch: Partial<Pick<ChannelRoute, 'ringKiB' | 'signalling'>>,
): Draft {
  const ring = patch.ringKiB;
  const pages =
    ring === undefined ? patch : { ...patch, ringKiB: Math.max(4, 4 * Math.round(ring / 4)) };
  return {
    ...draft,
    channels: draft.channels.map((c) =>
      c.vm === vm && c.device === device ? { ...c, ...pages } : c,
    ),
  };
}

export function setProcessor(draft: Draft, vm: string, patch: Partial<ProcessorSettings>): Draft {
  const current = draft.vms[vm];
  return {
    ...draft,
    vms: { ...draft.vms, [vm]: { ...current, processor: { ...current.processor, ...patch } } },
  };
}

/** Hyper-V sizes VM memory in whole 2 MB units: a typed size is taken to the nearest one. */
const wholeTwoMb = (mib: number): number => Math.max(2, 2 * Math.round(mib / 2));

/** Changes a VM's memory; each size is taken to the nearest 2 MB, as the configuration requires. */
export function setMemory(draft: Draft, vm: string, memory: MemorySettings): Draft {
  const sized: MemorySettings = memory.dynamic
    ? {
        ...memory,
        startupMiB: wholeTwoMb(memory.startupMiB),
        minimumMiB: wholeTwoMb(memory.minimumMiB),
        maximumMiB: wholeTwoMb(memory.maximumMiB),
      }
    : { ...memory, startupMiB: wholeTwoMb(memory.startupMiB) };
  return { ...draft, vms: { ...draft.vms, [vm]: { ...draft.vms[vm], memory: sized } } };
}

export function setIntegrationComponents(draft: Draft, vm: string, on: boolean): Draft {
  return {
    ...draft,
    vms: { ...draft.vms, [vm]: { ...draft.vms[vm], integrationComponents: on } },
  };
}

export function setHost(draft: Draft, patch: Partial<Configuration['host']>): Draft {
  return { ...draft, host: { ...draft.host, ...patch } };
}

export function setVspSetting(
  draft: Draft,
  vsp: string,
  key: string,
  value: number | string | boolean,
): Draft {
  return {
    ...draft,
    vsps: draft.vsps.map((v) =>
      v.id === vsp ? { ...v, settings: { ...v.settings, [key]: value } } : v,
    ),
  };
}

/** Points a VSP instance at another physical device. */
export function setVspDevice(draft: Draft, vsp: string, device: string): Draft {
  return { ...draft, vsps: draft.vsps.map((v) => (v.id === vsp ? { ...v, device } : v)) };
}

/** The id a new VSP instance gets: the plugin's last name part and the device, made unique. */
export function newVspId(draft: Draft, plugin: string, device: string): string {
  const base = `${plugin.split('.').at(-1) ?? 'vsp'}-${device}`;
  const taken = new Set(draft.vsps.map((v) => v.id));
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}-${String(n)}`)) n++;
  return `${base}-${String(n)}`;
}

/**
 * Adds a VSP instance to the root partition: `plugin` serves it, bound to the physical disk or
 * NIC `device` (VMMS starts one VSP per device it is told to drive). Channels are not moved: the
 * player routes VSCs to it.
 */
export function addVsp(draft: Draft, plugin: string, device: string): Draft {
  return {
    ...draft,
    vsps: [...draft.vsps, { id: newVspId(draft, plugin, device), plugin, device, settings: {} }],
  };
}

/** Removes a VSP instance; the channels that went to it go too (their VSCs have no path). */
export function removeVsp(draft: Draft, id: string): Draft {
  return {
    ...draft,
    vsps: draft.vsps.filter((v) => v.id !== id),
    channels: draft.channels.filter((c) => c.vsp !== id),
  };
}

/** Whether the level lets the player change anything about a VM (the inspector shows it). */
export function vmControls(controls: Controls): boolean {
  return (
    controls.integrationComponents || controls.vpCount || controls.cpuControls || controls.memory
  );
}

function vmChoices(level: Level, draft: Draft, name: string): VmChoices | null {
  const base = level.defaults.vms[name];
  const now = draft.vms[name];
  const choice: {
    integrationComponents?: boolean;
    processor?: Partial<ProcessorSettings>;
    memory?: MemorySettings;
  } = {};
  if (now.integrationComponents !== base.integrationComponents)
    choice.integrationComponents = now.integrationComponents;
  const processor: Partial<ProcessorSettings> = {};
  for (const key of ['count', 'weight', 'reservePercent', 'limitPercent'] as const) {
    if (now.processor[key] !== base.processor[key]) processor[key] = now.processor[key];
  }
  if (Object.keys(processor).length > 0) choice.processor = processor;
  if (!same(now.memory, base.memory)) choice.memory = now.memory;
  return Object.keys(choice).length > 0 ? choice : null;
}

/**
 * The player's solution: only what differs from the level's defaults, in the solution file
 * format, so the CLI runs exactly what the game ran.
 *
 * @example
 * const solution = toSolution(level, connect(draftFromLevel(level), 'db01', 'scsi0', 'storvsp-ssd0'));
 * // { format: 1, level: '01-first-partition', channels: [{ vm: 'db01', device: 'scsi0', … }] }
 */
export function toSolution(level: Level, draft: Draft, name?: string): Solution {
  const base = level.defaults;
  const host: Partial<Configuration['host']> = {};
  if (draft.host.scheduler !== base.host.scheduler) host.scheduler = draft.host.scheduler;
  if (draft.host.rootVps !== base.host.rootVps) host.rootVps = draft.host.rootVps;
  const vms: Record<string, VmChoices> = {};
  for (const vm of Object.keys(base.vms)) {
    const choice = vmChoices(level, draft, vm);
    if (choice) vms[vm] = choice;
  }
  return {
    format: 1,
    level: level.id,
    ...(name === undefined ? {} : { name }),
    ...(Object.keys(host).length > 0 ? { host } : {}),
    ...(Object.keys(vms).length > 0 ? { vms } : {}),
    ...(same(draft.vsps, base.vsps) ? {} : { vsps: draft.vsps }),
    ...(same(draft.channels, base.channels) ? {} : { channels: draft.channels }),
    ...(same(draft.emulated, base.emulated) ? {} : { emulated: draft.emulated }),
  };
}

/** Reads a saved or shared solution back into a draft (parts it leaves out keep the defaults). */
export function draftFromSolution(level: Level, solution: Solution): Draft {
  let draft = draftFromLevel(level);
  if (solution.host) draft = setHost(draft, solution.host);
  for (const [vm, choice] of Object.entries(solution.vms ?? {})) {
    // Own keys only: `in` also finds `constructor`, `toString` and `__proto__` on every object,
    // and a shared solution (read with JSON.parse) may name a VM so.
    if (!Object.hasOwn(draft.vms, vm)) continue;
    if (choice.integrationComponents !== undefined)
      draft = setIntegrationComponents(draft, vm, choice.integrationComponents);
    if (choice.processor) {
      draft = setProcessor(draft, vm, choice.processor);
    }
    if (choice.memory) draft = setMemory(draft, vm, choice.memory);
  }
  if (solution.vsps) draft = { ...draft, vsps: clone(solution.vsps) };
  if (solution.channels) draft = { ...draft, channels: clone(solution.channels) };
  if (solution.emulated) draft = { ...draft, emulated: clone(solution.emulated) };
  return draft;
}
