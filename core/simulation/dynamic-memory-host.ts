/**
 * The root's half of Dynamic Memory around the balancer (icsvc): it puts dynamic VMs under the
 * balancer when they start, turns the balancer's actions into 'memory-target' events on each
 * VM's Dynamic Memory channel, relays the guests' status reports to the balancer, and changes the
 * partition's memory when a guest confirms what it did (rule 34):
 *
 * - balloon: the guest lists the pages it gave; the memory manager checks them (backed, not
 *   shared by a GPADL, not a driver's allocation: rule 36) and unmaps them;
 * - unballoon and hot-add: host pages are set aside when the request goes out and stay set aside
 *   until the guest answers, however late (the host promised them: a guest that brought memory
 *   online must find it backed); they are backed when the guest confirms, and hot-add grows
 *   installed memory by the region the host named, which never shrinks.
 *
 * Grows go out one at a time per VM (L: hv_balloon.c handles one request at a time), sized from
 * the partition as it is when they go. A grow the host cannot cover yet waits for the pages the
 * same round's balloons free, and gets them as each balloon response lands; what is still
 * waiting at the next round (a second later) is replaced by that round's plan.
 */
import type { Ns, SimEngine } from '../engine/index.js';
import { growthActions } from '../memory/index.js';
import type {
  DynamicMemoryAction,
  DynamicMemoryBalancer,
  GrowableMemory,
  MemoryManager,
  PartitionMemory,
} from '../memory/index.js';
import type { DynamicMemorySettings } from '../model/index.js';
import { DM_PAGE_RANGE_MAX_COUNT } from '../protocols/index.js';
import type { HostChannel } from '../vsp/host-channel.js';
import type {
  MemoryChangeReport,
  MemoryPressureReport,
  VspChannel,
  VspHostEvent,
} from '../vsp/types.js';
import type { VspRuntime } from '../vsp/vsp-runtime.js';
import type { VmRuntime } from './vm-runtime.js';
import { narrate } from './narration-messages.js';
import type { NarrationMessage } from './narration-messages.js';

/** Status reports kept per VM for display and tests. */
const REPORT_HISTORY = 64;

/** What the host saw of one VM's Dynamic Memory. */
export interface DynamicMemoryVmStats {
  /** DM_STATUS_REPORTs that reached the balancer. */
  statusReports: number;
  /** When the latest ones arrived, oldest first (at most 64). */
  readonly reportTimes: Ns[];
  /** Confirmed operations and the pages they moved. */
  balloons: number;
  unballoons: number;
  hotAdds: number;
  /** Guest confirmations the memory manager refused (bad page ranges). */
  refused: number;
}

/** A grow request sent to a guest and not answered yet: its host pages are set aside. */
interface PendingGrow {
  readonly partition: number;
  readonly kind: 'unballoon' | 'hot-add';
  readonly reservedPages: number;
  readonly regionPages: number;
}

/** Growth this round's plan gave a VM that has not gone out yet (host pages short). */
interface WaitingGrowth {
  readonly partition: number;
  pages: number;
}

type GrowAction = Exclude<DynamicMemoryAction, { kind: 'balloon' }>;

export interface DynamicMemoryHostDeps {
  readonly engine: SimEngine;
  readonly memory: MemoryManager;
  readonly balancer: DynamicMemoryBalancer;
  readonly vms: ReadonlyMap<string, VmRuntime>;
  readonly vsps: () => ReadonlyMap<string, VspRuntime>;
  readonly log: (source: string, message: NarrationMessage) => void;
}

export class DynamicMemoryHost {
  private readonly stats = new Map<string, DynamicMemoryVmStats>();
  /** Sent grows by tag, oldest first. */
  private readonly pending = new Map<number, PendingGrow>();
  /** This round's growth still to send, in the plan's order. */
  private waiting: WaitingGrowth[] = [];
  private nextTag = 1;
  private started = false;

  constructor(private readonly deps: DynamicMemoryHostDeps) {}

  /** A dynamic VM's partition and memory exist: the balancer takes it on. */
  enable(vmName: string, partition: number, settings: DynamicMemorySettings): void {
    const enabled = this.deps.balancer.enable(partition, settings);
    if (!enabled.ok)
      this.deps.log(
        'VMMS',
        narrate('vm.dynamicMemoryOff', { vm: vmName, reason: enabled.error.message }),
      );
  }

  /** Starts the 1 Hz balancing rounds when some VM uses Dynamic Memory. */
  start(anyDynamic: boolean): void {
    if (this.started || !anyDynamic) return;
    this.started = true;
    this.deps.balancer.setProtocol({
      round: (actions) => {
        this.round(actions);
      },
      inFlightPages: (partition) => this.reservedPages(partition),
    });
    this.deps.balancer.start();
  }

  /** What the host saw of `vmName`'s Dynamic Memory. */
  statsOf(vmName: string): Readonly<DynamicMemoryVmStats> {
    return this.stats.get(vmName) ?? emptyStats();
  }

  private own(vmName: string): DynamicMemoryVmStats {
    let s = this.stats.get(vmName);
    if (s === undefined) {
      s = emptyStats();
      this.stats.set(vmName, s);
    }
    return s;
  }

  // ── VSP reports ─────────────────────────────────────────────────────────────────────────────

  /** A guest's DM_STATUS_REPORT, relayed by the dynamic memory VSP. */
  pressure(channel: VspChannel, report: MemoryPressureReport): void {
    const pid = this.partitionOf(channel.vm);
    const committed = report.committedPages;
    if (pid === 0 || !Number.isSafeInteger(committed) || committed < 0) return;
    const available = report.availablePages ?? 0;
    this.deps.balancer.reportStatus(pid, {
      numAvail: Number.isSafeInteger(available) && available >= 0 ? available : 0,
      numCommitted: committed,
    });
    const s = this.own(channel.vm);
    s.statusReports++;
    s.reportTimes.push(this.deps.engine.now);
    if (s.reportTimes.length > REPORT_HISTORY) s.reportTimes.shift();
  }

  /**
   * The guest answered a memory target: change the partition's memory accordingly. A grow
   * answered with 0 pages (the guest brought nothing online, or the VSP could not ask) releases
   * its pages; the VM waits for the next round (L: hot_add_req — "the host may retry").
   */
  change(channel: VspChannel, change: MemoryChangeReport): void {
    const pid = this.partitionOf(channel.vm);
    const p = pid === 0 ? undefined : this.deps.memory.partition(pid);
    if (p === undefined || !Number.isSafeInteger(change.pages) || change.pages < 0) return;
    if (change.action === 'balloon') {
      if (change.pages > 0) this.ballooned(channel.vm, p, change);
      this.serve();
      return;
    }
    const grow = this.pending.get(change.tag);
    if (grow === undefined || grow.partition !== pid || grow.kind !== change.action) return;
    this.pending.delete(change.tag);
    if (change.pages === 0) {
      this.waiting = this.waiting.filter((w) => w.partition !== pid);
      this.deps.log(channel.vm, narrate('memory.growNotDone', { action: grow.kind }));
    } else this.grown(channel.vm, p, grow, change.pages);
    this.serve();
  }

  private ballooned(vm: string, p: PartitionMemory, change: MemoryChangeReport): void {
    const s = this.own(vm);
    // The pages the guest listed; without a list, those its driver would have picked.
    const ranges =
      change.ranges !== undefined
        ? change.ranges.map((r) => ({ start: r.startPage, count: r.pageCount }))
        : p.chooseBalloonRanges(change.pages);
    const given = p.balloon(ranges);
    if (!given.ok) {
      s.refused++;
      this.deps.log(vm, narrate('memory.balloonRefused', { reason: given.error.message }));
      return;
    }
    s.balloons++;
    this.deps.log(
      vm,
      narrate('memory.ballooned', { mib: mib(given.value), assignedMib: mib(p.assignedPages) }),
    );
  }

  private grown(vm: string, p: PartitionMemory, grow: PendingGrow, confirmed: number): void {
    const s = this.own(vm);
    const pages = Math.min(confirmed, grow.reservedPages, this.deps.memory.host.freePages);
    if (grow.kind === 'unballoon') {
      const n = Math.min(pages, p.balloonedPages);
      if (n <= 0 || !p.unballoon(n).ok) return;
      s.unballoons++;
      this.deps.log(
        vm,
        narrate('memory.unballooned', { mib: mib(n), assignedMib: mib(p.assignedPages) }),
      );
      return;
    }
    const r = p.hotAdd(pages, grow.regionPages);
    if (!r.ok) {
      this.deps.log(vm, narrate('memory.hotAddFailed', { reason: r.error.message }));
      return;
    }
    s.hotAdds++;
    this.deps.log(
      vm,
      narrate('memory.hotAdded', {
        mib: mib(grow.regionPages),
        backedMib: mib(pages),
        installedMib: mib(p.visiblePages),
      }),
    );
  }

  // ── Balancer actions → memory targets ───────────────────────────────────────────────────────

  /** A balancing round: balloons go out at once, growth as host pages allow. */
  private round(actions: readonly DynamicMemoryAction[]): void {
    this.dropOrphans();
    this.waiting = [];
    for (const action of actions) {
      if (action.kind === 'balloon') {
        this.sendBalloon(action.partition, action.pages);
        continue;
      }
      const w = this.waiting.find((x) => x.partition === action.partition);
      if (w === undefined) this.waiting.push({ partition: action.partition, pages: action.pages });
      else w.pages += action.pages;
    }
    this.serve();
  }

  private sendBalloon(partition: number, pages: number): void {
    const name = this.nameOf(partition);
    const target = name === undefined ? undefined : this.channelOf(name);
    if (target === undefined) return;
    target.vsp.deliver(target.channel, {
      type: 'memory-target',
      action: 'balloon',
      pages,
      tag: this.nextTag++,
    });
  }

  /**
   * Sends what waiting growth the free host pages cover, in the plan's order: for each VM with no
   * grow in flight, the next step (unballoon, back hot-added pages, hot-add), sized from its
   * partition now.
   */
  private serve(): void {
    let available = this.deps.memory.host.freePages - this.reservedPages();
    for (const w of this.waiting) {
      if (available <= 0) break;
      if (w.pages <= 0 || this.reservedPages(w.partition) > 0) continue;
      const p = this.deps.memory.partition(w.partition);
      const name = this.nameOf(w.partition);
      const target = name === undefined ? undefined : this.channelOf(name);
      const pages = Math.min(w.pages, available, DM_PAGE_RANGE_MAX_COUNT);
      const step = p === undefined ? undefined : growthActions(growable(w.partition, p), pages)[0];
      if (
        p === undefined ||
        target === undefined ||
        step === undefined ||
        step.kind === 'balloon'
      ) {
        w.pages = 0; // gone, or at its maximum
        continue;
      }
      this.sendGrow(step, p, target);
      w.pages -= step.pages;
      available -= step.pages;
    }
    this.waiting = this.waiting.filter((w) => w.pages > 0);
  }

  /** Sets host pages aside for a grow, so the guest's confirmation finds them, and sends it. */
  private sendGrow(
    action: GrowAction,
    p: PartitionMemory,
    target: { vsp: VspRuntime; channel: HostChannel },
  ): void {
    const tag = this.nextTag++;
    let event: VspHostEvent;
    let regionPages = 0;
    if (action.kind === 'unballoon') {
      event = { type: 'memory-target', action: 'unballoon', pages: action.pages, tag };
    } else {
      regionPages = Math.min(action.regionPages, DM_PAGE_RANGE_MAX_COUNT);
      // Hot-added pages are backed lowest first, so the unbacked ones are the top of installed memory.
      event = {
        type: 'memory-target',
        action: 'hot-add',
        pages: action.pages,
        tag,
        startPage: p.visiblePages - p.unbackedPages,
        ...(regionPages > 0
          ? { region: { startPage: p.visiblePages, pageCount: regionPages } }
          : {}),
      };
    }
    this.pending.set(tag, {
      partition: action.partition,
      kind: action.kind,
      reservedPages: action.pages,
      regionPages,
    });
    target.vsp.deliver(target.channel, event);
  }

  /** Grows whose VM is gone or whose channel closed will never be answered: release them. */
  private dropOrphans(): void {
    for (const [tag, g] of this.pending) {
      const name = this.nameOf(g.partition);
      if (
        this.deps.memory.partition(g.partition) === undefined ||
        name === undefined ||
        this.channelOf(name) === undefined
      )
        this.pending.delete(tag);
    }
  }

  /** Host pages set aside for grows in flight (to one partition, or to all). */
  private reservedPages(partition?: number): number {
    let total = 0;
    for (const g of this.pending.values())
      if (partition === undefined || g.partition === partition) total += g.reservedPages;
    return total;
  }

  /** The open Dynamic Memory channel of a VM and the VSP serving it. */
  private channelOf(vmName: string): { vsp: VspRuntime; channel: HostChannel } | undefined {
    for (const vsp of this.deps.vsps().values()) {
      if (vsp.deviceClass !== 'dynamic-memory') continue;
      for (const channel of vsp.channels)
        if (channel.vm === vmName && channel.state === 'open') return { vsp, channel };
    }
    return undefined;
  }

  private partitionOf(vmName: string): number {
    return this.deps.vms.get(vmName)?.managed.partitionId ?? 0;
  }

  private nameOf(partition: number): string | undefined {
    for (const [name, vm] of this.deps.vms) if (vm.managed.partitionId === partition) return name;
    return undefined;
  }
}

const mib = (pages: number): string => (pages / 256).toFixed(0);

function growable(partition: number, p: PartitionMemory): GrowableMemory {
  return {
    partition,
    maximumPages: p.maximumPages,
    balloonedPages: p.balloonedPages,
    unbackedPages: p.unbackedPages,
    visiblePages: p.visiblePages,
  };
}

function emptyStats(): DynamicMemoryVmStats {
  return { statusReports: 0, reportTimes: [], balloons: 0, unballoons: 0, hotAdds: 0, refused: 0 };
}
