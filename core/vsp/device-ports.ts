/**
 * The physical devices behind VSP instances, as the narrow ports VSPs see. A request a VSP makes
 * is issued when the CPU time of the handler that made it has run (like every VSP effect); the
 * device's completion comes back to the VSP's `onDeviceCompleted` on the channel's root VP.
 */
import type { EventType, SimEngine } from '../engine/index.js';
import type { DiskOp, PhysicalDisk } from '../hardware/disk.js';
import type { PhysicalNic } from '../hardware/nic.js';
import type { DeferredEffect, HostChannel } from './host-channel.js';
import type { VspRuntime } from './vsp-runtime.js';
import type {
  BlockDevicePort,
  BlockRequest,
  NetworkPort,
  VirtualDevicePort,
  VspChannel,
} from './types.js';

/**
 * A device request a VSP made during a handler: deferred until that handler's CPU time has run
 * (then `apply` hands it to the device), and the argument of the device's done event. Pooled per
 * port: every I/O of a host comes through here.
 */
class PendingIo implements DeferredEffect {
  channel: HostChannel | null = null;
  tag = 0;
  bytes = 0;
  op: DiskOp = 'read';
  sequential = false;

  constructor(private readonly issue: (io: PendingIo) => void) {}

  apply(): void {
    this.issue(this);
  }
}

/** Free list of pending requests for one port. */
class PendingPool {
  private readonly free: PendingIo[] = [];

  constructor(private readonly issue: (io: PendingIo) => void) {}

  acquire(channel: HostChannel, tag: number, bytes: number): PendingIo {
    const io = this.free.pop() ?? new PendingIo(this.issue);
    io.channel = channel;
    channel.hostWork++;
    io.tag = tag;
    io.bytes = bytes;
    return io;
  }

  /** Returns `io` to the pool and hands back its channel (the caller is the done event). */
  release(io: PendingIo): HostChannel {
    const channel = io.channel as HostChannel;
    channel.hostWork--;
    io.channel = null;
    this.free.push(io);
    return channel;
  }
}

export function blockDevicePort(
  runtime: VspRuntime,
  disk: PhysicalDisk,
  engine: SimEngine,
): BlockDevicePort {
  const done: EventType<PendingIo> = engine.define<PendingIo>(
    `vsp:${runtime.id}:disk-done`,
    (io) => {
      const tag = io.tag;
      const bytes = io.bytes;
      const channel = pool.release(io);
      runtime.deviceCompleted(channel, { tag, status: 'ok', bytes });
    },
  );
  const pool = new PendingPool((io) => {
    disk.submit({ op: io.op, bytes: io.bytes, sequential: io.sequential, done, arg: io });
  });
  const nextOffset = new Map<number, number>();
  return {
    kind: 'block',
    id: disk.id,
    submit(channel: VspChannel, request: BlockRequest): void {
      const ch = runtime.own(channel);
      const op = request.op;
      const bytes = op === 'flush' ? 0 : Math.max(0, Math.floor(request.bytes));
      const sequential = op !== 'flush' && nextOffset.get(ch.id) === request.offsetBytes;
      if (op !== 'flush') nextOffset.set(ch.id, request.offsetBytes + bytes);
      const io = pool.acquire(ch, request.tag, bytes);
      io.op = op;
      io.sequential = sequential;
      if (!runtime.defer(ch, io)) pool.release(io);
    },
  };
}

export function networkPort(runtime: VspRuntime, nic: PhysicalNic, engine: SimEngine): NetworkPort {
  const sent: EventType<PendingIo> = engine.define<PendingIo>(
    `vsp:${runtime.id}:nic-sent`,
    (io) => {
      const tag = io.tag;
      const bytes = io.bytes;
      const channel = pool.release(io);
      runtime.deviceCompleted(channel, { tag, status: 'ok', bytes });
    },
  );
  const pool = new PendingPool((io) => {
    nic.transfer('transmit', io.bytes, sent, io);
  });
  const vfs = new Set<number>();
  return {
    kind: 'network',
    id: nic.id,
    sriov: nic.spec.sriov,
    transmit(channel: VspChannel, bytes: number, tag: number): void {
      const ch = runtime.own(channel);
      const io = pool.acquire(ch, tag, Math.max(0, Math.floor(bytes)));
      if (!runtime.defer(ch, io)) pool.release(io);
    },
    assignVirtualFunction(channel: VspChannel): boolean {
      if (!nic.spec.sriov) return false;
      vfs.add(runtime.own(channel).id);
      return true;
    },
  };
}

export function virtualDevicePort(id: string): VirtualDevicePort {
  return { kind: 'virtual', id };
}
