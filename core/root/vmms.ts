/**
 * The Virtual Machine Management Service (VMMS): the root's service that owns every VM's state.
 * Starting a VM starts its worker process (VMWP), which asks the VID to create the partition and
 * its virtual processors, gives the VM its memory, wires VMBus for it (offers for every routed
 * synthetic device) and intercepts for its emulated devices, and lets the guest boot.
 * It also watches the heartbeat integration service to say whether each guest is alive.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import { NS_PER_MS } from '../engine/index.js';
import { pagesToMib } from '../memory/units.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import type { VmConfiguration, VmManagementAction, VmSpec } from '../model/index.js';
import { transition, allowedActions } from './vm-state.js';
import type { VmAction, VmState } from './vm-state.js';
import { narrate } from '../simulation/narration-messages.js';
import type { NarrationMessage } from '../simulation/narration-messages.js';
import { because } from '../simulation/narration-reasons.js';
import type { Reason } from '../simulation/narration-reasons.js';
import { managementCommand } from './powershell.js';

// estimate: root CPU to start a worker process and load the VM's configuration, compressed from
// the ~1 s it takes on a real host (the codex says so).
export const VMWP_START_NS: Ns = 2 * NS_PER_MS;

export type HeartbeatStatus = 'No Contact' | 'OK' | 'Lost Communication';

/** A VM as VMMS tracks it. */
export interface ManagedVm {
  readonly spec: VmSpec;
  readonly config: VmConfiguration;
  state: VmState;
  /** The VM's child partition while it has one; 0 before it starts and after a failed start. */
  partitionId: number;
  heartbeat: HeartbeatStatus;
  lastHeartbeatAt: Ns;
  /** Why the VM failed to start, if it did. */
  failure: string;
  /** State changes with their instants, for the report and the game's timeline. */
  readonly history: { time: Ns; state: VmState }[];
  /** Worker-process starts a turn-off during Starting made moot (their launch is skipped). */
  staleWorkers: number;
  /** Starts so far: a shutdown's completion or time-out belongs to the boot that asked for it. */
  boots: number;
}

/** What VMMS delegates: the worker process's start-up work for one VM. */
export interface VmLauncher {
  /** Creates the partition and everything around it; returns an error message or null. */
  launch(vm: ManagedVm, meter: CostMeter): string | null;
  /** The guest may run: boot it. */
  boot(vm: ManagedVm): void;
  /** Suspend-VM (true) or Resume-VM (false): hold or release the VM's VPs. */
  setPaused(vm: ManagedVm, paused: boolean): void;
  /** Why the guest cannot be asked to shut down (no shutdown service), or null when it can. */
  shutdownRefusal(vm: ManagedVm): Reason | null;
  /** Asks the guest to shut down; `halted` runs once it has. */
  shutdown(vm: ManagedVm, halted: () => void): void;
  /** Save-VM holds every VP of the VM (true); restore releases them (false). */
  holdForSave(vm: ManagedVm, held: boolean): void;
  /** Whether the host has nothing in flight for the VM at its VSPs and devices (quiesced). */
  hostQuiet(vm: ManagedVm): boolean;
  /** Pages of host memory the VM holds now. */
  residentPages(vm: ManagedVm): number;
  /** The saved VM's host memory goes back to the host; MiB freed. */
  saveMemory(vm: ManagedVm): number;
  /** Host memory backs the saved VM again, or why the host cannot give it. */
  restoreMemory(vm: ManagedVm): { mib: number } | { error: string };
  /** MiB the saved VM needs back. */
  savedMiB(vm: ManagedVm): number;
  /** Deletes the VM's partition and everything around it; what the host got back. */
  teardown(vm: ManagedVm, meter: CostMeter): { freedMiB: number; channels: number };
}

// L/WS: the heartbeat service answers every few seconds; VMMS shows "Lost Communication" after
// missed beats. estimate: the model beats every 100 ms and calls a guest lost after 3 misses.
export const HEARTBEAT_PERIOD_NS: Ns = 100 * NS_PER_MS;

// estimate: how long VMMS waits for a guest to shut down before it says the shutdown is stuck. A
// real Stop-VM waits minutes for the guest (its services get seconds each); the model compresses
// it by about as much as it compresses a boot (GUEST_BOOT_NS: 20 ms for tens of seconds), so a
// guest that drains its I/O and unloads VMBus in a few ms is well inside it, and a stuck one is
// called stuck within a level's run. The VM stays Stopping: only Stop-VM -TurnOff ends it.
export const SHUTDOWN_TIMEOUT_NS: Ns = 500 * NS_PER_MS;

// estimate: how often the worker process looks again whether the host has finished the VM's I/O
// in flight before it writes the saved state (a storvsp request takes 0.1–1.5 ms in the model).
export const SAVE_QUIESCE_POLL_NS: Ns = NS_PER_MS / 4;

// estimate: the rate the worker process writes (Save-VM) or reads back (restore) the VM's memory
// to its saved-state file (.vmrs). A real host's SSD streams about 1–2 GB/s, so a 1 GiB VM saves in
// about a second; the model compresses that by as much as it compresses a worker process's start
// (VMWP_START_NS: 2 ms for about 1 s), so 1 GiB takes 2 ms. The host's disks in a scenario back
// the VMs' virtual disks, not the root's volume holding the saved state, so their figures are not
// used (the write does not compete with the VMs' I/O in the model).
export const SAVED_STATE_NS_PER_MIB: Ns = (2 * NS_PER_MS) / 1024;

// estimate: the share of that time that is root CPU (the worker process copying pages and
// issuing the file I/O on a root VP); the rest is waiting for the disk.
export const SAVED_STATE_CPU_SHARE = 0.25;

/** What a Save-VM or a restore in progress carries from one step to the next. */
interface SaveStep {
  readonly vm: ManagedVm;
  /** The start this step belongs to (a turn-off and a new start make it moot). */
  readonly boot: number;
  readonly partitionId: number;
  /** Time the file I/O takes after the CPU work. */
  readonly ioNs: Ns;
}

export class Vmms {
  readonly vms: ManagedVm[];
  private readonly startEvent: EventType<ManagedVm>;
  private readonly launchedEvent: EventType<ManagedVm>;
  /** Defined when first needed: an earlier definition would renumber every later event kind. */
  private actionEvent: EventType<{ vm: ManagedVm; action: VmManagementAction }> | null = null;
  private shutdownTimeout: EventType<ManagedVm> | null = null;
  private saveEvents: {
    quiescePoll: EventType<ManagedVm>;
    cpuDone: EventType<SaveStep>;
    ioDone: EventType<SaveStep>;
  } | null = null;

  constructor(
    private readonly engine: SimEngine,
    private readonly cpu: HostCpu,
    private readonly rootPartitionId: number,
    private readonly launcher: VmLauncher,
    private readonly meter: CostMeter,
    vms: readonly { spec: VmSpec; config: VmConfiguration }[],
    private readonly log: (message: NarrationMessage) => void,
  ) {
    this.vms = vms.map(({ spec, config }) => ({
      spec,
      config,
      state: 'Off',
      partitionId: 0,
      heartbeat: 'No Contact',
      lastHeartbeatAt: -1,
      failure: '',
      history: [{ time: 0, state: 'Off' }],
      staleWorkers: 0,
      boots: 0,
    }));
    this.startEvent = engine.define<ManagedVm>('vmms:start', (vm) => {
      this.start(vm);
    });
    this.launchedEvent = engine.define<ManagedVm>('vmms:worker-started', (vm) => {
      this.onWorkerStarted(vm);
    });
  }

  /** Schedules each VM's start at its `startAtMs`. */
  scheduleStarts(): void {
    for (const vm of this.vms) this.engine.at(vm.spec.startAtMs * NS_PER_MS, this.startEvent, vm);
  }

  /** Schedules the scenario's management operations (each VM's `actions`) at their instants. */
  scheduleActions(): void {
    for (const vm of this.vms)
      for (const { atMs, action } of vm.spec.actions ?? []) {
        this.actionEvent ??= this.engine.define('vmms:action', (a) => {
          this.request(a.vm, a.action);
        });
        this.engine.at(atMs * NS_PER_MS, this.actionEvent, { vm, action });
      }
  }

  byName(name: string): ManagedVm | undefined {
    return this.vms.find((v) => v.spec.name === name);
  }

  /**
   * An administrator's operation on `vm`, as its cmdlet (narrated as the line an admin types):
   * Suspend-VM, Resume-VM, Save-VM, Start-VM, Stop-VM, Stop-VM -TurnOff. Returns whether VMMS
   * accepted it; a refusal is narrated with its reason.
   */
  request(vm: ManagedVm, action: VmManagementAction): boolean {
    this.log(
      narrate('vm.command', { vm: vm.spec.name, command: managementCommand(vm.spec.name, action) }),
    );
    switch (action) {
      case 'start':
        return this.start(vm);
      case 'pause':
      case 'resume':
        if (!this.apply(vm, action)) return false;
        this.launcher.setPaused(vm, action === 'pause');
        // A paused guest beats no more; its heartbeat is judged again from the resume on.
        if (action === 'resume') vm.lastHeartbeatAt = this.engine.now;
        return true;
      case 'save':
        return this.save(vm);
      case 'stop':
        return this.stop(vm);
      case 'turn-off':
        return this.turnOff(vm);
    }
  }

  /** Start-VM: Off → Starting; the worker process comes up on a root VP. */
  start(vm: ManagedVm): boolean {
    if (vm.state === 'Saved') return this.restore(vm);
    if (!this.apply(vm, 'start')) return false;
    vm.boots++;
    this.cpu.run(
      this.cpu.vp(this.rootPartitionId, 0),
      VMWP_START_NS,
      WorkClass.Thread,
      this.launchedEvent,
      vm,
    );
    return true;
  }

  /**
   * Save-VM (Running or Paused → Saving): the VM's VPs are held, the host finishes what it has in
   * flight for the VM (quiesce), the worker process writes the VM's memory to its saved-state file
   * (root CPU, then file I/O), and the host takes the memory back: Saved. The partition's model —
   * guest, channels, GPADLs — stays, frozen, for the restore (docs/fidelity.md).
   */
  private save(vm: ManagedVm): boolean {
    if (!this.apply(vm, 'save')) return false;
    this.launcher.holdForSave(vm, true);
    this.quiescePoll(vm);
    return true;
  }

  private events(): NonNullable<Vmms['saveEvents']> {
    this.saveEvents ??= {
      quiescePoll: this.engine.define<ManagedVm>('vmms:save-quiesce', (vm) => {
        this.quiescePoll(vm);
      }),
      cpuDone: this.engine.define<SaveStep>('vmms:saved-state-cpu', (step) => {
        if (this.current(step)) this.engine.after(step.ioNs, this.events().ioDone, step);
      }),
      ioDone: this.engine.define<SaveStep>('vmms:saved-state-io', (step) => {
        if (this.current(step)) this.savedStateDone(step);
      }),
    };
    return this.saveEvents;
  }

  /** The step still belongs to the VM's present save or restore. */
  private current(step: SaveStep): boolean {
    const vm = step.vm;
    return (
      vm.boots === step.boot &&
      vm.partitionId === step.partitionId &&
      (vm.state === 'Saving' || vm.state === 'Starting')
    );
  }

  /** Saving: writes the memory once the host is quiet for the VM, else looks again shortly. */
  private quiescePoll(vm: ManagedVm): void {
    if (vm.state !== 'Saving') return;
    if (!this.launcher.hostQuiet(vm)) {
      this.engine.after(SAVE_QUIESCE_POLL_NS, this.events().quiescePoll, vm);
      return;
    }
    const mib = pagesToMib(this.launcher.residentPages(vm));
    this.log(narrate('vm.savingMemory', { vm: vm.spec.name, mib: Math.round(mib) }));
    this.savedStateWork(vm, mib);
  }

  /**
   * The worker process writes (or reads back) `mib` of memory: root CPU (and `extraCpuNs` before
   * it), then file I/O.
   */
  private savedStateWork(vm: ManagedVm, mib: number, extraCpuNs: Ns = 0): void {
    const totalNs = Math.max(1, Math.round(mib * SAVED_STATE_NS_PER_MIB));
    const copyNs = Math.max(1, Math.round(totalNs * SAVED_STATE_CPU_SHARE));
    const cpuNs = extraCpuNs + copyNs;
    const step: SaveStep = {
      vm,
      boot: vm.boots,
      partitionId: vm.partitionId,
      ioNs: totalNs - copyNs,
    };
    this.cpu.run(
      this.cpu.vp(this.rootPartitionId, 0),
      cpuNs,
      WorkClass.Thread,
      this.events().cpuDone,
      step,
    );
  }

  private savedStateDone(step: SaveStep): void {
    const vm = step.vm;
    if (vm.state === 'Starting') {
      // Restored: the guest runs on where it was, its VMBus channels as they were.
      this.apply(vm, 'start-done');
      this.launcher.holdForSave(vm, false);
      vm.lastHeartbeatAt = this.engine.now;
      return;
    }
    // Something reached the host for the VM while its memory was written: finish it first.
    if (!this.launcher.hostQuiet(vm)) {
      this.engine.after(SAVE_QUIESCE_POLL_NS, this.events().quiescePoll, vm);
      return;
    }
    const freedMiB = this.launcher.saveMemory(vm);
    this.apply(vm, 'save-done');
    this.log(narrate('vm.saved', { vm: vm.spec.name, freedMiB }));
  }

  /**
   * Start-VM on a Saved VM (Saved → Starting): the worker process starts, takes the VM's memory
   * again — refused, the VM stays Saved, when the host no longer has it — and reads the saved
   * state back; then Running, with no boot: the guest continues where it was.
   */
  private restore(vm: ManagedVm): boolean {
    const taken = this.launcher.restoreMemory(vm);
    if ('error' in taken)
      return this.refuse(
        vm,
        because('vm.restoreNoMemory', {
          neededMiB: this.launcher.savedMiB(vm),
          detail: taken.error,
        }),
      );
    this.apply(vm, 'start');
    this.log(narrate('vm.restoringMemory', { vm: vm.spec.name, mib: taken.mib }));
    // The worker process starts (VMWP_START_NS of root CPU), then reads the memory back.
    this.savedStateWork(vm, taken.mib, VMWP_START_NS);
    return true;
  }

  /**
   * Stop-VM: the guest's shutdown integration service shuts it down cleanly (Running → Stopping);
   * once the guest has halted, the partition goes and the VM is Off. A guest that cannot be asked
   * (no integration components, VMBus not up, paused) is refused, and told about -TurnOff.
   */
  private stop(vm: ManagedVm): boolean {
    if (!transition(vm.state, 'stop').ok) return this.apply(vm, 'stop');
    if (vm.state === 'Paused') return this.refuse(vm, because('vm.pausedNoShutdown', {}));
    const refusal = this.launcher.shutdownRefusal(vm);
    if (refusal !== null) return this.refuse(vm, refusal);
    this.apply(vm, 'stop');
    const boot = vm.boots;
    this.shutdownTimeout ??= this.engine.defineTimeout('vmms:shutdown-timeout', (stuck) => {
      if (stuck.state === 'Stopping')
        this.log(
          narrate('vm.shutdownStuck', {
            vm: stuck.spec.name,
            afterMs: SHUTDOWN_TIMEOUT_NS / NS_PER_MS,
          }),
        );
    });
    this.engine.after(SHUTDOWN_TIMEOUT_NS, this.shutdownTimeout, vm);
    this.launcher.shutdown(vm, () => {
      if (vm.boots !== boot || vm.state !== 'Stopping') return;
      this.cancelShutdownTimeout(vm);
      this.apply(vm, 'stop-done');
      this.deletePartition(vm);
    });
    return true;
  }

  /** Stop-VM -TurnOff: the plug is pulled — the partition goes at once, whatever the guest was doing. */
  private turnOff(vm: ManagedVm): boolean {
    const was = vm.state;
    if (!this.apply(vm, 'turn-off')) return false;
    this.cancelShutdownTimeout(vm);
    // Starting: the worker process has not created the partition yet; its start is moot (a
    // restoring VM has its partition: it goes, and the restore's next step finds it gone).
    if (was === 'Starting' && vm.partitionId === 0) vm.staleWorkers++;
    else this.deletePartition(vm);
    return true;
  }

  private cancelShutdownTimeout(vm: ManagedVm): void {
    if (this.shutdownTimeout !== null) this.engine.cancel(this.shutdownTimeout, vm);
  }

  /** The worker process deletes the partition (root CPU on root VP 0); the VM is Off. */
  private deletePartition(vm: ManagedVm): void {
    const partitionId = vm.partitionId;
    this.meter.take();
    const { freedMiB, channels } = this.launcher.teardown(vm, this.meter);
    this.cpu.charge(this.cpu.vp(this.rootPartitionId, 0), this.meter.take(), WorkClass.Thread);
    vm.heartbeat = 'No Contact';
    this.log(narrate('vm.partitionDeleted', { vm: vm.spec.name, partitionId, freedMiB, channels }));
  }

  private onWorkerStarted(vm: ManagedVm): void {
    if (vm.staleWorkers > 0) {
      vm.staleWorkers--;
      return;
    }
    this.meter.take();
    const error = this.launcher.launch(vm, this.meter);
    this.cpu.charge(this.cpu.vp(this.rootPartitionId, 0), this.meter.take(), WorkClass.Thread);
    if (error !== null) {
      vm.failure = error;
      this.apply(vm, 'turn-off');
      this.log(narrate('vm.startFailed', { vm: vm.spec.name, reason: error }));
      return;
    }
    this.apply(vm, 'start-done');
    this.launcher.boot(vm);
  }

  /** The heartbeat VSP relayed a beat from the guest. */
  heartbeat(vmName: string): void {
    const vm = this.byName(vmName);
    if (vm === undefined) return;
    if (vm.heartbeat !== 'OK') this.log(narrate('vm.heartbeatOk', { vm: vm.spec.name }));
    vm.heartbeat = 'OK';
    vm.lastHeartbeatAt = this.engine.now;
  }

  /** Re-evaluates heartbeat status (call before reading it). */
  refreshHeartbeats(): void {
    const now = this.engine.now;
    for (const vm of this.vms) {
      // Only a running guest can miss beats (a paused one is not asked; an off one has none).
      if (vm.state !== 'Running') continue;
      if (vm.heartbeat === 'OK' && now - vm.lastHeartbeatAt > 3 * HEARTBEAT_PERIOD_NS) {
        vm.heartbeat = 'Lost Communication';
        this.log(narrate('vm.heartbeatLost', { vm: vm.spec.name }));
      }
    }
  }

  /** VMMS refuses an operation the VM's state allows but the VM cannot do now. */
  private refuse(vm: ManagedVm, reason: Reason): false {
    this.log(narrate('vm.actionRefused', { vm: vm.spec.name, reason }));
    return false;
  }

  private apply(vm: ManagedVm, action: VmAction): boolean {
    const r = transition(vm.state, action);
    if (!r.ok) {
      // r.reason in words a front end can translate (the same English: vm-state.ts).
      const reason = because('vm.actionNotAllowed', {
        action,
        state: vm.state,
        allowed: allowedActions(vm.state),
      });
      this.log(narrate('vm.actionRefused', { vm: vm.spec.name, reason }));
      return false;
    }
    vm.state = r.state;
    vm.history.push({ time: this.engine.now, state: r.state });
    this.log(narrate('vm.state', { vm: vm.spec.name, state: r.state }));
    return true;
  }
}
