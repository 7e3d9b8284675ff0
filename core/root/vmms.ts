/**
 * The Virtual Machine Management Service (VMMS): the root's service that owns every VM's state.
 * Starting a VM starts its worker process (VMWP), which asks the VID to create the partition and
 * its virtual processors, gives the VM its memory, wires VMBus for it (offers for every routed
 * synthetic device) and intercepts for its emulated devices, and lets the guest boot.
 * It also watches the heartbeat integration service to say whether each guest is alive.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import { NS_PER_MS } from '../engine/index.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import type { VmConfiguration, VmSpec } from '../model/index.js';
import { transition, allowedActions } from './vm-state.js';
import type { VmAction, VmState } from './vm-state.js';
import { narrate } from '../simulation/narration-messages.js';
import type { NarrationMessage } from '../simulation/narration-messages.js';
import { because } from '../simulation/narration-reasons.js';

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
}

/** What VMMS delegates: the worker process's start-up work for one VM. */
export interface VmLauncher {
  /** Creates the partition and everything around it; returns an error message or null. */
  launch(vm: ManagedVm, meter: CostMeter): string | null;
  /** The guest may run: boot it. */
  boot(vm: ManagedVm): void;
}

// L/WS: the heartbeat service answers every few seconds; VMMS shows "Lost Communication" after
// missed beats. estimate: the model beats every 100 ms and calls a guest lost after 3 misses.
export const HEARTBEAT_PERIOD_NS: Ns = 100 * NS_PER_MS;

export class Vmms {
  readonly vms: ManagedVm[];
  private readonly startEvent: EventType<ManagedVm>;
  private readonly launchedEvent: EventType<ManagedVm>;

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

  byName(name: string): ManagedVm | undefined {
    return this.vms.find((v) => v.spec.name === name);
  }

  /** Start-VM: Off → Starting; the worker process comes up on a root VP. */
  start(vm: ManagedVm): void {
    if (!this.apply(vm, 'start')) return;
    this.cpu.run(
      this.cpu.vp(this.rootPartitionId, 0),
      VMWP_START_NS,
      WorkClass.Thread,
      this.launchedEvent,
      vm,
    );
  }

  private onWorkerStarted(vm: ManagedVm): void {
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
      if (vm.heartbeat === 'OK' && now - vm.lastHeartbeatAt > 3 * HEARTBEAT_PERIOD_NS) {
        vm.heartbeat = 'Lost Communication';
        this.log(narrate('vm.heartbeatLost', { vm: vm.spec.name }));
      }
    }
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
