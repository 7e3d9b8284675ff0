/**
 * VM management operations through the public API (Issue 2: VMMS keeps each VM Off, Starting,
 * Running, Paused, Saved or Stopping): Suspend-VM, Resume-VM, Stop-VM, Stop-VM -TurnOff, Start-VM
 * and Save-VM, applied now (`Simulation.manage`) or scheduled by a scenario's `actions`, and
 * measured where a player or teacher sees them — the report, the snapshot, the narration.
 */
import { describe, expect, it } from '@jest/globals';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { ConfigurationError } from '../model/index.js';
import { SuspendReason } from '../scheduler/index.js';
import type { ScenarioInput, VmManagementAction } from '../model/index.js';
import { buildBusHost, vmName } from './testing/random-bus-host.js';
import type { RandomBusHost, RandomBusVm } from './testing/random-bus-host.js';
import { Simulation, SimulationUsageError, internalsOf } from './simulation.js';
import type { NarrationLine } from './event-log.js';

const MS = 1_000_000;

const linux = (over: Partial<RandomBusVm> = {}): RandomBusVm => ({
  vps: 2,
  kind: 'database',
  intensity: 1,
  network: false,
  batched: false,
  ...over,
});

function host(vms: RandomBusVm[], over: Partial<RandomBusHost> = {}): RandomBusHost {
  return {
    os: 'ws2019',
    cores: 4,
    rootVps: 2,
    queueDepth: 256,
    maxSubchannels: 0,
    maxQueues: 1,
    slowDisk: false,
    vms,
    seed: 3,
    ...over,
  };
}

function simulate(
  h: RandomBusHost,
  durationMs = 400,
  actions: Partial<Record<string, { atMs: number; action: VmManagementAction }[]>> = {},
) {
  const { scenario, configuration } = buildBusHost(h, durationMs);
  const withActions: ScenarioInput = {
    ...scenario,
    vms: scenario.vms.map((vm) => {
      const list = actions[vm.name];
      return list === undefined ? vm : { ...vm, actions: list };
    }),
  };
  const sim = Simulation.create({ scenario: withActions, configuration, vsps: BUILT_IN_VSPS });
  const lines: NarrationLine[] = [];
  sim.on((l) => lines.push(l));
  return { sim, lines };
}

const said = (lines: readonly NarrationLine[], id: string, vm?: string) =>
  lines.filter(
    (l) => l.message.id === id && (vm === undefined || l.source === vm || l.text.startsWith(vm)),
  );

describe('Suspend-VM and Resume-VM', () => {
  it('a paused VM gets no CPU and completes no I/O, keeps its channels open, and works again once resumed', () => {
    const { sim, lines } = simulate(host([linux(), linux()]));
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const openBefore = sim.report().host.openChannels;
    expect(sim.manage('vm0', 'pause')).toBe(true);
    const pid = rt.vmms.byName('vm0')?.partitionId ?? 0;
    const runAtPause = rt.scheduler.partitionRunNs(pid);
    const doneAtPause = sim.report().vms.vm0?.completed ?? 0;
    const otherAtPause = sim.report().vms.vm1?.completed ?? 0;
    sim.advance(100 * MS);
    const view = sim.snapshot();
    expect(view.vms.vm0?.state).toBe('Paused');
    // The scheduler holds every VP: no guest CPU, no interrupt handled, no completion seen.
    expect(view.vms.vm0?.vps.every((s) => s === 'suspended')).toBe(true);
    expect(rt.scheduler.partitionRunNs(pid)).toBe(runAtPause);
    expect(sim.report().vms.vm0?.completed).toBe(doneAtPause);
    // Its channels stay open; the other VM keeps working.
    expect(sim.report().host.openChannels).toBe(openBefore);
    expect(sim.report().vms.vm1?.completed ?? 0).toBeGreaterThan(otherAtPause + 100);

    expect(sim.manage('vm0', 'resume')).toBe(true);
    sim.advance(100 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Running');
    expect(sim.report().vms.vm0?.completed ?? 0).toBeGreaterThan(doneAtPause + 100);
    expect(said(lines, 'vm.command').map((l) => l.text)).toEqual([
      'vm0: Suspend-VM -Name vm0',
      'vm0: Resume-VM -Name vm0',
    ]);
  });

  it('refuses to resume a running VM and to pause one that is off, saying what the state allows', () => {
    const { sim, lines } = simulate(host([linux()]));
    sim.advance(50 * MS);
    expect(sim.manage('vm0', 'resume')).toBe(false);
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toBe(
      'vm0: cannot resume a VM that is Running (allowed: pause, save, stop, turn-off)',
    );
    expect(sim.manage('vm0', 'turn-off')).toBe(true);
    expect(sim.manage('vm0', 'pause')).toBe(false);
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toBe(
      'vm0: cannot pause a VM that is Off (allowed: start)',
    );
    expect(sim.snapshot().vms.vm0?.state).toBe('Off');
  });
});

describe('Stop-VM -TurnOff', () => {
  it('deletes the partition at once: memory back to the host, channels rescinded, GPADLs gone, no VPs', () => {
    const { sim, lines } = simulate(host([linux(), linux()]));
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const pid = rt.vmms.byName('vm0')?.partitionId ?? 0;
    const freeBefore = sim.report().host.memory.freeMiB;
    const openBefore = sim.report().host.openChannels;
    expect(sim.manage('vm0', 'turn-off')).toBe(true);
    const r = sim.report();
    expect(r.vms.vm0?.state).toBe('Off');
    // Its 1 GiB of startup memory and its ring buffers are the host's again.
    expect(r.host.memory.freeMiB - freeBefore).toBeGreaterThanOrEqual(1024);
    expect(r.host.openChannels).toBe(openBefore - 1);
    expect(rt.memory.partition(pid)).toBeUndefined();
    expect(rt.server.channelsOf(pid)).toEqual([]);
    expect(rt.gpadls.list().filter((g) => g.partition === pid)).toEqual([]);
    expect(sim.snapshot().vms.vm0?.vps).toEqual([]);
    expect(said(lines, 'channel.rescinded', 'vm0').map((l) => l.text)).toEqual([
      'scsi0: channel rescinded — the VM was turned off',
    ]);
    expect(said(lines, 'vm.partitionDeleted').at(-1)?.text).toMatch(
      /^vm0: partition \d+ deleted — \d+ MiB back to the host, 1 open channel\(s\) rescinded$/,
    );
    // The other VM carries on.
    const other = r.vms.vm1?.completed ?? 0;
    sim.advance(100 * MS);
    expect(sim.report().vms.vm1?.completed ?? 0).toBeGreaterThan(other + 100);
  });

  it('storvsp requests in flight when the plug is pulled are dropped, not completed into freed memory, and the host carries on', () => {
    // A SAN LUN at 1.5 ms a request and a deep queue: many requests are at the disk at once.
    const { sim } = simulate(
      host([linux({ intensity: 10 }), linux({ intensity: 3 })], { slowDisk: true }),
    );
    sim.advance(120 * MS);
    const disk = internalsOf(sim).disks.get('ssd0');
    expect(disk?.outstanding ?? 0).toBeGreaterThan(2);
    expect(() => sim.manage('vm0', 'turn-off')).not.toThrow();
    const other = sim.report().vms.vm1?.completed ?? 0;
    const report = sim.runToEnd();
    expect(report.host.isolationFaults).toBe(0);
    expect(report.vms.vm1?.completed ?? 0).toBeGreaterThan(other + 50);
    expect(report.vms.vm1?.failed).toBe(0);
    expect(report.vsps.stor?.failedChannels).toBe(0);
  });

  it('a VM turned off can be started again: a fresh boot on a new partition, with new offers', () => {
    const { sim, lines } = simulate(host([linux()]), 500);
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const first = rt.vmms.byName('vm0')?.partitionId ?? 0;
    sim.manage('vm0', 'turn-off');
    const done = sim.report().vms.vm0?.completed ?? 0;
    sim.advance(50 * MS);
    expect(sim.report().vms.vm0?.completed).toBe(done);
    expect(sim.manage('vm0', 'start')).toBe(true);
    sim.advance(150 * MS);
    const second = rt.vmms.byName('vm0')?.partitionId ?? 0;
    expect(second).toBeGreaterThan(first);
    expect(said(lines, 'guest.booted', 'vm0')).toHaveLength(2);
    expect(said(lines, 'channel.opened', 'vm0')).toHaveLength(2);
    expect(sim.report().vms.vm0?.completed ?? 0).toBeGreaterThan(done + 100);
    expect(sim.report().vms.vm0?.history.map((h) => h.state)).toEqual([
      'Off',
      'Starting',
      'Running',
      'Off',
      'Starting',
      'Running',
    ]);
  });

  it('turned off while Starting, the worker process never creates the partition', () => {
    const { sim } = simulate(host([linux()]));
    const rt = internalsOf(sim);
    // VMMS starts the VM at 0; its worker process comes up 2 ms later.
    sim.advance(1 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Starting');
    expect(sim.manage('vm0', 'turn-off')).toBe(true);
    sim.advance(50 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Off');
    expect(rt.vmms.byName('vm0')?.partitionId).toBe(0);
    expect(rt.memory.partitionIds()).toEqual([]);
  });
});

describe('Stop-VM (shutdown through the integration services)', () => {
  it('the guest drains its I/O, closes its channels and unloads VMBus, then the partition goes', () => {
    const { sim, lines } = simulate(host([linux({ intensity: 3 }), linux()], { slowDisk: true }));
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const pid = rt.vmms.byName('vm0')?.partitionId ?? 0;
    const freeBefore = sim.report().host.memory.freeMiB;
    const completedAtStop = sim.report().vms.vm0?.completed ?? 0;
    expect(sim.manage('vm0', 'stop')).toBe(true);
    expect(sim.snapshot().vms.vm0?.state).toBe('Stopping');
    const draining = said(lines, 'guest.shuttingDown', 'vm0').at(-1)?.message;
    const inFlight = draining?.id === 'guest.shuttingDown' ? draining.args.inFlight : -1;
    expect(inFlight).toBeGreaterThan(0);
    sim.advance(50 * MS);
    const r = sim.report();
    expect(r.vms.vm0?.state).toBe('Off');
    // The operations in flight when Stop-VM came completed; nothing new was issued.
    expect((r.vms.vm0?.completed ?? 0) - completedAtStop).toBe(inFlight);
    // Clean: every request it issued completed; nothing failed; the host rescinded nothing.
    expect(r.vms.vm0?.failed).toBe(0);
    expect(said(lines, 'channel.rescinded', 'vm0')).toEqual([]);
    // Rule 12: CLOSECHANNEL closed its channel, the guest's UNLOAD came before the VM was Off.
    const vm0 = lines.filter((l) => l.source === 'vm0' || l.text.startsWith('vm0'));
    const order = vm0
      .map((l) => l.message.id as string)
      .filter(
        (id) => id.startsWith('channel.') || id.startsWith('vm.') || id === 'guest.shuttingDown',
      );
    expect(order.slice(order.indexOf('guest.shuttingDown'))).toEqual([
      'guest.shuttingDown',
      'channel.closed',
      'vm.state',
      'vm.partitionDeleted',
    ]);
    expect(said(lines, 'vm.partitionDeleted').at(-1)?.text).toMatch(/MiB back to the host$/);
    expect(r.host.memory.freeMiB - freeBefore).toBeGreaterThanOrEqual(1024);
    expect(rt.memory.partition(pid)).toBeUndefined();
    expect(rt.gpadls.list().filter((g) => g.partition === pid)).toEqual([]);
    expect(r.vms.vm0?.history.slice(-2).map((h) => h.state)).toEqual(['Stopping', 'Off']);
  });

  it('is refused for a legacy guest (no integration components: no shutdown service), naming -TurnOff', () => {
    const { sim, lines } = simulate(host([linux({ enlightened: false })]));
    sim.advance(100 * MS);
    expect(sim.manage('vm0', 'stop')).toBe(false);
    expect(sim.snapshot().vms.vm0?.state).toBe('Running');
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toBe(
      'vm0: the guest has no shutdown integration service (no integration components): only Stop-VM -TurnOff stops it',
    );
    expect(sim.manage('vm0', 'turn-off')).toBe(true);
  });

  it('is refused while paused (the guest cannot run its shutdown) and before VMBus is up', () => {
    const { sim, lines } = simulate(host([linux()]));
    sim.advance(3 * MS); // Running, still booting
    expect(sim.manage('vm0', 'stop')).toBe(false);
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toMatch(
      /not running \(VMBus not connected\)/,
    );
    sim.advance(100 * MS);
    sim.manage('vm0', 'pause');
    expect(sim.manage('vm0', 'stop')).toBe(false);
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toMatch(
      /Resume-VM first, or use Stop-VM -TurnOff/,
    );
    expect(sim.snapshot().vms.vm0?.state).toBe('Paused');
  });

  it('a shutdown stuck behind I/O that does not finish stays Stopping, is narrated, and -TurnOff ends it', () => {
    const { sim, lines } = simulate(host([linux({ intensity: 10 })]), 1500);
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const pid = rt.vmms.byName('vm0')?.partitionId ?? 0;
    // The guest's VPs are held (rule 7's suspension, by another name): its in-flight requests
    // cannot be completed in the guest, so the shutdown cannot finish.
    for (const vp of rt.vms.get('vm0')?.vpIds ?? [])
      rt.scheduler.suspend(vp, SuspendReason.FloodThrottled);
    expect(sim.manage('vm0', 'stop')).toBe(true);
    sim.advance(600 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Stopping');
    expect(said(lines, 'vm.shutdownStuck').map((l) => l.text)).toEqual([
      'vm0: the guest has not shut down after 500 ms; it stays Stopping (Stop-VM -TurnOff ends it)',
    ]);
    expect(sim.manage('vm0', 'turn-off')).toBe(true);
    expect(rt.memory.partition(pid)).toBeUndefined();
    expect(sim.snapshot().vms.vm0?.state).toBe('Off');
  });
});

describe('Save-VM and restore (Start-VM on a Saved VM)', () => {
  const mibOf = (sim: Simulation) => sim.report().host.memory.freeMiB;

  it('saving holds the VPs, writes the memory, gives it back to the host; a Saved VM gets no CPU', () => {
    const { sim, lines } = simulate(host([linux(), linux()]));
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const pid = rt.vmms.byName('vm0')?.partitionId ?? 0;
    const assigned = rt.memory.partition(pid)?.assignedPages ?? 0;
    const freeBefore = mibOf(sim);
    expect(sim.manage('vm0', 'save')).toBe(true);
    expect(sim.snapshot().vms.vm0?.state).toBe('Saving');
    expect(sim.snapshot().vms.vm0?.vps.every((s) => s === 'suspended')).toBe(true);
    sim.advance(20 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Saved');
    // Its assigned memory (1 GiB and its rings, buffers) is the host's again, to the MiB.
    const freed = mibOf(sim) - freeBefore;
    expect(freed).toBeGreaterThanOrEqual(1024);
    expect(Math.abs(freed - (assigned * 4096) / 2 ** 20)).toBeLessThan(2);
    expect(rt.memory.partition(pid)?.assignedPages).toBe(0);
    const run = rt.scheduler.partitionRunNs(pid);
    const done = sim.report().vms.vm0?.completed ?? 0;
    sim.advance(100 * MS);
    expect(rt.scheduler.partitionRunNs(pid)).toBe(run);
    expect(sim.report().vms.vm0?.completed).toBe(done);
    expect(rt.scheduler.isSuspended(rt.cpu.vp(pid, 0), SuspendReason.VmSaved)).toBe(true);
    expect(said(lines, 'vm.saved', 'vm0').at(-1)?.text).toMatch(
      /^vm0: saved — \d+ MiB back to the host; no VP runs until Start-VM restores it$/,
    );
    // Saved allows only start (Hyper-V: no turn-off of a saved VM; Remove-VMSavedState is another cmdlet).
    expect(sim.manage('vm0', 'turn-off')).toBe(false);
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toBe(
      'vm0: cannot turn-off a VM that is Saved (allowed: start)',
    );
  });

  it('restore takes the memory again and the guest continues where it was: no boot, no second handshake, the same channels carry on', () => {
    const { sim, lines } = simulate(host([linux({ network: true })]), 600);
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const pid = rt.vmms.byName('vm0')?.partitionId ?? 0;
    const channels = rt.server.channelsOf(pid).map((c) => c.relid);
    const openBefore = sim.report().host.openChannels;
    sim.manage('vm0', 'save');
    sim.advance(50 * MS);
    const savedFree = mibOf(sim);
    const done = sim.report().vms.vm0?.completed ?? 0;
    // The host's channel objects of the VM, and the packets they had carried.
    const hostChannels = [...rt.vsps.values()].flatMap((v) =>
      v.channels.filter((c) => c.vm === 'vm0' && c.state === 'open'),
    );
    const packetsIn = hostChannels.map((c) => c.packetsIn);
    expect(sim.manage('vm0', 'start')).toBe(true);
    expect(sim.snapshot().vms.vm0?.state).toBe('Starting');
    expect(savedFree - mibOf(sim)).toBeGreaterThanOrEqual(1024);
    sim.advance(100 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Running');
    expect(rt.vmms.byName('vm0')?.partitionId).toBe(pid);
    expect(rt.server.channelsOf(pid).map((c) => c.relid)).toEqual(channels);
    expect(sim.report().host.openChannels).toBe(openBefore);
    // One boot, one handshake (offers delivered once), one open per channel over the whole run.
    expect(said(lines, 'guest.booted', 'vm0')).toHaveLength(1);
    expect(said(lines, 'vmbus.offersDelivered', 'vm0')).toHaveLength(1);
    expect(said(lines, 'channel.opened', 'vm0')).toHaveLength(channels.length);
    // Its workload goes on, on the same host channels, whose packet counts carry on.
    expect(sim.report().vms.vm0?.completed ?? 0).toBeGreaterThan(done + 100);
    expect(hostChannels.every((c) => c.state === 'open')).toBe(true);
    expect(hostChannels.some((c, i) => c.packetsIn > (packetsIn[i] ?? 0))).toBe(true);
    expect(sim.report().vms.vm0?.failed).toBe(0);
    expect(sim.report().host.isolationFaults).toBe(0);
    expect(sim.report().vms.vm0?.history.map((h) => h.state)).toEqual([
      'Off',
      'Starting',
      'Running',
      'Saving',
      'Saved',
      'Starting',
      'Running',
    ]);
  });

  it('restore is refused, the VM stays Saved, when another VM took the memory meanwhile', () => {
    const { scenario, configuration } = buildBusHost(host([linux(), linux(), linux()]), 400);
    // 2924 MiB for VMs: vm0 and vm1 take 1 GiB each; vm2 (Dynamic Memory, 256 MiB minimum, so
    // the configuration fits) boots with 1536 MiB — it fits only in what vm0's save gave back.
    const small: ScenarioInput = { ...scenario, host: { ...scenario.host, memoryMiB: 3500 } };
    const vm2 = configuration.vms.vm2;
    const config = {
      ...configuration,
      vms: {
        ...configuration.vms,
        vm2: {
          ...vm2,
          memory: { dynamic: true, startupMiB: 1536, minimumMiB: 256, maximumMiB: 1536 },
        },
      },
      vsps: [...(configuration.vsps ?? []), { id: 'dm', plugin: 'hyperkata.dynmem' }],
    };
    const sim = Simulation.create({ scenario: small, configuration: config, vsps: BUILT_IN_VSPS });
    const lines: NarrationLine[] = [];
    sim.on((l) => lines.push(l));
    sim.advance(1 * MS);
    expect(sim.manage('vm2', 'turn-off')).toBe(true);
    sim.advance(99 * MS);
    expect(sim.manage('vm0', 'save')).toBe(true);
    sim.advance(20 * MS);
    expect(sim.manage('vm2', 'start')).toBe(true);
    sim.advance(50 * MS);
    expect(sim.snapshot().vms.vm2?.state).toBe('Running');
    const free = mibOf(sim);
    expect(sim.manage('vm0', 'start')).toBe(false);
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toMatch(
      /^vm0: not enough host memory to restore the saved VM \(it needs \d+ MiB: .*\); it stays Saved$/,
    );
    expect(sim.snapshot().vms.vm0?.state).toBe('Saved');
    expect(mibOf(sim)).toBe(free);
    // Once vm2 is off again, the restore goes through.
    sim.manage('vm2', 'turn-off');
    expect(sim.manage('vm0', 'start')).toBe(true);
    sim.advance(20 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Running');
  });

  it('storvsp requests in flight when Save-VM comes complete before the memory is written; none is lost', () => {
    const { sim, lines } = simulate(host([linux({ intensity: 10 })], { slowDisk: true }), 600);
    const rt = internalsOf(sim);
    sim.advance(120 * MS);
    const disk = rt.disks.get('ssd0');
    expect(disk?.outstanding ?? 0).toBeGreaterThan(2);
    sim.manage('vm0', 'save');
    while (sim.snapshot().vms.vm0?.state === 'Saving') sim.advance(MS / 10);
    // Saved only once the disk had nothing of the VM's left.
    expect(disk?.outstanding).toBe(0);
    expect(said(lines, 'vm.savingMemory', 'vm0')).toHaveLength(1);
    sim.advance(50 * MS);
    sim.manage('vm0', 'start');
    const r = sim.runToEnd();
    expect(r.vms.vm0?.failed).toBe(0);
    expect(r.vsps.stor?.failedChannels).toBe(0);
    expect(r.host.isolationFaults).toBe(0);
    expect(r.vms.vm0?.state).toBe('Running');
  });

  it('a legacy guest saved while its worker process has an emulated IDE transfer in flight: the memory is written only once that transfer is done (rule 21: VMWP quiesces its devices too)', () => {
    const { sim, lines } = simulate(
      host([linux({ enlightened: false, intensity: 10 })], { slowDisk: true }),
      600,
    );
    const rt = internalsOf(sim);
    const disk = rt.disks.get('ssd0');
    // Step until the emulated IDE controller has a transfer on the SAN LUN (1.5 ms each).
    sim.advance(100 * MS);
    for (let i = 0; i < 2000 && (disk?.outstanding ?? 0) === 0; i++) sim.advance(MS / 100);
    expect(disk?.outstanding ?? 0).toBeGreaterThan(0);
    const ide = rt.vms.get('vm0')?.worker?.devices.find((d) => d.name.includes('IDE')) as
      { bytesTransferred: number } | undefined;
    if (ide === undefined) throw new Error("no emulated IDE controller in vm0's worker process");
    const bytesBefore = ide.bytesTransferred;
    let bytesAtSave = -1;
    sim.on((l) => {
      if (l.message.id === 'vm.savingMemory') bytesAtSave = ide.bytesTransferred;
    });
    sim.manage('vm0', 'save');
    while (sim.snapshot().vms.vm0?.state === 'Saving') sim.advance(MS / 10);
    expect(said(lines, 'vm.savingMemory', 'vm0')).toHaveLength(1);
    // The transfer in flight finished in VMWP (its bytes counted) before the memory was written.
    expect(bytesAtSave).toBeGreaterThan(bytesBefore);
    expect(disk?.outstanding).toBe(0);
    sim.advance(50 * MS);
    sim.manage('vm0', 'start');
    const r = sim.runToEnd();
    expect(r.vms.vm0?.state).toBe('Running');
    expect(r.vms.vm0?.failed).toBe(0);
    expect(r.host.isolationFaults).toBe(0);
  });

  it('a paused VM can be saved; the restore runs it; the same actions give the same run', () => {
    const actions = {
      vm0: [
        { atMs: 60, action: 'pause' as const },
        { atMs: 80, action: 'save' as const },
        { atMs: 150, action: 'start' as const },
      ],
    };
    const a = simulate(host([linux(), linux()]), 300, actions).sim.runToEnd();
    expect(a.vms.vm0?.history.map((h) => [h.state, h.atMs])).toEqual([
      ['Off', 0],
      ['Starting', 0],
      ['Running', 2],
      ['Paused', 60],
      ['Saving', 80],
      ['Saved', expect.any(Number)],
      ['Starting', 150],
      ['Running', expect.any(Number)],
    ]);
    const b = simulate(host([linux(), linux()]), 300, actions).sim.runToEnd();
    expect(b.hash).toBe(a.hash);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  it('turned off while restoring, the partition goes with its memory and a later start boots afresh', () => {
    const { sim, lines } = simulate(host([linux()]), 500);
    const rt = internalsOf(sim);
    sim.advance(100 * MS);
    const freeRunning = mibOf(sim);
    sim.manage('vm0', 'save');
    sim.advance(20 * MS);
    expect(sim.manage('vm0', 'start')).toBe(true);
    expect(sim.snapshot().vms.vm0?.state).toBe('Starting');
    expect(sim.manage('vm0', 'turn-off')).toBe(true);
    sim.advance(20 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Off');
    expect(rt.memory.partitionIds()).toEqual([]);
    expect(mibOf(sim)).toBeGreaterThanOrEqual(freeRunning + 1024);
    expect(sim.manage('vm0', 'start')).toBe(true);
    sim.advance(150 * MS);
    expect(sim.snapshot().vms.vm0?.state).toBe('Running');
    expect(said(lines, 'guest.booted', 'vm0')).toHaveLength(2);
  });

  it('refuses to save a VM that is Off, saying what the state allows', () => {
    const { sim, lines } = simulate(host([linux()]));
    sim.advance(50 * MS);
    sim.manage('vm0', 'turn-off');
    expect(sim.manage('vm0', 'save')).toBe(false);
    expect(said(lines, 'vm.actionRefused').at(-1)?.text).toBe(
      'vm0: cannot save a VM that is Off (allowed: start)',
    );
  });
});

describe("a scenario's scheduled actions", () => {
  const actions = {
    vm0: [
      { atMs: 60, action: 'pause' as const },
      { atMs: 90, action: 'resume' as const },
      { atMs: 150, action: 'turn-off' as const },
      { atMs: 200, action: 'start' as const },
    ],
    vm1: [{ atMs: 120, action: 'stop' as const }],
  };

  it('runs them at their instants; the report keeps every state with its time', () => {
    const { sim } = simulate(host([linux(), linux()]), 400, actions);
    const r = sim.runToEnd();
    expect(r.vms.vm0?.history).toEqual([
      { atMs: 0, state: 'Off' },
      { atMs: 0, state: 'Starting' },
      { atMs: 2, state: 'Running' },
      { atMs: 60, state: 'Paused' },
      { atMs: 90, state: 'Running' },
      { atMs: 150, state: 'Off' },
      { atMs: 200, state: 'Starting' },
      { atMs: expect.any(Number) as unknown as number, state: 'Running' },
    ]);
    expect(r.vms.vm1?.history.slice(-2).map((h) => h.state)).toEqual(['Stopping', 'Off']);
    expect(r.vms.vm1?.state).toBe('Off');
  });

  it('gives the same run for the same actions and seed, another for other actions', () => {
    const a = simulate(host([linux(), linux()]), 300, actions).sim.runToEnd();
    const b = simulate(host([linux(), linux()]), 300, actions).sim.runToEnd();
    expect(b.hash).toBe(a.hash);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = simulate(host([linux(), linux()]), 300, { vm0: [{ atMs: 61, action: 'pause' }] });
    expect(c.sim.runToEnd().hash).not.toBe(a.hash);
  });

  it('a scenario without actions runs exactly as one with an empty list', () => {
    const none = simulate(host([linux()]), 200).sim.runToEnd();
    const empty = simulate(host([linux()]), 200, { vm0: [] }).sim.runToEnd();
    expect(empty.hash).toBe(none.hash);
  });

  it('refuses actions out of order, past the end of the run, or unknown, naming the place', () => {
    const { scenario, configuration } = buildBusHost(host([linux()]), 200);
    const attempt = (list: unknown) => () =>
      Simulation.create({
        scenario: { ...scenario, vms: [{ ...scenario.vms[0], actions: list }] },
        configuration,
        vsps: BUILT_IN_VSPS,
      });
    const message = (list: unknown): string => {
      try {
        attempt(list)();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigurationError);
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(
      message([
        { atMs: 50, action: 'pause' },
        { atMs: 40, action: 'resume' },
      ]),
    ).toMatch(/vms\[0\]\.actions\[1\]\.atMs.*at or after the previous one \(50 ms\)/s);
    expect(message([{ atMs: 200, action: 'pause' }])).toMatch(
      /vms\[0\]\.actions\[0\]\.atMs.*before the end of the run/s,
    );
    expect(message([{ atMs: 10, action: 'reboot' }])).toMatch(/vms\[0\]\.actions\[0\]\.action/);
    expect(message([{ atMs: 10, action: 'pause', force: true }])).toMatch(/force/);
  });
});

describe('Simulation.manage', () => {
  it('refuses a VM the scenario lacks and an action VMMS does not know', () => {
    const { sim } = simulate(host([linux()]));
    expect(() => sim.manage('nope', 'pause')).toThrow(SimulationUsageError);
    expect(() => sim.manage(vmName(0), 'reboot' as VmManagementAction)).toThrow(/unknown action/);
  });
});
