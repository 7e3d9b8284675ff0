/**
 * The scheduler's internal records: one per partition and one per virtual processor. Plain
 * mutable objects with a fixed shape (the hot path reads and writes their fields directly).
 */
import type { Ns } from '../engine/index.js';
import type { Bitset } from './bitset.js';
import { DEFAULT_PROCESSOR_CONTROLS } from './processor-controls.js';
import type { ProcessorControls } from './processor-controls.js';
import type { ReadyEntry } from './ready-heap.js';
import { VpState } from './types.js';
import { WorkFifo } from './work-queue.js';
import type { WorkItem } from './work-queue.js';

export class PartitionRecord {
  readonly vps: VpRecord[] = [];
  /**
   * Core scheduler: cores this partition holds with a sibling free (it may fill them). Null
   * under classic and root, and for a non-SMT VM, whose VP takes a whole core (rule 29).
   */
  partialUnits: Bitset | null = null;
  /** Core scheduler: this partition's ready VPs, oldest first (to fill a core it holds). */
  readyHead: VpRecord | null = null;
  readyTail: VpRecord | null = null;
  /** Deleted during the run (removePartition): its VPs are held for good. */
  deleted = false;

  constructor(
    readonly index: number,
    readonly partitionId: number,
    readonly isRoot: boolean,
    readonly name: string,
  ) {}

  appendReady(vp: VpRecord): void {
    vp.readyPrev = this.readyTail;
    vp.readyNext = null;
    if (this.readyTail === null) this.readyHead = vp;
    else this.readyTail.readyNext = vp;
    this.readyTail = vp;
  }

  removeReady(vp: VpRecord): void {
    if (vp.readyPrev === null) this.readyHead = vp.readyNext;
    else vp.readyPrev.readyNext = vp.readyNext;
    if (vp.readyNext === null) this.readyTail = vp.readyPrev;
    else vp.readyNext.readyPrev = vp.readyPrev;
    vp.readyPrev = null;
    vp.readyNext = null;
  }
}

export class VpRecord implements ReadyEntry {
  state: VpState = VpState.Idle;
  stateSince: Ns = 0;

  // Controls as configured, and their effect under the active scheduler.
  controls: ProcessorControls = DEFAULT_PROCESSOR_CONTROLS;
  /** Virtual runtime gained per ns of run time: DEFAULT_WEIGHT / weight. */
  vrPerNs = 1;
  /** Run time owed per accounting period (0: no reserve). */
  reserveNs: Ns = 0;
  /** Run time allowed per accounting period (Infinity: no cap). */
  limitNs: Ns = Infinity;

  // Fair-share state.
  /** Virtual runtime: run time scaled by 1/weight (a priority key, not a time). */
  vr = 0;
  rank = 1;
  order = 0;
  heapPos = -1;
  periodRunNs: Ns = 0;
  periodStamp = 0;

  // Placement.
  lp = -1;
  lastLp = -1;
  lastSettle: Ns = 0;
  vacatedAt: Ns = -1;
  readyPrev: VpRecord | null = null;
  readyNext: VpRecord | null = null;

  // Work.
  readonly interrupts = new WorkFifo();
  readonly threads = new WorkFifo();
  background = false;
  suspendMask = 0;

  // Meters.
  runNs: Ns = 0;
  readyNs: Ns = 0;
  suspendedNs: Ns = 0;
  cappedNs: Ns = 0;
  backgroundNs: Ns = 0;
  dispatches = 0;

  constructor(
    readonly id: number,
    readonly partition: PartitionRecord,
    /** VP index inside its partition. */
    readonly index: number,
    /** The LP a root VP is pinned to (rule 31); -1 for guest VPs, which float. */
    readonly pinnedLp: number,
  ) {}

  /** The item that progresses while the VP runs: interrupt work first, then thread work. */
  current(): WorkItem | null {
    return this.interrupts.head ?? this.threads.head;
  }

  hasWork(): boolean {
    return this.interrupts.head !== null || this.threads.head !== null || this.background;
  }
}
