import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fileURLToPath } from 'node:url';
import { Simulation } from '../../core/index.js';
import type { SimReport, VmReport, VspReport } from '../../core/index.js';
import { storageHost } from '../../core/testing/scenarios.js';
import { minimalStorvsp } from '../../core/vsp/testing/minimal-storvsp.js';
import { bundlePlugin } from '../loader/index.js';
import { createSandboxedVsp } from './index.js';
import { runMisbehaving } from './testing/misbehaving-run.js';
import { DEFAULT_SANDBOX_LIMITS, NS_PER_POLL } from './limits.js';
import type { SandboxedVspModule } from './index.js';

const FIXTURE = fileURLToPath(
  new URL('./testing/fixtures/misbehaving-storage.ts', import.meta.url),
);
let vsp: SandboxedVspModule;

beforeAll(async () => {
  const code = await bundlePlugin({ file: FIXTURE }, { mode: 'sandbox', source: 'fixture' });
  vsp = await createSandboxedVsp(code, {
    source: 'misbehaving-storage.ts',
    limits: { memoryLimitBytes: 16 * 1024 * 1024 },
  });
});
afterAll(() => {
  vsp.dispose();
});

/** Two VMs on one sandboxed storage VSP instance that misbehaves once, on its 21st data request. */
const run = (misbehave: string, seed = 1): SimReport => runMisbehaving(vsp, misbehave, seed);

const vmOf = (r: SimReport, name: string): VmReport | undefined => r.vms[name];
const stor = (r: SimReport): VspReport | undefined => r.vsps.stor;

function expectStopped(report: SimReport, kind: string, reason: RegExp): void {
  // The run completes…
  expect(report.durationMs).toBe(200);
  // …the plugin is blamed, by id, for what it did…
  const faults = report.faults.plugins;
  expect(faults.length).toBeGreaterThanOrEqual(1);
  expect(faults.at(0)).toMatchObject({ plugin: 'test.sandboxed-storage', kind, instance: 'stor' });
  expect(faults.at(0)?.reason).toMatch(reason);
  // …and the channel it was serving is closed.
  expect(stor(report)?.failedChannels).toBeGreaterThanOrEqual(1);
}

describe('a sandboxed VSP in a running simulation', () => {
  it('serves storvsc like a native VSP while it behaves', () => {
    const report = run('none');
    expect(report.faults.plugins).toEqual([]);
    expect(vmOf(report, 'db01')?.path).toEqual({ scsi0: 'synthetic' });
    expect(vmOf(report, 'db01')?.completed).toBeGreaterThan(300);
    expect(vmOf(report, 'web01')?.completed).toBeGreaterThan(20);
    expect(stor(report)?.failedChannels).toBe(0);
  });

  it('rule 38: while(true) exhausts the CPU budget; the channel closes and the run completes', () => {
    expectStopped(
      run('loop'),
      'plugin-limit',
      /exceeded its CPU budget of 2,000,000 ticks .* in onPacket/,
    );
  });

  it('a plugin that spins until its budget stops it has burnt that budget on the root VP', () => {
    const spun = stor(run('loop'))?.cpuMs ?? 0;
    // Stopped at the same request for memory instead: the instance ends the same way, cheaply.
    const hoarded = stor(run('allocate'))?.cpuMs ?? 0;
    // The whole CPU budget (2,000,000 polls at 2 ns each, as native code would run them).
    const budgetMs = (DEFAULT_SANDBOX_LIMITS.cpuBudgetPerCall * NS_PER_POLL) / 1e6;
    expect(spun).toBeGreaterThanOrEqual(budgetMs);
    expect(spun - hoarded).toBeGreaterThan(budgetMs * 0.9);
  });

  it('an endless loop cannot catch its own interruption', () => {
    expectStopped(run('loop-catching'), 'plugin-limit', /exceeded its CPU budget/);
  });

  it('rule 38: throwing a non-Error closes only that channel; the other VM keeps its disk', () => {
    const report = run('throw-number');
    expectStopped(
      report,
      'plugin-threw',
      /^onPacket threw a non-Error value: 42 \(in onPacket \(misbehaving-storage\.ts:\d+:\d+\)\)$/,
    );
    expect(report.faults.plugins).toHaveLength(1);
    expect(stor(report)?.failedChannels).toBe(1);
    const failedVm = report.faults.plugins.at(0)?.vm;
    const other = failedVm === 'db01' ? 'web01' : 'db01';
    expect(vmOf(report, other)?.failed).toBe(0);
    expect(vmOf(report, other)?.completed).toBeGreaterThan(20);
  });

  it('a thrown value whose description never ends is stopped by the budget, not described', () => {
    expectStopped(run('throw-hostile'), 'plugin-limit', /exceeded its CPU budget/);
  });

  it('allocating without end hits the memory limit; the plugin is stopped', () => {
    expectStopped(
      run('allocate'),
      'plugin-limit',
      /exceeded its memory limit of 16 MiB in onPacket/,
    );
  });

  it('swallowing "out of memory" and trying again gains nothing', () => {
    const report = run('allocate-catching');
    expect(report.durationMs).toBe(200);
    expect(report.faults.plugins.at(0)?.kind).toBe('plugin-limit');
  });

  it.each([
    ['require', /ReferenceError: 'require' is not defined/],
    ['process', /ReferenceError: 'process' is not defined/],
    ['fetch', /ReferenceError: 'fetch' is not defined/],
    ['timers', /ReferenceError: 'setTimeout' is not defined/],
  ])('reaching for %s finds nothing: a clear error and a closed channel', (kind, reason) => {
    expectStopped(run(kind), 'plugin-threw', reason);
  });

  it('Function, constructor and indirect-eval tricks reach only the sandbox’s own global', () => {
    expectStopped(
      run('function-escape'),
      'plugin-threw',
      /the global holds {"require":"undefined","process":"undefined","fetch":"undefined","setTimeout":"undefined","hostSync":"undefined","Function":"function"}/,
    );
  });

  it('a payload over the limit is refused as the plugin’s error', () => {
    expectStopped(
      run('huge-payload'),
      'plugin-threw',
      /channel\.complete: payload of 10000000 bytes is larger than the sandbox allows \(65536 bytes\)/,
    );
  });

  it('unbounded recursion is a stack overflow, not a crash', () => {
    expectStopped(run('recurse'), 'plugin-threw', /stack overflow/);
  });

  it('a channel object the plugin forged is not one of its channels', () => {
    expectStopped(run('forge-channel'), 'plugin-threw', /that channel does not belong to this VSP/);
  });

  it('tampering with every intrinsic breaks nothing outside the plugin: its VMs keep their disks', () => {
    const report = run('tamper');
    expect(report.faults.plugins).toEqual([]);
    expect(vmOf(report, 'db01')?.completed).toBeGreaterThan(300);
  });

  it('charges the same root CPU and gives the same hash every run (no wall clock anywhere)', () => {
    const a = run('none', 7);
    const b = run('none', 7);
    expect(b.hash).toBe(a.hash);
    expect(stor(b)?.cpuMs).toBe(stor(a)?.cpuMs);
    expect(run('loop', 3).hash).toBe(run('loop', 3).hash);
  });

  it('charges the work it measured on top of what the plugin charged itself', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }] });
    const native = Simulation.create({
      scenario,
      configuration,
      vsps: [minimalStorvsp()],
    }).runToEnd();
    const sandboxed = Simulation.create({
      scenario,
      configuration: {
        ...configuration,
        vsps: [{ id: 'stor', plugin: 'test.sandboxed-storage', device: 'ssd0', settings: {} }],
      },
      vsps: [vsp],
    }).runToEnd();
    const perPacket = (r: SimReport) => (stor(r)?.cpuMs ?? 0) / (stor(r)?.packets ?? 1);
    expect(stor(sandboxed)?.packets).toBeGreaterThan(300);
    expect(perPacket(sandboxed)).toBeGreaterThan(perPacket(native));
    expect(sandboxed.hash).not.toBe(native.hash);
  });
});
