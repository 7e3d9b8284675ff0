/**
 * storvsp in a real simulation: the core's storage scenario with the built-in storvsp in place of
 * the core's minimal test VSP. A database VM's storvsc initialises (rule 16), takes its
 * subchannel, and completes its I/O through storvsp (rule 17).
 */
import { describe, expect, it } from '@jest/globals';
import { Storvsc } from '../../core/guest/drivers/storvsc.js';
import type { ConfigurationInput } from '../../core/model/index.js';
import { Simulation, internalsOf } from '../../core/simulation/simulation.js';
import { storageHost, TWO_DISKS } from '../../core/testing/scenarios.js';
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
    const db = report.vms.db01;
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

  it('rule 16: storvsp limited to protocol 4.2 — the report says storvsc gave up, and why', () => {
    // storvsc proposes 6.2, 6.0 and 5.1 (L: vmstor_protocols) and gives up on a host that
    // accepts none of them; the VSP broke no rule, so no plugin fault names it.
    const { scenario, configuration } = storageHost({
      vms: [
        { name: 'db01', vps: 2 },
        { name: 'db02', vps: 2 },
      ],
    });
    const sim = Simulation.create({
      scenario,
      configuration: {
        ...configuration,
        vsps: [
          {
            id: 'old',
            plugin: STORVSP_ID,
            device: 'ssd0',
            settings: { maxProtocolVersion: '4.2' },
          },
          { id: 'new', plugin: STORVSP_ID, device: 'ssd0' },
        ],
        channels: [
          { vm: 'db01', device: 'scsi0', vsp: 'old' },
          { vm: 'db02', device: 'scsi0', vsp: 'new' },
        ],
      },
      vsps: BUILT_IN_VSPS,
    });
    const report = sim.runToEnd();
    expect(report.vms.db01?.path).toEqual({ scsi0: 'synthetic' });
    expect(report.vms.db01?.deviceFailures).toEqual({ scsi0: 'Obsolete Hyper-V version' });
    expect(report.vms.db01?.completed).toBe(0);
    expect(report.faults.plugins).toEqual([]);
    // The VM beside it, on a storvsp that accepts 6.2, works and reports no failure.
    expect(report.vms.db02?.deviceFailures).toEqual({});
    expect(report.vms.db02?.completed).toBeGreaterThan(0);
  });

  it.each([1, 2] as const)(
    'rule 11: generation %i with 8 vCPUs — storvsp serves each disk as its offer says: IDE accelerator with one channel, SCSI with its subchannel',
    (generation) => {
      // A generation 1 VM's boot disk is offered with HV_IDE_GUID and gets no subchannels
      // (O: storvsp `build_ide`); its second disk, and a generation 2 VM's disks, are SCSI.
      const { scenario, configuration } = storageHost({
        vms: [{ name: 'vm01', vps: 8, generation, disks: TWO_DISKS }],
      });
      const sim = Simulation.create({
        scenario,
        configuration: withStorvsp(configuration),
        vsps: BUILT_IN_VSPS,
      });
      const report = sim.runToEnd();
      const vsp = internalsOf(sim).vsps.get('stor');
      const guest = internalsOf(sim).vms.get('vm01')?.guest;
      const disk = (id: string) => {
        const driver = guest?.devices.find((d) => d.spec.id === id)?.driver;
        const channels = vsp?.channels.filter((c) => c.device === id) ?? [];
        return {
          guid: channels.map((c) => c.classGuid)[0],
          boundGuid: driver instanceof Storvsc ? driver.classGuid : undefined,
          channels: channels.length,
          completions: channels.reduce((n, c) => n + c.packetsOut, 0),
        };
      };
      const ide = '32412632-86cb-44a2-9b5c-50d1417354f5';
      const scsi = 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f';
      expect(disk('disk0')).toMatchObject(
        generation === 1
          ? { guid: ide, boundGuid: ide, channels: 1 }
          : { guid: scsi, boundGuid: scsi, channels: 2 },
      );
      expect(disk('disk1')).toMatchObject({ guid: scsi, boundGuid: scsi, channels: 2 });
      expect(disk('disk0').completions).toBeGreaterThan(50);
      expect(disk('disk1').completions).toBeGreaterThan(50);
      expect(report.vms.vm01?.failed).toBe(0);
      expect(report.faults.plugins).toEqual([]);
    },
  );

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
