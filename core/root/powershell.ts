/**
 * The commands a real Hyper-V administrator would type for each setting the player changes.
 * Every change the management facade applies is rendered here, so the game can show, beside each
 * control, the PowerShell (or bcdedit) line that does the same on a real host.
 *
 * Sources: WS docs for Set-VMProcessor, Set-VMMemory, Add-VMHardDiskDrive, Add-VMNetworkAdapter,
 * Set-VMNetworkAdapter, Enable-VMIntegrationService; "Manage Hyper-V hypervisor scheduler types"
 * (bcdedit /set hypervisorschedulertype) and the minroot setting (bcdedit /set hypervisorrootproc).
 */
import type {
  ChannelRoute,
  Configuration,
  EmulatedRoute,
  MemorySettings,
  ProcessorSettings,
  Scenario,
  SchedulerType,
  VmManagementAction,
} from '../model/index.js';
import { IDE_ACCELERATOR_CLASS_GUID } from '../model/class-guids.js';

/**
 * The words of the comment lines (`# …`), which an administrator reads but PowerShell ignores.
 * English by default ({@link ENGLISH_NOTES}); a caller showing another language passes its own.
 * The cmdlets, parameters and values are never translated: they are what one types.
 */
export interface PowerShellNotes {
  /** A fractional reserve or limit given as Msvm_ProcessorSettingData properties (`wmi`). */
  readonly wmiPercent: (wmi: string) => string;
  readonly virtualNuma: (vm: string, enabled: boolean) => string;
  /** After a bcdedit line. */
  readonly afterReboot: string;
  readonly rootScheduler: string;
  readonly minroot: (count: number) => string;
  readonly noIntegrationComponents: (vm: string) => string;
  readonly integrationComponentsLinux: string;
  readonly integrationComponentsWindows: string;
  readonly generation1BootDisk: (classGuid: string) => string;
  readonly generation1NoScsi: string;
  readonly video: (vm: string, synthetic: boolean) => string;
  readonly input: (vm: string, synthetic: boolean) => string;
  /** `knob`: the Linux driver parameter that sizes the ring, when there is one. */
  readonly ring: (
    ringKiB: number,
    knob: { readonly driver: string; readonly parameter: string } | null,
  ) => string;
  readonly signalling: (batched: boolean) => string;
  readonly vspInstance: (id: string, plugin: string, device: string | undefined) => string;
  readonly storvspSettings: string;
  readonly netvspSriov: string;
  readonly netvspQueues: string;
  readonly pluginSettings: string;
}

export const ENGLISH_NOTES: PowerShellNotes = {
  wmiPercent: (wmi) =>
    `-Reserve and -Maximum take whole percent; through WMI, Msvm_ProcessorSettingData (percent × 1000): ${wmi}`,
  virtualNuma: (vm, enabled) =>
    enabled
      ? `${vm}: the guest sees the host's NUMA topology (needs static memory: Dynamic Memory hides virtual NUMA)`
      : `${vm}: a single virtual NUMA node`,
  afterReboot: 'takes effect after a reboot',
  rootScheduler:
    'the root scheduler is the Windows client default; Windows Server Hyper-V does not support it, and it ignores per-VM weight, reserve and limit',
  minroot: (count) =>
    `minroot: the root partition gets ${count} VP(s); takes effect after a reboot`,
  noIntegrationComponents: (vm) =>
    `${vm}: no integration components — the guest uses emulated devices only`,
  integrationComponentsLinux:
    'inside the guest: the Hyper-V drivers (hv_vmbus, hv_storvsc, hv_netvsc, hv_balloon, hv_utils) are built into the Linux kernel and updated with it; only old distributions need the separate Linux Integration Services',
  integrationComponentsWindows:
    'inside the guest: integration components are built into Windows; on a Windows Server 2016+ host older guests update them through Windows Update (no vmguest.iso)',
  generation1BootDisk: (guid) =>
    `generation 1 boots only from IDE; with integration components the guest reaches this disk through storvsp over VMBus (the IDE accelerator channel, class GUID ${guid}), not through the emulated controller`,
  generation1NoScsi: 'a generation 1 VM has no SCSI controller until one is added',
  video: (vm, synthetic) =>
    synthetic
      ? `${vm}: Hyper-V synthetic video (synthvid) is the default for enlightened guests`
      : `${vm}: emulated S3 Trio video (generation 1 VMs without integration components)`,
  input: (vm, synthetic) =>
    synthetic
      ? `${vm}: synthetic input over VMBus: the mouse speaks synthhid (L: hid-hyperv.c), the keyboard its own protocol (L: hyperv-keyboard.c)`
      : `${vm}: emulated PS/2 keyboard and mouse through the worker process`,
  ring: (ringKiB, knob) =>
    `ring: ${ringKiB} KiB per direction, allocated by the guest's driver when it opens the channel${knob === null ? '' : ` (Linux guests: ${knob.driver}'s ${knob.parameter} parameter)`}; no Hyper-V cmdlet sets it`,
  signalling: (batched) =>
    `signalling: ${batched ? 'batched through the monitor page (~100 µs)' : 'signalled at once, bypassing the monitor page'}; settled between Hyper-V's channel offer and the guest's driver, no cmdlet sets it`,
  vspInstance: (id, plugin, device) =>
    `${id}: ${plugin} in the root partition${device !== undefined ? `, driving ${device}` : ''}`,
  storvspSettings:
    "queueDepth, maxSubchannels, maxProtocolVersion: internal to Hyper-V's storage VSP; no cmdlet or documented setting changes them",
  netvspSriov:
    'sriov: the switch must be created with New-VMSwitch -EnableIov $true; then Set-VMNetworkAdapter -IovWeight 100 per adapter (0 turns it off)',
  netvspQueues:
    'maxQueues: the nearest control is Set-VMNetworkAdapter -VrssMaxQueuePairs, per adapter',
  pluginSettings: "its settings belong to this simulation's plugin; Hyper-V has no cmdlet for them",
};

/** `2048` MiB → `2GB`, `1536` → `1536MB`: how an admin writes sizes in PowerShell. */
export function psBytes(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}GB` : `${mib}MB`;
}

function quote(value: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(value) ? value : `'${value.replace(/'/g, "''")}'`;
}

/**
 * WS Set-VMProcessor: `-Reserve` and `-Maximum` are Int64 whole percent (0–100), so a fractional
 * percent cannot be typed there (PowerShell would round it). WMI can hold it: Msvm_ProcessorSettingData
 * counts Reservation and Limit in "percent / 1000" (100 % = 100000). Such a value is left out of
 * the cmdlet line and given as the WMI property instead.
 */
export function setVmProcessor(
  vm: string,
  p: ProcessorSettings,
  notes: PowerShellNotes = ENGLISH_NOTES,
): string {
  const wmi: string[] = [];
  let line = `Set-VMProcessor -VMName ${quote(vm)} -Count ${p.count} -RelativeWeight ${p.weight}`;
  for (const [parameter, property, percent] of [
    ['Reserve', 'Reservation', p.reservePercent],
    ['Maximum', 'Limit', p.limitPercent],
  ] as const) {
    if (Number.isInteger(percent)) line += ` -${parameter} ${percent}`;
    else wmi.push(`${property} = ${Math.round(percent * 1000)}`);
  }
  if (wmi.length === 0) return line;
  return `${line}\n# ${notes.wmiPercent(wmi.join(', '))}`;
}

export function setVmMemory(vm: string, m: MemorySettings): string {
  if (!m.dynamic) {
    return `Set-VMMemory -VMName ${quote(vm)} -DynamicMemoryEnabled $false -StartupBytes ${psBytes(m.startupMiB)}`;
  }
  return (
    `Set-VMMemory -VMName ${quote(vm)} -DynamicMemoryEnabled $true` +
    ` -MinimumBytes ${psBytes(m.minimumMiB)} -StartupBytes ${psBytes(m.startupMiB)}` +
    ` -MaximumBytes ${psBytes(m.maximumMiB)} -Buffer ${m.bufferPercent} -Priority ${m.priority}`
  );
}

export function setVirtualNuma(
  vm: string,
  enabled: boolean,
  notes: PowerShellNotes = ENGLISH_NOTES,
): string {
  return `# ${notes.virtualNuma(vm, enabled)}`;
}

/**
 * WS "Manage Hyper-V hypervisor scheduler types": `bcdedit /set hypervisorschedulertype
 * Classic|Core|Root`, applied at the next boot. The root scheduler is the Windows client default
 * and "isn't supported on Hyper-V on Windows Server"; under it per-VM weight, reserve and limit
 * do not apply, so the line says so.
 */
export function setSchedulerType(
  type: SchedulerType,
  notes: PowerShellNotes = ENGLISH_NOTES,
): string {
  const name = type === 'classic' ? 'Classic' : type === 'core' ? 'Core' : 'Root';
  const line = `bcdedit /set hypervisorschedulertype ${name}   # ${notes.afterReboot}`;
  return type === 'root' ? `${line}\n# ${notes.rootScheduler}` : line;
}

/**
 * WS "Hyper-V Host CPU Resource Management" (minroot): `bcdedit /set hypervisorrootproc n`
 * gives the root n VPs; "the system must be rebooted" and it cannot change at runtime.
 */
export function setRootVps(count: number, notes: PowerShellNotes = ENGLISH_NOTES): string {
  return `bcdedit /set hypervisorrootproc ${count}   # ${notes.minroot(count)}`;
}

/**
 * WS "Manage Hyper-V Integration Services": "Linux integration services are generally provided
 * through the Linux kernel" (updated with it, by the package manager); Windows guests get them
 * in the box and, on a Windows Server 2016+ host, updates through Windows Update — "vmguest.iso
 * isn't included ... because it's no longer needed". The separate Linux Integration Services
 * download is only for old distributions.
 */
export function integrationComponents(
  vm: string,
  enabled: boolean,
  family: 'windows' | 'linux',
  notes: PowerShellNotes = ENGLISH_NOTES,
): string {
  if (!enabled) return `# ${notes.noIntegrationComponents(vm)}`;
  const install =
    family === 'linux' ? notes.integrationComponentsLinux : notes.integrationComponentsWindows;
  return `# ${install}\nEnable-VMIntegrationService -VMName ${quote(vm)} -Name 'Heartbeat','Guest Service Interface'`;
}

/** The drive letter a host disk is mounted as, for VHDX paths (ssd0 → D:, ssd1 → E:, …). */
/**
 * The cmdlet an administrator types for a VM management operation (WS docs: Suspend-VM,
 * Resume-VM, Save-VM, Start-VM, Stop-VM; Stop-VM -TurnOff "performs an immediate and
 * ungraceful shutdown", like pulling the power cord). Start-VM also restores a saved VM.
 */
export function managementCommand(vm: string, action: VmManagementAction): string {
  const name = quote(vm);
  switch (action) {
    case 'pause':
      return `Suspend-VM -Name ${name}`;
    case 'resume':
      return `Resume-VM -Name ${name}`;
    case 'save':
      return `Save-VM -Name ${name}`;
    case 'start':
      return `Start-VM -Name ${name}`;
    case 'stop':
      return `Stop-VM -Name ${name}`;
    case 'turn-off':
      return `Stop-VM -Name ${name} -TurnOff`;
  }
}

export function driveFor(diskIndex: number): string {
  return `${String.fromCharCode(68 + Math.min(diskIndex, 22))}:`;
}

export function addStorageRoute(
  vm: string,
  device: string,
  synthetic: boolean,
  drive: string,
): string {
  const controller = synthetic ? 'SCSI' : 'IDE';
  return `Add-VMHardDiskDrive -VMName ${quote(vm)} -ControllerType ${controller} -Path ${drive}\\Hyper-V\\${vm}-${device}.vhdx`;
}

export function addNetworkRoute(
  vm: string,
  device: string,
  switchName: string,
  legacy: boolean,
): string {
  return (
    `Add-VMNetworkAdapter -VMName ${quote(vm)} -Name ${quote(device)} -SwitchName ${quote(switchName)}` +
    (legacy ? ' -IsLegacy $true' : '')
  );
}

/** Where a route's device lives and what kind of VM it belongs to. */
export interface RouteBacking {
  /** Index of the host disk holding the VHDX (storage). */
  readonly diskIndex?: number;
  /** Virtual switch the adapter connects to (network). */
  readonly switchName?: string;
  /** The VM's generation (default 2). */
  readonly generation?: 1 | 2;
  /** The VM's first disk, the one it boots from. */
  readonly bootDisk?: boolean;
  /** The words of the comment lines (default: English). */
  readonly notes?: PowerShellNotes;
}

/**
 * A disk on a generation 1 VM (WS "Plan for Hyper-V scalability": "The startup disk ... must be
 * attached to one of the IDE devices"; a generation 1 VM has IDE controllers and no SCSI
 * controller until Add-VMScsiController adds one). The boot disk stays on IDE; with integration
 * components its I/O still takes the synthetic path, over the IDE accelerator channel that
 * storvsc binds (L: storvsc_drv.c — HV_IDE_GUID in `id_table`).
 */
function generation1StorageCommand(
  route: ChannelRoute | EmulatedRoute,
  synthetic: boolean,
  drive: string,
  backing: RouteBacking,
): string {
  const notes = backing.notes ?? ENGLISH_NOTES;
  if (!synthetic) return addStorageRoute(route.vm, route.device, false, drive);
  if (backing.bootDisk ?? false) {
    return (
      `${addStorageRoute(route.vm, route.device, false, drive)}\n` +
      `# ${notes.generation1BootDisk(IDE_ACCELERATOR_CLASS_GUID)}`
    );
  }
  return (
    `Add-VMScsiController -VMName ${quote(route.vm)}   # ${notes.generation1NoScsi}\n` +
    addStorageRoute(route.vm, route.device, true, drive)
  );
}

/** One route, whichever path it takes. `backing` locates the device and describes its VM. */
export function routeCommand(
  route: ChannelRoute | EmulatedRoute,
  cls: string,
  backing: RouteBacking,
): string {
  const synthetic = 'vsp' in route;
  const notes = backing.notes ?? ENGLISH_NOTES;
  if (cls === 'storage') {
    const drive = driveFor(backing.diskIndex ?? 0);
    return backing.generation === 1
      ? generation1StorageCommand(route, synthetic, drive, backing)
      : addStorageRoute(route.vm, route.device, synthetic, drive);
  }
  if (cls === 'network')
    return addNetworkRoute(route.vm, route.device, backing.switchName ?? 'External', !synthetic);
  if (cls === 'video') return `# ${notes.video(route.vm, synthetic)}`;
  return `# ${notes.input(route.vm, synthetic)}`;
}

/**
 * A channel's ring size and signalling, which the game lets the player change but no Hyper-V
 * cmdlet, bcdedit option or documented registry value sets: the guest's driver allocates the
 * rings when it opens the channel (L: storvsc's `storvsc_ringbuffer_size`, netvsc's `ring_size`
 * module parameters), and whether signals are batched through the monitor page is settled
 * between Hyper-V's offer and the guest's driver (rule 8). Rendered as comments, honestly.
 */
export function channelSettingsNote(
  cls: string,
  ringKiB: number,
  signalling: 'batched' | 'low-latency',
  notes: PowerShellNotes = ENGLISH_NOTES,
): string {
  const knob =
    cls === 'storage'
      ? { driver: 'storvsc', parameter: 'storvsc_ringbuffer_size' }
      : cls === 'network'
        ? { driver: 'netvsc', parameter: 'ring_size' }
        : null;
  return `# ${notes.ring(ringKiB, knob)}\n# ${notes.signalling(signalling === 'batched')}`;
}

/**
 * What an administrator can do about a VSP instance's settings. Hyper-V's storage VSP exposes no
 * queue depth, sub-channel count or protocol version to PowerShell. For the network VSP the
 * nearest real controls are per adapter: SR-IOV needs a switch made with
 * `New-VMSwitch -EnableIov $true` and `Set-VMNetworkAdapter -IovWeight` (1–100 on, 0 off), and
 * vRSS queues are capped with `Set-VMNetworkAdapter -VrssMaxQueuePairs` (WS: New-VMSwitch,
 * Set-VMNetworkAdapter).
 */
export function vspSettingsNote(
  vsp: { readonly id: string; readonly plugin: string; readonly device?: string },
  notes: PowerShellNotes = ENGLISH_NOTES,
): string {
  const lines = [notes.vspInstance(vsp.id, vsp.plugin, vsp.device)];
  if (vsp.plugin === 'hyperkata.storvsp') lines.push(notes.storvspSettings);
  else if (vsp.plugin === 'hyperkata.netvsp') lines.push(notes.netvspSriov, notes.netvspQueues);
  else lines.push(notes.pluginSettings);
  return lines.map((line) => `# ${line}`).join('\n');
}

/**
 * Where a route's device lives, read off the scenario and the configuration: the host disk (or
 * NIC, as the switch name) behind the VSP instance a channel goes to, or behind the worker
 * process's emulated device; the VM's generation; whether the device is the disk it boots from.
 *
 * @example
 * routeCommand(route, 'storage', routeBackingOf(scenario, configuration, route))
 * // 'Add-VMHardDiskDrive -VMName db01 -ControllerType SCSI -Path E:\\Hyper-V\\db01-scsi0.vhdx'
 */
export function routeBackingOf(
  scenario: Pick<Scenario, 'host' | 'vms'>,
  configuration: { readonly vsps: readonly { readonly id: string; readonly device?: string }[] },
  route: ChannelRoute | EmulatedRoute,
  notes: PowerShellNotes = ENGLISH_NOTES,
): RouteBacking {
  const hostDevice =
    'vsp' in route ? configuration.vsps.find((v) => v.id === route.vsp)?.device : route.backing;
  const vm = scenario.vms.find((v) => v.name === route.vm);
  return {
    diskIndex: Math.max(
      0,
      scenario.host.disks.findIndex((d) => d.id === hostDevice),
    ),
    switchName: hostDevice ?? 'External',
    generation: vm?.generation,
    bootDisk: vm?.devices.find((d) => d.class === 'storage')?.id === route.device,
    notes,
  };
}

/**
 * The whole configuration as the script an administrator would run on a real host to set it up:
 * the host's boot settings, then per VM its processors, memory, integration components and each
 * device's route (in the scenario's order), then the VSP instances. Devices connected to nothing
 * get no line: there is nothing to type for them. What no cmdlet sets — a ring size or signalling
 * the player changed, a VSP's settings — is a comment that says so; defaults go unsaid.
 *
 * @example
 * console.log(configurationScript(level.scenario, configuration));
 * // # ── lab12 ──
 * // bcdedit /set hypervisorrootproc 2   # minroot: the root partition gets 2 VP(s); …
 * // …
 */
export function configurationScript(
  scenario: Pick<Scenario, 'host' | 'vms'>,
  configuration: Configuration,
  notes: PowerShellNotes = ENGLISH_NOTES,
): string {
  const blocks: string[] = [
    [
      `# ── ${scenario.host.name} ──`,
      setRootVps(configuration.host.rootVps, notes),
      setSchedulerType(configuration.host.scheduler, notes),
    ].join('\n'),
  ];
  for (const spec of scenario.vms) {
    if (!Object.hasOwn(configuration.vms, spec.name)) continue;
    const vm = configuration.vms[spec.name];
    const lines = [
      `# ── ${spec.name} ──`,
      setVmProcessor(spec.name, vm.processor, notes),
      setVmMemory(spec.name, vm.memory),
      integrationComponents(spec.name, vm.integrationComponents, spec.os.family, notes),
    ];
    for (const device of spec.devices) {
      const at = (r: { vm: string; device: string }) =>
        r.vm === spec.name && r.device === device.id;
      const route = configuration.channels.find(at) ?? configuration.emulated.find(at);
      if (route === undefined) continue;
      lines.push(
        routeCommand(route, device.class, routeBackingOf(scenario, configuration, route, notes)),
      );
      // A channel as the driver opens it by default needs no word; one the player changed does.
      if ('vsp' in route && (route.ringKiB !== undefined || route.signalling === 'batched'))
        lines.push(
          channelSettingsNote(
            device.class,
            route.ringKiB ?? (device.class === 'network' ? 512 : 128),
            route.signalling,
            notes,
          ),
        );
    }
    blocks.push(lines.join('\n'));
  }
  // Each instance once; what Hyper-V lets one do about its settings only where it has some.
  if (configuration.vsps.length > 0)
    blocks.push(
      configuration.vsps
        .map((v) =>
          Object.keys(v.settings).length > 0
            ? vspSettingsNote(v, notes)
            : `# ${notes.vspInstance(v.id, v.plugin, v.device)}`,
        )
        .join('\n'),
    );
  return blocks.join('\n\n') + '\n';
}
