/** Everything the model keeps for one VM while it runs. */
import type { Ns } from '../engine/index.js';
import type { GuestOs } from '../guest/guest-os.js';
import type { VmIoMetrics } from '../metrics/vm-metrics.js';
import type { ManagedVm } from '../root/vmms.js';
import type { WorkerProcess } from '../root/vmwp/worker-process.js';

export interface VmRuntime {
  readonly managed: ManagedVm;
  readonly metrics: VmIoMetrics;
  guest: GuestOs | null;
  /** The VM's worker process (VMWP) in the root, once started. */
  worker: WorkerProcess | null;
  /** Scheduler VP ids of the VM (empty until it starts, and again once its partition is gone). */
  vpIds: readonly number[];
  /** What the VM's earlier partitions did before they were deleted (turned off, shut down). */
  readonly past: PastPartitions;
}

/** Counters of a VM's deleted partitions, kept for the report (the partitions' own are gone). */
export interface PastPartitions {
  runNs: number;
  readyNs: number;
  interrupts: number;
  hypercalls: number;
  intercepts: number;
}

export function noPastPartitions(): PastPartitions {
  return { runNs: 0, readyNs: 0, interrupts: 0, hypercalls: 0, intercepts: 0 };
}

/**
 * Simulated ns the VM's guest drivers have waited for room to send, up to `now`: a VMBus ring
 * too full to take the packet (pending_send_sz set, rule 9), or every request slot the ring
 * allows already in flight (storvsc's queue depth, rule 18). Time when several drivers waited at
 * once counts once (the union: `WaitClock`), so it never exceeds the run. The report's
 * `ringFullPercent` and the snapshot's `ringWaitNs` both read it.
 */
export function ringWaitNs(vm: VmRuntime, now: Ns): number {
  return vm.metrics.sendWait.until(now);
}
