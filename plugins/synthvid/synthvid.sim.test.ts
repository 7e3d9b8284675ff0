import { describe, expect, it } from '@jest/globals';
import { Synthvid } from '../../core/guest/drivers/synthvid.js';
import { SynthvidVersion } from '../../core/protocols/index.js';
import { legacyHost } from '../../core/root/vmwp/emulation-scenarios.test-support.js';
import { entryOf } from '../../core/simulation/by-name.js';
import { Simulation, internalsOf } from '../../core/simulation/simulation.js';
import type { SimReport, VmReport } from '../../core/simulation/report.js';
import { minimalStorvsp } from '../../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../index.js';

describe('synthvid between a desktop VM and the built-in VSP, in a real Simulation', () => {
  it('completes the hyperv_fb handshake, then announces every screen update with one DIRT the host presents', () => {
    const { scenario, configuration } = legacyHost({
      kind: 'desktop',
      devices: ['video'],
      path: 'synthetic',
      intensity: 2,
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
    if (!(driver instanceof Synthvid)) throw new Error('no synthvid driver');
    expect(driver.phase).toBe('ready');
    expect(driver.version).toBe(SynthvidVersion.WIN10);
    expect(lines).toContain('synthvid ready on vid0 (protocol 3.5, 1024×768)');

    const updates = vm01(report).completed;
    expect(updates).toBeGreaterThan(10);
    expect(driver.dirtSent).toBeGreaterThanOrEqual(updates);
    expect(driver.dirtSent).toBeLessThanOrEqual(updates + 3); // the last ones may be in flight
    // Guest → host: version, resolutions, VRAM, pointer, shape, mode; pointer, shape and mode
    // again when FEATURE_CHANGE arrives (L: synthvid_recv_sub); then one DIRT per update.
    expect(entryOf(report.vsps, 'video', 'VSP').packets).toBe(9 + driver.dirtSent);
    expect(report.host.intercepts).toBe(0);
    expect(report.faults.plugins).toEqual([]);
  });
});

function vm01(report: SimReport): VmReport {
  const vm = report.vms.vm01;
  if (vm === undefined) throw new Error('no vm01 in the report');
  return vm;
}
