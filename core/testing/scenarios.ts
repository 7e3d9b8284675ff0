/**
 * Ready-made scenarios for the core's integration tests and benchmarks: one host, VMs with a
 * given workload, the minimal storage VSP. Tests state only what differs.
 */
import type { ConfigurationInput, ScenarioInput } from '../model/index.js';

export interface StorageVmOptions {
  readonly name: string;
  readonly kind?: 'database' | 'web' | 'file' | 'desktop' | 'batch' | 'idle';
  readonly vps?: number;
  readonly intensity?: number;
  readonly integrationComponents?: boolean;
  readonly generation?: 1 | 2;
  /** Its disks, each wired to the storage VSP (default one 100 GiB disk, `scsi0`). */
  readonly disks?: readonly { readonly id: string; readonly sizeGiB: number }[];
}

const ONE_DISK = [{ id: 'scsi0', sizeGiB: 100 }] as const;

/** A boot disk and a data disk (on a generation 1 VM: the IDE accelerator's disk, then SCSI). */
export const TWO_DISKS = [
  { id: 'disk0', sizeGiB: 40 },
  { id: 'disk1', sizeGiB: 100 },
] as const;

export function storageHost(options: {
  vms: readonly StorageVmOptions[];
  cores?: number;
  threadsPerCore?: 1 | 2;
  rootVps?: number;
  scheduler?: 'classic' | 'core' | 'root';
  durationMs?: number;
  seed?: number;
  perRequestNs?: number;
}): { scenario: ScenarioInput; configuration: ConfigurationInput } {
  const scenario: ScenarioInput = {
    host: {
      processor: {
        sockets: 1,
        coresPerSocket: options.cores ?? 4,
        threadsPerCore: options.threadsPerCore ?? 2,
      },
      memoryMiB: 262144,
      disks: [
        { id: 'ssd0', kind: 'nvme', iops: 400_000, mbps: 3000, latencyUs: 80, queueDepth: 256 },
      ],
    },
    vms: options.vms.map((vm) => ({
      name: vm.name,
      generation: vm.generation ?? 2,
      os: {
        family: 'linux',
        release: 'Ubuntu 22.04',
        integrationComponents: vm.generation !== 1 || vm.integrationComponents !== false,
      },
      devices: (vm.disks ?? ONE_DISK).map((d) => ({
        id: d.id,
        class: 'storage' as const,
        sizeGiB: d.sizeGiB,
      })),
      workload: { kind: vm.kind ?? 'database', intensity: vm.intensity ?? 1, memoryMiB: 1024 },
    })),
    durationMs: options.durationMs ?? 200,
    seed: options.seed ?? 1,
  };
  const configuration: ConfigurationInput = {
    host: { scheduler: options.scheduler ?? 'classic', rootVps: options.rootVps ?? 2 },
    vms: Object.fromEntries(
      options.vms.map((vm) => [
        vm.name,
        {
          integrationComponents: vm.integrationComponents ?? true,
          processor: { count: vm.vps ?? 2 },
          memory: { dynamic: false, startupMiB: 2048 },
        },
      ]),
    ),
    vsps: [{ id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' }],
    channels: options.vms
      .filter((vm) => vm.integrationComponents !== false)
      .flatMap((vm) =>
        (vm.disks ?? ONE_DISK).map((d) => ({ vm: vm.name, device: d.id, vsp: 'stor' })),
      ),
  };
  return { scenario, configuration };
}
