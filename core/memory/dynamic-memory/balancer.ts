/**
 * The Dynamic Memory balancer in the root (VMMS's memory balancer): it keeps each VM's settings
 * and last status report, runs {@link planDynamicMemory} once a second and hands the actions to
 * whoever speaks the balloon protocol — or, when nobody registered, applies them directly.
 */
import { inject, injectable } from 'inversify';
import { SimEngine, type EventType } from '../../engine/engine.js';
import { NS_PER_S } from '../../engine/time.js';
import type { DynamicMemorySettings } from '../../model/configuration.js';
import { checkMemorySettings } from '../../model/check-memory.js';
import { fail, succeed, type MemoryResult } from '../errors.js';
import type { MemoryManager } from '../memory-manager.js';
import { MEMORY_TOKENS } from '../tokens.js';
import { mibToPages } from '../units.js';
import {
  planDynamicMemory,
  type DynamicMemoryAction,
  type DynamicMemoryPlan,
  type DynamicMemoryVmState,
} from './plan.js';
import { hostDemandPages, pressurePercent, type DmStatusReport } from './status-report.js';

/** The balancer runs once a second (rule 34). */
export const BALANCE_INTERVAL_NS = NS_PER_S;

interface VmEntry {
  readonly minimumPages: number;
  readonly maximumPages: number;
  readonly bufferPercent: number;
  readonly priority: number;
}

/** What the balancer knows about one partition's memory. */
export interface DynamicMemoryStatus {
  readonly partition: number;
  readonly dynamic: boolean;
  /** Demand from the last report, pages; `undefined` before any. */
  readonly demandPages: number | undefined;
  /** demand / assigned × 100; `undefined` before any report. */
  readonly pressurePercent: number | undefined;
  /** Target of the last round, pages; `undefined` for static memory or before any round. */
  readonly targetPages: number | undefined;
}

/**
 * Carries the balancer's actions to the guests (the balloon protocol, when integrated). The
 * guest answers each request later; memory the host promised but the guest has not confirmed
 * yet is planned as the VM's already, so a slow guest is not asked twice for the same growth.
 */
export interface DynamicMemoryProtocol {
  /** One round's actions, shrinks first; called every round, with no actions too. */
  round(actions: readonly DynamicMemoryAction[]): void;
  /** Pages promised to `partition` by grows its guest has not confirmed yet. */
  inFlightPages(partition: number): number;
}

/**
 * Dynamic Memory's policy at 1 Hz.
 *
 * @example
 * ```ts
 * const settings = { dynamic: true, startupMiB: 2048, minimumMiB: 512, maximumMiB: 8192, bufferPercent: 20, priority: 50 } as const;
 * memory.createPartition({ partition: 1, startupPages: mibToPages(2048), maximumPages: mibToPages(8192) });
 * balancer.enable(1, settings);
 * balancer.setProtocol({ round: (actions) => send(actions), inFlightPages: () => 0 }); // or leave unset: applied directly
 * balancer.start();                                              // a round every simulated second
 * // each second the guest's DM_STATUS_REPORT arrives:
 * balancer.reportStatus(1, { numAvail: 0, numCommitted: mibToPages(3000) });
 * ```
 */
@injectable()
export class DynamicMemoryBalancer {
  private readonly vms = new Map<number, VmEntry>();
  /** Demand of each partition, taken when its report arrived. */
  private readonly demands = new Map<number, number>();
  private readonly targets = new Map<number, number>();
  private protocol: DynamicMemoryProtocol | undefined;
  private readonly tickEvent: EventType<null>;
  private running = false;
  private failures = 0;
  private roundCount = 0;

  constructor(
    @inject(MEMORY_TOKENS.memoryManager) private readonly memory: MemoryManager,
    @inject(SimEngine) private readonly engine: SimEngine,
  ) {
    this.tickEvent = engine.define<null>('memory.dynamic-memory.balance', () => {
      this.tick();
      this.engine.after(BALANCE_INTERVAL_NS, this.tickEvent, null);
    });
    memory.onPartitionDestroyed((partition) => {
      this.forget(partition);
    });
  }

  /**
   * Puts a partition under Dynamic Memory. Its memory must already exist, created with the
   * startup memory and the maximum as ceiling. Refused when the settings break rule 33.
   */
  enable(partition: number, settings: DynamicMemorySettings): MemoryResult<void> {
    // Rule 33's relations, from the model's one check (field bounds are the schema's).
    const issues = checkMemorySettings(settings, {
      virtualNuma: false,
      integrationComponents: true,
      path: [],
    });
    if (issues.length > 0) {
      return fail(
        'invalid-request',
        issues.map((i) => `${i.path.join('.')}: expected ${i.expected}`).join('; '),
      );
    }
    const p = this.memory.partition(partition);
    if (p === undefined) return fail('unknown-partition', `no partition ${partition}`);
    const maximumPages = mibToPages(settings.maximumMiB);
    if (p.maximumPages < maximumPages) {
      return fail(
        'invalid-request',
        `partition ${partition} was created with a ceiling of ${p.maximumPages} pages, below its maximum ${maximumPages}`,
      );
    }
    this.vms.set(partition, {
      minimumPages: mibToPages(settings.minimumMiB),
      maximumPages,
      bufferPercent: settings.bufferPercent,
      priority: settings.priority,
    });
    return succeed(undefined);
  }

  /** Takes a partition out of Dynamic Memory (it keeps what it has). */
  disable(partition: number): void {
    this.vms.delete(partition);
    this.targets.delete(partition);
  }

  /** Forgets a partition entirely (it was deleted). */
  forget(partition: number): void {
    this.disable(partition);
    this.demands.delete(partition);
  }

  /**
   * The guest's once-a-second status report (DM_STATUS_REPORT). The host turns it into demand
   * at once, against the pages it has ballooned and left unbacked at this moment — the state the
   * guest reported from. Static-memory guests may report too (their pressure and paging show).
   */
  reportStatus(partition: number, report: DmStatusReport): void {
    const p = this.memory.partition(partition);
    if (p === undefined) return;
    this.demands.set(partition, hostDemandPages(report, p.balloonedPages, p.unbackedPages));
  }

  /** Sends actions to the balloon protocol instead of applying them directly. */
  setProtocol(protocol: DynamicMemoryProtocol | undefined): void {
    this.protocol = protocol;
  }

  /** Starts the 1 Hz rounds on the engine, first one a second from now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.engine.after(BALANCE_INTERVAL_NS, this.tickEvent, null);
  }

  /** Balancing rounds run so far. */
  get rounds(): number {
    return this.roundCount;
  }

  /** Actions that could not be applied directly (host RAM short, guest could not give pages). */
  get failedActions(): number {
    return this.failures;
  }

  /** Demand of a partition from its last report, pages. */
  demandPages(partition: number): number | undefined {
    return this.demands.get(partition);
  }

  /** What the balancer knows about a partition. */
  status(partition: number): DynamicMemoryStatus {
    const demand = this.demandPages(partition);
    const p = this.memory.partition(partition);
    return {
      partition,
      dynamic: this.vms.has(partition),
      demandPages: demand,
      pressurePercent:
        demand === undefined || p === undefined
          ? undefined
          : pressurePercent(demand, p.assignedPages),
      targetPages: this.targets.get(partition),
    };
  }

  /** The state the next round would plan from (sorted by partition id). */
  snapshot(): DynamicMemoryVmState[] {
    const states: DynamicMemoryVmState[] = [];
    for (const id of Array.from(this.vms.keys()).sort((a, b) => a - b)) {
      const vm = this.vms.get(id);
      const p = this.memory.partition(id);
      // A Saved VM's memory is in its file: nothing to balloon, nothing to grow.
      if (vm === undefined || p === undefined || !p.resident) continue;
      states.push({
        partition: id,
        ...vm,
        demandPages: this.demandPages(id),
        assignedPages: p.assignedPages + this.inFlight(id),
        balloonedPages: p.balloonedPages,
        unbackedPages: p.unbackedPages,
        visiblePages: p.visiblePages,
      });
    }
    return states;
  }

  /** One balancing round: plans, then hands the actions on (or applies them). */
  tick(): DynamicMemoryPlan {
    const vms = this.snapshot();
    // Pages promised to grows in flight are no longer free: they are planned as their VM's.
    let promised = 0;
    for (const vm of vms) promised += this.inFlight(vm.partition);
    const plan = planDynamicMemory({
      vms,
      hostFreePages: Math.max(0, this.memory.host.freePages - promised),
    });
    this.roundCount++;
    for (const t of plan.targets) this.targets.set(t.partition, t.targetPages);
    if (this.protocol !== undefined) this.protocol.round(plan.actions);
    else
      for (const action of plan.actions)
        if (!applyDynamicMemoryAction(this.memory, action).ok) this.failures++;
    return plan;
  }

  private inFlight(partition: number): number {
    const pages = this.protocol?.inFlightPages(partition) ?? 0;
    return Number.isSafeInteger(pages) && pages > 0 ? pages : 0;
  }
}

/**
 * Carries out an action without the balloon protocol: for ballooning, the guest gives back the
 * pages its driver would choose ({@link PartitionMemory.chooseBalloonRanges}).
 */
export function applyDynamicMemoryAction(
  memory: MemoryManager,
  action: DynamicMemoryAction,
): MemoryResult<number> {
  const p = memory.partition(action.partition);
  if (p === undefined) return fail('unknown-partition', `no partition ${action.partition}`);
  switch (action.kind) {
    case 'balloon': {
      const given = p.balloon(p.chooseBalloonRanges(action.pages));
      return given;
    }
    case 'unballoon': {
      const r = p.unballoon(action.pages);
      return r.ok ? succeed(action.pages) : r;
    }
    case 'hot-add': {
      const r = p.hotAdd(action.pages, action.regionPages);
      return r.ok ? succeed(action.pages) : r;
    }
  }
}
