/**
 * The run summary's fault line, as a plugin author reads it: a bug that fails every channel the
 * same way is said once, naming the channels, not once per channel.
 */
import { describe, expect, it } from '@jest/globals';
import type { SimReport } from '../../core/index.js';
import type { LevelResult } from '../../levels/index.js';
import { summary } from './run.js';

const result: LevelResult = {
  level: 'test-level',
  stars: 0,
  scores: { throughput: 0, p99LatencyUs: 0, rootCpuPercent: 0, cost: 0 },
  objectives: [],
};

/** The parts of a report the summary's fault line reads. */
function reportWith(faults: { plugin: string; vm: string; device: string; reason: string }[]) {
  return {
    vms: {},
    faults: { plugins: faults, isolation: [] },
    host: { isolationFaults: 0 },
    hash: '0',
  } as unknown as SimReport;
}

const THREW = 'onPacket threw a string: "disk on fire" (in onPacket (src/index.ts:67:3))';

describe('the run summary', () => {
  it('says a fault that failed several channels the same way once, naming each channel', () => {
    const text = summary(
      result,
      reportWith([
        { plugin: 'acme.vsp', vm: 'db02', device: 'scsi0', reason: THREW },
        { plugin: 'acme.vsp', vm: 'files02', device: 'scsi0', reason: THREW },
        { plugin: 'acme.vsp', vm: 'web01', device: 'scsi1', reason: 'exceeded its CPU budget' },
      ]),
      'en',
    );
    expect(text.split('\n').filter((l) => l.startsWith('  faults: '))).toEqual([
      `  faults: acme.vsp on db02/scsi0, files02/scsi0: ${THREW}; acme.vsp on web01/scsi1: exceeded its CPU budget`,
    ]);
  });
});

describe('the run summary a teacher reads', () => {
  const vm = (completed: number, dropped: number) => ({
    iops: completed === 0 ? 0 : 3717,
    p50LatencyUs: completed === 0 ? 0 : 143,
    p99LatencyUs: completed === 0 ? 0 : 176,
    cpuPercent: 10,
    dropped,
    completed,
    strayCompletions: 0,
    deviceFailures: {},
  });
  const report = {
    vms: { db01: vm(1115, 0), db02: vm(0, 1142) },
    faults: { plugins: [], isolation: [] },
    host: { isolationFaults: 0 },
    hash: '0',
  } as unknown as SimReport;
  const noLoss = {
    id: 'no-lost-io',
    metric: 'dropped' as const,
    op: '<=' as const,
    target: 0,
    label: { en: 'no VM loses I/O', 'pt-BR': 'nenhuma VM perde E/S' },
  };

  it('a met objective about every VM names no single VM', () => {
    const met = {
      ...result,
      objectives: [{ ...noLoss, scope: 'all' as const, met: true, value: 0 }],
    };
    expect(summary(met, report, 'en')).toContain('  ✔ no VM loses I/O (every VM)\n');
    expect(summary(met, report, 'pt-BR')).toContain('  ✔ nenhuma VM perde E/S (todas as VMs)\n');
    // Missed, it names the VM that missed it.
    const missed = {
      ...result,
      objectives: [
        {
          ...noLoss,
          scope: 'all' as const,
          met: false,
          value: 1142,
          vm: 'db02',
          missedBy: ['db02'],
        },
      ],
    };
    expect(summary(missed, report, 'en')).toContain('  ✘ no VM loses I/O (db02)\n');
  });

  it('a missed objective about every VM names each VM that missed it, and counts past six', () => {
    const missedBy = (n: number) => ({
      ...result,
      objectives: [
        {
          ...noLoss,
          scope: 'all' as const,
          met: false,
          value: 3,
          missedBy: Array.from({ length: n }, (_, i) => `web${String(i + 1).padStart(2, '0')}`),
        },
      ],
    });
    // Two VMs tied on the worst value: the line names both, not the first as if it alone did.
    expect(summary(missedBy(2), report, 'en')).toContain('  ✘ no VM loses I/O (web01, web02)\n');
    expect(summary(missedBy(9), report, 'en')).toContain(
      '  ✘ no VM loses I/O (web01, web02, web03, web04, web05, web06 and 3 more)\n',
    );
    expect(summary(missedBy(9), report, 'pt-BR')).toContain(
      '  ✘ nenhuma VM perde E/S (web01, web02, web03, web04, web05, web06 e mais 3)\n',
    );
  });

  it('a host objective names no VM, met or not', () => {
    const host = {
      id: 'root-light',
      metric: 'rootCpuPercent' as const,
      op: '<=' as const,
      target: 20,
      label: { en: 'the root stays light', 'pt-BR': 'a raiz fica leve' },
      scope: 'host' as const,
    };
    const text = summary(
      { ...result, objectives: [{ ...host, met: true, value: 7 }] },
      report,
      'en',
    );
    expect(text).toContain('  ✔ the root stays light\n');
  });

  it('a VM that completed nothing shows no latency, and counts are written the Brazilian way', () => {
    const text = summary(result, report, 'pt-BR');
    expect(text).toMatch(/ db02 +0 op\/s {2}p50 — {2}p99 — {2}CPU 10% {2}perdidas 1\.142\n/);
    expect(text).toMatch(/ db01 +3\.717 op\/s {2}p50 143 µs {2}p99 176 µs/);
  });
});

describe('a run short of three stars', () => {
  const report = {
    vms: {},
    faults: { plugins: [], isolation: [] },
    host: { isolationFaults: 0 },
    hash: '0',
  } as unknown as SimReport;
  const scores = { throughput: 14643, p99LatencyUs: 188, rootCpuPercent: 7, cost: 37 };
  const stars = {
    two: [{ score: 'p99LatencyUs' as const, op: '<=' as const, value: 2000 }],
    three: [{ score: 'cost' as const, op: '<=' as const, value: 30 }],
  };

  it('says what the next star needs and what this run scored, in the chosen language', () => {
    const two = { ...result, stars: 2 as const, scores };
    expect(summary(two, report, 'en', [], stars)).toContain(
      '\n  ★★★ needs cost ≤ 30 (this run: 37)\n',
    );
    expect(summary(two, report, 'pt-BR', [], stars)).toContain(
      '\n  ★★★ precisa de custo ≤ 30 (esta execução: 37)\n',
    );
  });

  it('three stars, or none (an objective missed says why), need no such line', () => {
    for (const n of [0, 3] as const)
      expect(summary({ ...result, stars: n, scores }, report, 'en', [], stars)).not.toContain(
        'needs',
      );
  });
});

describe('the run summary names a driver that gave up', () => {
  const vm = (deviceFailures: Record<string, string>) => ({
    iops: 0,
    p50LatencyUs: 0,
    p99LatencyUs: 0,
    cpuPercent: 1,
    dropped: 0,
    completed: 0,
    strayCompletions: 0,
    deviceFailures,
  });
  const report = (faults: { plugin: string; vm: string; device: string; reason: string }[]) =>
    ({
      vms: {
        bigdb: vm({ scsi0: 'Obsolete Hyper-V version' }),
        web01: vm({ scsi0: 'acme.vsp stopped the channel' }),
      },
      faults: { plugins: faults, isolation: [] },
      host: { isolationFaults: 0 },
      hash: '0',
    }) as unknown as SimReport;

  it('rule 16: a device the guest gave up on, with no plugin fault to show for it, gets its own line', () => {
    const text = summary(
      result,
      report([{ plugin: 'acme.vsp', vm: 'web01', device: 'scsi0', reason: THREW }]),
      'en',
    );
    const gaveUp = text.split('\n').filter((l) => l.includes('gave up'));
    // web01's channel is already on the faults line, with the plugin's own reason.
    expect(gaveUp).toEqual(['  driver gave up: bigdb/scsi0 — Obsolete Hyper-V version']);
    expect(summary(result, report([]), 'pt-BR')).toContain(
      '  driver desistiu: bigdb/scsi0 — Obsolete Hyper-V version',
    );
  });
});
