/** What hypercall handlers see of the hypervisor, and the per-call frame they fill in. */
import type { HypercallControl } from './hypercall-input.js';
import type { HostReleaseLimits } from '../model/index.js';
import type { HypercallResult } from './hypercall-types.js';
import type { Partition } from './partition.js';
import type { PartitionTable } from './partition-table.js';
import type { SynicNotifier } from './synic.js';
import type { VirtualProcessor } from './virtual-processor.js';

export interface HvContext {
  readonly partitions: PartitionTable;
  /** Root VPs the root may have: min(host LPs, the release's root limit). */
  readonly rootVpLimit: number;
  /** Rule 40 as the host's release sets it. */
  readonly limits: HostReleaseLimits;
  readonly synicNotifier: SynicNotifier;
}

/** The call being handled; one object reused by the dispatcher (set before each handler runs). */
export class CallFrame {
  caller!: Partition;
  vp!: VirtualProcessor;
  control!: HypercallControl;

  constructor(readonly out: HypercallResult) {}
}

/** Sets a failed status with the given cost. */
export function fail(frame: CallFrame, status: number, costNs: number): void {
  frame.out.status = status;
  frame.out.costNs = costNs;
}
