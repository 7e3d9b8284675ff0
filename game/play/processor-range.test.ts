/**
 * Rule 40 (and rule 32) in the inspector: the processor fields offer exactly the counts the
 * model's configuration checks accept — the largest one passes, one more is refused — on every
 * host release, for generation 1 and 2 VMs, whatever the other VMs already take.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { checkConfiguration } from '../../core/model/check-configuration.js';
import { ConfigurationSchema } from '../../core/model/configuration.js';
import type { Configuration } from '../../core/model/configuration.js';
import { HOST_RELEASES, HOST_RELEASE_LIMITS } from '../../core/model/release-limits.js';
import { ScenarioSchema, logicalProcessorCount } from '../../core/model/scenario.js';
import type { Scenario } from '../../core/model/scenario.js';
import { TEST_PLUGINS, smallConfiguration, smallScenario } from '../../core/testing/fixtures.js';
import { rootVpRange, vmReserveRange, vmVpRange } from './processor-range.js';

interface Host {
  readonly os: (typeof HOST_RELEASES)[number];
  readonly sockets: number;
  readonly coresPerSocket: number;
  readonly threadsPerCore: 1 | 2;
}

const hostArb: fc.Arbitrary<Host> = fc
  .record({
    os: fc.constantFrom(...HOST_RELEASES),
    sockets: fc.integer({ min: 1, max: 8 }),
    coresPerSocket: fc.integer({ min: 1, max: 128 }),
    threadsPerCore: fc.constantFrom(1 as const, 2 as const),
  })
  .filter(
    (h) =>
      h.sockets * h.coresPerSocket * h.threadsPerCore <=
      HOST_RELEASE_LIMITS[h.os].logicalProcessors,
  );

/** The small test host's VMs (db01 generation 2, old01 generation 1) and two more generation 2. */
function scenarioOn(host: Host): Scenario {
  const input = smallScenario();
  const db01 = input.vms[0];
  return ScenarioSchema.parse({
    ...input,
    host: {
      ...input.host,
      os: host.os,
      processor: {
        sockets: host.sockets,
        coresPerSocket: host.coresPerSocket,
        threadsPerCore: host.threadsPerCore,
      },
    },
    vms: [...input.vms, { ...db01, name: 'big01' }, { ...db01, name: 'big02' }],
  });
}

function configurationWith(
  vms: Readonly<Record<string, { count: number; reservePercent: number }>>,
  scheduler: 'classic' | 'core' = 'classic',
): Configuration {
  const input = smallConfiguration();
  const db01 = input.vms.db01;
  const all = { ...input.vms, big01: db01, big02: db01 };
  return ConfigurationSchema.parse({
    ...input,
    host: { ...input.host, rootVps: 1, scheduler },
    vms: Object.fromEntries(
      Object.entries(all).map(([name, c]) => [name, { ...c, processor: vms[name] }]),
    ),
  });
}

/** The model's refusals about VP counts: a VM's count, or all VMs' VPs or reserves together. */
function vpIssues(scenario: Scenario, config: Configuration, vm: string): string[] {
  return checkConfiguration(scenario, config, TEST_PLUGINS)
    .filter(
      (i) =>
        i.path.join('/') === `vms/${vm}/processor/count` ||
        (i.path.join('/') === 'vms' && /virtual processors|reserves/.test(i.expected)),
    )
    .map((i) => `${i.path.join('/')}: ${i.expected}`);
}

const VMS = ['db01', 'old01', 'big01', 'big02'] as const;

describe('the inspector’s processor ranges follow the model (rule 40)', () => {
  it('a VM’s VPs: the largest count the field offers passes the model, one more is refused', () => {
    const settings = fc.record({
      count: fc.integer({ min: 1, max: 1024 }),
      reservePercent: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 100 })),
    });
    fc.assert(
      fc.property(
        hostArb,
        fc.constantFrom(...VMS),
        fc.tuple(settings, settings, settings, settings),
        fc.constantFrom('classic' as const, 'core' as const),
        (host, vm, drawn, scheduler) => {
          const scenario = scenarioOn(host);
          const lps = logicalProcessorCount(scenario.host);
          const chosen = Object.fromEntries(
            VMS.map((name, i) => [
              name,
              { ...drawn[i], count: Math.min(drawn[i].count, name === 'old01' ? 64 : lps) },
            ]),
          );
          const draft = configurationWith(chosen, scheduler);
          const { min, max } = vmVpRange(scenario, draft, vm);
          const at = (count: number) =>
            configurationWith({ ...chosen, [vm]: { ...chosen[vm], count } }, scheduler);
          // Where the other VMs alone already break a limit, no count of this VM passes.
          fc.pre(vpIssues(scenario, at(1), vm).length === 0);
          expect(min).toBe(1);
          expect(vpIssues(scenario, at(max), vm)).toEqual([]);
          expect(vpIssues(scenario, at(max + 1), vm)).not.toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a generation 1 VM on a big Windows Server 2022 host stops at 64 VPs, a generation 2 one at the LPs', () => {
    const scenario = scenarioOn({
      os: 'ws2022',
      sockets: 2,
      coresPerSocket: 64,
      threadsPerCore: 2,
    });
    const draft = configurationWith(
      Object.fromEntries(VMS.map((n) => [n, { count: 1, reservePercent: 0 }])),
    );
    expect(vmVpRange(scenario, draft, 'old01').max).toBe(
      HOST_RELEASE_LIMITS.ws2022.generation1VpsPerVm,
    );
    expect(vmVpRange(scenario, draft, 'db01').max).toBe(logicalProcessorCount(scenario.host));
  });

  it('rule 32: a VM’s CPU reserve: the largest percent the field offers passes, one more is refused', () => {
    // Level 12 took 100 % on six 4-VP VMs of a 4-LP host, and Run failed with the host's English
    // "expected CPU reserves that fit the host".
    const settings = fc.record({
      count: fc.integer({ min: 1, max: 8 }),
      reservePercent: fc.integer({ min: 0, max: 100 }),
    });
    fc.assert(
      fc.property(
        hostArb.filter((h) => h.sockets * h.coresPerSocket * h.threadsPerCore <= 16),
        fc.constantFrom(...VMS),
        fc.tuple(settings, settings, settings, settings),
        // Under the core scheduler on an SMT host reserves are counted in cores (rules 29, 32).
        fc.constantFrom('classic' as const, 'core' as const),
        (host, vm, drawn, scheduler) => {
          const scenario = scenarioOn(host);
          const lps = logicalProcessorCount(scenario.host);
          const chosen = Object.fromEntries(
            VMS.map((name, i) => [name, { ...drawn[i], count: Math.min(drawn[i].count, lps) }]),
          );
          const at = (reservePercent: number) =>
            configurationWith({ ...chosen, [vm]: { ...chosen[vm], reservePercent } }, scheduler);
          const reserveIssues = (reservePercent: number) =>
            vpIssues(scenario, at(reservePercent), vm).filter((i) => i.includes('reserves'));
          // Where the other VMs alone already reserve too much, no reserve of this VM passes.
          fc.pre(reserveIssues(0).length === 0);
          const { min, max } = vmReserveRange(scenario, at(0), vm);
          expect(min).toBe(0);
          expect(reserveIssues(max)).toEqual([]);
          if (max < 100) expect(reserveIssues(max + 1)).not.toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('root VPs: the largest count passes the model, one more is refused (2016/2019 roots see 320 LPs)', () => {
    fc.assert(
      fc.property(hostArb, (host) => {
        const scenario = scenarioOn(host);
        const config = configurationWith(
          Object.fromEntries(VMS.map((n) => [n, { count: 1, reservePercent: 0 }])),
        );
        const { min, max } = rootVpRange(scenario);
        const rootIssues = (rootVps: number) =>
          checkConfiguration(
            scenario,
            { ...config, host: { ...config.host, rootVps } },
            TEST_PLUGINS,
          ).filter((i) => i.path.join('/') === 'host/rootVps');
        expect(min).toBe(1);
        expect(rootIssues(max)).toEqual([]);
        expect(rootIssues(max + 1)).not.toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
