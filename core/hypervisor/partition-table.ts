/** All partitions by id, with the host-wide counts the rule-40 limits need. */
import { HV_PARTITION_ID_INVALID, HV_PARTITION_ID_SELF } from './limits.js';
import { Partition, PartitionState } from './partition.js';
import type { PrivilegeMask } from './privileges.js';

export class PartitionTable {
  private readonly byId = new Map<number, Partition>();
  private nextId = 1;
  /** Child partitions in the active (initialized, "running") state. */
  activeChildren = 0;
  /** VPs of all child partitions. */
  childVps = 0;

  /** Creates a partition with the next id (T: "assigns partition IDs sequentially, starting from 1"). */
  create(parentId: number, privileges: PrivilegeMask): Partition {
    const partition = new Partition(this.nextId++, parentId, privileges);
    this.byId.set(partition.id, partition);
    return partition;
  }

  get(id: number): Partition | undefined {
    return this.byId.get(id);
  }

  /** `id` as seen by `caller`: HV_PARTITION_ID_SELF names the caller itself. */
  resolve(caller: Partition, id: number): Partition | undefined {
    if (id === HV_PARTITION_ID_SELF) return caller;
    if (id === HV_PARTITION_ID_INVALID) return undefined;
    return this.byId.get(id);
  }

  /** `id` if it names a child of `caller` (never the caller itself), else undefined. */
  resolveChild(caller: Partition, id: number): Partition | undefined {
    if (id === HV_PARTITION_ID_SELF) return undefined;
    const p = this.byId.get(id);
    return p !== undefined && p.parentId === caller.id ? p : undefined;
  }

  /** The caller itself (id or SELF) or one of its children. */
  resolveSelfOrChild(caller: Partition, id: number): Partition | undefined {
    const p = this.resolve(caller, id);
    return p !== undefined && (p === caller || p.parentId === caller.id) ? p : undefined;
  }

  remove(partition: Partition): void {
    partition.state = PartitionState.Deleted;
    this.byId.delete(partition.id);
  }

  /** Partitions by increasing id. */
  all(): Partition[] {
    return [...this.byId.values()];
  }

  get size(): number {
    return this.byId.size;
  }
}
