/**
 * Scenarios for integration-service and memory tests (icsvc): one host with a disk, VMs whose
 * workload wants a given working set, static or Dynamic Memory, the minimal storage VSP for
 * their disks, and optionally the heartbeat and Dynamic Memory VSP instances (by the built-in
 * plugin ids). Tests state only what differs.
 */
import type { ConfigurationInput, DiskSpec, ScenarioInput, WorkloadSpec } from '../model/index.js';

export interface MemoryVmOptions {
  readonly name: string;
  readonly kind?: WorkloadSpec['kind'];
  readonly intensity?: number;
  /** The workload's working set at nominal load, MiB (it moves ±50 % with the load). */
  readonly workingSetMiB?: number;
  readonly phases?: WorkloadSpec['phases'];
  readonly vps?: number;
  /** Static memory, MiB (default 2048), unless `dynamic` is given. */
  readonly staticMiB?: number;
  readonly dynamic?: {
    readonly startupMiB: number;
    readonly minimumMiB: number;
    readonly maximumMiB: number;
    readonly bufferPercent?: number;
    readonly priority?: number;
  };
  readonly integrationComponents?: boolean;
  readonly family?: 'linux' | 'windows';
  /** A synthetic disk on the minimal storage VSP (default true); without one the guest cannot page. */
  readonly storage?: boolean;
}

export function memoryHost(options: {
  vms: readonly MemoryVmOptions[];
  hostMemoryMiB?: number;
  disk?: Partial<DiskSpec>;
  durationMs?: number;
  seed?: number;
  heartbeat?: boolean;
  dynmem?: boolean;
}): { scenario: ScenarioInput; configuration: ConfigurationInput } {
  const scenario: ScenarioInput = {
    host: {
      processor: { sockets: 1, coresPerSocket: 4, threadsPerCore: 2 },
      memoryMiB: options.hostMemoryMiB ?? 65536,
      disks: [
        {
          id: 'ssd0',
          kind: 'ssd',
          iops: 50_000,
          mbps: 500,
          latencyUs: 100,
          queueDepth: 32,
          ...options.disk,
        },
      ],
    },
    vms: options.vms.map((vm) => ({
      name: vm.name,
      generation: 2,
      os: {
        family: vm.family ?? 'linux',
        release: vm.family === 'windows' ? 'Windows Server 2019' : 'Ubuntu 22.04',
      },
      devices: vm.storage === false ? [] : [{ id: 'scsi0', class: 'storage', sizeGiB: 100 }],
      workload: {
        kind: vm.kind ?? 'database',
        intensity: vm.intensity ?? 0.25,
        memoryMiB: vm.workingSetMiB ?? 1024,
        ...(vm.phases === undefined ? {} : { phases: vm.phases }),
      },
    })),
    durationMs: options.durationMs ?? 3000,
    seed: options.seed ?? 1,
  };
  const vsps: NonNullable<ConfigurationInput['vsps']> = [
    { id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' },
  ];
  if (options.heartbeat ?? true) vsps.push({ id: 'heartbeat', plugin: 'hyperkata.heartbeat' });
  if (options.dynmem ?? options.vms.some((vm) => vm.dynamic !== undefined))
    vsps.push({ id: 'dm', plugin: 'hyperkata.dynmem' });
  const configuration: ConfigurationInput = {
    host: { scheduler: 'classic', rootVps: 2 },
    vms: Object.fromEntries(
      options.vms.map((vm) => [
        vm.name,
        {
          integrationComponents: vm.integrationComponents ?? true,
          processor: { count: vm.vps ?? 2 },
          memory:
            vm.dynamic === undefined
              ? { dynamic: false, startupMiB: vm.staticMiB ?? 2048 }
              : { dynamic: true, ...vm.dynamic },
        },
      ]),
    ),
    vsps,
    channels: options.vms
      .filter((vm) => vm.storage !== false && vm.integrationComponents !== false)
      .map((vm) => ({ vm: vm.name, device: 'scsi0', vsp: 'stor' })),
  };
  return { scenario, configuration };
}
