import { describe, expect, it } from '@jest/globals';
import { Synthhid } from '../../core/guest/drivers/synthhid.js';
import { legacyHost } from '../../core/root/vmwp/emulation-scenarios.test-support.js';
import { entryOf } from '../../core/simulation/by-name.js';
import { Simulation, internalsOf } from '../../core/simulation/simulation.js';
import type { SimReport, VmReport } from '../../core/simulation/report.js';
import { minimalStorvsp } from '../../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../index.js';

describe('synthhid between a desktop VM and the built-in VSP, in a real Simulation', () => {
  it('gets protocol 2.0 approved and the mouse described; every console event arrives as one input report the guest completes', () => {
    const { scenario, configuration } = legacyHost({
      kind: 'desktop',
      devices: ['input'],
      path: 'synthetic',
      intensity: 5,
      durationMs: 400,
    });
    const sim = Simulation.create({
      scenario,
      configuration,
      vsps: [minimalStorvsp(), ...BUILT_IN_VSPS],
    });
    const lines: string[] = [];
    sim.on((l) => lines.push(l.text));
    const report = sim.runToEnd();

    const driver = internalsOf(sim).vms.get('vm01')?.guest?.devices[0]?.driver;
    if (!(driver instanceof Synthhid)) throw new Error('no synthhid driver');
    expect(driver.phase).toBe('ready');
    expect(lines).toContain('synthhid ready on mouse0 (mouse 045e:0621)');
    expect(driver.reportDescriptorBytes).toBeGreaterThan(0);

    const events = vm01(report).completed;
    expect(events).toBeGreaterThan(20);
    expect(driver.received).toBeGreaterThanOrEqual(events);
    expect(driver.received).toBeLessThanOrEqual(events + 3);
    // Guest → host: the protocol request, the device-info ack, then one completion per report.
    const packets = entryOf(report.vsps, 'input', 'VSP').packets;
    expect(packets).toBeGreaterThanOrEqual(2 + events);
    expect(packets).toBeLessThanOrEqual(2 + driver.received);
    expect(report.host.intercepts).toBe(0);
    expect(report.faults.plugins).toEqual([]);
  });
});

function vm01(report: SimReport): VmReport {
  const vm = report.vms.vm01;
  if (vm === undefined) throw new Error('no vm01 in the report');
  return vm;
}
