import { describe, expect, it } from '@jest/globals';
import { vmOf } from './by-name.js';
import { Simulation, internalsOf } from './simulation.js';
import { memoryHost } from '../testing/memory-scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';

/** A database VM whose working set is 2048 MiB, with `staticMiB` of static memory. */
function run(staticMiB: number) {
  const { scenario, configuration } = memoryHost({
    vms: [{ name: 'db01', kind: 'database', intensity: 0.5, workingSetMiB: 2048, staticMiB }],
    durationMs: 1500,
    heartbeat: false,
  });
  const sim = Simulation.create({ scenario, configuration, vsps: [minimalStorvsp()] });
  const report = sim.runToEnd();
  const disk = internalsOf(sim).disks.get('ssd0');
  return { vm: vmOf(report.vms, 'db01'), diskOps: disk?.completed ?? 0 };
}

describe('memory pressure (HYPERV.md: memory pressure ⇒ guest paging ⇒ extra storage I/O and slower workloads)', () => {
  it('rule 34: a VM whose static memory is below its working set pages to its disk, and its workload gets slower', () => {
    const fits = run(4096);
    const starved = run(1024);
    expect(fits.vm.memoryPressure).toBeLessThan(100);
    expect(starved.vm.memoryPressure).toBe(200); // 2048 MiB wanted, 1024 MiB backed
    expect(fits.vm.memory.pagingOps).toBe(0);
    expect(fits.vm.memory.slowdown).toBe(1);
    // the paging is real I/O: the disk served it on top of the workload's requests
    expect(starved.vm.memory.pagingOps).toBeGreaterThan(1000);
    expect(starved.diskOps).toBeGreaterThanOrEqual(fits.diskOps + starved.vm.memory.pagingOps / 2);
    // the workload pays: its own storage requests wait behind paging, its CPU work stalls
    expect(starved.vm.memory.slowdown).toBeGreaterThan(1);
    expect(starved.vm.storage.p50LatencyUs).toBeGreaterThan(fits.vm.storage.p50LatencyUs);
    expect(starved.vm.storage.p99LatencyUs).toBeGreaterThan(fits.vm.storage.p99LatencyUs);
    expect(starved.vm.memory.assignedMiB).toBe(1024);
    expect(starved.vm.memory.installedMiB).toBe(1024);
  });
});
