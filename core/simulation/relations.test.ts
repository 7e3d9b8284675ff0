/**
 * The relations rule 21 promises, measured on whole runs: the same generation 1 VM and workload,
 * once on emulated devices (no integration components: IDE, S3, PS/2 in the worker process) and
 * once on synthetic ones (integration components: VMBus channels to VSPs). Nothing in the model
 * says "emulated is slower": the gap comes from intercepted port accesses, worker-process copies,
 * one-command-at-a-time IDE and page-granular VRAM scanning.
 *
 * Root CPU per operation is measured against a baseline run of the same VM without the device, so
 * the VM's start-up and VMBus set-up do not count.
 */
import { describe, expect, it } from '@jest/globals';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { ConfigurationError } from '../model/index.js';
import { legacyHost } from '../root/vmwp/emulation-scenarios.test-support.js';
import type { LegacyVmOptions } from '../root/vmwp/emulation-scenarios.test-support.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { Simulation, internalsOf } from './simulation.js';

const vsps = [minimalStorvsp(), ...BUILT_IN_VSPS];

interface Measured {
  readonly completed: number;
  readonly iops: number;
  readonly mbps: number;
  readonly p50LatencyUs: number;
  readonly rootNs: number;
  readonly intercepts: number;
}

function measure(o: LegacyVmOptions): Measured {
  const { scenario, configuration } = legacyHost(o);
  const sim = Simulation.create({ scenario, configuration, vsps });
  const report = sim.runToEnd();
  const vm = report.vms.vm01;
  const rt = internalsOf(sim);
  return {
    completed: vm?.completed ?? 0,
    iops: vm?.iops ?? 0,
    mbps: vm?.mbps ?? 0,
    p50LatencyUs: vm?.p50LatencyUs ?? 0,
    rootNs: rt.scheduler.partitionMetrics(rt.rootPartitionId).runNs,
    intercepts: report.host.intercepts,
  };
}

/** Root CPU per completed operation, beyond what the same VM costs without the device. */
function rootNsPerOp(o: LegacyVmOptions): { run: Measured; perOp: number } {
  const run = measure(o);
  const baseline = measure({ ...o, devices: [] });
  return { run, perOp: (run.rootNs - baseline.rootNs) / Math.max(1, run.completed) };
}

describe('emulated ≪ synthetic, as it comes out of the model (rule 21)', () => {
  it.each([
    ['database', 10],
    ['file', 30],
  ] as const)(
    'rule 21: a legacy %s guest on emulated IDE gets far lower throughput and costs far more root CPU per I/O than with integration components',
    (kind, intensity) => {
      const o = { kind, intensity, durationMs: 300 } as const;
      const emulated = rootNsPerOp({ ...o, path: 'emulated' });
      const synthetic = rootNsPerOp({ ...o, path: 'synthetic' });
      expect(emulated.run.intercepts).toBeGreaterThan(0);
      expect(synthetic.run.intercepts).toBe(0);
      expect(synthetic.run.iops).toBeGreaterThan(5 * emulated.run.iops);
      expect(synthetic.run.mbps).toBeGreaterThan(5 * emulated.run.mbps);
      expect(emulated.perOp).toBeGreaterThan(5 * synthetic.perOp);
    },
  );

  it('rule 21: a screen update on the emulated S3 costs more root CPU and reaches the console later than with synthvid', () => {
    const o = { kind: 'desktop', devices: ['video'], intensity: 4, durationMs: 500 } as const;
    const emulated = rootNsPerOp({ ...o, path: 'emulated' });
    const synthetic = rootNsPerOp({ ...o, path: 'synthetic' });
    expect(emulated.run.completed).toBeGreaterThan(20);
    expect(synthetic.run.completed).toBeGreaterThan(20);
    expect(emulated.perOp).toBeGreaterThan(3 * synthetic.perOp);
    // The S3's update waits for the worker's next refresh scan; synthvid's DIRT is presented at once.
    expect(emulated.run.p50LatencyUs).toBeGreaterThan(5 * synthetic.run.p50LatencyUs);
  });

  it('rule 21: a mouse event through the emulated PS/2 controller costs more root CPU and takes longer than through synthhid', () => {
    const o = { kind: 'desktop', devices: ['input'], intensity: 10, durationMs: 500 } as const;
    const emulated = rootNsPerOp({ ...o, path: 'emulated' });
    const synthetic = rootNsPerOp({ ...o, path: 'synthetic' });
    expect(emulated.run.completed).toBeGreaterThan(50);
    expect(synthetic.run.completed).toBeGreaterThan(50);
    // 3 bytes per mouse packet, each a status read and a data read: 6 intercepts per event.
    expect(emulated.run.intercepts).toBeGreaterThanOrEqual(6 * emulated.run.completed);
    expect(emulated.perOp).toBeGreaterThan(3 * synthetic.perOp);
    expect(emulated.run.p50LatencyUs).toBeGreaterThan(synthetic.run.p50LatencyUs);
  });

  it('rule 21: a generation 2 VM has no emulated devices to route to', () => {
    const { scenario, configuration } = legacyHost({ kind: 'database', path: 'emulated' });
    const gen2 = {
      ...scenario,
      vms: scenario.vms.map((vm) => ({ ...vm, generation: 2 as const })),
    };
    expect(() => Simulation.create({ scenario: gen2, configuration, vsps })).toThrow(
      ConfigurationError,
    );
  });
});
