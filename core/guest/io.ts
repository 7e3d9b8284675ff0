/**
 * I/O requests inside a guest, between the application model and the drivers. A request carries
 * its sink (who to tell when it is done) instead of a closure, so the hot path allocates only the
 * request itself.
 */
import type { Ns } from '../engine/index.js';

export type BlockOp = 'read' | 'write' | 'flush';

export interface BlockIo {
  readonly op: BlockOp;
  readonly bytes: number;
  /** Byte offset on the virtual disk. */
  readonly offset: number;
  /** The guest VP that issued it (storvsc picks the channel mapped to it). */
  readonly vpIndex: number;
  readonly issuedAt: Ns;
  readonly sink: BlockIoSink;
  /** Free for the sink's use (e.g. the operation this request serves). */
  readonly context: unknown;
}

export interface BlockIoSink {
  /** The request finished: `ok` false when the device failed or disappeared. */
  blockIoDone(io: BlockIo, ok: boolean): void;
}

/** What every guest storage driver (synthetic or emulated) offers the guest's I/O stack. */
export interface BlockDriver {
  readonly ready: boolean;
  readonly dead: boolean;
  /** Queues a request (and starts it when it can); it completes through its sink. */
  submit(io: BlockIo): void;
}

/** A frame the guest sends (or the reply to a request it received). */
export interface NetIo {
  readonly bytes: number;
  /** The guest VP that sends it. */
  readonly vpIndex: number;
  readonly issuedAt: Ns;
  readonly sink: NetIoSink;
  readonly context: unknown;
}

export interface NetIoSink {
  /** The frame left (or could not: `ok` false). */
  netIoDone(io: NetIo, ok: boolean): void;
}

/** What every guest network driver (netvsc or the legacy adapter's) offers the network stack. */
export interface NetDriver {
  readonly ready: boolean;
  readonly dead: boolean;
  send(io: NetIo): void;
}

/** Where a network driver hands frames it received (the guest's network stack). */
export interface NetReceiver {
  /** A frame the switch tagged `tag` reached the guest's stack. */
  frameReceived(tag: number, bytes: number): void;
}
