/**
 * Rules 7, 36, 37 and 38 at the scale of a whole host: a hostile guest attacks its own channels;
 * the root refuses what it sends, only that guest's device dies, and every other VM keeps running.
 */
import { describe, expect, it } from '@jest/globals';
import { HOSTILE_ATTACKS } from '../model/index.js';
import type { HostileAttack } from '../model/index.js';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { Simulation } from './simulation.js';

function host(attack: HostileAttack | null) {
  const { scenario, configuration } = storageHost({
    vms: [{ name: 'good' }, { name: 'evil' }],
    durationMs: 120,
  });
  if (attack !== null) {
    (scenario.vms[1] as Record<string, unknown>).hostile = {
      attacks: [attack],
      ratePerSecond: 200,
      startMs: 20,
    };
  }
  const sim = Simulation.create({ scenario, configuration, vsps: [minimalStorvsp()] });
  const lines: string[] = [];
  sim.on((l) => lines.push(l.text));
  return { report: sim.runToEnd(), lines };
}

type Report = ReturnType<typeof host>['report'];
const vm = (r: Report, name: string) => r.vms[name];

const RING_ATTACKS: HostileAttack[] = [
  'ring-index-out-of-range',
  'descriptor-offset-too-small',
  'descriptor-length-overflow',
  'unknown-packet-type',
  'gpa-direct-without-ranges',
];

describe('a hostile guest on a shared host', () => {
  const calm = host(null).report;

  it.each(RING_ATTACKS)(
    'rules 37 and 38: %s is refused by the root; only the attacker’s device dies',
    (attack) => {
      const { report } = host(attack);
      const fault = report.faults.plugins.find((f) => f.vm === 'evil');
      expect(fault?.kind).toBe('guest-ring-violation');
      expect(vm(report, 'evil')?.dropped).toBeGreaterThan(0);
      expect(report.faults.plugins.filter((f) => f.vm === 'good')).toEqual([]);
      expect(vm(report, 'good')?.completed).toBeGreaterThanOrEqual(
        0.95 * (vm(calm, 'good')?.completed ?? 0),
      );
      expect(report.host.isolationFaults).toBe(0);
    },
  );

  it('rule 7: a guest that floods unnecessary signals is suspended; its neighbour is not', () => {
    const { report, lines } = host('signal-flood');
    expect(lines.some((l) => l.includes('flooded unnecessary interrupts'))).toBe(true);
    expect(vm(report, 'evil')?.completed).toBeLessThan(0.8 * (vm(calm, 'evil')?.completed ?? 0));
    expect(vm(report, 'good')?.completed).toBeGreaterThanOrEqual(
      0.95 * (vm(calm, 'good')?.completed ?? 0),
    );
  });

  it('rule 36: every attack leaves the host running to the end with a report', () => {
    for (const attack of HOSTILE_ATTACKS) {
      const { report } = host(attack);
      expect(report.durationMs).toBe(120);
    }
  });
});
