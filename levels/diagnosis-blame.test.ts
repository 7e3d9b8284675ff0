/**
 * Whom a diagnosis sends the player to: completions a guest dropped for their trans_id (rule 3)
 * come from a VSP of that VM's, and a plugin author whose plugin serves one of its devices beside
 * a built-in must be told to look at the plugin, not at the built-in storvsp next to it.
 */
import { describe, expect, it } from '@jest/globals';
import type { Configuration, SimReport, VmReport } from '../core/index.js';
import { diagnose } from './diagnosis.js';
import type { Level, Objective } from './schema/level.js';

/** web01 of the network template's level: its disk on storvsp, its NIC on `nicPlugin`. */
function strayOnWeb01(nicPlugin: string): ReturnType<typeof diagnose> {
  const vm = {
    path: { scsi0: 'synthetic', eth0: 'synthetic' },
    deviceFailures: {},
    completed: 100,
    misrouted: 0,
    dropped: 407,
    strayCompletions: 1,
    ringFullPercent: 0,
    ringOccupancyPercent: 0,
    readyPercent: 0,
    memoryPressure: 50,
    memory: { pagingMB: 0, demandMiB: 1024 },
    heartbeat: 'OK',
    failure: '',
  } as unknown as VmReport;
  const report = {
    host: { rootCpuPercent: 1, disks: { ssd0: { busyPercent: 1 } } },
    vms: { web01: vm },
    faults: { plugins: [], isolation: [] },
  } as unknown as SimReport;
  const config = {
    channels: [
      { vm: 'web01', device: 'scsi0', vsp: 'storvsp-ssd0', signalling: 'low-latency' },
      { vm: 'web01', device: 'eth0', vsp: 'my-nic', signalling: 'low-latency' },
    ],
    vsps: [
      { id: 'storvsp-ssd0', plugin: 'hyperkata.storvsp', device: 'ssd0', settings: {} },
      { id: 'my-nic', plugin: nicPlugin, device: 'nic0', settings: {} },
    ],
    vms: { web01: { integrationComponents: true, memory: { dynamic: false } } },
    emulated: [],
  } as unknown as Configuration;
  const level = {
    scenario: {
      durationMs: 400,
      vms: [
        {
          name: 'web01',
          devices: [
            { id: 'scsi0', class: 'storage' },
            { id: 'eth0', class: 'network' },
          ],
        },
      ],
    },
    controls: { vspInstances: true, integrationComponents: false },
  } as unknown as Level;
  const objective = { id: 'o', metric: 'dropped', op: '<=', value: 0 } as unknown as Objective;
  return diagnose({ objective, value: 407, vm: 'web01', report, config, level });
}

describe('stray completions: whom the diagnosis names', () => {
  it('rule 3: names the plugin’s instance, not the built-in storvsp serving the same VM', () => {
    const d = strayOnWeb01('local.my-nic');
    expect(d.cause).toBe('stray-completions');
    expect(d.en).toContain(': my-nic sent 1 completion(s) whose trans_id named no request');
    expect(d.en).toContain('Try: make my-nic complete each request exactly once');
    expect(d['pt-BR']).toContain(': my-nic enviou 1 conclusão(ões)');
    expect(d.en).not.toContain('storvsp-ssd0');
  });

  it('rule 3: with built-ins alone, names every VSP of the VM, as before', () => {
    const d = strayOnWeb01('hyperkata.netvsp');
    expect(d.en).toContain(': storvsp-ssd0, my-nic sent 1 completion(s)');
  });
});
