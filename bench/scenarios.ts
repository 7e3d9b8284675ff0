/**
 * The benchmark hosts. `datacenter-64`: 64 mixed VMs on a 32-LP host for one simulated second.
 * `max-host`: the Windows Server 2016 maximum host (512 LPs, 24 TB, 1024 running VMs, 2048 VPs)
 * for one simulated second (HYPERV.md rule 40).
 */
import type { ConfigurationInput, ScenarioInput, VspModule } from '../core/index.js';

/**
 * What a scenario must reach (issue 2, "Benchmarks"), checked on the first (cold) run: packets per
 * wall second at least, wall seconds and peak heap at most. The benchmark prints whether each holds.
 */
export interface BenchTarget {
  readonly minPacketsPerSecond?: number;
  readonly maxWallSeconds?: number;
  readonly maxPeakHeapBytes?: number;
}

export interface BenchScenario {
  readonly name: string;
  readonly scenario: ScenarioInput;
  readonly configuration: ConfigurationInput;
  readonly vsps: readonly VspModule[];
  readonly target: BenchTarget;
}

const KINDS = [
  'database',
  'file',
  'database',
  'batch',
  'idle',
  'database',
  'file',
  'desktop',
] as const;

export function mixedHost(options: {
  name: string;
  vms: number;
  sockets: number;
  coresPerSocket: number;
  memoryMiB: number;
  rootVps: number;
  vpsPerVm: number;
  disks: number;
  vsps: readonly VspModule[];
  storagePlugin: string;
  intensity: number;
  target?: BenchTarget;
}): BenchScenario {
  const disks = Array.from({ length: options.disks }, (_, i) => ({
    id: `nvme${i}`,
    kind: 'nvme' as const,
    iops: 1_000_000,
    mbps: 7000,
    latencyUs: 80,
    queueDepth: 1024,
  }));
  const names = Array.from({ length: options.vms }, (_, i) => `vm${String(i).padStart(4, '0')}`);
  const scenario: ScenarioInput = {
    host: {
      name: options.name,
      os: 'ws2019',
      processor: {
        sockets: options.sockets,
        coresPerSocket: options.coresPerSocket,
        threadsPerCore: 2,
      },
      memoryMiB: options.memoryMiB,
      disks,
      nics: [],
    },
    vms: names.map((name, i) => ({
      name,
      generation: 2,
      os: { family: 'linux', release: 'Ubuntu 22.04' },
      devices: [{ id: 'scsi0', class: 'storage', sizeGiB: 64 }],
      workload: {
        kind: KINDS[i % KINDS.length],
        intensity: options.intensity,
        memoryMiB: 1024,
      },
      startAtMs: 0,
    })),
    durationMs: 1000,
    seed: 2016,
  };
  const configuration: ConfigurationInput = {
    host: { scheduler: 'classic', rootVps: options.rootVps },
    vms: Object.fromEntries(
      names.map((name) => [
        name,
        {
          integrationComponents: true,
          processor: { count: options.vpsPerVm },
          memory: { dynamic: false, startupMiB: 2048 },
        },
      ]),
    ),
    vsps: disks.map((d) => ({ id: `stor-${d.id}`, plugin: options.storagePlugin, device: d.id })),
    channels: names.map((name, i) => ({
      vm: name,
      device: 'scsi0',
      vsp: `stor-nvme${i % options.disks}`,
    })),
  };
  return {
    name: options.name,
    scenario,
    configuration,
    vsps: options.vsps,
    target: options.target ?? {},
  };
}
