/**
 * The hypervisor's scheduler: places virtual processors on logical processors and makes every
 * piece of CPU work in the simulation progress only while its VP runs.
 *
 * Three policies share one mechanism (WS: "Manage Hyper-V hypervisor scheduler types"):
 * - classic (rule 28): fair share by weight (virtual runtime), preemptive round-robin on every LP,
 *   reserve and limit per accounting period;
 * - core (rule 29): the same fair share, but LPs are handed out a core at a time: a core's SMT
 *   siblings only ever run VPs of the partition that holds the core; an idle sibling stays idle;
 * - root (rule 30): the root OS places VPs round-robin; weight, reserve and limit are ignored.
 * Root VPs are pinned 1:1 to LPs 0..n−1 under all three (rule 31).
 *
 * Cost model: each running VP has at most one pending engine event (its next decision point: the
 * current item's completion, the end of its slice, or reaching its cap). Superseded events are
 * left in the engine and ignored by token. Items are pooled; the idle-LP search is a bitset.
 */
import { inject, injectable } from 'inversify';
import { SimEngine } from '../engine/index.js';
import type { EventType, Ns } from '../engine/index.js';
import { ConfigurationError } from '../model/index.js';
import type { CpuTopology } from '../hardware/cpu/index.js';
import { Bitset } from './bitset.js';
import {
  DEFAULT_ACCOUNTING_PERIOD_NS,
  DEFAULT_QUANTUM_NS,
  DEFAULT_WEIGHT,
  MAX_CHILD_PARTITIONS,
  MAX_GUEST_VPS,
  MAX_ROOT_VPS,
  MAX_VPS_PER_VM,
  SLEEPER_CREDIT_NS,
  WAKEUP_GRANULARITY_NS,
} from './constants.js';
import { SchedulerError } from './errors.js';
import { LogicalProcessorTable } from './lp-table.js';
import {
  DEFAULT_PROCESSOR_CONTROLS,
  resolveProcessorControls,
  toWmiControls,
} from './processor-controls.js';
import type { ProcessorControls } from './processor-controls.js';
import { ReadyHeap, runsBefore } from './ready-heap.js';
import { PartitionRecord, VpRecord } from './records.js';
import {
  buildHostMetrics,
  buildPartitionMetrics,
  buildSnapshot,
  buildVpMetrics,
} from './scheduler-metrics.js';
import type {
  HostCpuMetrics,
  PartitionCpuMetrics,
  SchedulerSnapshot,
  VpCpuMetrics,
} from './scheduler-metrics.js';
import { SchedulerTokens } from './tokens.js';
import type { SchedulerSettings } from './settings.js';
import { VP_STATE_NAMES, VpState, WorkClass } from './types.js';
import type { SuspendReason, VpId, VpStateName } from './types.js';
import { WorkItemPool } from './work-queue.js';

/**
 * Event arg = token << LP_BITS | lp: one small integer (no boxing) carries the LP and the event's
 * validity token. Tokens wrap at 2^21; an event is valid only if its token matches AND it fires
 * at the instant the LP is armed for, so an aliased stale event could only fire exactly when the
 * real one is due, where handling it first is harmless (the real one is then stale).
 */
const LP_BITS = 9;
const LP_MASK = (1 << LP_BITS) - 1;
const TOKEN_MASK = (1 << 21) - 1;

/** A child partition's processors as the scheduler is told about them. */
export interface PartitionCpuSpec {
  /** The hypervisor's id for the partition (unique; the root's comes from the settings). */
  readonly partitionId: number;
  /** Display name (the VM name). */
  readonly name?: string;
  /** Virtual processors, 1–240 (Set-VMProcessor -Count). */
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

  private readonly lps: LogicalProcessorTable;
  private readonly vps: VpRecord[] = [];
  private readonly partitions: PartitionRecord[] = [];
  private readonly partitionById = new Map<number, PartitionRecord>();
  private readonly heap = new ReadyHeap<VpRecord>();
  private readonly pool = new WorkItemPool();
  /** Fair share (weights, reserve, limit) is on: classic and core. */
  private readonly fairShare: boolean;
  /** Core scheduler: LPs are handed out a core at a time. */
  private readonly gang: boolean;
  private readonly wakeGranularityVr: number;
  private readonly sleeperCreditVr: number;
  private readonly lpEvent: EventType<number>;
  private readonly periodEvent: EventType<number>;
  private period = 0;
  private periodArmed = false;
  /** VPs running, ready or capped: while there are any, accounting periods tick. */
  private activeVps = 0;
  /** Least virtual runtime among runnable VPs, as last measured (never decreases). */
  private floorVr = 0;
  private readySeq = 0;
  private guestVps = 0;
  private reserveVps = 0;
  private capped: VpRecord[] = [];
  /** Scratch: VPs preempted by the current decision, to re-home once it is done. */
  private readonly displaced: VpRecord[] = [];
  private displacedCount = 0;
  private victimRank = 0;
  private victimOrder = 0;

  constructor(
    @inject(SimEngine) private readonly engine: SimEngine,
    @inject(SchedulerTokens.CpuTopology) readonly topology: CpuTopology,
    @inject(SchedulerTokens.Settings) settings: SchedulerSettings,
  ) {
    this.type = settings.type;
    this.quantumNs = wholePositive(settings.quantumNs ?? DEFAULT_QUANTUM_NS, 'quantumNs');
    this.periodNs = wholePositive(settings.periodNs ?? DEFAULT_ACCOUNTING_PERIOD_NS, 'periodNs');
    this.fairShare = settings.type !== 'root';
    this.gang = settings.type === 'core';
    this.wakeGranularityVr = WAKEUP_GRANULARITY_NS;
    this.sleeperCreditVr = SLEEPER_CREDIT_NS;
    this.lps = new LogicalProcessorTable(topology, this.gang);
    this.lpEvent = engine.define<number>('scheduler.lp', (arg) => {
      this.onLpEvent(arg);
    });
    this.periodEvent = engine.define<number>('scheduler.period', (period) => {
      this.onPeriod(period);
    });
    this.period = Math.floor(engine.now / this.periodNs);
    this.root = this.createRoot(settings);
  }

  // ── Partitions and controls ────────────────────────────────────────────────────────────────

  /**
   * Registers a child partition's VPs. They start idle and float over every LP.
   * @throws SchedulerError when a host limit (rule 40) would be passed or the id is taken;
   *   ConfigurationError when the controls are out of range (rule 32).
   */
  addPartition(spec: PartitionCpuSpec): PartitionCpu {
    if (!Number.isInteger(spec.vpCount) || spec.vpCount < 1 || spec.vpCount > MAX_VPS_PER_VM) {
      throw new SchedulerError(
        'limit-exceeded',
        `a VM has 1 to ${MAX_VPS_PER_VM} VPs, not ${spec.vpCount}`,
      );
    }
    if (this.partitions.length - 1 >= MAX_CHILD_PARTITIONS) {
      throw new SchedulerError('limit-exceeded', `a host runs at most ${MAX_CHILD_PARTITIONS} VMs`);
    }
    if (this.guestVps + spec.vpCount > MAX_GUEST_VPS) {
      throw new SchedulerError('limit-exceeded', `a host runs at most ${MAX_GUEST_VPS} guest VPs`);
    }
    const controls = resolveProcessorControls(DEFAULT_PROCESSOR_CONTROLS, spec.controls ?? {});
    const p = this.createPartition(
      spec.partitionId,
      false,
      spec.name ?? `partition-${spec.partitionId}`,
    );
    for (let i = 0; i < spec.vpCount; i++) this.createVp(p, i, -1, controls);
    this.guestVps += spec.vpCount;
    return { partitionId: p.partitionId, isRoot: false, vps: p.vps.map((v) => v.id) };
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
    for (const vp of p.vps) this.applyControls(vp, next);
  }

  /** Changes one VP's controls (the hypervisor keeps them per VP). */
  setVpControls(vp: VpId, update: Partial<ProcessorControls>): void {
    const v = this.vpAt(vp);
    this.applyControls(v, resolveProcessorControls(v.controls, update));
  }

  /** A VP's controls, in percent and in the WMI (× 1000) view. */
  vpControls(vp: VpId): VpControls {
    const c = this.vpAt(vp).controls;
    const wmi = toWmiControls(c);
    return { ...c, reservationWmi: wmi.Reservation, limitWmi: wmi.Limit, honoured: this.fairShare };
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
    doneEvent: EventType<A>,
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
    const item = this.pool.acquire();
    item.remainingNs = Math.round(costNs);
    item.event = doneEvent;
    item.arg = arg;
    item.key = key;
    const queue = workClass === WorkClass.Interrupt ? v.interrupts : v.threads;
    if (v.state === VpState.Running) {
      // The current item changes when this one goes first: account the old one up to now.
      const changesCurrent =
        v.interrupts.head === null &&
        (workClass === WorkClass.Interrupt || v.threads.head === null);
      if (changesCurrent) {
        this.charge(v);
        this.completeFinished(v);
        queue.push(item);
        this.arm(v.lp, v);
      } else {
        queue.push(item);
      }
      return;
    }
    queue.push(item);
    if (v.state === VpState.Idle) this.wake(v);
  }

  /**
   * Marks (or clears) a CPU-bound guest thread on `vp`: it soaks up any run time the VP gets when
   * no work is queued, and the time it gets is accumulated as the VP's background progress.
   */
  setBackground(vp: VpId, on: boolean): void {
    const v = this.vpAt(vp);
    if (v.background === on) return;
    if (v.state === VpState.Running) this.charge(v);
    v.background = on;
    if (on) {
      if (v.state === VpState.Idle) this.wake(v);
      return;
    }
    if (v.hasWork()) return;
    if (v.state === VpState.Running) this.leave(v, v.lp, VpState.Idle);
    else if (v.state === VpState.Ready) {
      this.takeReady(v);
      this.setState(v, VpState.Idle);
    } else if (v.state === VpState.Capped) this.setState(v, VpState.Idle);
  }

  /** Holds `vp` for `reason` (it may already be held for others). Queued work waits. */
  suspend(vp: VpId, reason: SuspendReason): void {
    const v = this.vpAt(vp);
    const was = v.suspendMask;
    v.suspendMask = was | reason;
    if (was !== 0) return;
    switch (v.state) {
      case VpState.Running:
        this.charge(v);
        this.completeFinished(v);
        this.leave(v, v.lp, VpState.Suspended);
        return;
      case VpState.Ready:
        this.takeReady(v);
        break;
      default:
        break;
    }
    this.setState(v, VpState.Suspended);
  }

  /** Releases `reason`; the VP becomes runnable again once no reason holds it. */
  resume(vp: VpId, reason: SuspendReason): void {
    const v = this.vpAt(vp);
    if ((v.suspendMask & reason) === 0) return;
    v.suspendMask &= ~reason;
    if (v.suspendMask !== 0 || v.state !== VpState.Suspended) return;
    if (v.hasWork()) this.wake(v);
    else this.setState(v, VpState.Idle);
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
    const v = this.lps.running[lp];
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

  /** Busy time per LP and cross-partition SMT sibling sharing. */
  hostMetrics(): HostCpuMetrics {
    return buildHostMetrics(this.lps, this.partitions, this.engine.now);
  }

  /** Which VP runs on each LP, and every VP's state (for display). */
  snapshot(): SchedulerSnapshot {
    return buildSnapshot(this.lps, this.vps, this.engine.now);
  }

  /** Work items ever allocated by the pool (its high-water mark; for benchmarks). */
  get workItemsAllocated(): number {
    return this.pool.allocated;
  }

  // ── Events ─────────────────────────────────────────────────────────────────────────────────

  private onLpEvent(arg: number): void {
    const lp = arg & LP_MASK;
    const token = arg >>> LP_BITS;
    const lps = this.lps;
    const now = this.engine.now;
    if (token !== lps.token[lp] || lps.armedAt[lp] !== now) {
      if (token === lps.spareToken[lp] && lps.spareAt[lp] === now) lps.spareAt[lp] = -Infinity;
      return;
    }
    lps.armedAt[lp] = Infinity;
    lps.token[lp] = -1;
    const v = lps.running[lp] as VpRecord;
    this.charge(v);
    this.completeFinished(v);
    if (!v.hasWork()) {
      this.leave(v, lp, VpState.Idle);
    } else if (this.periodRun(v) >= v.limitNs) {
      this.leave(v, lp, VpState.Capped);
    } else if (this.engine.now >= lps.unitSliceEnd[lp >> lps.unitShift]) {
      this.endSlice(lp >> lps.unitShift);
    } else {
      this.arm(lp, v);
    }
  }

  /**
   * Accounting-period boundary: close the books, lift caps, restore owed reserves. Boundaries
   * sit on a fixed grid (k × period); the event runs only while some VP is active, so an idle
   * host leaves no pending events behind.
   */
  private onPeriod(period: number): void {
    const lps = this.lps;
    for (let lp = 0; lp < lps.lpCount; lp++) {
      const v = lps.running[lp];
      if (v !== null) this.charge(v);
    }
    this.period = period;
    if (this.fairShare) this.raiseFloor(this.exactFloor());
    if (this.reserveVps > 0) this.rerank();
    const capped = this.capped;
    this.capped = [];
    for (const v of capped) {
      if (v.state !== VpState.Capped) continue;
      if (v.hasWork()) this.wake(v);
      else this.setState(v, VpState.Idle);
    }
    if (this.reserveVps > 0) this.preemptForReserves();
    if (this.activeVps > 0) this.armPeriod();
    else this.periodArmed = false;
  }

  private armPeriod(): void {
    this.periodArmed = true;
    this.engine.at((this.period + 1) * this.periodNs, this.periodEvent, this.period + 1);
  }

  // ── Running VPs ────────────────────────────────────────────────────────────────────────────

  /** Credits a running VP with the run time since it was last accounted. */
  private charge(v: VpRecord): void {
    const now = this.engine.now;
    const dt = now - v.lastSettle;
    if (dt <= 0) return;
    v.lastSettle = now;
    v.runNs += dt;
    this.lps.busyNs[v.lp] += dt;
    v.vr += dt * v.vrPerNs;
    if (v.periodStamp !== this.period) {
      v.periodStamp = this.period;
      v.periodRunNs = 0;
    }
    v.periodRunNs += dt;
    const item = v.interrupts.head ?? v.threads.head;
    if (item !== null) item.remainingNs -= dt;
    else v.backgroundNs += dt;
  }

  /** Fires the done events of finished items (several when zero-cost items follow). */
  private completeFinished(v: VpRecord): void {
    for (;;) {
      const queue = v.interrupts.head !== null ? v.interrupts : v.threads;
      const item = queue.head;
      if (item === null || item.remainingNs > 0) return;
      queue.shift();
      this.engine.at(this.engine.now, item.event as EventType<unknown>, item.arg, item.key);
      this.pool.release(item);
    }
  }

  /** Makes sure `lp` has an event at its VP's next decision point. */
  private arm(lp: number, v: VpRecord): void {
    const lps = this.lps;
    const now = this.engine.now;
    let t = lps.unitSliceEnd[lp >> lps.unitShift];
    const item = v.interrupts.head ?? v.threads.head;
    if (item !== null && now + item.remainingNs < t) t = now + item.remainingNs;
    if (v.limitNs !== Infinity) {
      const capAt = now + v.limitNs - this.periodRun(v);
      if (capAt < t) t = capAt;
    }
    if (t >= lps.armedAt[lp]) return; // the pending event comes first: it will re-decide
    const spare = lps.spareAt[lp];
    if (spare >= now && spare <= t) {
      // revive the spare (it fires no later than needed); the armed one becomes the spare
      const token = lps.spareToken[lp];
      lps.spareAt[lp] = lps.armedAt[lp] === Infinity ? -Infinity : lps.armedAt[lp];
      lps.spareToken[lp] = lps.token[lp];
      lps.armedAt[lp] = spare;
      lps.token[lp] = token;
      return;
    }
    lps.retireArmed(lp);
    const token = (lps.lastToken[lp] + 1) & TOKEN_MASK;
    lps.lastToken[lp] = token;
    lps.token[lp] = token;
    lps.armedAt[lp] = t;
    this.engine.at(t, this.lpEvent, (token << LP_BITS) | lp, lp);
  }

  /** A running VP leaves its LP (halted, capped or suspended); the LP is refilled. */
  private leave(v: VpRecord, lp: number, state: VpState): void {
    this.lps.unplace(lp, this.engine.now);
    this.setState(v, state);
    if (state === VpState.Capped) this.capped.push(v);
    const u = lp >> this.lps.unitShift;
    if (this.lps.unitRunning[u] === 0) this.fillUnit(u);
    else this.fillSlot(lp);
  }

  /** End of a unit's time slice: round-robin among the VPs that want it. */
  private endSlice(u: number): void {
    const lps = this.lps;
    if (!this.hasOtherCandidate(u)) {
      lps.unitSliceEnd[u] = this.engine.now + this.quantumNs;
      const first = u << lps.unitShift;
      for (let lp = first; lp < first + lps.unitSize; lp++) {
        const v = lps.running[lp];
        if (v !== null) this.arm(lp, v);
      }
      return;
    }
    this.vacateUnit(u);
    this.fillUnit(u);
    this.rehomeDisplaced();
  }

  /**
   * Preempts every VP on unit `u`; they go back to the ready queue (or halt, or are capped).
   * Those queued are remembered: once the unit is refilled, {@link rehomeDisplaced} moves them to
   * idle LPs they may use (a VP displaced by a pinned root VP need not wait while LPs idle).
   */
  private vacateUnit(u: number): void {
    const lps = this.lps;
    const first = u << lps.unitShift;
    for (let lp = first; lp < first + lps.unitSize; lp++) {
      const v = lps.running[lp];
      if (v === null) continue;
      this.charge(v);
      this.completeFinished(v);
      lps.unplace(lp, this.engine.now);
      if (!v.hasWork()) this.setState(v, VpState.Idle);
      else if (this.periodRun(v) >= v.limitNs) {
        this.setState(v, VpState.Capped);
        this.capped.push(v);
      } else {
        this.enqueueReady(v);
        this.displaced[this.displacedCount++] = v;
      }
    }
  }

  /** Moves VPs just preempted from a unit to idle LPs they may use, if any (work conservation). */
  private rehomeDisplaced(): void {
    const displaced = this.displaced;
    const n = this.displacedCount;
    this.displacedCount = 0;
    for (let i = 0; i < n; i++) {
      const v = displaced[i];
      if (v.state !== VpState.Ready) continue;
      const lp = this.findIdleLp(v);
      if (lp < 0) continue;
      this.takeReady(v);
      this.dispatch(v, lp);
    }
  }

  // ── Placing runnable VPs ───────────────────────────────────────────────────────────────────

  /** A VP with work becomes runnable (from idle, suspended or capped). */
  private wake(v: VpRecord): void {
    if (!this.periodArmed) this.period = Math.floor(this.engine.now / this.periodNs);
    if (this.periodRun(v) >= v.limitNs) {
      this.setState(v, VpState.Capped);
      this.capped.push(v);
      return;
    }
    if (this.fairShare) this.clampSleeper(v);
    const lp = this.findIdleLp(v);
    if (lp >= 0) {
      this.dispatch(v, lp);
      return;
    }
    if (this.fairShare && this.preemptFor(v)) return;
    this.enqueueReady(v);
  }

  /**
   * An LP `v` may start on right away: a root VP only its own (rule 31); a guest VP its previous
   * LP, else (core) a free sibling in a core its partition holds, else the lowest idle unit.
   */
  private findIdleLp(v: VpRecord): number {
    const lps = this.lps;
    if (v.pinnedLp >= 0) return lps.isFreeFor(v, v.pinnedLp) ? v.pinnedLp : -1;
    if (v.lastLp >= 0 && lps.isFreeFor(v, v.lastLp)) return v.lastLp;
    if (this.gang) {
      const slot = lps.freeSlotOfOwnUnit(v);
      if (slot >= 0) return slot;
    }
    const u = lps.idleUnits.first();
    return u < 0 ? -1 : u << lps.unitShift;
  }

  /**
   * Wakeup preemption: `v` takes the unit of the least-deserving running VP if it is clearly
   * ahead of it (owed reserve, or behind in virtual runtime by the wakeup granularity). A guest
   * VP never jumps ahead of VPs already waiting that deserve the LP more.
   */
  private preemptFor(v: VpRecord): boolean {
    const top = this.heap.top();
    let u: number;
    if (v.pinnedLp >= 0) {
      u = v.pinnedLp >> this.lps.unitShift;
      this.unitPriority(u);
      this.setKey(v);
    } else {
      this.setKey(v);
      if (top !== null && !runsBefore(v, top)) return false;
      u = this.findVictimUnit();
      this.clampSleeper(v);
      this.setKey(v);
    }
    if (u < 0 || !this.clearlyAhead(v)) return false;
    this.vacateUnit(u);
    this.lead(v, u);
    this.rehomeDisplaced();
    return true;
  }

  /** Puts `v` on empty unit `u` as the one that won it; siblings fill from its partition. */
  private lead(v: VpRecord, u: number): void {
    const lps = this.lps;
    let lp = u << lps.unitShift;
    if (v.pinnedLp >= 0) lp = v.pinnedLp;
    else if (v.lastLp >= 0 && v.lastLp >> lps.unitShift === u) lp = v.lastLp;
    this.dispatch(v, lp);
  }

  /** Starts `v` on `lp`; a VP that claims a core pulls its partition's ready VPs onto the siblings. */
  private dispatch(v: VpRecord, lp: number): void {
    const now = this.engine.now;
    const claimed = this.lps.place(v, lp, now, this.quantumNs);
    if (v.vacatedAt !== now || v.lastLp !== lp) v.dispatches++;
    this.setState(v, VpState.Running);
    v.lastSettle = now;
    this.arm(lp, v);
    if (claimed && this.lps.unitSize > 1) this.fillSiblings(lp >> this.lps.unitShift);
  }

  /** Unit `u` is empty: give it to the VP that deserves it most. */
  private fillUnit(u: number): void {
    const leader = this.pickLeader(u);
    if (leader === null) return;
    this.takeReady(leader);
    this.lead(leader, u);
  }

  /** A sibling LP of a held core became free: fill it from the holder's ready VPs, or leave it idle. */
  private fillSlot(lp: number): void {
    const lps = this.lps;
    const owner = this.partitions[lps.unitOwner[lp >> lps.unitShift]];
    const c = owner.isRoot ? this.readyPinned(lp) : owner.readyHead;
    if (c === null) return;
    this.takeReady(c);
    this.dispatch(c, lp);
  }

  private fillSiblings(u: number): void {
    const lps = this.lps;
    const first = u << lps.unitShift;
    for (let lp = first; lp < first + lps.unitSize; lp++) {
      if (lps.running[lp] === null) this.fillSlot(lp);
    }
  }

  /** The best candidate for empty unit `u`: the ready-queue head or a root VP pinned there. */
  private pickLeader(u: number): VpRecord | null {
    const lps = this.lps;
    let best = this.heap.top();
    const first = u << lps.unitShift;
    for (let lp = first; lp < first + lps.unitSize; lp++) {
      const p = this.readyPinned(lp);
      if (p !== null && (best === null || runsBefore(p, best))) best = p;
    }
    return best;
  }

  private hasOtherCandidate(u: number): boolean {
    if (this.heap.size > 0) return true;
    const first = u << this.lps.unitShift;
    for (let lp = first; lp < first + this.lps.unitSize; lp++) {
      if (this.readyPinned(lp) !== null) return true;
    }
    return false;
  }

  private readyPinned(lp: number): VpRecord | null {
    const p = this.lps.pinned[lp];
    return p !== null && p.state === VpState.Ready ? p : null;
  }

  // ── Ready queue ────────────────────────────────────────────────────────────────────────────

  private enqueueReady(v: VpRecord): void {
    this.setState(v, VpState.Ready);
    this.setKey(v);
    if (v.pinnedLp >= 0) return; // waits in its LP's pinned slot
    this.heap.push(v);
    if (this.gang) v.partition.appendReady(v);
  }

  private takeReady(v: VpRecord): void {
    if (v.pinnedLp >= 0) return;
    this.heap.remove(v);
    if (this.gang) v.partition.removeReady(v);
  }

  /** Priority key: (owed reserve first, virtual runtime) for fair share; arrival order for root. */
  private setKey(v: VpRecord): void {
    if (this.fairShare) {
      v.rank = v.reserveNs > 0 && this.periodRun(v) < v.reserveNs ? 0 : 1;
      v.order = v.vr;
    } else {
      v.rank = 1;
      v.order = ++this.readySeq;
    }
  }

  // ── Fair share ─────────────────────────────────────────────────────────────────────────────

  /** Run time in the current accounting period. */
  private periodRun(v: VpRecord): Ns {
    return v.periodStamp === this.period ? v.periodRunNs : 0;
  }

  /** A waking VP may be at most the sleeper credit behind the least-served runnable VP. */
  private clampSleeper(v: VpRecord): void {
    const lowest = this.floorVr - this.sleeperCreditVr;
    if (v.vr < lowest) v.vr = lowest;
  }

  private raiseFloor(vr: number): void {
    if (vr > this.floorVr && vr < Infinity) this.floorVr = vr;
  }

  /** Least virtual runtime over running and ready VPs (period boundaries only: O(VPs)). */
  private exactFloor(): number {
    let min = Infinity;
    for (const v of this.heap.entries()) if (v.vr < min) min = v.vr;
    for (let lp = 0; lp < this.lps.lpCount; lp++) {
      const r = this.lps.running[lp];
      if (r !== null && r.vr < min) min = r.vr;
      const p = this.readyPinned(lp);
      if (p !== null && p.vr < min) min = p.vr;
    }
    return min;
  }

  /**
   * Scans busy units for the one whose best VP deserves its LP least; leaves that VP's key in
   * victimRank/victimOrder. Raises the virtual-runtime floor on the way. One flat pass over the
   * LPs, only made when no LP is idle.
   */
  private findVictimUnit(): number {
    const lps = this.lps;
    const running = lps.running;
    const now = this.engine.now;
    const lastInUnit = lps.unitSize - 1;
    let worst = -1;
    let worstRank = -1;
    let worstOrder = -Infinity;
    let minVr = Infinity;
    let rank = 2;
    let order = Infinity;
    for (let lp = 0; lp < lps.lpCount; lp++) {
      const r = running[lp];
      if (r !== null) {
        const ran = now - r.lastSettle;
        const vr = r.vr + ran * r.vrPerNs;
        if (vr < minVr) minVr = vr;
        const rk = r.reserveNs > 0 && this.periodRun(r) + ran < r.reserveNs ? 0 : 1;
        if (rk < rank || (rk === rank && vr < order)) {
          rank = rk;
          order = vr;
        }
      }
      if ((lp & lastInUnit) !== lastInUnit) continue;
      // end of a unit: its priority is its best VP's
      if (rank < 2 && (rank > worstRank || (rank === worstRank && order > worstOrder))) {
        worst = lp >> lps.unitShift;
        worstRank = rank;
        worstOrder = order;
      }
      rank = 2;
      order = Infinity;
    }
    const top = this.heap.top();
    this.raiseFloor(top !== null && top.order < minVr ? top.order : minVr);
    this.victimRank = worstRank;
    this.victimOrder = worstOrder;
    return worst;
  }

  /** Key of the best VP running on unit `u`, as of now, into victimRank/victimOrder. */
  private unitPriority(u: number): void {
    const lps = this.lps;
    const now = this.engine.now;
    let rank = 2;
    let order = Infinity;
    const first = u << lps.unitShift;
    for (let lp = first; lp < first + lps.unitSize; lp++) {
      const r = lps.running[lp];
      if (r === null) continue;
      const ran = now - r.lastSettle;
      const vr = r.vr + ran * r.vrPerNs;
      const rk = r.reserveNs > 0 && this.periodRun(r) + ran < r.reserveNs ? 0 : 1;
      if (rk < rank || (rk === rank && vr < order)) {
        rank = rk;
        order = vr;
      }
    }
    this.victimRank = rank;
    this.victimOrder = order;
  }

  private clearlyAhead(v: VpRecord): boolean {
    if (v.rank !== this.victimRank) return v.rank < this.victimRank;
    return v.order + this.wakeGranularityVr < this.victimOrder;
  }

  /** New period: VPs in the ready queue may be owed their reserve again. */
  private rerank(): void {
    for (const v of this.heap.entries()) {
      v.rank = v.reserveNs > 0 && this.periodRun(v) < v.reserveNs ? 0 : 1;
    }
    this.heap.rebuild();
  }

  /** VPs owed their reserve take LPs from VPs that are not, without waiting for a slice end. */
  private preemptForReserves(): void {
    for (;;) {
      const top = this.heap.top();
      if (top === null || top.rank !== 0) return;
      const u = this.findVictimUnit();
      if (u < 0 || !this.clearlyAhead(top)) return;
      this.takeReady(top);
      this.vacateUnit(u);
      this.lead(top, u);
      this.rehomeDisplaced();
    }
  }

  // ── Bookkeeping ────────────────────────────────────────────────────────────────────────────

  private setState(v: VpRecord, state: VpState): void {
    const now = this.engine.now;
    const dt = now - v.stateSince;
    const wasActive =
      v.state === VpState.Running || v.state === VpState.Ready || v.state === VpState.Capped;
    const active = state === VpState.Running || state === VpState.Ready || state === VpState.Capped;
    if (active !== wasActive) {
      this.activeVps += active ? 1 : -1;
      if (active && !this.periodArmed) {
        this.period = Math.floor(now / this.periodNs); // catch up after a lull
        this.armPeriod();
      }
    }
    switch (v.state) {
      case VpState.Ready:
        v.readyNs += dt;
        break;
      case VpState.Suspended:
        v.suspendedNs += dt;
        break;
      case VpState.Capped:
        v.cappedNs += dt;
        break;
      default:
        break;
    }
    v.state = state;
    v.stateSince = now;
  }

  private applyControls(v: VpRecord, c: ProcessorControls): void {
    if (v.reserveNs > 0) this.reserveVps--;
    const wasReady = v.state === VpState.Ready;
    if (wasReady) this.takeReady(v);
    if (v.state === VpState.Running) this.charge(v);
    v.controls = c;
    v.vrPerNs = this.fairShare ? DEFAULT_WEIGHT / c.weight : 1;
    v.reserveNs = this.fairShare ? Math.round((c.reservePercent / 100) * this.periodNs) : 0;
    v.limitNs =
      this.fairShare && c.limitPercent < 100
        ? Math.round((c.limitPercent / 100) * this.periodNs)
        : Infinity;
    if (v.reserveNs > 0) this.reserveVps++;
    if (wasReady) {
      this.setState(v, VpState.Idle);
      this.wake(v);
    } else if (v.state === VpState.Running) {
      this.arm(v.lp, v);
    } else if (v.state === VpState.Capped && this.periodRun(v) < v.limitNs) {
      this.wake(v);
    }
  }

  private createRoot(settings: SchedulerSettings): PartitionCpu {
    const n = settings.rootVps;
    const max = Math.min(this.lps.lpCount, MAX_ROOT_VPS);
    if (!Number.isInteger(n) || n < 1 || n > max) {
      throw new ConfigurationError('configuration', [
        {
          path: ['host', 'rootVps'],
          expected: `a whole number from 1 to ${max} (root VPs are pinned 1:1 to logical processors)`,
          found: String(n),
        },
      ]);
    }
    const p = this.createPartition(settings.rootPartitionId ?? 0, true, 'root');
    for (let i = 0; i < n; i++) {
      const v = this.createVp(p, i, i, DEFAULT_PROCESSOR_CONTROLS);
      this.lps.pinned[i] = v;
    }
    return { partitionId: p.partitionId, isRoot: true, vps: p.vps.map((v) => v.id) };
  }

  private createPartition(partitionId: number, isRoot: boolean, name: string): PartitionRecord {
    if (this.partitionById.has(partitionId)) {
      throw new SchedulerError('duplicate-partition', `partition ${partitionId} already exists`);
    }
    const p = new PartitionRecord(this.partitions.length, partitionId, isRoot, name);
    if (this.gang && this.lps.unitSize > 1) p.partialUnits = new Bitset(this.lps.unitCount);
    this.partitions.push(p);
    this.partitionById.set(partitionId, p);
    this.lps.exposure?.addPartition();
    return p;
  }

  private createVp(
    p: PartitionRecord,
    index: number,
    pinnedLp: number,
    c: ProcessorControls,
  ): VpRecord {
    const v = new VpRecord(this.vps.length, p, index, pinnedLp);
    v.stateSince = this.engine.now;
    v.vr = this.floorVr;
    this.vps.push(v);
    p.vps.push(v);
    this.applyControls(v, c);
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
