/**
 * The IDE accelerator (rule 11): with integration components, a generation 1 VM's boot disk sits
 * on its emulated IDE controller and storvsc reaches it over VMBus through a channel whose offer
 * carries HV_IDE_GUID (L: include/linux/hyperv.h; storvsc_drv.c `id_table`). Its other disks,
 * and every disk of a generation 2 VM, are offered as synthetic SCSI (HV_SCSI_GUID).
 */
import { describe, expect, it } from '@jest/globals';
import { Storvsc } from '../guest/drivers/storvsc.js';
import { storageHost, TWO_DISKS } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { Simulation, internalsOf } from './simulation.js';

const HV_IDE_GUID = '32412632-86cb-44a2-9b5c-50d1417354f5';
const HV_SCSI_GUID = 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f';

/** One VM of the given generation with two disks, both wired to the minimal storage VSP. */
const twoDisks = (generation: 1 | 2) =>
  storageHost({ vms: [{ name: 'vm01', generation, disks: TWO_DISKS }] });

/** Runs the host; returns, per disk, the class GUID of the offer storvsc bound and its I/O. */
function run(generation: 1 | 2) {
  const sim = Simulation.create({ ...twoDisks(generation), vsps: [minimalStorvsp()] });
  const lines: string[] = [];
  sim.on((l) => lines.push(l.text));
  const report = sim.runToEnd();
  const guest = internalsOf(sim).vms.get('vm01')?.guest;
  const channels = internalsOf(sim).vsps.get('stor')?.channels ?? [];
  const disk = (id: string) => {
    const driver = guest?.devices.find((d) => d.spec.id === id)?.driver;
    return {
      // The GUID as the guest decoded it from the OFFERCHANNEL message.
      boundGuid: driver instanceof Storvsc ? driver.classGuid : undefined,
      ready: driver?.ready ?? false,
      completions: channels
        .filter((c) => c.vm === 'vm01' && c.device === id)
        .reduce((n, c) => n + c.packetsOut, 0),
    };
  };
  return { report, lines, disk0: disk('disk0'), disk1: disk('disk1') };
}

describe('the IDE accelerator of a generation 1 VM (rule 11)', () => {
  it('rule 11: the boot disk of a generation 1 VM with ICs is offered with HV_IDE_GUID, and storvsc completes its I/O over it', () => {
    const { report, lines, disk0 } = run(1);
    expect(disk0.boundGuid).toBe(HV_IDE_GUID);
    expect(disk0.ready).toBe(true);
    // Far more completions than the handful of the storage handshake (rule 16): its I/O.
    expect(disk0.completions).toBeGreaterThan(50);
    expect(report.vms.vm01?.path).toEqual({ disk0: 'synthetic', disk1: 'synthetic' });
    expect(report.vms.vm01?.failed).toBe(0);
    expect(lines.some((l) => l.includes(`disk0: channel offered`) && l.includes(HV_IDE_GUID))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes('storvsc ready on disk0 (IDE accelerator'))).toBe(true);
  });

  it('rule 11: a second disk of a generation 1 VM is offered as synthetic SCSI, with HV_SCSI_GUID', () => {
    const { disk1 } = run(1);
    expect(disk1.boundGuid).toBe(HV_SCSI_GUID);
    expect(disk1.ready).toBe(true);
    expect(disk1.completions).toBeGreaterThan(50);
  });

  it('rule 11: every disk of a generation 2 VM is offered with HV_SCSI_GUID (it has no IDE)', () => {
    const { report, disk0, disk1 } = run(2);
    expect([disk0.boundGuid, disk1.boundGuid]).toEqual([HV_SCSI_GUID, HV_SCSI_GUID]);
    expect(disk0.completions).toBeGreaterThan(50);
    expect(report.vms.vm01?.failed).toBe(0);
  });
});
