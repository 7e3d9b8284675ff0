/**
 * The root's half of Dynamic Memory around the balancer (icsvc): it puts dynamic VMs under the
 * balancer when they start, turns the balancer's actions into 'memory-target' events on each
 * VM's Dynamic Memory channel, relays the guests' status reports to the balancer, and changes the
 * partition's memory when a guest confirms what it did (rule 34):
 *
 * - balloon: the guest lists the pages it gave; the memory manager checks them (backed, not
 *   shared by a GPADL, not a driver's allocation: rule 36) and unmaps them;
 * - unballoon and hot-add: host pages are set aside when the request goes out (so a confirmation
 *   never finds the host short), and backed when the guest confirms; hot-add grows installed
 *   memory by the region the host named, which never shrinks.
 *
 * A grow the host cannot cover this round waits for the next one, after other VMs' balloons
 * freed their pages: the balancer runs every second.
 */
import type { Ns, SimEngine } from '../engine/index.js';
import { BALANCE_INTERVAL_NS } from '../memory/index.js';
import type { DynamicMemoryAction, DynamicMemoryBalancer, MemoryManager } from '../memory/index.js';
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

interface PendingGrow {
  readonly partition: number;
  readonly kind: 'unballoon' | 'hot-add';
  readonly reservedPages: number;
  readonly regionPages: number;
  readonly at: Ns;
}

export interface DynamicMemoryHostDeps {
  readonly engine: SimEngine;
  readonly memory: MemoryManager;
  readonly balancer: DynamicMemoryBalancer;
  readonly vms: ReadonlyMap<string, VmRuntime>;
  readonly vsps: () => ReadonlyMap<string, VspRuntime>;
  readonly log: (source: string, text: string) => void;
}

export class DynamicMemoryHost {
  private readonly stats = new Map<string, DynamicMemoryVmStats>();
  private readonly pending = new Map<number, PendingGrow>();
  private nextTag = 1;
  private started = false;

  constructor(private readonly deps: DynamicMemoryHostDeps) {}

  /** A dynamic VM's partition and memory exist: the balancer takes it on. */
  enable(vmName: string, partition: number, settings: DynamicMemorySettings): void {
    const enabled = this.deps.balancer.enable(partition, settings);
    if (!enabled.ok)
      this.deps.log('VMMS', `${vmName}: Dynamic Memory off: ${enabled.error.message}`);
  }

  /** Starts the 1 Hz balancing rounds when some VM uses Dynamic Memory. */
  start(anyDynamic: boolean): void {
    if (this.started || !anyDynamic) return;
    this.started = true;
    this.deps.balancer.setActionHandler((action) => {
      this.deliver(action);
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

  /** The guest answered a memory target: change the partition's memory accordingly. */
  change(channel: VspChannel, change: MemoryChangeReport): void {
    const pid = this.partitionOf(channel.vm);
    const p = pid === 0 ? undefined : this.deps.memory.partition(pid);
    if (p === undefined || !Number.isSafeInteger(change.pages) || change.pages <= 0) return;
    const s = this.own(channel.vm);
    const mib = (pages: number): string => (pages / 256).toFixed(0);
    if (change.action === 'balloon') {
      // The pages the guest listed; without a list, those its driver would have picked.
      const ranges =
        change.ranges !== undefined
          ? change.ranges.map((r) => ({ start: r.startPage, count: r.pageCount }))
          : p.chooseBalloonRanges(change.pages);
      const given = p.balloon(ranges);
      if (!given.ok) {
        s.refused++;
        this.deps.log(channel.vm, `balloon response refused: ${given.error.message}`);
        return;
      }
      s.balloons++;
      this.deps.log(
        channel.vm,
        `ballooned ${mib(given.value)} MiB (assigned ${mib(p.assignedPages)} MiB)`,
      );
      return;
    }
    const grow = this.pending.get(change.tag);
    if (grow === undefined || grow.partition !== pid || grow.kind !== change.action) return;
    this.pending.delete(change.tag);
    const pages = Math.min(change.pages, grow.reservedPages, this.deps.memory.host.freePages);
    if (grow.kind === 'unballoon') {
      const n = Math.min(pages, p.balloonedPages);
      if (n <= 0 || !p.unballoon(n).ok) return;
      s.unballoons++;
      this.deps.log(channel.vm, `unballooned ${mib(n)} MiB (assigned ${mib(p.assignedPages)} MiB)`);
      return;
    }
    const r = p.hotAdd(pages, grow.regionPages);
    if (!r.ok) {
      this.deps.log(channel.vm, `hot-add not applied: ${r.error.message}`);
      return;
    }
    s.hotAdds++;
    this.deps.log(
      channel.vm,
      `hot-added ${mib(grow.regionPages)} MiB of installed memory, backed ${mib(pages)} MiB (installed ${mib(p.visiblePages)} MiB)`,
    );
  }

  // ── Balancer actions → memory targets ───────────────────────────────────────────────────────

  private deliver(action: DynamicMemoryAction): void {
    this.expire();
    const name = this.nameOf(action.partition);
    const p = this.deps.memory.partition(action.partition);
    const target = name === undefined ? undefined : this.channelOf(name);
    if (p === undefined || target === undefined) return;
    const tag = this.nextTag++;
    if (action.kind === 'balloon') {
      target.vsp.deliver(target.channel, {
        type: 'memory-target',
        action: 'balloon',
        pages: action.pages,
        tag,
      });
      return;
    }
    // Set host pages aside for the grow, so the guest's confirmation finds them.
    const free = Math.max(0, this.deps.memory.host.freePages - this.reservedPages());
    const pages = Math.min(action.pages, free, DM_PAGE_RANGE_MAX_COUNT);
    if (pages <= 0) return;
    let event: VspHostEvent;
    let regionPages = 0;
    if (action.kind === 'unballoon') {
      event = { type: 'memory-target', action: 'unballoon', pages, tag };
    } else {
      regionPages = Math.min(action.regionPages, DM_PAGE_RANGE_MAX_COUNT);
      // Hot-added pages are backed lowest first, so the unbacked ones are the top of installed memory.
      event = {
        type: 'memory-target',
        action: 'hot-add',
        pages,
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
      reservedPages: pages,
      regionPages,
      at: this.deps.engine.now,
    });
    target.vsp.deliver(target.channel, event);
  }

  /** Grows not confirmed within a balancing interval release their pages. */
  private expire(): void {
    const now = this.deps.engine.now;
    for (const [tag, g] of this.pending)
      if (now - g.at >= BALANCE_INTERVAL_NS) this.pending.delete(tag);
  }

  private reservedPages(): number {
    let total = 0;
    for (const g of this.pending.values()) total += g.reservedPages;
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

function emptyStats(): DynamicMemoryVmStats {
  return { statusReports: 0, reportTimes: [], balloons: 0, unballoons: 0, hotAdds: 0, refused: 0 };
}
