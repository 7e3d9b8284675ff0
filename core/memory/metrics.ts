/**
 * Read-only numbers for metrics panels and reports: per partition (assigned, installed,
 * ballooned, demand, pressure, paging) and per host (free, root, hypervisor pool, GPADL bytes
 * against the cap, isolation faults). Nothing here changes state.
 */
import { inject, injectable } from 'inversify';
import type { DynamicMemoryBalancer } from './dynamic-memory/balancer.js';
import { pagingEffect, type PagingEffect } from './dynamic-memory/paging.js';
import type { GpadlTable } from './gpadl-table.js';
import type { IsolationFaultLog } from './isolation-fault-log.js';
import { type IsolationFault } from './isolation-fault-log.js';
import type { MemoryManager } from './memory-manager.js';
import { MEMORY_TOKENS } from './tokens.js';
import { pagesToMib } from './units.js';

/** One partition's memory, as a metrics panel shows it. Pages unless named otherwise. */
export interface PartitionMemoryMetrics {
  readonly partition: number;
  readonly dynamic: boolean;
  /** Backed by host pages. */
  readonly assignedPages: number;
  /** Installed memory the guest sees (never shrinks). */
  readonly visiblePages: number;
  readonly balloonedPages: number;
  /** Hot-added, not backed yet. */
  readonly unbackedPages: number;
  /** From the last status report; `undefined` before any. */
  readonly demandPages: number | undefined;
  /** demand / assigned × 100; `undefined` before any report. */
  readonly pressurePercent: number | undefined;
  /** Last balancing target; `undefined` for static memory. */
  readonly targetPages: number | undefined;
  /** Guest paging caused by demand above assigned memory. */
  readonly paging: PagingEffect;
  /** Bytes the simulation holds for this guest's memory. */
  readonly bytesHeld: number;
}

/** The host's memory, as a metrics panel shows it. Pages unless named otherwise. */
export interface HostMemoryMetrics {
  readonly totalPages: number;
  readonly freePages: number;
  /** The root partition's reserve. */
  readonly rootPages: number;
  /** Deposited in the hypervisor's pool, and how much of it the hypervisor uses. */
  readonly hypervisorPoolPages: number;
  readonly hypervisorPoolUsedPages: number;
  /** Assigned to child partitions. */
  readonly childPages: number;
  readonly gpadlBytesInUse: number;
  readonly gpadlCapBytes: number;
  readonly isolationFaults: number;
  /** Bytes the simulation holds for all guests' memory. */
  readonly guestBytesHeld: number;
}

/** Memory numbers for metrics and reports. */
@injectable()
export class MemoryMetrics {
  constructor(
    @inject(MEMORY_TOKENS.memoryManager) private readonly memory: MemoryManager,
    @inject(MEMORY_TOKENS.gpadlTable) private readonly gpadls: GpadlTable,
    @inject(MEMORY_TOKENS.dynamicMemory) private readonly balancer: DynamicMemoryBalancer,
    @inject(MEMORY_TOKENS.isolationFaultLog) private readonly faults: IsolationFaultLog,
  ) {}

  /** One partition's numbers, or `undefined` when it has no memory. */
  partition(partition: number): PartitionMemoryMetrics | undefined {
    const p = this.memory.partition(partition);
    if (p === undefined) return undefined;
    const status = this.balancer.status(partition);
    const demand = status.demandPages;
    return {
      partition,
      dynamic: status.dynamic,
      assignedPages: p.assignedPages,
      visiblePages: p.visiblePages,
      balloonedPages: p.balloonedPages,
      unbackedPages: p.unbackedPages,
      demandPages: demand,
      pressurePercent: status.pressurePercent,
      targetPages: status.targetPages,
      paging: pagingEffect(pagesToMib(demand ?? 0), pagesToMib(p.assignedPages)),
      bytesHeld: p.bytes.backedBytes,
    };
  }

  /** Every partition's numbers, by partition id. */
  partitions(): PartitionMemoryMetrics[] {
    const out: PartitionMemoryMetrics[] = [];
    for (const id of this.memory.partitionIds()) {
      const m = this.partition(id);
      if (m !== undefined) out.push(m);
    }
    return out;
  }

  /** The host's numbers. */
  host(): HostMemoryMetrics {
    const { host, hypervisorPool } = this.memory;
    return {
      totalPages: host.totalPages,
      freePages: host.freePages,
      rootPages: host.rootReservePages,
      hypervisorPoolPages: hypervisorPool.depositedPages,
      hypervisorPoolUsedPages: hypervisorPool.usedPages,
      childPages: this.memory.childAssignedPages(),
      gpadlBytesInUse: this.gpadls.bytesInUse,
      gpadlCapBytes: this.gpadls.capBytes,
      isolationFaults: this.faults.total,
      guestBytesHeld: this.memory.guestBytesHeld(),
    };
  }

  /** The most recent isolation faults, oldest first. */
  isolationFaults(): IsolationFault[] {
    return this.faults.recent();
  }
}
