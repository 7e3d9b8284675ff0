/**
 * The hypervisor's scheduler: places virtual processors on logical processors and makes every
 * piece of CPU work in the simulation progress only while its VP runs.
 *
 * Three policies share one mechanism ({@link VpDispatcher}; WS: "Manage Hyper-V hypervisor
 * scheduler types"):
 * - classic (rule 28): fair share by weight (virtual runtime), preemptive round-robin on every LP,
 *   reserve and limit per accounting period;
 * - core (rule 29): the same fair share, but LPs are handed out a core at a time: a core's SMT
 *   siblings only ever run VPs of the partition that holds the core; an idle sibling stays idle;
 * - root (rule 30): the root OS places VPs round-robin; weight, reserve and limit are ignored.
 * Root VPs are pinned 1:1 to LPs 0..n−1 under all three (rule 31).
 *
 * This file is the subsystem's API: partitions and their controls, work, suspension, meters.
 */
import { inject, injectable } from 'inversify';
import { SimEngine } from '../engine/index.js';
import type { EventType, Ns } from '../engine/index.js';
import type { CpuTopology } from '../hardware/cpu/index.js';
import {
  ConfigurationError,
  guestRunsSmt,
  HOST_RELEASE_LIMITS,
  refusal,
  releaseAllows,
  type HostOs,
  type HostReleaseLimits,
} from '../model/index.js';
import { Bitset } from './bitset.js';
import {
  DEFAULT_ACCOUNTING_PERIOD_NS,
  DEFAULT_QUANTUM_NS,
  DEFAULT_SCHEDULER_HOST_OS,
} from './constants.js';
import { VpDispatcher } from './dispatcher.js';
import { SchedulerError } from './errors.js';
import {
  DEFAULT_PROCESSOR_CONTROLS,
  resolveProcessorControls,
  toWmiControls,
} from './processor-controls.js';
import type { ProcessorControls } from './processor-controls.js';
import { PartitionRecord, VpRecord } from './records.js';
import {
  buildHostMetrics,
  buildPartitionMetrics,
  partitionRunTime,
  buildSnapshot,
  buildVpMetrics,
} from './scheduler-metrics.js';
import type {
  HostCpuMetrics,
  PartitionCpuMetrics,
  SchedulerSnapshot,
  VpCpuMetrics,
} from './scheduler-metrics.js';
import type { SchedulerSettings } from './settings.js';
import { SchedulerTokens } from './tokens.js';
import { SuspendReason, VP_STATE_NAMES } from './types.js';
import type { VpId, VpStateName, WorkClass } from './types.js';

/** A child partition's processors as the scheduler is told about them. */
export interface PartitionCpuSpec {
  /** The hypervisor's id for the partition (unique; the root's comes from the settings). */
  readonly partitionId: number;
  /** Display name (the VM name). */
  readonly name?: string;
  /** Virtual processors, 1 to the release's VPs per VM (Set-VMProcessor -Count; rule 40). */
  readonly vpCount: number;
  /** Weight, reserve and limit applied to each of its VPs (rule 32). */
  readonly controls?: Partial<ProcessorControls>;
}

/** What the scheduler hands back for a partition: its id and its VPs' ids, by VP index. */
export interface PartitionCpu {
  readonly partitionId: number;
  readonly isRoot: boolean;
  readonly vps: readonly VpId[];
}

/** A VP's controls as configured, with the WMI view and whether the active scheduler honours them. */
export interface VpControls extends ProcessorControls {
  /** Msvm_ProcessorSettingData.Reservation: percent × 1000. */
  readonly reservationWmi: number;
  /** Msvm_ProcessorSettingData.Limit: percent × 1000. */
  readonly limitWmi: number;
  /** False under the root scheduler, which ignores weight, reserve and limit (rule 30). */
  readonly honoured: boolean;
}

/**
 * The hypervisor scheduler (classic, core or root; see the file comment).
 *
 * @example
 * ```ts
 * const engine = new SimEngine();
 * const cpu = CpuTopology.fromProcessor({ sockets: 1, coresPerSocket: 4, threadsPerCore: 2 });
 * const sched = new HypervisorScheduler(engine, cpu, { type: 'core', rootVps: 2 });
 * const vm = sched.addPartition({ partitionId: 7, name: 'db01', vpCount: 2 });
 * const done = engine.define<number>('io-done', (n) => console.log('request', n, 'at', engine.now));
 * sched.submit(vm.vps[0], 20_000, WorkClass.Thread, done, 1); // 20 µs of guest CPU
 * engine.runUntil(1_000_000);
 * ```
 */
@injectable()
export class HypervisorScheduler {
  readonly type: SchedulerSettings['type'];
  readonly quantumNs: Ns;
  readonly periodNs: Ns;
  /** The root partition (its VPs are pinned 1:1 to LPs 0..rootVps−1). */
  readonly root: PartitionCpu;

  private readonly dispatcher: VpDispatcher;
  private readonly vps: VpRecord[] = [];
  private readonly partitions: PartitionRecord[] = [];
  private readonly partitionById = new Map<number, PartitionRecord>();
  private guestVps = 0;
  /** Child partitions deleted during the run (their records stay, for metrics). */
  private deletedPartitions = 0;
  /** The host's release and its rule-40 limits. */
  private readonly hostOs: HostOs;
  private readonly limits: HostReleaseLimits;

  constructor(
    @inject(SimEngine) private readonly engine: SimEngine,
    @inject(SchedulerTokens.CpuTopology) readonly topology: CpuTopology,
    @inject(SchedulerTokens.Settings) settings: SchedulerSettings,
  ) {
    this.type = settings.type;
    this.hostOs = settings.hostOs ?? DEFAULT_SCHEDULER_HOST_OS;
    this.limits = HOST_RELEASE_LIMITS[this.hostOs];
    this.quantumNs = wholePositive(settings.quantumNs ?? DEFAULT_QUANTUM_NS, 'quantumNs');
    this.periodNs = wholePositive(settings.periodNs ?? DEFAULT_ACCOUNTING_PERIOD_NS, 'periodNs');
    this.dispatcher = new VpDispatcher(engine, topology, this.partitions, {
      type: settings.type,
      quantumNs: this.quantumNs,
      periodNs: this.periodNs,
    });
    this.root = this.createRoot(settings);
  }

  // ── Partitions and controls ────────────────────────────────────────────────────────────────

  /**
   * Registers a child partition's VPs. They start idle and float over every LP.
   * @throws SchedulerError when a host limit (rule 40) would be passed or the id is taken;
   *   ConfigurationError when the controls are out of range (rule 32).
   */
  addPartition(spec: PartitionCpuSpec): PartitionCpu {
    const limits = this.limits;
    if (!Number.isInteger(spec.vpCount) || spec.vpCount < 1 || spec.vpCount > limits.vpsPerVm) {
      throw new SchedulerError(
        'limit-exceeded',
        `a VM has 1 to ${limits.vpsPerVm} VPs, not ${spec.vpCount}: ${releaseAllows(this.hostOs, limits.vpsPerVm, 'virtual processors per VM')}`,
      );
    }
    if (this.partitions.length - 1 - this.deletedPartitions >= limits.runningVms) {
      throw new SchedulerError(
        'limit-exceeded',
        releaseAllows(this.hostOs, limits.runningVms, 'running VMs per host'),
      );
    }
    if (this.guestVps + spec.vpCount > limits.virtualProcessors) {
      throw new SchedulerError(
        'limit-exceeded',
        releaseAllows(this.hostOs, limits.virtualProcessors, 'guest virtual processors per host'),
      );
    }
    const controls = resolveProcessorControls(DEFAULT_PROCESSOR_CONTROLS, spec.controls ?? {});
    const p = this.createPartition(
      spec.partitionId,
      false,
      spec.name ?? `partition-${spec.partitionId}`,
      this.guestSmt(spec.vpCount),
    );
    for (let i = 0; i < spec.vpCount; i++) this.createVp(p, i, -1, controls);
    this.guestVps += spec.vpCount;
    return { partitionId: p.partitionId, isRoot: false, vps: p.vps.map((v) => v.id) };
  }

  /**
   * A child partition was deleted (HvCallDeletePartition): its VPs are held for good, whatever
   * they had queued never runs, and they no longer count against the host's limits (rule 40). The
   * record stays so that the time the VPs ran is still reported.
   * @throws SchedulerError for the root or an unknown partition.
   */
  removePartition(partitionId: number): void {
    const p = this.partitionOf(partitionId);
    if (p.isRoot) throw new SchedulerError('unknown-partition', 'the root partition stays');
    if (p.deleted) return;
    p.deleted = true;
    for (const v of p.vps) this.dispatcher.suspend(v, SuspendReason.PartitionDeleted);
    this.guestVps -= p.vps.length;
    this.deletedPartitions++;
  }

  /** The VP with index `vpIndex` in partition `partitionId`. */
  vpOf(partitionId: number, vpIndex: number): VpId {
    const p = this.partitionOf(partitionId);
    if (!Number.isInteger(vpIndex) || vpIndex < 0 || vpIndex >= p.vps.length) {
      throw new SchedulerError('unknown-vp', `partition ${partitionId} has no VP ${vpIndex}`);
    }
    return p.vps[vpIndex].id;
  }

  /** Set-VMProcessor -RelativeWeight -Reserve -Maximum: applies to every VP of the partition. */
  setPartitionControls(partitionId: number, update: Partial<ProcessorControls>): void {
    const p = this.partitionOf(partitionId);
    const next = resolveProcessorControls(p.vps[0].controls, update);
    for (const vp of p.vps) this.dispatcher.applyControls(vp, next);
  }

  /** Changes one VP's controls (the hypervisor keeps them per VP). */
  setVpControls(vp: VpId, update: Partial<ProcessorControls>): void {
    const v = this.vpAt(vp);
    this.dispatcher.applyControls(v, resolveProcessorControls(v.controls, update));
  }

  /** A VP's controls, in percent and in the WMI (× 1000) view. */
  vpControls(vp: VpId): VpControls {
    const c = this.vpAt(vp).controls;
    const wmi = toWmiControls(c);
    return {
      ...c,
      reservationWmi: wmi.Reservation,
      limitWmi: wmi.Limit,
      honoured: this.dispatcher.fairShare,
    };
  }

  // ── Work ───────────────────────────────────────────────────────────────────────────────────

  /**
   * Queues `costNs` of CPU work on `vp`. It progresses only while the VP runs; when it has
   * received `costNs` of run time, `doneEvent(arg)` fires through the engine at that instant
   * (with `key` folded into the event log). Interrupt work runs before queued thread work.
   *
   * @example
   * ```ts
   * sched.submit(vp, 3_000, WorkClass.Interrupt, vmbusIsrDone, channel, channel.id);
   * ```
   */
  submit<A>(
    vp: VpId,
    costNs: Ns,
    workClass: WorkClass,
    doneEvent: EventType<A> | null,
    arg: A,
    key = 0,
  ): void {
    const v = this.vpAt(vp);
    if (!(costNs >= 0 && costNs < Infinity)) {
      throw new SchedulerError(
        'invalid-cost',
        `CPU work must cost a finite, non-negative time, not ${costNs}`,
      );
    }
    const item = this.dispatcher.pool.acquire();
    item.remainingNs = Math.round(costNs);
    item.event = doneEvent;
    item.arg = arg;
    item.key = key;
    this.dispatcher.queueWork(v, item, workClass);
  }

  /**
   * Marks (or clears) a CPU-bound guest thread on `vp`: it soaks up any run time the VP gets when
   * no work is queued, and the time it gets is accumulated as the VP's background progress.
   */
  setBackground(vp: VpId, on: boolean): void {
    this.dispatcher.setBackground(this.vpAt(vp), on);
  }

  /** Holds `vp` for `reason` (it may already be held for others). Queued work waits. */
  suspend(vp: VpId, reason: SuspendReason): void {
    this.dispatcher.suspend(this.vpAt(vp), reason);
  }

  /** Releases `reason`; the VP becomes runnable again once no reason holds it. */
  resume(vp: VpId, reason: SuspendReason): void {
    this.dispatcher.resume(this.vpAt(vp), reason);
  }

  /** True when `vp` is held, for `reason` if given, for any reason otherwise. */
  isSuspended(vp: VpId, reason?: SuspendReason): boolean {
    const mask = this.vpAt(vp).suspendMask;
    return reason === undefined ? mask !== 0 : (mask & reason) !== 0;
  }

  /** Work items queued on `vp` (the one in progress included). */
  queuedWork(vp: VpId): number {
    const v = this.vpAt(vp);
    return v.interrupts.length + v.threads.length;
  }

  // ── Reading ────────────────────────────────────────────────────────────────────────────────

  /** The VP's state now. */
  stateOf(vp: VpId): VpStateName {
    return VP_STATE_NAMES[this.vpAt(vp).state];
  }

  /** The VP running on `lp`, or -1 when the LP is idle (cheap; for per-event checks). */
  occupantOf(lp: number): VpId {
    const v = this.dispatcher.lps.running[lp];
    return v === null ? -1 : v.id;
  }

  /** Partition id and index of a VP. */
  describeVp(vp: VpId): { partitionId: number; vpIndex: number; isRoot: boolean } {
    const v = this.vpAt(vp);
    return { partitionId: v.partition.partitionId, vpIndex: v.index, isRoot: v.partition.isRoot };
  }

  /** Run, ready and background time of one VP up to now (reads only; changes nothing). */
  vpMetrics(vp: VpId): VpCpuMetrics {
    return buildVpMetrics(this.vpAt(vp), this.engine.now);
  }

  /** The same, summed over a partition's VPs. */
  partitionMetrics(partitionId: number): PartitionCpuMetrics {
    return buildPartitionMetrics(this.partitionOf(partitionId), this.engine.now);
  }

  /** The partition's run time so far, as in {@link partitionMetrics} (cheap: for per-tick sampling). */
  partitionRunNs(partitionId: number): Ns {
    return partitionRunTime(this.partitionOf(partitionId), this.engine.now);
  }

  /** Busy time per LP and cross-partition SMT sibling sharing. */
  hostMetrics(): HostCpuMetrics {
    return buildHostMetrics(this.dispatcher.lps, this.partitions, this.engine.now);
  }

  /** Which VP runs on each LP, and every VP's state (for display). */
  snapshot(): SchedulerSnapshot {
    return buildSnapshot(this.dispatcher.lps, this.vps, this.engine.now);
  }

  /** Work items ever allocated by the pool (its high-water mark; for benchmarks). */
  get workItemsAllocated(): number {
    return this.dispatcher.pool.allocated;
  }

  // ── Bookkeeping ─────────────────────────────────────────────────────────────────────────────
  private createRoot(settings: SchedulerSettings): PartitionCpu {
    const n = settings.rootVps;
    const max = Math.min(this.topology.lpCount, this.limits.rootVisibleProcessors);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new ConfigurationError('configuration', [
        refusal(['host', 'rootVps'], 'host.rootVpsOutOfRange', {
          max,
          os: this.hostOs,
          rootVisible: this.limits.rootVisibleProcessors,
          rootVps: n,
        }),
      ]);
    }
    const p = this.createPartition(settings.rootPartitionId ?? 0, true, 'root', true);
    for (let i = 0; i < n; i++) {
      const v = this.createVp(p, i, i, DEFAULT_PROCESSOR_CONTROLS);
      this.dispatcher.lps.pinned[i] = v;
    }
    return { partitionId: p.partitionId, isRoot: true, vps: p.vps.map((v) => v.id) };
  }

  /** Whether the core scheduler runs a new VM's VPs together on a core's SMT siblings (rule 29). */
  private guestSmt(vpCount: number): boolean {
    return guestRunsSmt(this.hostOs, vpCount, this.topology.coreCount);
  }

  private createPartition(
    partitionId: number,
    isRoot: boolean,
    name: string,
    smt: boolean,
  ): PartitionRecord {
    if (this.partitionById.has(partitionId)) {
      throw new SchedulerError('duplicate-partition', `partition ${partitionId} already exists`);
    }
    const p = new PartitionRecord(this.partitions.length, partitionId, isRoot, name);
    const lps = this.dispatcher.lps;
    // A partition without a set of partial units never shares a core among its VPs.
    if (this.type === 'core' && lps.unitSize > 1 && smt) p.partialUnits = new Bitset(lps.unitCount);
    this.partitions.push(p);
    this.partitionById.set(partitionId, p);
    lps.exposure?.addPartition();
    return p;
  }

  private createVp(
    p: PartitionRecord,
    index: number,
    pinnedLp: number,
    c: ProcessorControls,
  ): VpRecord {
    const v = new VpRecord(this.vps.length, p, index, pinnedLp);
    this.vps.push(v);
    p.vps.push(v);
    this.dispatcher.initVp(v, c);
    return v;
  }

  private partitionOf(partitionId: number): PartitionRecord {
    const p = this.partitionById.get(partitionId);
    if (p === undefined)
      throw new SchedulerError('unknown-partition', `no partition ${partitionId}`);
    return p;
  }

  private vpAt(vp: VpId): VpRecord {
    if (!(vp >= 0 && vp < this.vps.length)) throw new SchedulerError('unknown-vp', `no VP ${vp}`);
    return this.vps[vp | 0];
  }
}

function wholePositive(value: number, name: string): number {
  if (Number.isInteger(value) && value > 0) return value;
  throw new ConfigurationError('configuration', [
    {
      path: ['scheduler', name],
      expected: 'a whole number of nanoseconds > 0',
      found: String(value),
    },
  ]);
}
