/** A small level for the levels package's own tests, served by the core's minimal storage VSP. */
import type { LevelInput } from '../schema/level.js';

export function fixtureLevel(): LevelInput {
  return {
    format: 1,
    id: 'test-first-partition',
    title: { en: 'First partition', 'pt-BR': 'Primeira partição' },
    briefing: { en: 'Connect the disk.', 'pt-BR': 'Conecte o disco.' },
    hints: [
      { en: 'The VM has a storage VSC.', 'pt-BR': 'A VM tem um VSC de armazenamento.' },
      { en: 'The root has a storage VSP.', 'pt-BR': 'A raiz tem um VSP de armazenamento.' },
      { en: 'Draw a channel between them.', 'pt-BR': 'Desenhe um canal entre eles.' },
    ],
    concepts: [
      {
        id: 'vmbus-channel',
        title: { en: 'VMBus channels', 'pt-BR': 'Canais VMBus' },
        rules: [10, 11, 12],
      },
    ],
    scenario: {
      host: {
        processor: { sockets: 1, coresPerSocket: 4, threadsPerCore: 2 },
        memoryMiB: 32768,
        disks: [
          { id: 'ssd0', kind: 'ssd', iops: 100_000, mbps: 1000, latencyUs: 90, queueDepth: 64 },
        ],
      },
      vms: [
        {
          name: 'db01',
          generation: 2,
          os: { family: 'windows', release: 'Windows Server 2019' },
          devices: [{ id: 'scsi0', class: 'storage', sizeGiB: 100 }],
          workload: { kind: 'database', memoryMiB: 2048 },
        },
      ],
      durationMs: 150,
      seed: 11,
    },
    controls: { routing: true, rootVps: true },
    defaults: {
      host: { scheduler: 'classic', rootVps: 1 },
      vms: {
        db01: {
          integrationComponents: true,
          processor: { count: 2 },
          memory: { dynamic: false, startupMiB: 4096 },
        },
      },
      vsps: [{ id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' }],
      channels: [],
    },
    objectives: [
      {
        id: 'no-drops',
        scope: 'vm',
        vm: 'db01',
        metric: 'dropped',
        op: '<=',
        value: 0,
        label: { en: 'No I/O lost', 'pt-BR': 'Nenhuma E/S perdida' },
      },
      {
        id: 'fast',
        scope: 'vm',
        vm: '*',
        metric: 'p99LatencyUs',
        op: '<=',
        value: 2000,
        label: { en: 'p99 under 2 ms', 'pt-BR': 'p99 abaixo de 2 ms' },
      },
    ],
    stars: {
      two: [{ score: 'throughput', op: '>=', value: 1000 }],
      three: [{ score: 'cost', op: '<=', value: 12 }],
    },
    naiveFails: ['no-drops'],
  };
}
