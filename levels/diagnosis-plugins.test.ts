/**
 * What a diagnosis tells a plugin author. Completions a guest dropped for their trans_id (rule 3)
 * come from a VSP of that VM's, and an author whose plugin serves one of its devices beside a
 * built-in must be told to look at the plugin, not at the built-in storvsp next to it. A plugin
 * that never completes what it takes fills the guest's request slots: the ring-full advice must
 * not send its author only to a larger ring.
 */
import { describe, expect, it } from '@jest/globals';
import type { Configuration, SimReport, VmReport } from '../core/index.js';
import { diagnose } from './diagnosis.js';
import type { Level, Objective } from './schema/level.js';

/**
 * An objective web01 missed in the network template's level: its disk on storvsp, its NIC on
 * `nicPlugin`; by default one completion dropped for its trans_id.
 */
function web01(
  nicPlugin: string,
  over: Partial<VmReport> = {},
  metric = 'dropped',
): ReturnType<typeof diagnose> {
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
    ...over,
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
  const objective = { id: 'o', metric, op: '<=', value: 0 } as unknown as Objective;
  return diagnose({ objective, value: 407, vm: 'web01', report, config, level });
}

describe('stray completions: whom the diagnosis names', () => {
  it('rule 3: names the plugin’s instance, not the built-in storvsp serving the same VM', () => {
    const d = web01('local.my-nic');
    expect(d.cause).toBe('stray-completions');
    expect(d.en).toContain(': my-nic sent 1 completion whose trans_id named no request');
    expect(d.en).toContain('Try: make my-nic complete each request exactly once');
    expect(d['pt-BR']).toContain(': my-nic enviou 1 conclusão cujo');
    expect(d.en).not.toContain('storvsp-ssd0');
  });

  it('rule 3: with built-ins alone, names every VSP of the VM, as before', () => {
    const d = web01('hyperkata.netvsp');
    expect(d.en).toContain(': storvsp-ssd0, my-nic sent 1 completion whose');
  });
});

describe('a full ring: what a plugin author is told to try', () => {
  // The network template's VSP with its send completions forgotten: netvsc's slots all stay in
  // flight and it waits 73.7% of the run (what `hyperkata run` measured for such a plugin).
  const stuck = { dropped: 0, strayCompletions: 0, ringFullPercent: 73.7 };

  it('rule 18: first, that the plugin completes every request it takes', () => {
    const d = web01('local.my-nic', stuck, 'iops');
    expect(d.cause).toBe('ring-full');
    expect(d.en).toContain(
      'Try: check that my-nic completes every request it takes (one never completed keeps its slot in the ring, and with every slot taken the guest waits), or a larger ring',
    );
    expect(d['pt-BR']).toContain('verificar se my-nic conclui cada pedido que recebe');
  });

  it('rule 18: with built-ins alone, a larger ring or subchannels, as before', () => {
    const d = web01('hyperkata.netvsp', stuck, 'iops');
    expect(d.cause).toBe('ring-full');
    expect(d.en).toContain('Try: a larger ring, or more VPs so storvsc opens subchannels.');
  });
});
