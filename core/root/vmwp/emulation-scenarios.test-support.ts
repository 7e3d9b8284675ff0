/**
 * Whole-host scenarios for the emulation tests (not a test file itself): one generation 1 VM
 * whose devices are routed either through the worker process (no integration components, rule
 * 21) or over synthetic channels (integration components installed) — the same VM, the same
 * workload, only the path differs.
 */
import type { ConfigurationInput, ScenarioInput } from '../../model/index.js';

export type DevicePath = 'emulated' | 'synthetic';

export interface LegacyVmOptions {
  readonly path: DevicePath;
  readonly kind: 'database' | 'file' | 'desktop' | 'batch';
  readonly intensity?: number;
  /** Device classes the VM has (default: storage only). */
  readonly devices?: readonly ('storage' | 'video' | 'input')[];
  readonly durationMs?: number;
  readonly seed?: number;
  readonly vps?: number;
}

const DEVICE_IDS = { storage: 'disk0', video: 'vid0', input: 'mouse0' } as const;
const VSP_IDS = { storage: 'stor', video: 'video', input: 'input' } as const;

/** The host and configuration; the VM is `vm01`. Storage VSP: `test.minimal-storage`. */
export function legacyHost(o: LegacyVmOptions): {
  scenario: ScenarioInput;
  configuration: ConfigurationInput;
} {
  const devices = o.devices ?? ['storage'];
  const synthetic = o.path === 'synthetic';
  const scenario: ScenarioInput = {
    host: {
      processor: { sockets: 1, coresPerSocket: 4, threadsPerCore: 2 },
      memoryMiB: 65536,
      disks: [
        { id: 'ssd0', kind: 'nvme', iops: 400_000, mbps: 3000, latencyUs: 80, queueDepth: 256 },
      ],
    },
    vms: [
      {
        name: 'vm01',
        generation: 1,
        os: {
          family: 'linux',
          release: synthetic ? 'CentOS 7' : 'CentOS 5',
          integrationComponents: synthetic,
        },
        devices: devices.map((cls) =>
          cls === 'storage'
            ? { id: DEVICE_IDS[cls], class: cls, sizeGiB: 100 }
            : { id: DEVICE_IDS[cls], class: cls },
        ),
        workload: { kind: o.kind, intensity: o.intensity ?? 1, memoryMiB: 1024 },
      },
    ],
    durationMs: o.durationMs ?? 300,
    seed: o.seed ?? 11,
  };
  const configuration: ConfigurationInput = {
    host: { scheduler: 'classic', rootVps: 2 },
    vms: {
      vm01: {
        integrationComponents: synthetic,
        processor: { count: o.vps ?? 2 },
        memory: { dynamic: false, startupMiB: 2048 },
      },
    },
    vsps: [
      { id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' },
      { id: 'video', plugin: 'hyperkata.synthvid' },
      { id: 'input', plugin: 'hyperkata.synthhid' },
    ],
    channels: synthetic
      ? devices.map((cls) => ({ vm: 'vm01', device: DEVICE_IDS[cls], vsp: VSP_IDS[cls] }))
      : [],
    emulated: synthetic
      ? []
      : devices.map((cls) =>
          cls === 'storage'
            ? { vm: 'vm01', device: DEVICE_IDS[cls], backing: 'ssd0' }
            : { vm: 'vm01', device: DEVICE_IDS[cls] },
        ),
  };
  return { scenario, configuration };
}
