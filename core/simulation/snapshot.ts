/**
 * What a display needs of the host at one instant, as plain data: who runs on each logical
 * processor, each VM's state, its VPs' scheduler states, what it completed and its recent history
 * (completions and VMBus backlog per simulated millisecond). Built on request from what the
 * scheduler, VMMS and the sampler already keep; reading it changes nothing in the run.
 */
import type { Ns } from '../engine/index.js';
import type { VmState } from '../root/vm-state.js';
import type { VpStateName } from '../scheduler/index.js';
import type { ByName } from './by-name.js';
import type { SimulationRuntime } from './runtime.js';
import type { VmSample } from './sampler.js';
import { ringWaitNs } from './vm-runtime.js';
import type { VmRuntime } from './vm-runtime.js';

/** What runs on one logical processor now. */
export type LpSnapshot =
  | { readonly runs: 'idle' }
  /** A root VP (pinned to this LP, rule 31). */
  | { readonly runs: 'root'; readonly vp: number }
  /** VP `vp` of VM `vm`. */
  | { readonly runs: 'vm'; readonly vm: string; readonly vp: number };

/** One VM at the instant of the snapshot. */
export interface VmSnapshot {
  /** Its state in VMMS (Off, Starting, Running, …). */
  readonly state: VmState;
  /** Its child partition's id; 0 while it has none (before it starts, after a failed start). */
  readonly partitionId: number;
  /** Each of its VPs' scheduler state, by VP index (empty while it has no partition). */
  readonly vps: readonly VpStateName[];
  /** Operations its applications completed so far. */
  readonly completed: number;
  /**
   * Its last samples, one per simulated millisecond, oldest first: operations completed in that
   * millisecond and how full its guest→host rings were (0..1, the backlog the root has not read).
   */
  readonly recent: readonly VmSample[];
  /**
   * Simulated ns its guest drivers have waited so far for room in a ring — the ring too full to
   * take a packet, or every request slot it allows in flight (what the report's `ringFullPercent`
   * counts). Two snapshots give the share of the time between them the guest was held up.
   */
  readonly ringWaitNs: Ns;
  /**
   * Requests that never completed so far, by device id of the VM (every device of its spec, 0 for
   * none lost): dropped or failed on the device the guest issued them to, misrouted on its
   * channel, and those the guest turned away before picking a device counted on the first device
   * of their class. Their sum is the report's misrouted + dropped + failed for the VM.
   */
  readonly lostByDevice: Readonly<Record<string, number>>;
}

/** The host at one instant (see {@link Simulation.snapshot}). */
export interface HostSnapshot {
  /** Simulated time, ns. */
  readonly time: Ns;
  readonly finished: boolean;
  /** Every logical processor, in order. */
  readonly lps: readonly LpSnapshot[];
  /** Every VM of the scenario by name, in the scenario's order (a name it lacks reads undefined). */
  readonly vms: ByName<VmSnapshot>;
}

export interface SnapshotOptions {
  /** How many recent samples per VM, at most 600 (default 60: the last 60 ms). */
  readonly history?: number;
}

/** Misrouted packets by VM, then by device: one pass over every VSP channel per snapshot. */
function misroutedByVm(rt: SimulationRuntime): Map<string, Map<string, number>> {
  const byVm = new Map<string, Map<string, number>>();
  for (const vsp of rt.vsps.values())
    for (const ch of vsp.channels) {
      if (ch.misrouted === 0) continue;
      const { vm, device } = ch.transport;
      let devices = byVm.get(vm);
      if (devices === undefined) byVm.set(vm, (devices = new Map<string, number>()));
      devices.set(device, (devices.get(device) ?? 0) + ch.misrouted);
    }
  return byVm;
}

function lostByDevice(
  vm: VmRuntime,
  misrouted: ReadonlyMap<string, number> | undefined,
): Record<string, number> {
  const lost: Record<string, number> = {};
  const { metrics } = vm;
  for (const d of vm.managed.spec.devices) lost[d.id] = metrics.lostByDevice.get(d.id) ?? 0;
  for (const [cls, n] of metrics.lostByClass) {
    const first = vm.managed.spec.devices.find((d) => d.class === cls);
    if (first !== undefined) lost[first.id] += n;
  }
  if (misrouted !== undefined)
    for (const [device, n] of misrouted) if (device in lost) lost[device] += n;
  return lost;
}

/** Shared by every idle LP of every snapshot, so frozen: a caller's edit cannot reach another. */
const IDLE: LpSnapshot = Object.freeze({ runs: 'idle' });

export function buildSnapshot(
  rt: SimulationRuntime,
  finished: boolean,
  options: SnapshotOptions = {},
): HostSnapshot {
  const history = options.history ?? 60;
  const { scheduler, cpu } = rt;
  const vmOfPartition = new Map<number, string>();
  const vms: Record<string, VmSnapshot> = {};
  const misrouted = misroutedByVm(rt);
  for (const [name, vm] of rt.vms) {
    const pid = vm.managed.partitionId;
    if (pid > 0) vmOfPartition.set(pid, name);
    const vps: VpStateName[] = [];
    for (let i = 0; i < (pid > 0 ? cpu.vpCount(pid) : 0); i++)
      vps.push(scheduler.stateOf(cpu.vp(pid, i)));
    vms[name] = {
      state: vm.managed.state,
      partitionId: pid,
      vps,
      completed: vm.metrics.completed,
      recent: rt.sampler.recent(name, history),
      ringWaitNs: ringWaitNs(vm, rt.engine.now),
      lostByDevice: lostByDevice(vm, misrouted.get(name)),
    };
  }
  const lps: LpSnapshot[] = [];
  for (let lp = 0; lp < scheduler.topology.lpCount; lp++) {
    const occupant = scheduler.occupantOf(lp);
    if (occupant < 0) {
      lps.push(IDLE);
      continue;
    }
    const { partitionId, vpIndex, isRoot } = scheduler.describeVp(occupant);
    lps.push(
      isRoot
        ? { runs: 'root', vp: vpIndex }
        : {
            runs: 'vm',
            vm: vmOfPartition.get(partitionId) ?? `partition ${String(partitionId)}`,
            vp: vpIndex,
          },
    );
  }
  return { time: rt.engine.now, finished, lps, vms };
}
