/**
 * Test fixture: the scenario and configuration of a random host of the VMBus and device property
 * tests (core/simulation/{vmbus,devices}.properties.test.ts) — one disk (a local NVMe, or a SAN
 * LUN at 1.5 ms a request), one NIC, Linux guests on storvsp and netvsp, legacy ones on emulated
 * IDE — as plain data for `Simulation.create`. Each test file draws its own hosts; this only
 * builds them. Not part of the API.
 */
import type {
  ConfigurationInput,
  HostileAttack,
  HostOs,
  ScenarioInput,
  WorkloadKind,
} from '../../model/index.js';

export interface RandomBusVm {
  /** false: a legacy guest (generation 1, no integration components) on emulated IDE. */
  readonly enlightened?: boolean;
  readonly vps: number;
  readonly kind: WorkloadKind;
  readonly intensity: number;
  readonly network: boolean;
  readonly batched: boolean;
  /** Ring size per direction, KiB (rule 9); undefined: the driver's default. */
  readonly storageRingKiB?: number | undefined;
  readonly networkRingKiB?: number | undefined;
  /** A hostile guest (level 11's mechanics): what it sends, how often, from when. */
  readonly hostile?: { attacks: HostileAttack[]; rate: number; startMs: number } | null;
}

export interface RandomBusHost {
  readonly os: HostOs;
  readonly cores: number;
  readonly rootVps: number;
  readonly queueDepth: number;
  /** storvsp's maxSubchannels setting (-1: (vCPUs − 1) / 4, rule 16). */
  readonly maxSubchannels: number;
  readonly maxQueues: number;
  /** A SAN LUN at 1.5 ms a request instead of a local NVMe disk: requests pile up in the rings. */
  readonly slowDisk: boolean;
  readonly vms: readonly RandomBusVm[];
  readonly seed: number;
  /** The NIC offers SR-IOV virtual functions (rule 20). */
  readonly sriov?: boolean;
  /** storvsp's newest protocol version (rule 16: storvsc falls back 6.2 → 6.0 → 5.1). */
  readonly storageVersion?: '6.2' | '6.0' | '5.1';
}

export const vmName = (i: number): string => `vm${String(i)}`;

/** `h` as a level's scenario and a player's configuration; `batched` overrides every channel's. */
export function buildBusHost(
  h: RandomBusHost,
  durationMs: number,
  batched?: boolean,
): { scenario: ScenarioInput; configuration: ConfigurationInput } {
  const enlightened = (vm: RandomBusVm) => vm.enlightened !== false;
  return {
    scenario: {
      host: {
        os: h.os,
        processor: { sockets: 1, coresPerSocket: h.cores, threadsPerCore: 2 },
        memoryMiB: 65_536,
        disks: [
          h.slowDisk
            ? {
                id: 'ssd0',
                kind: 'ssd',
                iops: 200_000,
                mbps: 4000,
                latencyUs: 1500,
                queueDepth: 512,
              }
            : {
                id: 'ssd0',
                kind: 'nvme',
                iops: 400_000,
                mbps: 3000,
                latencyUs: 80,
                queueDepth: 256,
              },
        ],
        nics: [{ id: 'nic0', gbps: 10, latencyUs: 20, sriov: h.sriov === true }],
      },
      vms: h.vms.map((vm, i) => ({
        name: vmName(i),
        generation: enlightened(vm) ? 2 : 1,
        os: {
          family: 'linux',
          release: enlightened(vm) ? 'Ubuntu 22.04' : 'CentOS 5',
          integrationComponents: enlightened(vm),
        },
        devices: enlightened(vm)
          ? [
              { id: 'scsi0', class: 'storage', sizeGiB: 100 },
              ...(vm.network ? [{ id: 'nic0', class: 'network' as const }] : []),
            ]
          : [{ id: 'ide0', class: 'storage', sizeGiB: 40 }],
        workload: { kind: vm.kind, intensity: vm.intensity, memoryMiB: 512 },
        ...(vm.hostile === undefined || vm.hostile === null
          ? {}
          : {
              hostile: {
                attacks: vm.hostile.attacks,
                ratePerSecond: vm.hostile.rate,
                startMs: vm.hostile.startMs,
              },
            }),
      })),
      durationMs,
      seed: h.seed,
    },
    configuration: {
      host: { scheduler: 'classic', rootVps: Math.min(h.rootVps, 2 * h.cores) },
      vms: Object.fromEntries(
        h.vms.map((vm, i) => [
          vmName(i),
          {
            integrationComponents: enlightened(vm),
            processor: { count: enlightened(vm) ? vm.vps : 1 },
            memory: { dynamic: false, startupMiB: 1024 },
          },
        ]),
      ),
      vsps: [
        {
          id: 'stor',
          plugin: 'hyperkata.storvsp',
          device: 'ssd0',
          settings: {
            queueDepth: h.queueDepth,
            maxSubchannels: h.maxSubchannels,
            ...(h.storageVersion === undefined ? {} : { maxProtocolVersion: h.storageVersion }),
          },
        },
        {
          id: 'net',
          plugin: 'hyperkata.netvsp',
          device: 'nic0',
          settings: { maxQueues: h.maxQueues },
        },
      ],
      channels: h.vms.flatMap((vm, i) => {
        if (!enlightened(vm)) return [];
        const signalling =
          (batched ?? vm.batched) ? ('batched' as const) : ('low-latency' as const);
        const ring = (kiB: number | undefined) => (kiB === undefined ? {} : { ringKiB: kiB });
        return [
          { vm: vmName(i), device: 'scsi0', vsp: 'stor', ...ring(vm.storageRingKiB), signalling },
          ...(vm.network
            ? [
                {
                  vm: vmName(i),
                  device: 'nic0',
                  vsp: 'net',
                  ...ring(vm.networkRingKiB),
                  signalling,
                },
              ]
            : []),
        ];
      }),
      emulated: h.vms.flatMap((vm, i) =>
        enlightened(vm) ? [] : [{ vm: vmName(i), device: 'ide0', backing: 'ssd0' }],
      ),
    },
  };
}
