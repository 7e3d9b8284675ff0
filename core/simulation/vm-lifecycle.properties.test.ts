/**
 * Properties of VM management on random hosts (the VMBus property tests' hosts): whatever
 * sequence of Suspend-VM, Resume-VM, Save-VM, Start-VM, Stop-VM and Stop-VM -TurnOff an
 * administrator types, VMMS follows its state table (core/root/vm-state.ts), a VM has a partition
 * only while it is not Off (a Saved one frozen, its memory all the host's, its VPs held), nothing of
 * a deleted partition lives on (no channel, no GPADL, no memory), memory is conserved through saves
 * and restores, the host's memory comes back whole, and the host never throws.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { VM_MANAGEMENT_ACTIONS } from '../model/index.js';
import type { HostOs, VmManagementAction, WorkloadKind } from '../model/index.js';
import { transition, VM_ACTIONS } from '../root/vm-state.js';
import type { VmState } from '../root/vm-state.js';
import { buildBusHost, vmName } from './testing/random-bus-host.js';
import type { RandomBusHost, RandomBusVm } from './testing/random-bus-host.js';
import { SuspendReason } from '../scheduler/index.js';
import { Simulation, internalsOf } from './simulation.js';

const MS = 1_000_000;

const busVm: fc.Arbitrary<RandomBusVm> = fc.record({
  enlightened: fc.oneof(
    { weight: 4, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  vps: fc.integer({ min: 1, max: 4 }),
  kind: fc.constantFrom<WorkloadKind>('database', 'web', 'file', 'batch'),
  intensity: fc.constantFrom(1, 3, 10),
  network: fc.boolean(),
  batched: fc.boolean(),
});

const busHost: fc.Arbitrary<RandomBusHost> = fc
  .record({
    os: fc.constantFrom<HostOs>('ws2016', 'ws2019', 'ws2022'),
    cores: fc.integer({ min: 2, max: 4 }),
    rootVps: fc.integer({ min: 1, max: 2 }),
    queueDepth: fc.constantFrom(4, 64, 256),
    maxSubchannels: fc.integer({ min: -1, max: 2 }),
    maxQueues: fc.integer({ min: 1, max: 4 }),
    slowDisk: fc.boolean(),
    seed: fc.integer({ min: 1, max: 1000 }),
  })
  .chain((h) => fc.array(busVm, { minLength: 1, maxLength: 3 }).map((vms) => ({ ...h, vms })));

/** One administrator's command: after `gapMs` more of the run, `action` on VM `vm` (an index). */
interface Command {
  readonly gapMs: number;
  readonly vm: number;
  readonly action: VmManagementAction;
}

const command: fc.Arbitrary<Command> = fc.record({
  gapMs: fc.integer({ min: 0, max: 40 }),
  vm: fc.integer({ min: 0, max: 1 }),
  // Pause and resume come in pairs more often than a uniform draw would make them.
  action: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom<VmManagementAction>('pause', 'resume') },
    { weight: 3, arbitrary: fc.constantFrom(...VM_MANAGEMENT_ACTIONS) },
    // Save or turn off, then start (a restore, a restart), often enough that random runs do both.
    { weight: 1, arbitrary: fc.constantFrom<VmManagementAction>('save', 'start') },
    { weight: 1, arbitrary: fc.constantFrom<VmManagementAction>('turn-off', 'start') },
  ),
});

/** Some action of the table takes `from` to `to` (a VMMS step: `start-done`, `stop-done` too). */
const tableAllows = (from: VmState, to: VmState): boolean =>
  VM_ACTIONS.some((a) => {
    const r = transition(from, a);
    return r.ok && r.state === to;
  });

describe('VM management on random hosts (fast-check)', () => {
  it('follows the state table, keeps partitions, channels, GPADLs and memory consistent, and never throws', () => {
    /** Commands VMMS accepted, by action, over every draw (the property must see each happen). */
    const acceptedBy = new Map<string, number>();
    // One enlightened web VM that an administrator pauses, resumes, saves, restores, stops, starts
    // again and turns off, each when VMMS can accept it: every action happens on every seed (random
    // draws alone missed some — HYPERKATA_FC_SEED=7 restored no Saved VM in 12 runs).
    const everyAction: [RandomBusHost, Command[]] = [
      {
        os: 'ws2022',
        cores: 2,
        rootVps: 1,
        queueDepth: 64,
        maxSubchannels: 0,
        maxQueues: 1,
        slowDisk: false,
        seed: 1,
        vms: [
          { enlightened: true, vps: 2, kind: 'web', intensity: 1, network: true, batched: false },
        ],
      },
      (
        [
          [30, 'pause'],
          [5, 'resume'],
          [10, 'save'],
          [40, 'start'],
          [40, 'stop'],
          [40, 'start'],
          [40, 'turn-off'],
        ] as const
      ).map(([gapMs, action]) => ({ gapMs, vm: 0, action })),
    ];
    fc.assert(
      fc.property(busHost, fc.array(command, { minLength: 1, maxLength: 16 }), (h, commands) => {
        const { scenario, configuration } = buildBusHost(h, 600);
        const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
        const rt = internalsOf(sim);
        const freeAtStart = rt.memory.host.freePages;
        const partitionsSeen = new Set<number>();
        const check = (): void => {
          const live = new Set<number>();
          for (const vm of rt.vmms.vms) {
            const pid = vm.partitionId;
            if (pid !== 0) {
              partitionsSeen.add(pid);
              live.add(pid);
            }
            // Off: no partition. Running, Paused, Stopping, Saving: a partition with its memory
            // in host RAM (Starting: the worker process is still creating or restoring it).
            // Saved: the model keeps the partition frozen, its memory all given back to the host.
            if (vm.state === 'Off') expect(pid).toBe(0);
            if (vm.state !== 'Off' && vm.state !== 'Starting') expect(pid).not.toBe(0);
            const memory = rt.memory.partition(pid);
            if (vm.state === 'Saved')
              expect([memory?.resident, memory?.assignedPages]).toEqual([false, 0]);
            else if (pid !== 0 && vm.state !== 'Starting') expect(memory?.resident).toBe(true);
            // A Saved VM's VPs are held: it gets no CPU.
            if (vm.state === 'Saved' || vm.state === 'Saving')
              for (const vp of rt.vms.get(vm.spec.name)?.vpIds ?? [])
                expect(rt.scheduler.isSuspended(vp, SuspendReason.VmSaved)).toBe(true);
            for (let i = 1; i < vm.history.length; i++)
              expect([
                vm.history[i - 1].state,
                vm.history[i].state,
                tableAllows(vm.history[i - 1].state, vm.history[i].state),
              ]).toEqual([vm.history[i - 1].state, vm.history[i].state, true]);
          }
          // Nothing outlives its partition: channels, GPADLs, memory.
          for (const pid of partitionsSeen) {
            if (live.has(pid)) continue;
            expect(rt.server.channelsOf(pid)).toEqual([]);
            expect(rt.memory.partition(pid)).toBeUndefined();
          }
          for (const g of rt.gpadls.list()) expect(live.has(g.partition)).toBe(true);
          // Memory is conserved: what the host has free and what the partitions hold add up to
          // the same whole (the hypervisor's pool aside), whatever was saved or restored.
          expect(rt.memory.host.freePages + rt.memory.childAssignedPages()).toBeLessThanOrEqual(
            freeAtStart,
          );
        };
        for (const c of commands) {
          sim.advance(c.gapMs * MS);
          const vm = rt.vmms.vms[c.vm % rt.vmms.vms.length];
          const before = vm.state;
          const accepted = sim.manage(vm.spec.name, c.action);
          // VMMS accepts only what the table allows (it may refuse more: legacy, paused, no memory).
          if (accepted) {
            expect(transition(before, c.action).ok).toBe(true);
            const key =
              c.action === 'start' && before === 'Saved'
                ? 'restore'
                : c.action === 'start' && before === 'Off' && vm.boots > 1
                  ? 'restart'
                  : c.action;
            acceptedBy.set(key, (acceptedBy.get(key) ?? 0) + 1);
          }
          if (!transition(before, c.action).ok) expect(accepted).toBe(false);
          check();
        }
        sim.advance(50 * MS);
        check();
        // Every VM turned off: the host has all its memory back (partitions, rings, the VID's
        // deposits to the hypervisor). A Saved VM cannot be turned off (Hyper-V's table): it is
        // restored first, once the others have given their memory back.
        const turnOff = (saved: boolean): void => {
          for (const vm of rt.vmms.vms) {
            if (vm.state === 'Starting') sim.advance(5 * MS);
            if (vm.state === 'Saving') sim.advance(20 * MS);
            if (vm.state === 'Saved' && saved) {
              expect(sim.manage(vm.spec.name, 'start')).toBe(true);
              sim.advance(20 * MS);
            }
            if (vm.state !== 'Off' && vm.state !== 'Saved')
              expect(sim.manage(vm.spec.name, 'turn-off')).toBe(true);
          }
        };
        turnOff(false);
        turnOff(true);
        check();
        expect(rt.memory.host.freePages).toBe(freeAtStart);
        expect(sim.report().host.openChannels).toBe(0);
        sim.runToEnd();
      }),
      // 12 random draws, and the example
      { numRuns: 13, examples: [everyAction] },
    );
    for (const action of ['pause', 'resume', 'stop', 'turn-off', 'restart', 'save', 'restore'])
      expect([action, (acceptedBy.get(action) ?? 0) > 0]).toEqual([action, true]);
  });

  it('the same commands on the same host give the same run', () => {
    fc.assert(
      fc.property(busHost, fc.array(command, { minLength: 1, maxLength: 6 }), (h, commands) => {
        const run = () => {
          const { scenario, configuration } = buildBusHost(h, 250);
          const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
          for (const c of commands) {
            sim.advance(c.gapMs * MS);
            sim.manage(vmName(c.vm % h.vms.length), c.action);
          }
          return sim.runToEnd().hash;
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 4 },
    );
  });
});
