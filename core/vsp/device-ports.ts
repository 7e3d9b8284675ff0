/**
 * The physical devices behind VSP instances, as the narrow ports VSPs see. A request a VSP makes
 * is issued when the CPU time of the handler that made it has run (like every VSP effect); the
 * device's completion comes back to the VSP's `onDeviceCompleted` on the channel's root VP.
 */
import type { EventType, SimEngine } from '../engine/index.js';
import type { PhysicalDisk } from '../hardware/disk.js';
import type { PhysicalNic } from '../hardware/nic.js';
import type { HostChannel } from './host-channel.js';
import type { VspRuntime } from './vsp-runtime.js';
import type {
  BlockDevicePort,
  BlockRequest,
  NetworkPort,
  VirtualDevicePort,
  VspChannel,
} from './types.js';

interface PendingIo {
  readonly channel: HostChannel;
  readonly tag: number;
  readonly bytes: number;
}

export function blockDevicePort(
  runtime: VspRuntime,
  disk: PhysicalDisk,
  engine: SimEngine,
): BlockDevicePort {
  const done: EventType<PendingIo> = engine.define<PendingIo>(
    `vsp:${runtime.id}:disk-done`,
    (io) => {
      runtime.deviceCompleted(io.channel, { tag: io.tag, status: 'ok', bytes: io.bytes });
    },
  );
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
      const io: PendingIo = { channel: ch, tag: request.tag, bytes };
      runtime.defer(ch, () => {
        disk.submit({ op, bytes, sequential, done, arg: io });
      });
    },
  };
}

export function networkPort(runtime: VspRuntime, nic: PhysicalNic, engine: SimEngine): NetworkPort {
  const sent: EventType<PendingIo> = engine.define<PendingIo>(
    `vsp:${runtime.id}:nic-sent`,
    (io) => {
      runtime.deviceCompleted(io.channel, { tag: io.tag, status: 'ok', bytes: io.bytes });
    },
  );
  const vfs = new Set<number>();
  return {
    kind: 'network',
    id: nic.id,
    sriov: nic.spec.sriov,
    transmit(channel: VspChannel, bytes: number, tag: number): void {
      const ch = runtime.own(channel);
      const io: PendingIo = { channel: ch, tag, bytes: Math.max(0, Math.floor(bytes)) };
      runtime.defer(ch, () => {
        nic.transfer('transmit', io.bytes, sent, io);
      });
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
