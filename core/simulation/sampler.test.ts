/**
 * The sampler reads the VMBus backlog of each VM's open channels every simulated millisecond. It
 * keeps the set of rings it reads between ticks, so these tests check that the set follows the
 * channels: rings are read once their channels open, and a rescinded channel is no longer read.
 */
import { describe, expect, it } from '@jest/globals';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { Simulation, internalsOf } from './simulation.js';

const vsps = [minimalStorvsp()];

/** One starved root VP and busy guests, so the guest→host rings hold a backlog. */
function backloggedHost() {
  const { scenario, configuration } = storageHost({
    vms: Array.from({ length: 4 }, (_, i) => ({ name: `db${i}`, intensity: 3 })),
    cores: 8,
    rootVps: 1,
    durationMs: 120,
  });
  return Simulation.create({ scenario, configuration, vsps });
}

const fills = (sim: Simulation, vm: string): number[] =>
  internalsOf(sim)
    .sampler.recent(vm)
    .map((s) => s.ringFill);

describe('sampler', () => {
  it('reads the rings of channels that open after it started (none before the VM boots)', () => {
    const sim = backloggedHost();
    sim.advance(60_000_000);
    const seen = fills(sim, 'db0');
    expect(seen[0]).toBe(0); // first millisecond: the VM is still booting, no channel is open
    expect(Math.max(...seen)).toBeGreaterThan(0);
  });

  it('stops reading a channel once it is rescinded', () => {
    const sim = backloggedHost();
    sim.advance(60_000_000);
    const before = fills(sim, 'db1');
    expect(Math.max(...before.slice(-10))).toBeGreaterThan(0);
    const pid = internalsOf(sim).vms.get('db1')?.managed.partitionId ?? -1;
    internalsOf(sim).server.rescindDevice(pid, 'scsi0', 'test: device removed');
    sim.advance(5_000_000);
    const after = fills(sim, 'db1').slice(before.length);
    expect(after.length).toBe(5);
    expect(after.every((f) => f === 0)).toBe(true);
    // the other VMs are still read
    expect(Math.max(...fills(sim, 'db2').slice(before.length))).toBeGreaterThan(0);
  });

  it('keeps each VM its own history: its samples add up to the operations it completed', () => {
    const sim = backloggedHost();
    sim.advance(80_000_000);
    for (const [name, vm] of internalsOf(sim).vms) {
      const samples = internalsOf(sim).sampler.recent(name);
      expect(samples.length).toBe(80);
      const sum = samples.reduce((a, s) => a + s.completed, 0);
      expect(sum).toBe(vm.metrics.completed);
      expect(sum).toBeGreaterThan(0);
    }
  });
});
