/**
 * Small, readable scenarios and configurations for tests: one host, a couple of VMs, the
 * built-in plugin ids. Tests override only what they are about.
 */
import type {
  ConfigurationInput,
  DeviceClass,
  PluginCatalog,
  ScenarioInput,
} from '../model/index.js';

export const TEST_PLUGINS: PluginCatalog = {
  deviceClassOf(id: string): DeviceClass | undefined {
    const known: Record<string, DeviceClass> = {
      'hyperkata.storvsp': 'storage',
      'hyperkata.netvsp': 'network',
      'hyperkata.synthvid': 'video',
      'hyperkata.synthhid': 'input',
      'hyperkata.dynmem': 'dynamic-memory',
      'hyperkata.heartbeat': 'heartbeat',
      'test.minimal-storage': 'storage',
    };
    return known[id];
  },
};

export function smallScenario(): ScenarioInput {
  return {
    host: {
      name: 'lab01',
      os: 'ws2019',
      processor: { sockets: 1, coresPerSocket: 4, threadsPerCore: 2 },
      memoryMiB: 32768,
      disks: [
        { id: 'ssd0', kind: 'ssd', iops: 80_000, mbps: 1_000, latencyUs: 90, queueDepth: 64 },
      ],
      nics: [{ id: 'nic0', gbps: 10, latencyUs: 20, sriov: false }],
    },
    vms: [
      {
        name: 'db01',
        generation: 2,
        os: { family: 'windows', release: 'Windows Server 2019' },
        devices: [
          { id: 'scsi0', class: 'storage', sizeGiB: 200 },
          { id: 'nic0', class: 'network' },
        ],
        workload: { kind: 'database', memoryMiB: 4096 },
      },
      {
        name: 'old01',
        generation: 1,
        os: { family: 'linux', release: 'CentOS 5', integrationComponents: false },
        devices: [{ id: 'ide0', class: 'storage', sizeGiB: 40 }],
        workload: { kind: 'file', memoryMiB: 1024 },
      },
    ],
    durationMs: 200,
    seed: 7,
  };
}

export function smallConfiguration(): ConfigurationInput {
  return {
    host: { scheduler: 'classic', rootVps: 2 },
    vms: {
      db01: {
        integrationComponents: true,
        processor: { count: 2 },
        memory: { dynamic: false, startupMiB: 4096 },
      },
      old01: {
        integrationComponents: false,
        processor: { count: 1 },
        memory: { dynamic: false, startupMiB: 1024 },
      },
    },
    vsps: [
      { id: 'storvsp-ssd0', plugin: 'hyperkata.storvsp', device: 'ssd0' },
      { id: 'netvsp-nic0', plugin: 'hyperkata.netvsp', device: 'nic0' },
      { id: 'heartbeat', plugin: 'hyperkata.heartbeat' },
    ],
    channels: [
      { vm: 'db01', device: 'scsi0', vsp: 'storvsp-ssd0' },
      { vm: 'db01', device: 'nic0', vsp: 'netvsp-nic0' },
    ],
    emulated: [{ vm: 'old01', device: 'ide0', backing: 'ssd0' }],
  };
}
