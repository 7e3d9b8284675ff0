/**
 * The application inside a guest: it takes operations from the workload as they arrive, runs up to
 * `concurrency` of them at once (a thread pool, connections), lets at most `backlog` wait, and
 * turns the rest away. Each operation first costs guest CPU on one of the VM's VPs (the
 * application's own work, slowed down by paging when memory is short), then goes down the I/O
 * stack to a driver; its latency runs from arrival to completion, as a client would measure it.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import type { HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import type { VmIoMetrics } from '../metrics/vm-metrics.js';
import type { Operation, Workload } from './workload.js';

/** One operation in flight. */
export interface RunningOp {
  readonly op: Operation;
  readonly vpIndex: number;
  /** When its CPU work started (latency is measured from `op.arrivedAt`). */
  startedAt: Ns;
  /** The device the I/O stack picked for it (set by the stack). */
  device: unknown;
  /**
   * The id of the device the operation was issued to (set by the I/O stack when it picks one):
   * where a display says it was lost. Read by nothing else.
   */
  issuedTo: string | null;
}

/** Where operations go: the guest's I/O stack. */
export interface IoStack {
  /**
   * Operations that begin outside the guest (a client's request reaching the NIC) are taken in
   * first; the stack calls `app.received(run)` when the guest has them. False: nothing to receive.
   */
  receive(run: RunningOp): boolean;
  /** Issues the operation's I/O; calls `app.finish(run, …)` when it is over. */
  dispatch(run: RunningOp): void;
  /** Guest CPU the I/O stack spends issuing this operation (added to the op's CPU work). */
  issueCostNs(run: RunningOp): Ns;
}

export class Application {
  private busy = 0;
  private readonly waiting: Operation[] = [];
  private waitHead = 0;
  private nextVp = 0;
  private readonly arrival: EventType<null>;
  private readonly issued: EventType<RunningOp>;
  /** Multiplies application CPU (paging stalls, rule 34's cost of memory pressure). */
  slowdown = 1;
  private started = false;
  /** The guest is shutting down or gone: no more arrivals are taken. */
  private stopped = false;
  /** Called once no operation is in flight after {@link stop} (the guest's shutdown waits on it). */
  private onIdle: (() => void) | null = null;

  constructor(
    private readonly workload: Workload,
    private readonly vpIds: readonly number[],
    private readonly metrics: VmIoMetrics,
    private readonly engine: SimEngine,
    private readonly cpu: HostCpu,
    private readonly stack: IoStack,
    name: string,
  ) {
    this.arrival = engine.define<null>(`app:${name}:arrival`, () => {
      this.onArrival();
    });
    this.issued = engine.define<RunningOp>(`app:${name}:issued`, (run) => {
      this.stack.dispatch(run);
    });
  }

  /** Starts taking arrivals (after the guest booted). */
  start(): void {
    if (this.started) return;
    this.started = true;
    // Arrivals that would have come while the guest was still starting are not replayed.
    this.workload.skipUntil(this.engine.now);
    this.scheduleNext();
  }

  /** Whether the application has started taking work. */
  get running(): boolean {
    return this.started;
  }

  get inFlight(): number {
    return this.busy;
  }

  get backlog(): number {
    return this.waiting.length - this.waitHead;
  }

  private scheduleNext(): void {
    const at = this.workload.nextArrival();
    if (at !== Infinity) this.engine.at(Math.max(at, this.engine.now), this.arrival, null);
  }

  /**
   * The guest shuts down (or its partition is gone): the application takes no more arrivals, and
   * operations still waiting for a thread are turned away (they were never issued). `idle` is
   * called once every operation already issued has finished — at once when none is in flight.
   */
  stop(idle: (() => void) | null = null): void {
    this.stopped = true;
    this.metrics.droppedBacklog += this.waiting.length - this.waitHead;
    for (let i = this.waitHead; i < this.waiting.length; i++)
      this.metrics.lose(this.waiting[i].stream.class, null);
    this.waiting.length = 0;
    this.waitHead = 0;
    this.onIdle = idle;
    if (this.busy === 0) this.idle();
  }

  private idle(): void {
    const idle = this.onIdle;
    this.onIdle = null;
    idle?.();
  }

  private onArrival(): void {
    if (this.stopped) return;
    const op = this.workload.take();
    this.scheduleNext();
    if (this.busy < this.workload.profile.concurrency) this.begin(op);
    else if (this.backlog < this.workload.profile.backlog) this.waiting.push(op);
    else {
      this.metrics.droppedBacklog++;
      this.metrics.lose(op.stream.class, null);
    }
  }

  private begin(op: Operation): void {
    this.busy++;
    const vpIndex = this.nextVp;
    this.nextVp = (this.nextVp + 1) % this.vpIds.length;
    const run: RunningOp = {
      op,
      vpIndex,
      startedAt: this.engine.now,
      device: null,
      issuedTo: null,
    };
    if (!this.stack.receive(run)) this.received(run);
  }

  /** The operation's input is in the guest: run the application's CPU work, then issue its I/O. */
  received(run: RunningOp): void {
    run.startedAt = this.engine.now;
    const cost =
      Math.round(run.op.stream.cpuUs * 1000 * this.slowdown) + this.stack.issueCostNs(run);
    this.cpu.run(this.vpIds[run.vpIndex], cost, WorkClass.Thread, this.issued, run);
  }

  /** The operation is over: `ok` false when it failed or was lost. */
  finish(run: RunningOp, ok: boolean, bytes: number, lost = false): void {
    this.busy--;
    if (ok) this.metrics.record(run.op.stream.class, this.engine.now - run.op.arrivedAt, bytes);
    else {
      if (lost) this.metrics.droppedNoPath++;
      else this.metrics.failed++;
      this.metrics.lose(run.op.stream.class, run.issuedTo);
    }
    if (this.stopped) {
      if (this.busy === 0) this.idle();
      return;
    }
    if (this.waitHead < this.waiting.length) {
      const next = this.waiting[this.waitHead++];
      if (this.waitHead > 1024 && this.waitHead * 2 > this.waiting.length) {
        this.waiting.splice(0, this.waitHead);
        this.waitHead = 0;
      }
      this.begin(next);
    }
  }
}
