/**
 * Rule 38 at the VSP boundary: a channel that stops — the VSP found the guest's packet bad, or
 * the plugin threw — is reported to the plugin with `onChannelClosed(channel, 'failed')`, so a
 * VSP serving many VMs can drop that channel's state.
 */
import { describe, expect, it } from '@jest/globals';
import { Simulation } from '../simulation/simulation.js';
import { storageHost } from '../testing/scenarios.js';
import { MINIMAL_STORVSP_ID } from './testing/minimal-storvsp.js';
import type { VspModule } from './types.js';

function stoppingVsp(how: 'fail' | 'throw', closed: string[]): VspModule {
  return {
    id: MINIMAL_STORVSP_ID,
    deviceClass: 'storage',
    isolation: 'native',
    digest: 'stopping',
    create: () => ({
      onPacket(channel) {
        if (how === 'throw') throw new Error('boom');
        channel.fail('refused on purpose');
      },
      onChannelClosed(_channel, reason) {
        closed.push(reason);
      },
    }),
  };
}

describe('VspRuntime', () => {
  it.each(['fail', 'throw'] as const)(
    'rule 38: tells the plugin its channel failed (%s)',
    (how) => {
      const closed: string[] = [];
      const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 50 });
      const sim = Simulation.create({
        scenario,
        configuration,
        vsps: [stoppingVsp(how, closed)],
      });
      const report = sim.runToEnd();
      expect(closed).toEqual(['failed']);
      expect(report.faults.plugins.length).toBe(1);
    },
  );
});
