/**
 * What a VM's own I/O looked like over a run: operations completed by class, bytes moved,
 * latencies (issue to completion, as the application saw them), and the operations that never
 * completed — turned away by a full backlog, lost when a device died, or with nowhere to go.
 */
import type { Ns } from '../engine/index.js';
import { LatencyHistogram } from './histogram.js';
import { WaitClock } from './wait-clock.js';

export type OpClass = 'storage' | 'network' | 'video' | 'input';

export class VmIoMetrics {
  readonly latency = new LatencyHistogram();
  readonly storageLatency = new LatencyHistogram();
  readonly networkLatency = new LatencyHistogram();
  /**
   * Time at least one of the guest's drivers waited for room to send (a full ring, every request
   * slot in flight): the report's `ringFullPercent`.
   */
  readonly sendWait = new WaitClock();
  completed = 0;
  storageOps = 0;
  networkOps = 0;
  videoOps = 0;
  inputOps = 0;
  bytes = 0;
  /** Turned away because the application's backlog was full. */
  droppedBacklog = 0;
  /** Lost because the device failed, was rescinded, or had no path. */
  droppedNoPath = 0;
  /** Completed with an error status by the device or the VSP. */
  failed = 0;
  /** Network frames for this VM dropped at the virtual switch (no port, no open channel). */
  networkFramesDropped = 0;
  /** Requests a VSP received that did not belong to its protocol or device. */
  misrouted = 0;
  /** CPU-bound progress a batch job made, ns of guest CPU. */
  backgroundNs = 0;
  // icsvc: guest paging under memory pressure (rule 34's cost), counted apart from the workload.
  /** Page-in reads and dirty-page writes the guest's memory manager completed on its disk. */
  pagingOps = 0;
  pagingBytes = 0;
  /** Paging I/O the device failed or that had no storage path. */
  pagingFailed = 0;
  /**
   * Operations that never completed (dropped or failed), by the device the guest had picked for
   * them (its id in the VM's spec); {@link lostByClass} keeps those the guest turned away before
   * picking one (a full backlog). Display only: a view marks the device that lost them.
   */
  readonly lostByDevice = new Map<string, number>();
  readonly lostByClass = new Map<OpClass, number>();

  /** Counts one operation that never completed, on its device when the guest had picked one. */
  lose(cls: OpClass, device: string | null): void {
    if (device === null) this.lostByClass.set(cls, (this.lostByClass.get(cls) ?? 0) + 1);
    else this.lostByDevice.set(device, (this.lostByDevice.get(device) ?? 0) + 1);
  }

  record(cls: OpClass, latencyNs: Ns, bytes: number): void {
    this.completed++;
    this.bytes += bytes;
    this.latency.record(latencyNs);
    switch (cls) {
      case 'storage':
        this.storageOps++;
        this.storageLatency.record(latencyNs);
        break;
      case 'network':
        this.networkOps++;
        this.networkLatency.record(latencyNs);
        break;
      case 'video':
        this.videoOps++;
        break;
      case 'input':
        this.inputOps++;
        break;
    }
  }

  get dropped(): number {
    return this.droppedBacklog + this.droppedNoPath;
  }
}
