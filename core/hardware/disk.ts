/**
 * A physical disk as the root partition's storage stack sees it. Completion times come from the
 * device's published figures and its load: requests wait for one of `queueDepth` internal slots,
 * dispatches are paced to the device's IOPS, transfers share its bandwidth, and every request pays
 * the access latency (with a seeded ±10 % jitter). Sequential requests on a spinning disk skip
 * most of the seek.
 */
import type { EventType, Ns, RandomStream, SimEngine } from '../engine/index.js';
import { NS_PER_S } from '../engine/index.js';
import type { DiskSpec } from '../model/index.js';

export type DiskOp = 'read' | 'write' | 'flush';

/** One request to the physical device. `done` fires with `arg` when the device completes it. */
export interface DiskRequest<A> {
  op: DiskOp;
  bytes: number;
  sequential: boolean;
  done: EventType<A>;
  arg: A;
}

// estimate: a write-back cache flush costs about one access latency on SSD/NVMe and two on HDD.
const FLUSH_LATENCY_FACTOR = { hdd: 2, ssd: 1, nvme: 1 } as const;
// estimate: sequential access on a spinning disk avoids most of the seek and rotational delay.
const HDD_SEQUENTIAL_LATENCY_FACTOR = 0.15;
const LATENCY_JITTER = 0.1;

interface Pending {
  op: DiskOp;
  bytes: number;
  sequential: boolean;
  done: EventType<unknown>;
  arg: unknown;
  queuedAt: Ns;
}

export class PhysicalDisk {
  private readonly waiting: Pending[] = [];
  /** Finished requests' records, reused (every I/O of a host passes through here). */
  private readonly free: Pending[] = [];
  private waitHead = 0;
  private inFlight = 0;
  private nextDispatchAt: Ns = 0;
  private busFreeAt: Ns = 0;
  private readonly dispatchGapNs: number;
  private readonly nsPerByte: number;
  private readonly slotFreed: EventType<Pending>;

  // Counters read by metrics.
  completed = 0;
  bytesRead = 0;
  bytesWritten = 0;
  /** Sum over time of requests in the device (queued + in service), ns·requests. */
  private occupancyIntegral = 0;
  private occupancySince: Ns = 0;
  private busyNs = 0;
  private busySince: Ns = -1;

  constructor(
    readonly spec: DiskSpec,
    private readonly engine: SimEngine,
    private readonly random: RandomStream,
  ) {
    this.dispatchGapNs = NS_PER_S / spec.iops;
    this.nsPerByte = NS_PER_S / (spec.mbps * 1_000_000);
    this.slotFreed = engine.define<Pending>(`disk:${spec.id}:complete`, (p) => {
      this.complete(p);
    });
  }

  get id(): string {
    return this.spec.id;
  }

  /** Requests queued or in service right now. */
  get outstanding(): number {
    return this.inFlight + (this.waiting.length - this.waitHead);
  }

  submit<A>(request: DiskRequest<A>): void {
    this.accountOccupancy();
    const p = this.free.pop();
    if (p === undefined) {
      this.waiting.push({
        op: request.op,
        bytes: request.bytes,
        sequential: request.sequential,
        done: request.done,
        arg: request.arg,
        queuedAt: this.engine.now,
      });
    } else {
      p.op = request.op;
      p.bytes = request.bytes;
      p.sequential = request.sequential;
      p.done = request.done;
      p.arg = request.arg;
      p.queuedAt = this.engine.now;
      this.waiting.push(p);
    }
    this.dispatch();
  }

  private dispatch(): void {
    const now = this.engine.now;
    while (this.inFlight < this.spec.queueDepth && this.waitHead < this.waiting.length) {
      const p = this.waiting[this.waitHead];
      this.waiting[this.waitHead++] = undefined as unknown as Pending;
      if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitHead);
        this.waitHead = 0;
      }
      if (this.inFlight === 0 && this.busySince < 0) this.busySince = now;
      this.inFlight++;
      const start = Math.max(now, this.nextDispatchAt);
      this.nextDispatchAt = start + this.dispatchGapNs;
      const latency = this.random.jitter(this.latencyFor(p), LATENCY_JITTER);
      let end = start + latency;
      if (p.bytes > 0) {
        const transferStart = Math.max(start, this.busFreeAt);
        this.busFreeAt = transferStart + p.bytes * this.nsPerByte;
        end = Math.max(end, this.busFreeAt);
      }
      this.engine.at(Math.round(end), this.slotFreed, p);
    }
  }

  private latencyFor(p: Pending): Ns {
    const base = this.spec.latencyUs * 1000;
    if (p.op === 'flush') return base * FLUSH_LATENCY_FACTOR[this.spec.kind];
    if (this.spec.kind === 'hdd' && p.sequential) return base * HDD_SEQUENTIAL_LATENCY_FACTOR;
    return base;
  }

  private complete(p: Pending): void {
    this.accountOccupancy();
    this.inFlight--;
    this.completed++;
    if (p.op === 'read') this.bytesRead += p.bytes;
    else if (p.op === 'write') this.bytesWritten += p.bytes;
    if (this.inFlight === 0 && this.waitHead >= this.waiting.length && this.busySince >= 0) {
      this.busyNs += this.engine.now - this.busySince;
      this.busySince = -1;
    }
    this.dispatch();
    const done = p.done;
    const arg = p.arg;
    p.arg = undefined;
    this.free.push(p);
    this.engine.fire(done, arg);
  }

  private accountOccupancy(): void {
    const now = this.engine.now;
    this.occupancyIntegral += this.outstanding * (now - this.occupancySince);
    this.occupancySince = now;
  }

  /** Time-averaged requests in the device since the start, and the fraction of time it was busy. */
  utilization(): { averageQueue: number; busyFraction: number } {
    const now = this.engine.now;
    this.accountOccupancy();
    const busy = this.busyNs + (this.busySince >= 0 ? now - this.busySince : 0);
    return {
      averageQueue: now > 0 ? this.occupancyIntegral / now : 0,
      busyFraction: now > 0 ? busy / now : 0,
    };
  }
}
