/**
 * I/O requests inside a guest, between the application model and the drivers. A request carries
 * its sink (who to tell when it is done) instead of a closure, so the hot path allocates only the
 * request itself.
 */
import type { EventType, Ns } from '../engine/index.js';

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

// ── The wire outside the host and SR-IOV virtual functions (network issue) ─────────────────────

/**
 * The external clients on the wire, as far as a guest's network stack may reach them: a client's
 * request frame enters the host at the physical NIC behind the adapter, and the adapter's SR-IOV
 * virtual function (rule 20), when the host assigned one. The guest never touches root objects:
 * the launcher supplies this per VM.
 */
export interface NetworkWire {
  /**
   * A client sends a frame of `bytes` to this VM's adapter `device`; the virtual switch carries it
   * to the adapter's port. False when the adapter has no port on the switch (the frame is lost).
   */
  clientSends(device: string, bytes: number, tag: number): boolean;
  /** The virtual function the host assigned to adapter `device`, or null (rule 20). */
  virtualFunction(device: string): VirtualFunctionPort | null;
}

/** An SR-IOV virtual function as the guest's VF driver drives it: straight to the NIC. */
export interface VirtualFunctionPort {
  /** False once the VF was hot-removed. */
  readonly present: boolean;
  /**
   * Puts a frame on the wire through the VF — no VMBus packet, no root CPU. `done(arg)` fires when
   * it left. False when the VF is gone (the frame was not sent).
   */
  transmit<A>(bytes: number, done: EventType<A>, arg: A): boolean;
  /** The guest's VF driver takes the VF's receive queue (null: gives it up). */
  attach(driver: VirtualFunctionDriver | null): void;
}

/** What the VF hands its guest driver. */
export interface VirtualFunctionDriver {
  /** A frame the switch tagged `tag` arrived on the VF's receive queue. */
  vfFrame(bytes: number, tag: number): void;
  /** The VF was hot-removed (the host took it back): fall back to the synthetic path. */
  vfRemoved(): void;
}
