/**
 * Who runs where: the occupant of every logical processor, the pinned root VP of each, and the
 * scheduling units LPs are handed out in. Under the classic and root schedulers a unit is one LP;
 * under the core scheduler with SMT it is a core, owned by one partition at a time (rule 29).
 * This table only keeps the books (occupancy, owners, idle sets, slice ends, SMT exposure);
 * the scheduler decides.
 */
import type { Ns } from '../engine/index.js';
import type { CpuTopology } from '../hardware/cpu/index.js';
import { Bitset } from './bitset.js';
import type { VpRecord } from './records.js';
import { SiblingExposureMeter } from './sibling-exposure.js';

export class LogicalProcessorTable {
  readonly lpCount: number;
  /** log2 of the unit size: unit of an LP = lp >> unitShift. */
  readonly unitShift: number;
  readonly unitSize: number;
  readonly unitCount: number;
  /** Occupant of each LP. */
  readonly running: (VpRecord | null)[];
  /** Root VP pinned to each LP (rule 31), or null. */
  readonly pinned: (VpRecord | null)[];
  /** When each LP's pending decision event fires (Infinity: none). */
  readonly armedAt: Float64Array;
  /** Token of each LP's valid decision event; older events are stale. */
  readonly token: Int32Array;
  /**
   * One superseded event per LP that is still pending in the engine (it cannot be cancelled):
   * its time (-Infinity: none) and token. A later decision due at or after it revives it instead
   * of scheduling another event, so superseded events never pile up in the engine's queue.
   */
  readonly spareAt: Float64Array;
  readonly spareToken: Int32Array;
  /** Last token handed out per LP (tokens wrap at 2^21). */
  readonly lastToken: Int32Array;
  readonly busyNs: Float64Array;
  /** Partition index owning each unit, -1 when the unit is empty. */
  readonly unitOwner: Int32Array;
  readonly unitRunning: Int32Array;
  readonly unitSliceEnd: Float64Array;
  /** Units with nobody on them. */
  readonly idleUnits: Bitset;
  readonly exposure: SiblingExposureMeter | null;

  constructor(
    topology: CpuTopology,
    private readonly gang: boolean,
  ) {
    const n = topology.lpCount;
    this.lpCount = n;
    this.unitShift = gang && topology.threadsPerCore === 2 ? 1 : 0;
    this.unitSize = 1 << this.unitShift;
    this.unitCount = n >> this.unitShift;
    this.running = new Array<VpRecord | null>(n).fill(null);
    this.pinned = new Array<VpRecord | null>(n).fill(null);
    this.armedAt = new Float64Array(n).fill(Infinity);
    this.token = new Int32Array(n);
    this.spareAt = new Float64Array(n).fill(-Infinity);
    this.spareToken = new Int32Array(n);
    this.lastToken = new Int32Array(n);
    this.busyNs = new Float64Array(n);
    this.unitOwner = new Int32Array(this.unitCount).fill(-1);
    this.unitRunning = new Int32Array(this.unitCount);
    this.unitSliceEnd = new Float64Array(this.unitCount);
    this.idleUnits = new Bitset(this.unitCount);
    for (let u = 0; u < this.unitCount; u++) this.idleUnits.add(u);
    this.exposure =
      topology.threadsPerCore === 2 ? new SiblingExposureMeter(topology.coreCount) : null;
  }

  /**
   * True when `vp` may start on `lp` now: the LP is free and its unit is empty, or held by
   * `vp`'s partition and that partition shares cores among its VPs (an SMT VM; rule 29).
   */
  isFreeFor(vp: VpRecord, lp: number): boolean {
    if (this.running[lp] !== null) return false;
    const owner = this.unitOwner[lp >> this.unitShift];
    return owner < 0 || (owner === vp.partition.index && vp.partition.partialUnits !== null);
  }

  /** A free LP in a unit `vp`'s partition holds (core scheduler), or -1. */
  freeSlotOfOwnUnit(vp: VpRecord): number {
    const units = vp.partition.partialUnits;
    if (units === null) return -1;
    const u = units.first();
    if (u < 0) return -1;
    const first = u << this.unitShift;
    return this.running[first] === null ? first : first + 1;
  }

  /** Puts `vp` on `lp`. Returns true when its unit was empty: a new owner and a new time slice. */
  place(vp: VpRecord, lp: number, now: Ns, quantum: Ns): boolean {
    const u = lp >> this.unitShift;
    const claimed = this.unitRunning[u] === 0;
    if (claimed) {
      this.idleUnits.delete(u);
      this.unitOwner[u] = vp.partition.index;
      this.unitSliceEnd[u] = now + quantum;
    }
    const count = ++this.unitRunning[u];
    const partial = vp.partition.partialUnits;
    if (partial !== null) {
      if (count < this.unitSize) partial.add(u);
      else partial.delete(u);
    }
    this.running[lp] = vp;
    vp.lp = lp;
    if (this.exposure !== null) this.meterCore(lp, now);
    return claimed;
  }

  /** Takes the occupant off `lp` and invalidates the LP's pending event. */
  unplace(lp: number, now: Ns): VpRecord {
    const vp = this.running[lp] as VpRecord;
    this.running[lp] = null;
    const u = lp >> this.unitShift;
    const count = --this.unitRunning[u];
    const partial = vp.partition.partialUnits;
    if (count === 0) {
      this.unitOwner[u] = -1;
      this.idleUnits.add(u);
      if (partial !== null) partial.delete(u);
    } else if (partial !== null) {
      partial.add(u);
    }
    this.retireArmed(lp);
    vp.lastLp = lp;
    vp.lp = -1;
    vp.vacatedAt = now;
    if (this.exposure !== null) this.meterCore(lp, now);
    return vp;
  }

  /** The armed event is no longer wanted; it stays pending, so keep it as the LP's spare. */
  retireArmed(lp: number): void {
    const at = this.armedAt[lp];
    if (at === Infinity) return;
    this.spareAt[lp] = at;
    this.spareToken[lp] = this.token[lp];
    this.armedAt[lp] = Infinity;
    this.token[lp] = -1;
  }

  private meterCore(lp: number, now: Ns): void {
    const first = lp & ~1;
    const a = this.running[first];
    const b = this.running[first + 1];
    (this.exposure as SiblingExposureMeter).update(
      first >> 1,
      a === null ? -1 : a.partition.index,
      b === null ? -1 : b.partition.index,
      now,
    );
  }
}
