/**
 * storvsp in a real simulation: the core's storage scenario with the built-in storvsp in place of
 * the core's minimal test VSP. A database VM's storvsc initialises (rule 16), takes its
 * subchannel, and completes its I/O through storvsp (rule 17).
 */
import { describe, expect, it } from '@jest/globals';
import type { ConfigurationInput } from '../../core/model/index.js';
import { Simulation } from '../../core/simulation/simulation.js';
import { storageHost } from '../../core/testing/scenarios.js';
import { BUILT_IN_VSPS } from '../index.js';
import { STORVSP_ID } from './index.js';

function withStorvsp(configuration: ConfigurationInput): ConfigurationInput {
  return { ...configuration, vsps: [{ id: 'stor', plugin: STORVSP_ID, device: 'ssd0' }] };
}

describe('storvsp in a simulation', () => {
  it('rules 16–17: a database VM completes its I/O through hyperkata.storvsp', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01', vps: 8 }] });
    const sim = Simulation.create({
      scenario,
      configuration: withStorvsp(configuration),
      vsps: BUILT_IN_VSPS,
    });
    const lines: string[] = [];
    sim.on((l) => lines.push(l.text));
    const report = sim.runToEnd();
    const db = report.vms.db01 as (typeof report.vms)[string] | undefined;
    expect(db?.state).toBe('Running');
    expect(db?.path).toEqual({ scsi0: 'synthetic' });
    expect(db?.completed).toBeGreaterThan(600);
    expect(db?.failed).toBe(0);
    expect(db?.dropped).toBe(0);
    // 8 vCPUs: the primary channel plus (8 − 1) / 4 = 1 subchannel.
    expect(report.host.openChannels).toBe(2);
    expect(report.vsps.stor).toMatchObject({ plugin: STORVSP_ID, channels: 2, failedChannels: 0 });
    expect(report.faults.plugins).toEqual([]);
    expect(report.faults.isolation).toEqual([]);
    expect(lines.some((l) => l.includes('storvsc ready'))).toBe(true);
  });

  it('is deterministic: the same seed gives the same report', () => {
    const run = () => {
      const { scenario, configuration } = storageHost({
        vms: [{ name: 'a' }, { name: 'b', kind: 'file' }],
        seed: 3,
      });
      return Simulation.create({
        scenario,
        configuration: withStorvsp(configuration),
        vsps: BUILT_IN_VSPS,
      }).runToEnd();
    };
    expect(run().hash).toBe(run().hash);
  });
});
