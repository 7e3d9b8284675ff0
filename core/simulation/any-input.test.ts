/**
 * Issue 2 item 12 as a property: any scenario and configuration shaped like the schemas — with
 * values drawn at and past every bound (min memory above startup, weight 0, 300 VPs, more static
 * memory than the host has, a channel to a VSP of another class…) — is either refused by
 * `Simulation.create` with a ConfigurationError naming the input, the field and what was expected,
 * or runs to its end without throwing and reports finite figures. Nothing throws from inside a run.
 * levels/hostile-files.test.ts is the counterpart for edits of level and solution files.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { ConfigurationError, HOST_RELEASES, HOSTILE_ATTACKS, WORKLOAD_KINDS } from '../index.js';
import { Simulation } from './simulation.js';

const SOURCES = { scenario: 's.json', configuration: 'c.json' } as const;
const NAMES = ['db01', 'web01', 'old01'] as const;
const DEVICES = [
  { id: 'scsi0', class: 'storage' },
  { id: 'disk1', class: 'storage', sizeGiB: 40 },
  { id: 'eth0', class: 'network' },
  { id: 'vid0', class: 'video' },
  { id: 'kbd0', class: 'input' },
] as const;
const VSP_IDS = ['stor', 'net', 'vid', 'hid', 'dm', 'hb'] as const;
const HOST_DEVICES = ['ssd0', 'hdd0', 'nic0', 'nic1'] as const;

/**
 * Values within a bound; when `past` holds, one time in sixteen a value at or beyond it, so that
 * some inputs break one rule and others several.
 */
function within<T>(past: boolean, ok: readonly T[], beyond: readonly T[]): fc.Arbitrary<T> {
  if (!past) return fc.constantFrom(...ok);
  return fc.oneof(
    { arbitrary: fc.constantFrom(...ok), weight: 15 },
    { arbitrary: fc.constantFrom(...beyond), weight: 1 },
  );
}

/** A scenario: hardware, VMs, workloads; with `past`, values at and beyond every bound. */
function scenarioOf(past: boolean) {
  const disk = (id: string) =>
    fc.record({
      id: fc.constant(id),
      kind: fc.constantFrom('hdd', 'ssd', 'nvme'),
      iops: within(past, [200, 100_000], [49, 50]),
      mbps: fc.constantFrom(10, 200, 3000),
      latencyUs: fc.constantFrom(5, 80, 8000),
      queueDepth: within(past, [1, 32, 256], [0]),
    });
  const nic = (id: string) =>
    fc.record({
      id: fc.constant(id),
      gbps: within(past, [1, 10], [0.05, 0.1]),
      latencyUs: fc.constantFrom(1, 20),
      sriov: fc.boolean(),
    });
  const vm = fc
    .record(
      {
        name: fc.constantFrom(...NAMES),
        generation: fc.constantFrom(1, 2),
        os: fc.record({
          family: fc.constantFrom('windows', 'linux'),
          release: fc.constant('a release'),
          integrationComponents: fc.boolean(),
        }),
        devices: fc.uniqueArray(fc.constantFrom(...DEVICES), { maxLength: 4 }),
        workload: fc.record({
          kind: fc.constantFrom(...WORKLOAD_KINDS),
          intensity: within(past, [0, 0.5, 1, 3], [-1, 101]),
          memoryMiB: within(past, [256, 1024, 8192], [31]),
        }),
        hostile: fc.record({
          attacks: within(past, [1, 2], [0]).chain((n) =>
            fc.subarray([...HOSTILE_ATTACKS], { minLength: n, maxLength: n }),
          ),
          ratePerSecond: within(past, [0.1, 200], [0, 100_001]),
          startMs: fc.constantFrom(0, 5),
        }),
        startAtMs: fc.constantFrom(0, 3, 15),
      },
      { requiredKeys: ['name', 'generation', 'os', 'devices', 'workload'] },
    )
    // Within bounds, a generation 2 guest is enlightened (it has no emulated devices).
    .map((v) =>
      past || v.generation === 1 ? v : { ...v, os: { ...v.os, integrationComponents: true } },
    );
  return fc.record({
    host: fc.record({
      os: fc.constantFrom(...HOST_RELEASES),
      processor: fc.record({
        sockets: fc.constantFrom(1, 2),
        coresPerSocket: fc.constantFrom(1, 2, 4),
        threadsPerCore: fc.constantFrom(1, 2),
      }),
      memoryMiB: within(past, [8192, 65_536], [1023, 1024, 4096]),
      // ssd0 and nic0 (which a fitted configuration names) are always there; hdd0 and nic1 may be.
      disks: fc
        .tuple(disk('ssd0'), fc.option(disk('hdd0'), { nil: undefined }))
        .map(([a, b]) => (b === undefined ? [a] : [a, b])),
      nics: fc
        .tuple(nic('nic0'), fc.option(nic('nic1'), { nil: undefined }))
        .map(([a, b]) => (b === undefined ? [a] : [a, b])),
    }),
    vms: past
      ? fc.array(vm, { maxLength: 3 })
      : fc.uniqueArray(vm, { maxLength: 3, selector: (v) => v.name }),
    durationMs: within(past, [1, 12, 30], [0, 600_001]),
    seed: fc.nat(),
  });
}
type ScenarioDraw = ReturnType<typeof scenarioOf> extends fc.Arbitrary<infer S> ? S : never;

/** One VM's settings; with `past`, values at and beyond every bound and relation. */
function vmSettingsOf(past: boolean) {
  const mib = within(past, [512, 1024, 2048], [30, 32, 511, 1_048_576]);
  const dynamic = past
    ? fc.record({ startupMiB: mib, minimumMiB: mib, maximumMiB: mib })
    : fc
        .tuple(mib, mib, mib)
        .map((m) => m.sort((a, b) => a - b))
        .map(([minimumMiB, startupMiB, maximumMiB]) => ({ minimumMiB, startupMiB, maximumMiB }));
  return fc.record(
    {
      integrationComponents: fc.boolean(),
      processor: fc.record(
        {
          count: within(past, [1, 2, 4], [0, 65, 241, 300, 1025]),
          weight: within(past, [1, 100, 10_000], [0, 10_001]),
          reservePercent: within(past, [0, 10], [-1, 60, 101]),
          limitPercent: within(past, [50, 100], [0, 101]),
        },
        { requiredKeys: ['count'] },
      ),
      memory: fc.oneof(
        fc.record({ dynamic: fc.constant(false), startupMiB: mib }),
        fc
          .record({
            sizes: dynamic,
            bufferPercent: within(past, [5, 20, 2000], [4, 2001]),
            priority: within(past, [0, 50, 100], [-1, 101]),
          })
          .map(({ sizes, ...rest }) => ({ dynamic: true, ...sizes, ...rest })),
      ),
      virtualNuma: within(past, [false], [true]),
    },
    { requiredKeys: ['integrationComponents', 'processor', 'memory'] },
  );
}

/** A configuration drawn without regard to its scenario: most are refused. */
const wildConfiguration = fc.record({
  host: fc.record({
    scheduler: fc.constantFrom('classic', 'core', 'root'),
    rootVps: fc.constantFrom(0, 1, 2, 4, 17),
  }),
  vms: fc.dictionary(fc.constantFrom(...NAMES, 'ghost'), vmSettingsOf(true), { maxKeys: 4 }),
  vsps: fc.array(
    fc.record(
      {
        id: fc.constantFrom(...VSP_IDS),
        plugin: fc.constantFrom(...BUILT_IN_VSPS.map((m) => m.id), 'acme.missing'),
        device: fc.constantFrom(...HOST_DEVICES),
        settings: fc.dictionary(fc.constantFrom('queueDepth', 'x'), fc.constantFrom(0, 64, 'a')),
      },
      { requiredKeys: ['id', 'plugin'] },
    ),
    { maxLength: 4 },
  ),
  channels: fc.array(
    fc.record(
      {
        vm: fc.constantFrom(...NAMES),
        device: fc.constantFrom(...DEVICES.map((d) => d.id)),
        vsp: fc.constantFrom(...VSP_IDS),
        ringKiB: fc.constantFrom(undefined, 12, 16, 18, 64, 128, 512),
        signalling: fc.constantFrom('batched', 'low-latency'),
      },
      { requiredKeys: ['vm', 'device', 'vsp'] },
    ),
    { maxLength: 5 },
  ),
  emulated: fc.array(
    fc.record(
      {
        vm: fc.constantFrom(...NAMES),
        device: fc.constantFrom(...DEVICES.map((d) => d.id)),
        backing: fc.constantFrom(...HOST_DEVICES),
      },
      { requiredKeys: ['vm', 'device'] },
    ),
    { maxLength: 3 },
  ),
});

const VSP_OF_CLASS = { storage: 'stor', network: 'net', video: 'vid', input: 'hid' } as const;

/**
 * A configuration made for its scenario, as a player's would be: settings for every VM, every
 * device routed — synthetic with integration components, else through the worker process —
 * and (with `past`) knobs at and beyond their bounds.
 */
function fittedConfiguration(s: ScenarioDraw, past: boolean) {
  const lps =
    s.host.processor.sockets * s.host.processor.coresPerSocket * s.host.processor.threadsPerCore;
  return fc
    .record({
      scheduler: fc.constantFrom('classic', 'core', 'root'),
      vms: fc.tuple(...s.vms.map(() => vmSettingsOf(past))),
      ringKiB: fc.constantFrom(undefined, 16, 64, 512),
      signalling: fc.constantFrom('batched', 'low-latency'),
    })
    .map(({ scheduler, vms, ringKiB, signalling }) => {
      const settings: Record<string, unknown> = {};
      const channels: unknown[] = [];
      const emulated: unknown[] = [];
      s.vms.forEach((vm, i) => {
        const drawn = vms[i];
        const ic = vm.os.integrationComponents;
        settings[vm.name] = {
          ...drawn,
          integrationComponents: ic,
          // Without integration components there is no balloon driver: static memory.
          memory: ic ? drawn.memory : { dynamic: false, startupMiB: drawn.memory.startupMiB },
          processor: past
            ? drawn.processor
            : { ...drawn.processor, count: Math.min(drawn.processor.count, lps) },
        };
        for (const d of vm.devices) {
          if (ic)
            channels.push({
              vm: vm.name,
              device: d.id,
              vsp: VSP_OF_CLASS[d.class],
              ringKiB,
              signalling,
            });
          else
            emulated.push({
              vm: vm.name,
              device: d.id,
              backing: d.class === 'network' ? 'nic0' : 'ssd0',
            });
        }
      });
      return {
        host: { scheduler, rootVps: past ? 2 : Math.min(2, lps) },
        vms: settings,
        vsps: [
          { id: 'stor', plugin: 'hyperkata.storvsp', device: 'ssd0' },
          { id: 'net', plugin: 'hyperkata.netvsp', device: 'nic0' },
          { id: 'vid', plugin: 'hyperkata.synthvid' },
          { id: 'hid', plugin: 'hyperkata.synthhid' },
          { id: 'dm', plugin: 'hyperkata.dynmem' },
        ],
        channels,
        emulated,
      };
    });
}

/** Every number in the report, with where it is. */
function numbersOf(
  value: unknown,
  at = 'report',
  out: [string, number][] = [],
): [string, number][] {
  if (typeof value === 'number') out.push([at, value]);
  else if (value !== null && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) numbersOf(v, `${at}.${k}`, out);
  return out;
}

type Outcome = 'ran' | 'refused';

/** Builds and runs; a refusal must name its input, each field and what was expected. */
function play(scenario: unknown, configuration: unknown): Outcome {
  let sim: Simulation;
  try {
    sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, sources: SOURCES });
  } catch (e) {
    if (!ConfigurationError.is(e)) throw e;
    expect([SOURCES.scenario, SOURCES.configuration]).toContain(e.source);
    expect(e.issues.length).toBeGreaterThan(0);
    for (const issue of e.issues) {
      expect(issue.path.length).toBeGreaterThan(0);
      expect(issue.expected).not.toBe('');
      expect(issue.found).not.toBe('');
    }
    for (const line of e.message.split('\n')) expect(line.startsWith(`${e.source}: `)).toBe(true);
    return 'refused';
  }
  // From here on nothing may throw: advance in uneven steps, snapshot, report, to the end.
  sim.advance(3_333_333.5);
  sim.snapshot({ history: 10 });
  sim.report();
  const report = sim.runToEnd();
  expect(sim.finished).toBe(true);
  expect(numbersOf(report).filter(([, n]) => !Number.isFinite(n))).toEqual([]);
  return 'ran';
}

describe('issue 2 item 12: any schema-shaped input is refused before the run, or runs without throwing', () => {
  it('scenarios and configurations with values at and past every bound', () => {
    const seen: Record<Outcome, number> = { ran: 0, refused: 0 };
    const inputs = fc.oneof(
      { arbitrary: fc.tuple(scenarioOf(true), wildConfiguration), weight: 1 },
      {
        arbitrary: scenarioOf(true).chain((s) =>
          fc.tuple(fc.constant(s), fittedConfiguration(s, true)),
        ),
        weight: 2,
      },
    );
    fc.assert(
      fc.property(inputs, ([s, c]) => {
        seen[play(s, c)]++;
      }),
      { numRuns: 300 },
    );
    // Both ways out are taken: most inputs break a rule, some break none and run.
    expect(seen.refused).toBeGreaterThan(150);
    expect(seen.ran).toBeGreaterThan(10);
  });

  it('configurations a player could make for their scenario, every knob within its bounds', () => {
    const seen: Record<Outcome, number> = { ran: 0, refused: 0 };
    const inputs = scenarioOf(false).chain((s) =>
      fc.tuple(fc.constant(s), fittedConfiguration(s, false)),
    );
    fc.assert(
      fc.property(inputs, ([s, c]) => {
        seen[play(s, c)]++;
      }),
      { numRuns: 150 },
    );
    expect(seen.ran).toBeGreaterThan(100);
  });
});
