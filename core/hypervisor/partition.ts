/**
 * A partition: its lifecycle state, privileges, memory pool, VPs, ports, connections, intercepts,
 * guest handshake state and counters.
 */
import { PartitionCounters } from './counters.js';
import { GuestEnlightenment } from './enlightenment.js';
import { IoPortInterceptTable } from './intercepts.js';
import { HV_PARTITION_ID_INVALID } from './limits.js';
import { HvMemoryPool } from './memory-pool.js';
import type { Connection, Port } from './ports.js';
import type { PrivilegeMask } from './privileges.js';
import type { VirtualProcessor } from './virtual-processor.js';

/**
 * Lifecycle (T: HvCallCreatePartition / InitializePartition / FinalizePartition /
 * DeletePartition): created → initialized (active: "running") → finalized (VPs, ports and
 * connections deleted; "no additional activity … other than deletion (including deposits)") →
 * deleted (gone from the table).
 */
export const PartitionState = {
  Created: 'created',
  Active: 'active',
  Finalized: 'finalized',
  Deleted: 'deleted',
} as const;

export type PartitionStateValue = (typeof PartitionState)[keyof typeof PartitionState];

export class Partition {
  state: PartitionStateValue;
  privileges: PrivilegeMask;
  readonly pool = new HvMemoryPool();
  readonly enlightenment = new GuestEnlightenment();
  readonly counters = new PartitionCounters();
  readonly intercepts = new IoPortInterceptTable();
  /** Ports owned (received on) by this partition, by port id. */
  readonly ports = new Map<number, Port>();
  /** Connections owned (sent from) by this partition, by connection id. */
  readonly connections = new Map<number, Connection>();
  /** Root VP that receives this partition's intercept messages; null = child VP index mod root VPs. */
  interceptHandlerVp: number | null = null;
  private readonly vps: (VirtualProcessor | undefined)[] = [];
  private vpTotal = 0;

  constructor(
    /** T: assigned sequentially from 1; the root is 1. */
    readonly id: number,
    /** Creating partition; HV_PARTITION_ID_INVALID (0) for the root. */
    readonly parentId: number,
    privileges: PrivilegeMask,
  ) {
    this.privileges = privileges;
    this.state = PartitionState.Created;
  }

  get isRoot(): boolean {
    return this.parentId === HV_PARTITION_ID_INVALID;
  }

  get vpCount(): number {
    return this.vpTotal;
  }

  /** One more than the highest VP index ever created (for index loops that allocate nothing). */
  get vpSlots(): number {
    return this.vps.length;
  }

  vp(index: number): VirtualProcessor | undefined {
    return Number.isInteger(index) && index >= 0 && index < this.vps.length
      ? this.vps[index]
      : undefined;
  }

  addVp(vp: VirtualProcessor): void {
    this.vps[vp.index] = vp;
    this.vpTotal++;
  }

  /** Existing VPs by increasing index. */
  virtualProcessors(): VirtualProcessor[] {
    return this.vps.filter((vp): vp is VirtualProcessor => vp !== undefined);
  }

  /** Removes every VP (finalize); returns how many there were. */
  removeAllVps(): number {
    const n = this.vpTotal;
    this.vps.length = 0;
    this.vpTotal = 0;
    return n;
  }
}
