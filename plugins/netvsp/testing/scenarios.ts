/**
 * Small hosts for netvsp's and the network path's integration tests: one NIC, VMs with one network
 * adapter routed synthetic (netvsp), emulated (legacy 21140) or nowhere, and a web workload.
 */
import type { ConfigurationInput, ScenarioInput } from '../../../core/model/index.js';

export interface NetworkVmOptions {
  readonly name: string;
  readonly path: 'synthetic' | 'emulated' | 'none';
  readonly kind?: 'web' | 'file' | 'idle';
  readonly vps?: number;
  readonly intensity?: number;
  /** Also a synthetic disk on the minimal storage VSP (the web profile reads a little). */
  readonly disk?: boolean;
}

export function networkHost(options: {
  readonly vms: readonly NetworkVmOptions[];
  readonly sriov?: boolean;
  readonly gbps?: number;
  readonly rootVps?: number;
  readonly cores?: number;
  readonly durationMs?: number;
  readonly seed?: number;
  readonly netvspSettings?: Record<string, number | boolean>;
}): { scenario: ScenarioInput; configuration: ConfigurationInput } {
  const scenario: ScenarioInput = {
    host: {
      processor: { sockets: 1, coresPerSocket: options.cores ?? 8, threadsPerCore: 2 },
      memoryMiB: 262144,
      disks: [
        { id: 'ssd0', kind: 'nvme', iops: 400_000, mbps: 3000, latencyUs: 80, queueDepth: 256 },
      ],
      nics: [
        {
          id: 'nic0',
          gbps: options.gbps ?? 10,
          latencyUs: 20,
          sriov: options.sriov ?? false,
        },
      ],
    },
    vms: options.vms.map((vm) => ({
      name: vm.name,
      generation: vm.path === 'emulated' ? 1 : 2,
      os: {
        family: 'linux',
        release: vm.path === 'emulated' ? 'CentOS 5' : 'Ubuntu 22.04',
        integrationComponents: vm.path !== 'emulated',
      },
      devices: [
        { id: 'eth0', class: 'network' as const },
        ...(vm.disk === true ? [{ id: 'scsi0', class: 'storage' as const, sizeGiB: 100 }] : []),
      ],
      workload: { kind: vm.kind ?? 'web', intensity: vm.intensity ?? 1, memoryMiB: 1024 },
    })),
    durationMs: options.durationMs ?? 300,
    seed: options.seed ?? 1,
  };
  const configuration: ConfigurationInput = {
    host: { scheduler: 'classic', rootVps: options.rootVps ?? 2 },
    vms: Object.fromEntries(
      options.vms.map((vm) => [
        vm.name,
        {
          integrationComponents: vm.path !== 'emulated',
          processor: { count: vm.vps ?? 2 },
          memory: { dynamic: false, startupMiB: 2048 },
        },
      ]),
    ),
    vsps: [
      {
        id: 'net',
        plugin: 'hyperkata.netvsp',
        device: 'nic0',
        settings: options.netvspSettings ?? {},
      },
      // The minimal storage VSP only when a VM has a disk (then the run must load it).
      ...(options.vms.some((vm) => vm.disk === true)
        ? [{ id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' }]
        : []),
    ],
    channels: [
      ...options.vms
        .filter((vm) => vm.path === 'synthetic')
        .map((vm) => ({ vm: vm.name, device: 'eth0', vsp: 'net' })),
      ...options.vms
        .filter((vm) => vm.disk === true)
        .map((vm) => ({ vm: vm.name, device: 'scsi0', vsp: 'stor' })),
    ],
    emulated: options.vms
      .filter((vm) => vm.path === 'emulated')
      .map((vm) => ({ vm: vm.name, device: 'eth0', backing: 'nic0' })),
  };
  return { scenario, configuration };
}
