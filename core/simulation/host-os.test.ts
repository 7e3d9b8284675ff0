/**
 * Rules 27 and 40 across host releases: the scenario's `host.os` reaches the hypervisor, so a guest
 * reads that release's build in CPUID 0x40000002 and its limits in 0x40000005 — and still
 * completes its enlightened boot and opens its VMBus channel on every release.
 */
import { describe, expect, it } from '@jest/globals';
import { HvCpuidLeaf } from '../hypervisor/index.js';
import { parseConfiguration, parseScenario, type HostOs } from '../model/index.js';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { SimulationRuntime } from './runtime.js';
import { catalogOf } from './simulation.js';

/** WS release information: Windows Server 2016, 2019 and 2022 are 10.0.14393, .17763, .20348. */
const RELEASE_BUILD: Record<HostOs, number> = { ws2016: 14393, ws2019: 17763, ws2022: 20348 };
/** WS "Hyper-V maximum scale limits in Windows Server": VPs per VM and LPs per host. */
const RELEASE_LIMITS: Record<HostOs, [number, number]> = {
  ws2016: [240, 512],
  ws2019: [240, 512],
  ws2022: [1024, 1024],
};

function run(os: HostOs): { runtime: SimulationRuntime; lines: string[] } {
  const input = storageHost({ vms: [{ name: 'db01' }], durationMs: 60 });
  input.scenario.host.os = os;
  const vsps = [minimalStorvsp()];
  const scenario = parseScenario(input.scenario);
  const configuration = parseConfiguration(scenario, input.configuration, catalogOf(vsps));
  const runtime = new SimulationRuntime({ scenario, configuration, vsps, seed: scenario.seed });
  const lines: string[] = [];
  runtime.narration.subscribe((l) => lines.push(l.text));
  runtime.start();
  runtime.engine.runUntil(scenario.durationMs * 1_000_000);
  return { runtime, lines };
}

describe('host release and the hypervisor CPUID leaves (rule 27)', () => {
  it.each(Object.keys(RELEASE_BUILD) as HostOs[])(
    "rules 27 and 40: on a %s host the guest reads the release's build and limits and boots enlightened",
    (os) => {
      const { runtime, lines } = run(os);
      const pid = runtime.vms.get('db01')?.managed.partitionId ?? 0;
      expect(pid).toBeGreaterThan(runtime.rootPartitionId);
      expect(runtime.hv.cpuid(pid, 0, HvCpuidLeaf.Version).eax).toBe(RELEASE_BUILD[os]);
      const limits = runtime.hv.cpuid(pid, 0, HvCpuidLeaf.ImplementationLimits);
      expect([limits.eax, limits.ebx]).toEqual(RELEASE_LIMITS[os]);
      expect(runtime.hv.partition(pid)?.enlightenment.isEnlightened).toBe(true);
      expect(lines.some((l) => l.includes('enlightenment failed'))).toBe(false);
      expect(lines.some((l) => l.includes('channel opened'))).toBe(true);
    },
  );
});
