/**
 * The discrete-event engine: simulated time in integer nanoseconds, a queue of pending events
 * ordered by (time, sequence), and the event log's running hash. Nothing here reads the wall
 * clock; the game and the CLI decide how far to advance.
 *
 * Handlers are registered once (`define`) and scheduled by handle, so the hot path allocates no
 * closures. To cancel an event, handlers compare a token carried in `arg` with the target's
 * current token and ignore stale ones (the scheduler does this for preempted work) — or, for a
 * timeout that seldom fires (`defineTimeout`), the owner takes it out of the queue (`cancel`).
 */
import { injectable } from 'inversify';
import { EventLog } from './event-log.js';
import { EventQueue } from './event-queue.js';
import type { Ns } from './time.js';

/** A registered kind of event: schedule it with {@link SimEngine.at} or {@link SimEngine.after}. */
export interface EventType<A> {
  readonly id: number;
  readonly name: string;
  /** Phantom field: ties the handle to its argument type. */
  readonly _arg?: A;
}

type Handler = (arg: never) => void;

/** Timeout kinds fold 0x2000_0000, 0x2000_0001… (small integers, so the id table stays one of small integers) into the log hash: never an ordinary kind's id. */
export const TIMEOUT_LOG_ID_BASE = 0x2000_0000;

@injectable()
export class SimEngine {
  private readonly queue = new EventQueue();
  private readonly handlers: Handler[] = [];
  private readonly names: string[] = [];
  /**
   * The word each kind folds into the log hash (index = the kind's id). Kinds from `define` count
   * 0, 1, 2… in order; timeout kinds count apart, so defining one does not renumber the others.
   */
  private readonly logIds: number[] = [];
  private eventKinds = 0;
  private timeoutKinds = 0;
  private time: Ns = 0;
  readonly log = new EventLog();
  /** Events fired so far, by kind (index = the kind's id). */
  readonly firedByKind: number[] = [];

  /** The current simulated instant, in nanoseconds. */
  get now(): Ns {
    return this.time;
  }

  /** Number of events scheduled and not yet fired. */
  get pending(): number {
    return this.queue.size;
  }

  /** Registers a kind of event; call once per kind, when a component is built. */
  define<A>(name: string, handler: (arg: A) => void): EventType<A> {
    return this.register(name, handler, this.eventKinds++);
  }

  /**
   * Registers a kind of timeout: an event its owner schedules when it starts waiting for an answer
   * and takes back out of the queue ({@link SimEngine.cancel}) when the answer comes. It is logged
   * like any event when it fires, under a log id of its own (`TIMEOUT_LOG_ID_BASE` + n); one that
   * is cancelled never enters the log, and defining the kind renumbers no other, so a run whose
   * timeouts are all cancelled hashes exactly as it did before the timeout existed.
   */
  defineTimeout<A>(name: string, handler: (arg: A) => void): EventType<A> {
    return this.register(name, handler, TIMEOUT_LOG_ID_BASE + this.timeoutKinds++);
  }

  private register<A>(name: string, handler: (arg: A) => void, logId: number): EventType<A> {
    const id = this.handlers.length;
    this.handlers.push(handler);
    this.names.push(name);
    this.logIds.push(logId);
    this.firedByKind.push(0);
    return { id, name };
  }

  /**
   * Takes the earliest pending `type(arg)` (same `arg`, by identity) out of the queue: it will not
   * fire and leaves no trace in the log. False when none is pending. O(pending events): for
   * timeouts, not for the hot path.
   */
  cancel<A>(type: EventType<A>, arg: A): boolean {
    return this.queue.remove(type.id, arg);
  }

  /** Events fired so far by kind name, most frequent first (for profiling and the debug view). */
  eventCounts(): { name: string; count: number }[] {
    const totals = new Map<string, number>();
    this.firedByKind.forEach((n, i) => {
      const name = (this.names[i] ?? '').replace(/:[^:]*\d[^:]*:/, ':*:');
      totals.set(name, (totals.get(name) ?? 0) + n);
    });
    return [...totals]
      .map(([name, count]) => ({ name, count }))
      .filter((e) => e.count > 0)
      .sort((a, b) => b.count - a.count);
  }

  /** Name of a registered event kind (for logs and debugging). */
  nameOf(type: number): string {
    return this.names[type] ?? `#${type}`;
  }

  /**
   * Schedules `type(arg)` at absolute time `time` (rounded to a whole nanosecond, never before now).
   * `key` is folded into the log hash with the event; pass an id that tells occurrences apart.
   */
  at<A>(time: Ns, type: EventType<A>, arg: A, key = 0): void {
    const t = Math.round(time);
    this.queue.push(t < this.time ? this.time : t, type.id, arg, key);
  }

  /** Schedules `type(arg)` `delay` nanoseconds from now. */
  after<A>(delay: Ns, type: EventType<A>, arg: A, key = 0): void {
    this.at(this.time + (delay > 0 ? delay : 0), type, arg, key);
  }

  /**
   * Fires `type(arg)` immediately, as part of the event being handled now (logged like any event).
   * Use it to hand a completion to its owner without a round trip through the queue.
   */
  fire<A>(type: EventType<A>, arg: A, key = 0): void {
    this.log.record(this.time, this.logIds[type.id], key);
    this.firedByKind[type.id]++;
    (this.handlers[type.id] as (a: unknown) => void)(arg);
  }

  /** Time of the next pending event, or `Infinity`. */
  nextEventTime(): Ns {
    return this.queue.peekTime();
  }

  /** Fires every event due at or before `until`, then leaves the clock at `until`. */
  runUntil(until: Ns): void {
    const queue = this.queue;
    const handlers = this.handlers;
    const log = this.log;
    const logIds = this.logIds;
    while (queue.peekTime() <= until) {
      const entry = queue.pop();
      if (entry === undefined) break;
      const { time, type, arg, key } = entry;
      this.time = time;
      log.record(time, logIds[type], key);
      this.firedByKind[type]++;
      (handlers[type] as (a: unknown) => void)(arg);
    }
    if (until > this.time) this.time = Math.round(until);
  }

  /** Fires the single next event, if any. Returns false when nothing was pending. */
  step(): boolean {
    const entry = this.queue.pop();
    if (entry === undefined) return false;
    const { time, type, arg, key } = entry;
    this.time = time;
    this.log.record(time, this.logIds[type], key);
    this.firedByKind[type]++;
    (this.handlers[type] as (a: unknown) => void)(arg);
    return true;
  }
}
