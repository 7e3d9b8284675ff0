/**
 * The inputs the core's TSDoc examples run on: a scenario (the host and its VMs) and a player's
 * configuration, as the plain data a level file holds. core/tsdoc.test.ts runs the examples.
 */
import type { ConfigurationInput, ScenarioInput } from '../../../core/index.js';

export const scenario: ScenarioInput = {
  host: {
    processor: { sockets: 1, coresPerSocket: 4, threadsPerCore: 2 },
    memoryMiB: 65_536,
    disks: [
      { id: 'ssd0', kind: 'nvme', iops: 400_000, mbps: 3000, latencyUs: 80, queueDepth: 256 },
    ],
  },
  vms: [
    {
      name: 'db01',
      generation: 2,
      os: { family: 'linux', release: 'Ubuntu 22.04' },
      devices: [{ id: 'scsi0', class: 'storage', sizeGiB: 100 }],
      workload: { kind: 'database', memoryMiB: 1024 },
    },
  ],
  durationMs: 120,
  seed: 1,
};

export const configuration: ConfigurationInput = {
  host: { scheduler: 'core', rootVps: 2 },
  vms: {
    db01: {
      integrationComponents: true,
      processor: { count: 2 },
      memory: { dynamic: false, startupMiB: 2048 },
    },
  },
  vsps: [{ id: 'storvsp-ssd0', plugin: 'hyperkata.storvsp', device: 'ssd0' }],
  channels: [{ vm: 'db01', device: 'scsi0', vsp: 'storvsp-ssd0' }],
};
