/**
 * The scheduling mechanism behind {@link HypervisorScheduler}: engine events, placing VPs on
 * LPs, wakeup preemption, time slices and accounting periods. Internal to the subsystem.
 *
 * Policies (WS: "Manage Hyper-V hypervisor scheduler types"):
 * - fair share (classic, core; rule 28): the ready queue is ordered by (owed reserve first, the
 *   most still owed first; then virtual runtime = run time × 100 / weight); at a slice end the
 *   unit goes to whoever deserves it most; a waking VP takes an idle LP or preempts the
 *   least-deserving running VP if clearly ahead of it; a waiting VP owed its reserve with no
 *   slack left preempts one owed less (rule 32); a VP that used its limit waits for the next
 *   accounting period;
 * - core (rule 29): the unit handed out is a whole core; the VP that wins it pulls its partition's
 *   ready VPs onto the siblings, and a free sibling only ever takes a VP of the core's holder —
 *   unless the holder is a non-SMT VM, whose VP has the core to itself;
 * - round-robin (root, rule 30): the ready queue is FIFO; weight, reserve, limit are ignored.
 * Root VPs wait for their own LP only (rule 31).
 *
 * Cost model: a running VP has at most one pending decision event (the current item's
 * completion, the end of its slice, or reaching its cap). Superseded events stay in the engine
 * (it has no cancel) and are recognised by token; one per LP is kept for reuse, so they never
 * pile up. Only contended wakeups scan the LPs.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import type { CpuTopology } from '../hardware/cpu/index.js';
import type { SchedulerType } from '../model/index.js';
import {
  DEFAULT_WEIGHT,
  FLOOR_REFRESH_NS,
  SLEEPER_CREDIT_NS,
  WAKEUP_GRANULARITY_NS,
} from './constants.js';
import { LogicalProcessorTable } from './lp-table.js';
import type { ProcessorControls } from './processor-controls.js';
import { ReadyHeap, runsBefore } from './ready-heap.js';
import type { PartitionRecord, VpRecord } from './records.js';
import { VpState, WorkClass } from './types.js';
import type { SuspendReason } from './types.js';
import { WorkItemPool } from './work-queue.js';
import type { WorkItem } from './work-queue.js';

/**
 * Event arg = token << LP_BITS | lp: one small integer (no boxing) carries the LP and the event's
 * validity token. Tokens wrap at 2^21; an event is valid only if its token matches AND it fires
 * at the instant the LP is armed for, so an aliased stale event could only fire exactly when the
 * real one is due, where handling it first is harmless (the real one is then stale).
 */
const LP_BITS = 9;
const LP_MASK = (1 << LP_BITS) - 1;
const TOKEN_MASK = (1 << 21) - 1;

export interface DispatcherOptions {
  readonly type: SchedulerType;
  readonly quantumNs: Ns;
  readonly periodNs: Ns;
}

export class VpDispatcher {
  readonly lps: LogicalProcessorTable;
  readonly pool = new WorkItemPool();
  /** Fair share (weights, reserve, limit) is on: classic and core. */
  readonly fairShare: boolean;
  private readonly quantumNs: Ns;
  private readonly periodNs: Ns;
  /** Core scheduler: LPs are handed out a core at a time. */
  private readonly gang: boolean;
  private readonly heap = new ReadyHeap<VpRecord>();
  private readonly lpEvent: EventType<number>;
  private readonly periodEvent: EventType<number>;
  private period = 0;
  private periodArmed = false;
  /** VPs running, ready or capped: while there are any, accounting periods tick. */
  private activeVps = 0;
  /** Least virtual runtime among runnable VPs, as last measured (never decreases). */
  private floorVr = 0;
  /** When the running VPs were last measured for the floor. */
  private floorAt = -Infinity;
  private readySeq = 0;
  private reserveVps = 0;
  private capped: VpRecord[] = [];
  /** Scratch: VPs preempted by the current decision, to re-home once it is done. */
  private readonly displaced: VpRecord[] = [];
  private displacedCount = 0;
  private victimRank = 0;
  private victimOrder = 0;

  constructor(
    private readonly engine: SimEngine,
    topology: CpuTopology,
    /** The scheduler's partitions, by index (shared, appended to as VMs are added). */
    private readonly partitions: readonly PartitionRecord[],
    options: DispatcherOptions,
  ) {
    this.quantumNs = options.quantumNs;
    this.periodNs = options.periodNs;
    this.fairShare = options.type !== 'root';
    this.gang = options.type === 'core';
    this.lps = new LogicalProcessorTable(topology, this.gang);
    this.lpEvent = engine.define<number>('scheduler.lp', (arg) => {
      this.onLpEvent(arg);
    });
    this.periodEvent = engine.define<number>('scheduler.period', (period) => {
      this.onPeriod(period);
    });
    this.period = Math.floor(engine.now / this.periodNs);
  }

  // ── Requests from the scheduler's API ──────────────────────────────────────────────────────

  /** A new VP: idle, starting at the current virtual-runtime floor (no head start, no debt). */
  initVp(v: VpRecord, c: ProcessorControls): void {
    v.stateSince = this.engine.now;
    if (this.fairShare) this.refreshFloor(0);
    v.vr = this.floorVr;
    this.applyControls(v, c);
  }

  /** Queues `item` on `v`; interrupt work goes before thread work (see `submit`). */
  queueWork(v: VpRecord, item: WorkItem, workClass: WorkClass): void {
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
   * Marks (or clears) a CPU-bound guest thread on `v`: it soaks up any run time the VP gets when
   * no work is queued, and the time it gets is accumulated as the VP's background progress.
   */
  setBackground(v: VpRecord, on: boolean): void {
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

  /** Holds `v` for `reason` (it may already be held for others). Queued work waits. */
  suspend(v: VpRecord, reason: SuspendReason): void {
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
  resume(v: VpRecord, reason: SuspendReason): void {
    if ((v.suspendMask & reason) === 0) return;
    v.suspendMask &= ~reason;
    if (v.suspendMask !== 0 || v.state !== VpState.Suspended) return;
    if (v.hasWork()) this.wake(v);
    else this.setState(v, VpState.Idle);
  }

  // ── Events ──────────────────────────────────────────────────────────────────────────────────

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
    // Finished items' done events fire now, while v still holds its LP: work they submit to v
    // continues on this LP without another wake-up (the common "handle, then charge" pattern).
    this.fireFinishedInPlace(v);
    if (lps.running[lp] !== v) return; // a done handler suspended or moved v
    if (lps.armedAt[lp] !== Infinity && v.hasWork()) return; // new work already armed the LP
    if (!v.hasWork()) {
      this.leave(v, lp, VpState.Idle);
    } else if (this.periodRun(v) >= v.limitNs) {
      this.leave(v, lp, VpState.Capped);
    } else if (this.engine.now >= lps.unitSliceEnd[lp >> lps.unitShift]) {
      this.endSlice(lp >> lps.unitShift);
    } else if (v.reserveNs > 0 && this.periodRun(v) === v.reserveNs) {
      // v has just had its reserve (see `arm`): the unit is decided again, as at a slice end
      this.endSlice(lp >> lps.unitShift);
    } else if (this.reserveVps > 0 && this.preemptAtZeroSlack()) {
      if (lps.running[lp] === v) this.arm(lp, v);
    } else {
      this.arm(lp, v);
    }
  }

  /** Pops v's finished items and fires their done events synchronously, in order. */
  private fireFinishedInPlace(v: VpRecord): void {
    for (;;) {
      const queue = v.interrupts.head !== null ? v.interrupts : v.threads;
      const item = queue.head;
      if (item === null || item.remainingNs > 0) return;
      queue.shift();
      const event = item.event;
      const arg = item.arg;
      const key = item.key;
      this.pool.release(item);
      if (event !== null) this.engine.fire(event, arg, key);
      if (v.state !== VpState.Running) return;
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
    if (this.reserveVps > 0) {
      // a running VP is owed its reserve again: its reserve-met instant is a decision point
      for (let lp = 0; lp < lps.lpCount; lp++) {
        const v = lps.running[lp];
        if (v !== null && v.reserveNs > 0) this.arm(lp, v);
      }
    }
    if (this.fairShare) this.raiseFloor(this.exactFloor());
    if (this.reserveVps > 0) {
      this.rerank();
      this.armZeroSlack();
    }
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

  // ── Running VPs ─────────────────────────────────────────────────────────────────────────────

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
      if (item.event !== null) this.engine.at(this.engine.now, item.event, item.arg, item.key);
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
    // Rule 32: the instant a VP has had its reserve for this period is a decision point. It ran
    // ahead of everyone while owed; from then on it is one VP among others, by weight. Without
    // it, a VP a little short of its reserve at a slice end wins a whole slice: a VP still owed
    // its reserve waits behind it (reserves that fit the host are missed), and spare time
    // shorter than a slice goes to the reserved VP instead of by weight (the root, weight 100,
    // was starved beside two weight-1 VMs reserving 91 % of one LP).
    if (v.reserveNs > 0) {
      const owedUntil = now + v.reserveNs - this.periodRun(v);
      if (owedUntil > now && owedUntil < t) t = owedUntil;
    }
    if (this.reserveVps > 0) {
      const z = this.zeroSlackAt();
      if (z > now && z < t) t = z;
    }
    if (t < now) t = now; // e.g. a limit lowered below what the VP already used this period
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

  // ── Placing runnable VPs ────────────────────────────────────────────────────────────────────

  /** A VP with work becomes runnable (from idle, suspended or capped). */
  private wake(v: VpRecord): void {
    if (!this.periodArmed) this.period = Math.floor(this.engine.now / this.periodNs);
    if (this.periodRun(v) >= v.limitNs) {
      this.setState(v, VpState.Capped);
      this.capped.push(v);
      return;
    }
    if (this.fairShare) {
      this.refreshFloor(FLOOR_REFRESH_NS);
      this.clampSleeper(v);
    }
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

  /**
   * Unit `u` is empty: give it to the VP that deserves it most. A guest VP owed its reserve
   * (rule 32) that wins it over a root VP pinned there and waiting runs on an idle unit instead
   * when there is one — else on the unit of a VP owed none that the root VP is ahead of — and
   * `u` is decided again: the root VP can run nowhere else (rule 31), the guest VP anywhere.
   * Without it, a guest VP owed a whole LP's reserve that last ran on a root VP's LP won it back
   * at every slice end while other LPs idled, and the root VP never ran again: no worker process
   * started, no VM booted. (A VP owed no reserve falls behind the root VP in virtual runtime as
   * it runs — slower the heavier its weight — so the root VP waits, but not forever.)
   */
  private fillUnit(u: number): void {
    const leader = this.pickLeader(u);
    if (leader === null) return;
    this.takeReady(leader);
    if (leader.pinnedLp < 0 && this.owesReserve(leader)) {
      const root = this.pinnedWaiting(u);
      if (root !== null) {
        const lp = this.idleLpElsewhere(leader, u);
        if (lp >= 0) {
          this.dispatch(leader, lp);
          this.fillUnit(u);
          return;
        }
        // No LP idle: the guest VP takes the unit of the running VP that deserves its LP least,
        // when that one is owed no reserve and the root VP is ahead of it in virtual runtime.
        const victim = this.findVictimUnit();
        if (
          victim >= 0 &&
          this.victimRank === 1 &&
          root.rank === 1 &&
          root.order < this.victimOrder
        ) {
          this.vacateUnit(victim);
          this.lead(leader, victim);
          this.fillUnit(u);
          this.rehomeDisplaced();
          return;
        }
      }
    }
    this.lead(leader, u);
  }

  /** `v` is still owed part of its reserve this period (rule 32). */
  private owesReserve(v: VpRecord): boolean {
    return v.reserveNs > 0 && this.periodRun(v) < v.reserveNs;
  }

  /** A root VP pinned to an LP of unit `u` and ready to run, or null. */
  private pinnedWaiting(u: number): VpRecord | null {
    const first = u << this.lps.unitShift;
    for (let lp = first; lp < first + this.lps.unitSize; lp++) {
      const p = this.readyPinned(lp);
      if (p !== null) return p;
    }
    return null;
  }

  /** An LP outside empty unit `u` that `v` may start on now (as {@link findIdleLp}), or -1. */
  private idleLpElsewhere(v: VpRecord, u: number): number {
    const lps = this.lps;
    if (this.gang) {
      const slot = lps.freeSlotOfOwnUnit(v);
      if (slot >= 0) return slot;
    }
    lps.idleUnits.delete(u);
    const other = lps.idleUnits.first();
    lps.idleUnits.add(u);
    return other < 0 ? -1 : other << lps.unitShift;
  }

  /**
   * A sibling LP of a held core became free: fill it from the holder's ready VPs, or leave it
   * idle. A non-SMT VM's VP holds the whole core, so its sibling stays idle (rule 29).
   */
  private fillSlot(lp: number): void {
    const lps = this.lps;
    const owner = this.partitions[lps.unitOwner[lp >> lps.unitShift]];
    if (owner.partialUnits === null) return;
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

  // ── Ready queue ─────────────────────────────────────────────────────────────────────────────

  private enqueueReady(v: VpRecord): void {
    this.setState(v, VpState.Ready);
    this.setKey(v);
    if (v.pinnedLp >= 0) return; // waits in its LP's pinned slot
    this.heap.push(v);
    if (this.gang) v.partition.appendReady(v);
    if (v.rank === 0 && this.heap.top() === v) this.armZeroSlack();
  }

  private takeReady(v: VpRecord): void {
    if (v.pinnedLp >= 0) return;
    this.heap.remove(v);
    if (this.gang) v.partition.removeReady(v);
  }

  /**
   * Priority key for fair share: VPs owed their reserve first, the most still owed first (see
   * {@link owedOrder}); then the others by virtual runtime. Round-robin: arrival order.
   */
  private setKey(v: VpRecord): void {
    if (this.fairShare) {
      const owed = v.reserveNs > 0 ? v.reserveNs - this.periodRun(v) : 0;
      v.rank = owed > 0 ? 0 : 1;
      v.order = owed > 0 ? VpDispatcher.owedOrder(owed) : v.vr;
    } else {
      v.rank = 1;
      v.order = ++this.readySeq;
    }
  }

  // ── Fair share ──────────────────────────────────────────────────────────────────────────────

  /**
   * Rule 32: every VP owed its reserve has the same deadline, the end of the accounting period,
   * so the one with the least slack is the one that still needs the most: it goes first (least
   * laxity first). Served by virtual runtime instead, a heavy VP owed a reserve could win every
   * slice end until its reserve was met while a light one, owed as much, waited: with more owed
   * VPs than LPs the last one missed its reserve although the reserves fit the host.
   */
  private static owedOrder(owedNs: Ns): number {
    return -owedNs;
  }

  /** Run time in the current accounting period. */
  private periodRun(v: VpRecord): Ns {
    return v.periodStamp === this.period ? v.periodRunNs : 0;
  }

  /** A waking VP may be at most the sleeper credit behind the least-served runnable VP. */
  private clampSleeper(v: VpRecord): void {
    const lowest = this.floorVr - SLEEPER_CREDIT_NS;
    if (v.vr < lowest) v.vr = lowest;
  }

  private raiseFloor(vr: number): void {
    if (vr > this.floorVr && vr < Infinity) this.floorVr = vr;
  }

  /**
   * Raises the floor to the least virtual runtime of the VPs running now and the ready queue's
   * head, unless it was measured less than `maxAgeNs` ago (O(LPs)). {@link findVictimUnit}
   * measures it only when no LP is idle and periods only every 100 ms, so without this a VP
   * waking onto an idle LP was clamped against an old floor: a VM that ran alone while the
   * others booted stayed far ahead of where they started, and was starved until they caught up
   * (2.4 s for a 3-VP VM of weight 59 beside weights 1750 and 1927). CFS keeps its
   * min_vruntime current in the same way, at every scheduler tick.
   */
  private refreshFloor(maxAgeNs: Ns): void {
    const now = this.engine.now;
    if (now - this.floorAt < maxAgeNs) return;
    this.floorAt = now;
    const running = this.lps.running;
    let min = Infinity;
    for (let lp = 0; lp < this.lps.lpCount; lp++) {
      const r = running[lp];
      if (r === null) continue;
      const vr = r.vr + (now - r.lastSettle) * r.vrPerNs;
      if (vr < min) min = vr;
    }
    const top = this.heap.top();
    this.raiseFloor(top !== null && top.vr < min ? top.vr : min);
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
        const owed = r.reserveNs > 0 ? r.reserveNs - this.periodRun(r) - ran : 0;
        const rk = owed > 0 ? 0 : 1;
        const o = owed > 0 ? VpDispatcher.owedOrder(owed) : vr;
        if (rk < rank || (rk === rank && o < order)) {
          rank = rk;
          order = o;
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
    this.floorAt = now;
    this.raiseFloor(top !== null && top.vr < minVr ? top.vr : minVr);
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
      const owed = r.reserveNs > 0 ? r.reserveNs - this.periodRun(r) - ran : 0;
      const rk = owed > 0 ? 0 : 1;
      const o = owed > 0 ? VpDispatcher.owedOrder(owed) : r.vr + ran * r.vrPerNs;
      if (rk < rank || (rk === rank && o < order)) {
        rank = rk;
        order = o;
      }
    }
    this.victimRank = rank;
    this.victimOrder = order;
  }

  private clearlyAhead(v: VpRecord): boolean {
    if (v.rank !== this.victimRank) return v.rank < this.victimRank;
    return v.order + WAKEUP_GRANULARITY_NS < this.victimOrder;
  }

  /** New period: VPs in the ready queue may be owed their reserve again. */
  private rerank(): void {
    for (const v of this.heap.entries()) this.setKey(v);
    this.heap.rebuild();
  }

  /**
   * When the VP most owed its reserve among those waiting has no slack left: the end of the
   * period less what it is still owed (Infinity when none waits owed). From then on it must run
   * without a break to get its reserve.
   */
  private zeroSlackAt(): Ns {
    const top = this.heap.top();
    if (top === null || top.rank !== 0) return Infinity;
    return (this.period + 1) * this.periodNs + top.order; // order = −owed
  }

  /** Every running LP gets a decision point at the zero-slack instant (`arm` only moves it earlier). */
  private armZeroSlack(): void {
    const lps = this.lps;
    if (this.zeroSlackAt() === Infinity) return;
    for (let lp = 0; lp < lps.lpCount; lp++) {
      const r = lps.running[lp];
      if (r !== null) this.arm(lp, r);
    }
  }

  /**
   * Rule 32, least slack first: a waiting VP with no slack left takes the unit of the running VP
   * that needs its LP least, if that one is owed less (or nothing). Slice ends alone are too
   * coarse when the reserves fill the host: three VPs owed 66 % of two LPs each would end a
   * period a couple of ms short. A tie is no reason to preempt: two VPs owed all the time left
   * and one LP is a host whose reserves do not fit. Returns whether any VP was placed.
   */
  private preemptAtZeroSlack(): boolean {
    let placed = false;
    for (;;) {
      const top = this.heap.top();
      if (top === null || this.engine.now < this.zeroSlackAt()) return placed;
      const u = this.findVictimUnit();
      if (u < 0) return placed;
      const ahead =
        top.rank !== this.victimRank ? top.rank < this.victimRank : top.order < this.victimOrder;
      if (!ahead) return placed;
      this.takeReady(top);
      this.vacateUnit(u);
      this.lead(top, u);
      this.rehomeDisplaced();
      placed = true;
    }
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

  // ── Bookkeeping ─────────────────────────────────────────────────────────────────────────────

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

  /** Applies weight, reserve and limit to `v` (ignored under the root scheduler, rule 30). */
  applyControls(v: VpRecord, c: ProcessorControls): void {
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
}
