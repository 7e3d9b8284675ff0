/**
 * A report's and a snapshot's tables by name as a library user reads them: a name the scenario lacks is
 * `undefined` in the type too, so the type checker catches a typo even in a project without
 * `noUncheckedIndexedAccess` (this one has none).
 */
import { describe, expect, it } from '@jest/globals';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { entriesOf, entryOf, valuesOf, vmOf } from './by-name.js';
import { Simulation, SimulationUsageError } from './simulation.js';

function finished() {
  const { scenario, configuration } = storageHost({
    vms: [{ name: 'db01' }, { name: 'web01' }],
    durationMs: 40,
  });
  const sim = Simulation.create({ scenario, configuration, vsps: [minimalStorvsp()] });
  const report = sim.runToEnd();
  return { report, view: sim.snapshot() };
}

describe("a report's and a snapshot's VMs by name", () => {
  it('a VM name the scenario lacks does not compile unchecked, and reads undefined', () => {
    const { report, view } = finished();
    expect(() => {
      // @ts-expect-error VmReport | undefined: the type checker warns before the run would throw
      return report.vms.db1.p99LatencyUs;
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error VmSnapshot | undefined, likewise
      return view.vms.db1.completed;
    }).toThrow(TypeError);
    expect(report.vms.db1?.p99LatencyUs).toBeUndefined();
    expect(report.vms.db01?.completed).toBeGreaterThan(0);
  });

  it('vmOf gives a VM the caller knows is there, and for a typo names the VMs there are', () => {
    const { report, view } = finished();
    expect(vmOf(report.vms, 'db01').completed).toBe(vmOf(view.vms, 'db01').completed);
    expect(() => vmOf(report.vms, 'db1')).toThrow(
      new SimulationUsageError("no VM 'db1' (VMs: db01, web01)"),
    );
    // an Object.prototype name is no VM either
    expect(() => vmOf(report.vms, 'toString')).toThrow(SimulationUsageError);
  });

  it("entriesOf and valuesOf walk every VM in the scenario's order, typed without undefined", () => {
    const { report, view } = finished();
    expect(entriesOf(report.vms).map(([name]) => name)).toEqual(['db01', 'web01']);
    expect(valuesOf(view.vms).map((vm) => vm.state)).toEqual(['Running', 'Running']);
  });
});

describe("a report's VSPs, disks, NICs and device paths by name", () => {
  it('an id the configuration or scenario lacks does not compile unchecked, and reads undefined', () => {
    const { report } = finished();
    expect(() => {
      // @ts-expect-error VspReport | undefined: the VSP here is 'stor'
      return report.vsps.storvsp.cpuMs;
    }).toThrow(TypeError);
    expect(() => {
      // @ts-expect-error a disk report | undefined: the disk here is 'ssd0'
      return report.host.disks.disk0.busyPercent;
    }).toThrow(TypeError);
    expect(report.host.nics.nic0?.transmitPercent).toBeUndefined();
    expect(vmOf(report.vms, 'db01').path.scsi0).toBe('synthetic');
    expect(vmOf(report.vms, 'db01').path.scsi1).toBeUndefined();
  });

  it('entryOf gives an entry the caller knows is there, and for a typo names the ones there are', () => {
    const { report } = finished();
    expect(entryOf(report.vsps, 'stor', 'VSP').packets).toBeGreaterThan(0);
    expect(entryOf(report.host.disks, 'ssd0', 'disk').iops).toBeGreaterThan(0);
    expect(() => entryOf(report.vsps, 'storvsp', 'VSP')).toThrow(
      new SimulationUsageError("no VSP 'storvsp' (VSPs: stor)"),
    );
    expect(() => entryOf(report.host.nics, 'nic0', 'NIC')).toThrow(
      new SimulationUsageError("no NIC 'nic0' (NICs: none)"),
    );
  });
});
