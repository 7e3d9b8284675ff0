/**
 * The record of every refused guest-memory access. A VSP touches guest memory only through a
 * GPADL view of its own channel or the transient grant of the GPA-direct packet it is handling;
 * anything else is refused and lands here (HYPERV.md rules 12, 14, 36, 37). Metrics and
 * reports read it. A hostile guest can cause faults at a high rate, so the log keeps exact
 * totals and only the most recent records.
 */
import { inject, injectable, unmanaged } from 'inversify';
import { SimEngine } from '../engine/engine.js';
import type { Ns } from '../engine/time.js';
import type { IsolationDetail } from './isolation-details.js';
import { isolationDetailText } from './isolation-details.js';

/** What was wrong with a refused access. */
export type IsolationFaultKind =
  /** Offset or length reaches past the bytes the GPADL describes. */
  | 'offset-outside-gpadl'
  /** No GPADL has that handle (never created, or torn down). */
  | 'unknown-gpadl'
  /** The GPADL belongs to another channel of the same partition. */
  | 'gpadl-of-other-channel'
  /** The GPADL belongs to another partition. */
  | 'gpadl-of-other-partition'
  /** A page number that is not backed memory of this guest. */
  | 'pfn-outside-guest'
  /** A guest-supplied page range is malformed (zero length, offset ≥ 4096, too few pages). */
  | 'malformed-range'
  /** Offset or length reaches past the ranges of the packet being handled. */
  | 'outside-packet-grant'
  /** The packet's grant was used after its handling ended. */
  | 'grant-expired';

/** Who touched what, when, and why it was refused. */
export interface IsolationFault {
  /** Discriminates a refused access from `ACCESS_OK`. */
  readonly ok: false;
  readonly time: Ns;
  readonly partition: number;
  readonly channel: number;
  /** Who tried: a plugin id (`hyperkata.storvsp`), or `vmbus` for the VMBus server. */
  readonly actor: string;
  readonly kind: IsolationFaultKind;
  /** What was tried, in English (plugins and reports read it). */
  readonly detail: string;
  /** The same as an id and its numbers, for the player's language. */
  readonly message: IsolationDetail;
}

/** The shared success value of guest-memory accesses (no allocation per access). */
export const ACCESS_OK: { readonly ok: true } = Object.freeze({ ok: true as const });

/** Result of a guest-memory access: `ACCESS_OK` or the recorded fault. */
export type GuestAccess = typeof ACCESS_OK | IsolationFault;

/** Anything with the current simulated time (the engine). */
export interface SimClock {
  readonly now: Ns;
}

/** Where a refused access came from. */
export interface FaultSite {
  readonly partition: number;
  readonly channel: number;
  readonly actor: string;
}

/** Recent records kept by default. */
export const ISOLATION_FAULT_LOG_CAPACITY = 1024;

/** Refused guest-memory accesses: exact totals plus the most recent records. */
@injectable()
export class IsolationFaultLog {
  private readonly recentFaults: IsolationFault[] = [];
  private next = 0;
  private count = 0;
  private readonly byPartition = new Map<number, number>();
  private readonly byKind = new Map<IsolationFaultKind, number>();

  constructor(
    @inject(SimEngine) private readonly clock: SimClock,
    @unmanaged() readonly capacity: number = ISOLATION_FAULT_LOG_CAPACITY,
  ) {}

  /** Records a refused access and returns the record (the caller's typed failure). */
  record(site: FaultSite, kind: IsolationFaultKind, message: IsolationDetail): IsolationFault {
    const fault: IsolationFault = {
      ok: false,
      time: this.clock.now,
      partition: site.partition,
      channel: site.channel,
      actor: site.actor,
      kind,
      detail: isolationDetailText(message),
      message,
    };
    if (this.recentFaults.length < this.capacity) this.recentFaults.push(fault);
    else this.recentFaults[this.next] = fault;
    this.next = (this.next + 1) % this.capacity;
    this.count++;
    this.byPartition.set(site.partition, (this.byPartition.get(site.partition) ?? 0) + 1);
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    return fault;
  }

  /** Faults recorded since the run began. */
  get total(): number {
    return this.count;
  }

  /** The most recent faults, oldest first (at most `capacity`). */
  recent(): IsolationFault[] {
    if (this.recentFaults.length < this.capacity) return this.recentFaults.slice();
    return this.recentFaults.slice(this.next).concat(this.recentFaults.slice(0, this.next));
  }

  /** Faults caused by accesses to one partition's memory. */
  countFor(partition: number): number {
    return this.byPartition.get(partition) ?? 0;
  }

  /** Fault totals by kind, kinds in alphabetical order. */
  countsByKind(): { kind: IsolationFaultKind; count: number }[] {
    return Array.from(this.byKind, ([kind, count]) => ({ kind, count })).sort((a, b) =>
      a.kind < b.kind ? -1 : 1,
    );
  }
}
