import { describe, expect, it } from '@jest/globals';
import { NS_PER_MS } from '../../core/engine/index.js';
import { HEARTBEAT_PERIOD_NS } from '../../core/root/vmms.js';
import { SuspendReason } from '../../core/scheduler/index.js';
import { entriesOf } from '../../core/simulation/by-name.js';
import { Simulation, internalsOf } from '../../core/simulation/simulation.js';
import { memoryHost } from '../../core/testing/memory-scenarios.js';
import { minimalStorvsp } from '../../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../index.js';

const vsps = [minimalStorvsp(), ...BUILT_IN_VSPS];

/** Two idle guests with integration components and one without, on a host with the heartbeat VSP. */
function host() {
  const { scenario, configuration } = memoryHost({
    vms: [
      { name: 'web01', kind: 'idle' },
      { name: 'web02', kind: 'idle' },
      { name: 'old01', kind: 'idle', integrationComponents: false },
    ],
    durationMs: 2000,
  });
  return Simulation.create({ scenario, configuration, vsps });
}

const heartbeats = (sim: Simulation) =>
  Object.fromEntries(entriesOf(sim.report().vms).map(([name, vm]) => [name, vm.heartbeat]));

describe('heartbeat integration service in a running host', () => {
  it('shows OK for a healthy guest and No Contact for one without integration components', () => {
    const sim = host();
    sim.advance(500 * NS_PER_MS);
    expect(heartbeats(sim)).toEqual({ web01: 'OK', web02: 'OK', old01: 'No Contact' });
    // it keeps beating: the last answer is at most one period old
    const vm = internalsOf(sim).vmms.byName('web01');
    sim.advance(700 * NS_PER_MS);
    expect(vm?.heartbeat).toBe('OK');
    expect(sim.now - (vm?.lastHeartbeatAt ?? 0)).toBeLessThanOrEqual(HEARTBEAT_PERIOD_NS);
    expect(heartbeats(sim).web01).toBe('OK');
  });

  it('loses communication with a guest whose heartbeat channel died, and only with it', () => {
    const sim = host();
    sim.advance(500 * NS_PER_MS);
    const pid = internalsOf(sim).vms.get('web01')?.managed.partitionId ?? 0;
    internalsOf(sim).server.rescindDevice(
      pid,
      'heartbeat',
      'test: the heartbeat device was removed',
    );
    sim.advance(500 * NS_PER_MS);
    expect(heartbeats(sim)).toMatchObject({ web01: 'Lost Communication', web02: 'OK' });
  });

  it('loses communication with a guest whose virtual processors do not run, and regains it after', () => {
    const sim = host();
    sim.advance(500 * NS_PER_MS);
    const vps = internalsOf(sim).vms.get('web02')?.vpIds ?? [];
    expect(vps.length).toBeGreaterThan(0);
    for (const vp of vps) internalsOf(sim).scheduler.suspend(vp, SuspendReason.VmPaused);
    sim.advance(500 * NS_PER_MS);
    expect(heartbeats(sim)).toMatchObject({ web01: 'OK', web02: 'Lost Communication' });
    for (const vp of vps) internalsOf(sim).scheduler.resume(vp, SuspendReason.VmPaused);
    sim.advance(300 * NS_PER_MS);
    expect(heartbeats(sim)).toMatchObject({ web01: 'OK', web02: 'OK' });
  });
});
