/**
 * How the configuration check names what it refuses, where the wording itself is the point: a
 * student who misspelt a VM reads the names there are, without a wall of them on a large host.
 */
import { describe, expect, it } from '@jest/globals';
import { Simulation } from '../simulation/simulation.js';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { ConfigurationError } from './errors.js';

function refusalFor(vmCount: number): string {
  const { scenario, configuration } = storageHost({
    vms: Array.from({ length: vmCount }, (_, i) => ({
      name: `db${String(i + 1).padStart(2, '0')}`,
    })),
  });
  const channels = configuration.channels ?? [];
  const typo = {
    ...configuration,
    channels: channels.map((c, i) => (i === 0 ? { ...c, vm: 'db1' } : c)),
  };
  try {
    Simulation.create({ scenario, configuration: typo, vsps: [minimalStorvsp()] });
  } catch (e) {
    if (!ConfigurationError.is(e)) throw e;
    const issue = e.issues.find((i) => i.path.join('.') === 'channels.0.vm');
    return issue?.expected ?? `no channels[0].vm issue in ${e.message}`;
  }
  throw new Error('the typo was accepted');
}

describe('a route to a VM the scenario lacks', () => {
  it('lists the scenario’s VMs, and the one "db1" is a near miss of', () => {
    expect(refusalFor(3)).toBe(
      'the name of a VM in the scenario (db01, db02, db03) — did you mean db01?',
    );
  });

  it('lists twelve of a large host’s VMs and counts the rest (no guess: "db1" is as near db10 as db01)', () => {
    expect(refusalFor(40)).toBe(
      'the name of a VM in the scenario (db01, db02, db03, db04, db05, db06, db07, db08, db09, db10, db11, db12 and 28 more)',
    );
  });
});
