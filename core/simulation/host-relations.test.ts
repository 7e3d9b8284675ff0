/**
 * Relations a Hyper-V engineer would recognise, which must come out of the model rather than be
 * written into it: the numbers below are produced by the scheduler, VMBus and the VSP boundary
 * working together, not by any rule that mentions them.
 */
import { describe, expect, it } from '@jest/globals';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { valuesOf } from './by-name.js';
import { Simulation } from './simulation.js';

const vsps = [minimalStorvsp()];

function busyHost(rootVps: number, scheduler: 'classic' | 'core' = 'classic') {
  const { scenario, configuration } = storageHost({
    vms: Array.from({ length: 8 }, (_, i) => ({ name: `db${i}`, intensity: 3 })),
    cores: 16,
    rootVps,
    scheduler,
    durationMs: 150,
  });
  return Simulation.create({ scenario, configuration, vsps }).runToEnd();
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('host relations', () => {
  it('too few root VPs builds a VMBus backlog: the root saturates, rings fill, latency climbs', () => {
    const starved = busyHost(1);
    const enough = busyHost(8);
    const occupancy = (r: typeof starved) =>
      mean(valuesOf(r.vms).map((v) => v.ringOccupancyPercent));
    const p99 = (r: typeof starved) => mean(valuesOf(r.vms).map((v) => v.p99LatencyUs));
    expect(starved.host.rootCpuPercent).toBeGreaterThan(90);
    expect(enough.host.rootCpuPercent).toBeLessThan(40);
    expect(occupancy(starved)).toBeGreaterThan(20 * Math.max(occupancy(enough), 0.01));
    expect(p99(starved)).toBeGreaterThan(5 * p99(enough));
  });

  it('rules 29 and 31: under the core scheduler two VMs never share a core; under classic they do', () => {
    const classic = busyHost(2, 'classic');
    const core = busyHost(2, 'core');
    expect(classic.host.siblingSharingPercent).toBeGreaterThan(0);
    expect(core.host.siblingSharingPercent).toBe(0);
  });

  it('cross-VM SMT sharing is a share of the host core-time, never above 100 %', () => {
    // Every core of a 16-core host busy with VPs of 8 different VMs: sharing is most of the time.
    const classic = busyHost(2, 'classic');
    expect(classic.host.siblingSharingPercent).toBeGreaterThan(5);
    expect(classic.host.siblingSharingPercent).toBeLessThanOrEqual(
      classic.host.lpUtilizationPercent,
    );
  });
});
