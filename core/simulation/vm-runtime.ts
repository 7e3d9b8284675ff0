/** Everything the model keeps for one VM while it runs. */
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
  /** Scheduler VP ids of the VM (empty until it starts). */
  vpIds: readonly number[];
}
