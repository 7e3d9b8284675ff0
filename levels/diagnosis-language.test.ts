/**
 * A diagnosis writes its numbers as its language does: pt-BR "53,9%" and "37.237", English
 * "53.9%" and "37,237" — for every cause, whatever the measured values. What the diagnosis
 * quotes from the model verbatim (a VM's start failure, a plugin's fault reason, an isolation
 * fault's detail, names) is not its own number: a version "6.2" or a GUID stays as written.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { Configuration, DiskSpec, SimReport, VmReport } from '../core/index.js';
import { diagnose } from './diagnosis.js';
import type { Level, Objective } from './schema/level.js';

/** Model text a diagnosis quotes as it is: versions and GUIDs are not numbers to localize. */
const QUOTED = 'VMBus protocol 6.2 refused, offer {ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}';

/** ssd0 as the cases see it: 40 000 IOPS, 600 MB/s, 100 µs, 32 slots. */
const SATURATED_SSD = {
  id: 'ssd0',
  iops: 40_000,
  mbps: 600,
  latencyUs: 100,
  queueDepth: 32,
} as DiskSpec;

function healthyVm(over: Partial<VmReport>): VmReport {
  return {
    path: { scsi0: 'synthetic' },
    deviceFailures: {},
    completed: 100,
    misrouted: 0,
    dropped: 0,
    strayCompletions: 0,
    ringFullPercent: 0,
    ringOccupancyPercent: 0,
    readyPercent: 0,
    memoryPressure: 50,
    memory: { pagingMB: 0, demandMiB: 6144 },
    heartbeat: 'OK',
    failure: '',
    ...over,
  } as unknown as VmReport;
}

interface Case {
  readonly metric: string;
  readonly vm?: VmReport;
  readonly host?: Partial<SimReport['host']>;
  readonly faults?: Partial<SimReport['faults']>;
  readonly channels?: number;
  /** The level's figures for ssd0 (default: the disk the cases' IOPS saturate). */
  readonly disk?: DiskSpec;
  /** The VSP instance's settings. */
  readonly settings?: Record<string, number>;
  /** The level's run length: Dynamic Memory acts only in runs longer than a second (rule 34). */
  readonly durationMs?: number;
}

function run(c: Case): ReturnType<typeof diagnose> {
  const vms: Record<string, VmReport> = c.vm === undefined ? {} : { db01: c.vm };
  const report = {
    vsps: { stor: { channels: c.channels ?? 1 } },
    host: { rootCpuPercent: 10, disks: { ssd0: { busyPercent: 5 } }, ...c.host },
    vms,
    faults: { plugins: [], isolation: [], ...c.faults },
  } as unknown as SimReport;
  const channels = Array.from({ length: c.channels ?? 1 }, (_, i) => ({
    vm: 'db01',
    device: i === 0 ? 'scsi0' : `d${i}`,
    vsp: 'stor',
    signalling: 'low-latency',
  }));
  const config = {
    channels,
    vsps: [{ id: 'stor', plugin: 'acme.stor', device: 'ssd0', settings: c.settings ?? {} }],
    vms: { db01: { integrationComponents: true, memory: { dynamic: false } } },
    emulated: [],
  } as unknown as Configuration;
  const level = {
    scenario: {
      durationMs: c.durationMs ?? 400,
      host: { disks: [c.disk ?? SATURATED_SSD] },
      vms: [{ name: 'db01', devices: [{ id: 'scsi0', class: 'storage' }] }],
    },
    controls: { vspInstances: true, integrationComponents: false },
  } as unknown as Level;
  const objective = { id: 'o', metric: c.metric, op: '<=', value: 1 } as unknown as Objective;
  return diagnose({
    objective,
    value: 2,
    ...(c.vm === undefined ? {} : { vm: 'db01' }),
    report,
    config,
    level,
  });
}

/** Every number a text writes, without what it quotes from the model. */
const numbers = (text: string): string[] => text.replace(QUOTED, '').match(/\d[\d.,]*\d|\d/g) ?? [];
const EN_NUMBER = /^\d{1,3}(,\d{3})*(\.\d+)?$/;
const PT_NUMBER = /^\d{1,3}(\.\d{3})*(,\d+)?$/;
const valueEn = (n: string): number => Number(n.replace(/,/g, ''));
const valuePt = (n: string): number => Number(n.replace(/\./g, '').replace(',', '.'));

function expectLocalized(d: ReturnType<typeof diagnose>, cause: string): void {
  expect(d.cause).toBe(cause);
  const en = numbers(d.en);
  const pt = numbers(d['pt-BR']);
  expect(en.filter((n) => !EN_NUMBER.test(n))).toEqual([]);
  expect(pt.filter((n) => !PT_NUMBER.test(n))).toEqual([]);
  // The same values in both languages: only their writing differs.
  const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
  expect(sorted(pt.map(valuePt))).toEqual(sorted(en.map(valueEn)));
}

const percent = (min: number, max: number) =>
  fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const count = fc.integer({ min: 1, max: 5_000_000 });

/** Each cause, the measures that trigger it alone, and the values fast-check draws for them. */
const CASES: readonly [string, fc.Arbitrary<Case>][] = [
  [
    'root-busy',
    fc.tuple(percent(5.01, 99.99), percent(0, 100)).map(([ring, root]) => ({
      metric: 'p99LatencyUs',
      vm: healthyVm({ ringOccupancyPercent: ring }),
      host: { rootCpuPercent: root },
    })),
  ],
  [
    'ring-full',
    percent(5.01, 100).map((full) => ({
      metric: 'p99LatencyUs',
      vm: healthyVm({ ringFullPercent: full }),
    })),
  ],
  [
    'cpu-wait',
    percent(10.01, 100).map((ready) => ({
      metric: 'p99LatencyUs',
      vm: healthyVm({ readyPercent: ready }),
    })),
  ],
  [
    'memory-pressure',
    percent(100.01, 10_000).map((pressure) => ({
      metric: 'p99LatencyUs',
      vm: healthyVm({ memoryPressure: pressure }),
    })),
  ],
  [
    'memory-pressure',
    fc
      .tuple(percent(0, 100), percent(0.01, 100_000), percent(32, 1_000_000), percent(1, 60_000))
      .map(([pressure, paged, demand, durationMs]) => ({
        metric: 'pagingMB',
        vm: healthyVm({
          memoryPressure: pressure,
          memory: { pagingMB: paged, demandMiB: demand } as VmReport['memory'],
        }),
        durationMs: Math.round(durationMs),
      })),
  ],
  [
    'disk-busy',
    percent(85.01, 100).map((busy) => ({
      metric: 'p99LatencyUs',
      vm: healthyVm({}),
      host: {
        disks: { ssd0: { busyPercent: busy, iops: 38_000, mbps: 300, averageQueue: 40 } },
      },
    })),
  ],
  [
    'vsp-queue-depth',
    fc
      // The VSP's cap (depth × channels ≤ 128) holds the disk's queue under half its 512 slots:
      // past that the disk itself is busy, which is the disk-busy case.
      .tuple(percent(85.01, 100), fc.integer({ min: 1, max: 32 }), fc.integer({ min: 1, max: 4 }))
      .map(([busy, depth, channels]) => ({
        metric: 'p99LatencyUs',
        vm: healthyVm({}),
        channels,
        settings: { queueDepth: depth },
        disk: { ...SATURATED_SSD, iops: 200_000, latencyUs: 1500, queueDepth: 512 },
        host: {
          disks: {
            ssd0: { busyPercent: busy, iops: 2_453, mbps: 20, averageQueue: depth * channels },
          },
        },
      })),
  ],
  [
    'few-in-flight',
    percent(85.01, 100).map((busy) => ({
      metric: 'p99LatencyUs',
      vm: healthyVm({}),
      disk: { ...SATURATED_SSD, iops: 200_000, latencyUs: 1500, queueDepth: 512 },
      host: {
        disks: { ssd0: { busyPercent: busy, iops: 2_453, mbps: 20, averageQueue: 3.7 } },
      },
    })),
  ],
  [
    'not-connected',
    count.map((dropped) => ({
      metric: 'dropped',
      vm: healthyVm({ path: { scsi0: 'none' }, dropped }),
    })),
  ],
  ['misrouted', count.map((misrouted) => ({ metric: 'misrouted', vm: healthyVm({ misrouted }) }))],
  [
    'stray-completions',
    count.map((strayCompletions) => ({
      metric: 'strayCompletions',
      vm: healthyVm({ strayCompletions }),
    })),
  ],
  [
    'low-latency-signalling',
    fc.integer({ min: 1, max: 1500 }).map((channels) => ({ metric: 'interrupts', channels })),
  ],
];

describe('diagnoses write numbers as their language does', () => {
  it.each(CASES.map(([cause, arb], i) => [`${cause} #${i}`, cause, arb] as const))(
    '%s: pt-BR "53,9%" and "37.237", English "53.9%" and "37,237"',
    (_name, cause, arb) => {
      fc.assert(
        fc.property(arb, (c) => {
          expectLocalized(run(c), cause);
        }),
        { numRuns: 60 },
      );
    },
  );

  it('a fractional percentage and a large count read as a Brazilian reads them', () => {
    const d = run({ metric: 'p99LatencyUs', vm: healthyVm({ ringOccupancyPercent: 53.94 }) });
    expect(d['pt-BR']).toContain('53,9%');
    expect(d.en).toContain('53.9%');
    const lost = run({
      metric: 'dropped',
      vm: healthyVm({ path: { scsi0: 'none' }, dropped: 37237 }),
    });
    expect(lost['pt-BR']).toContain('37.237 operações perdidas');
    expect(lost.en).toContain('37,237 operations dropped');
  });

  it.each([
    ['vm-failed', { metric: 'p99LatencyUs', vm: healthyVm({ failure: QUOTED }) }],
    [
      'channel-failed',
      {
        metric: 'p99LatencyUs',
        vm: healthyVm({}),
        faults: {
          plugins: [
            { vm: 'db01', device: 'scsi0', plugin: 'p', kind: 'plugin-crash', reason: QUOTED },
          ],
        } as unknown as SimReport['faults'],
      },
    ],
    [
      'device-failed',
      {
        metric: 'p99LatencyUs',
        vm: healthyVm({ completed: 0, deviceFailures: { scsi0: QUOTED } }),
      },
    ],
    [
      'isolation',
      {
        metric: 'isolationFaults',
        faults: {
          isolation: [{ time: 0, vm: 'db01', actor: 'stor', kind: 'gpa', detail: QUOTED }],
        } as unknown as SimReport['faults'],
      },
    ],
  ] as const)('%s quotes the model verbatim: its "6.2" and GUID stay as written', (cause, c) => {
    const d = run(c);
    expect(d.cause).toBe(cause);
    expect(d['pt-BR']).toContain(QUOTED);
    expect(d.en).toContain(QUOTED);
  });
});

describe('a count reads in the singular or the plural its number asks for', () => {
  // Before: "1 channel(s) signal", "7 canal(is) … avisa(m)" — the count is known, so say it.
  it('low-latency channels: one channel signals, seven channels signal', () => {
    const one = run({ metric: 'interrupts', channels: 1 });
    expect(one.cause).toBe('low-latency-signalling');
    expect(one.en).toContain('1 channel signals the guest');
    expect(one['pt-BR']).toContain('1 canal com sinalização imediata (low-latency) avisa o');
    const seven = run({ metric: 'interrupts', channels: 7 });
    expect(seven.en).toContain('7 channels signal the guest');
    expect(seven['pt-BR']).toContain('7 canais com sinalização imediata (low-latency) avisam o');
    for (const d of [one, seven]) expect(`${d.en} ${d['pt-BR']}`).not.toMatch(/\((s|is|m)\)/);
  });

  it('stray completions: one completion is dropped, five are', () => {
    const one = run({ metric: 'p99LatencyUs', vm: healthyVm({ strayCompletions: 1 }) });
    expect(one.cause).toBe('stray-completions');
    expect(one.en).toContain('sent 1 completion whose trans_id');
    expect(one.en).toContain('the guest dropped it');
    expect(one['pt-BR']).toContain('enviou 1 conclusão cujo trans_id');
    expect(one['pt-BR']).toContain('o convidado a descartou');
    const five = run({ metric: 'p99LatencyUs', vm: healthyVm({ strayCompletions: 5 }) });
    expect(five.en).toContain('sent 5 completions whose trans_id');
    expect(five.en).toContain('the guest dropped them');
    expect(five['pt-BR']).toContain('enviou 5 conclusões cujo trans_id');
    expect(five['pt-BR']).toContain('o convidado as descartou');
  });
});
