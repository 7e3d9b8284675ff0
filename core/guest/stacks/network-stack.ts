/**
 * The guest's network stack (TCP/IP above the NIC drivers). A web request begins outside the
 * guest: the client's frame crosses the wire into the host's NIC, the virtual switch hands it to
 * the adapter's path — netvsp and netvsc (rule 19), the VF (rule 20) or the worker process's
 * 21140 (rule 21) — and the driver passes it up here; only then does the application see the
 * request. The answer goes down as MTU-sized frames through the adapter's driver; the operation is
 * over when its last frame has left.
 *
 * Segmentation: the model sends one frame per 1500 bytes of payload (TCP segmentation in the
 * guest, large send offload off), on every path alike — so the paths are compared frame for frame.
 * A request whose frames never arrive (a full receive buffer, a dead driver, no port) is given up
 * by its client after one retransmission timeout and counted as lost.
 */
import type { EventType, Ns } from '../../engine/index.js';
import { NS_PER_MS } from '../../engine/index.js';
import type { OfferChannelMessage } from '../../vmbus/control/index.js';
import type { RunningOp } from '../application.js';
import { ETHERNET_HEADER_BYTES, ETHERNET_MTU } from '../drivers/netvsc-frame.js';
import { Netvsc } from '../drivers/netvsc.js';
import type { NetDriver, NetIo, NetIoSink, NetReceiver } from '../io.js';
import type { Binding } from '../vmbus/vmbus-client.js';
import type { DeviceStack, GuestContext, GuestDevice } from './types.js';
import { strayCompletionLog, vscFailed } from './types.js';
import { narrate } from '../../simulation/narration-messages.js';

// estimate: guest CPU of the socket and TCP/IP layers for one request/response (syscalls,
// segmentation, checksums offloaded), beyond the drivers' per-frame work.
export const NETWORK_STACK_ISSUE_NS: Ns = 5_000;
// L: include/net/tcp.h TCP_RTO_MIN (200 ms): a client that hears nothing gives the request up.
export const CLIENT_GIVE_UP_NS: Ns = 200 * NS_PER_MS;
const MAX_PENDING = 0xffff;

/** A driver that passes received frames to the stack (netvsc, the tulip driver). */
export interface ReceivingNetDriver extends NetDriver {
  setReceiver(receiver: NetReceiver): void;
}

export function isNetDriver(d: unknown): d is NetDriver {
  return typeof d === 'object' && d !== null && 'send' in d && 'ready' in d;
}

function isReceiving(d: unknown): d is ReceivingNetDriver {
  return isNetDriver(d) && 'setReceiver' in d;
}

/** Frames needed for `bytes` of payload (at least one). */
export function framesFor(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / ETHERNET_MTU));
}

/** Wire size of frame `i` of a `bytes`-long message. */
function frameBytes(bytes: number, i: number): number {
  return Math.max(0, Math.min(ETHERNET_MTU, bytes - i * ETHERNET_MTU)) + ETHERNET_HEADER_BYTES;
}

/** The answer of one operation on its way out. */
interface Sending {
  readonly run: RunningOp;
  left: number;
  ok: boolean;
}

/**
 * The network class's stack of one guest (registered in `DEVICE_STACKS.network`).
 *
 * @example
 * ```ts
 * const stack = new NetworkStack(ctx);       // the guest OS builds it from DEVICE_STACKS
 * stack.receive(run, device);                // a web request: the client's frame enters the host
 * // … netvsc (or the VF, or the tulip driver) calls stack.frameReceived(tag, bytes) …
 * stack.dispatch(run, device);               // the answer leaves as MTU frames
 * ```
 */
export class NetworkStack implements DeviceStack, NetReceiver, NetIoSink {
  readonly cls = 'network' as const;
  /** Requests waiting for their frames, by slot; the frames' tag names slot and generation. */
  private readonly pendingRun: (RunningOp | null)[] = [];
  private readonly pendingFrames: number[] = [];
  private readonly generation: number[] = [];
  private readonly freeSlots: number[] = [];
  private readonly giveUp: EventType<number>;
  // Counters for tests and the report.
  framesIn = 0;
  framesOut = 0;
  requestsLost = 0;

  constructor(private readonly ctx: GuestContext) {
    this.giveUp = ctx.engine.define<number>(`net:${ctx.spec.name}:give-up`, (tag) => {
      this.onGiveUp(tag);
    });
  }

  issueCostNs(): Ns {
    return NETWORK_STACK_ISSUE_NS;
  }

  booted(devices: readonly GuestDevice[]): void {
    for (const d of devices) {
      if (d.path !== 'emulated') continue;
      d.driver = this.ctx.emulatedDriver(this.ctx, d);
      if (isReceiving(d.driver)) d.driver.setReceiver(this);
    }
  }

  bind(device: GuestDevice, offer: OfferChannelMessage): Binding {
    const ctx = this.ctx;
    let driver = device.driver instanceof Netvsc ? device.driver : null;
    if (driver === null || offer.offer.subChannelIndex === 0) {
      const created = new Netvsc({
        ctx,
        device,
        receiver: this,
        onReady: (d) => {
          ctx.deviceStateChanged();
          ctx.log(
            narrate('netvsc.ready', {
              device: device.spec.id,
              nvsp: d.protocolVersion,
              channels: d.channelCount,
            }),
          );
        },
        onFailed: vscFailed(ctx, device, 'netvsc'),
        onStrayCompletion: strayCompletionLog(ctx, device, 'netvsc', 'Invalid transaction ID'),
      });
      driver = created;
      device.driver = created;
    }
    const bound = driver;
    return {
      driver: bound,
      ringBytes: device.ringBytes,
      lowLatency: device.lowLatency,
      opened: (channel, meter) => {
        bound.attach(channel, meter);
      },
      notOpened: (meter) => {
        // The primary's loss is the device's (GuestOs.lost); a subchannel's costs one queue.
        if (offer.offer.subChannelIndex > 0) bound.subchannelNotOpened(meter);
      },
    };
  }

  // ── Requests coming in ──────────────────────────────────────────────────────────────────────

  receive(run: RunningOp, device: GuestDevice): boolean {
    const stream = run.op.stream;
    if (stream.class !== 'network' || stream.requestBytes <= 0) return false;
    const driver = device.driver;
    const wire = this.ctx.wire;
    if (wire === undefined || !isNetDriver(driver) || !driver.ready || driver.dead) {
      this.lose(run);
      return true;
    }
    const slot = this.freeSlots.length > 0 ? (this.freeSlots.pop() ?? 0) : this.pendingRun.length;
    if (slot >= MAX_PENDING) {
      this.lose(run);
      return true;
    }
    if (slot === this.pendingRun.length) {
      this.pendingRun.push(null);
      this.pendingFrames.push(0);
      this.generation.push(0);
    }
    const frames = framesFor(stream.requestBytes);
    this.pendingRun[slot] = run;
    this.pendingFrames[slot] = frames;
    const tag = this.generation[slot] * 0x10000 + slot + 1;
    this.ctx.engine.after(CLIENT_GIVE_UP_NS, this.giveUp, tag, slot);
    for (let i = 0; i < frames; i++) {
      if (!wire.clientSends(device.spec.id, frameBytes(stream.requestBytes, i), tag)) {
        this.release(slot);
        this.lose(run);
        return true;
      }
    }
    return true;
  }

  /** A driver handed up a frame of flow `tag`. */
  frameReceived(tag: number, _bytes: number): void {
    this.framesIn++;
    const slot = (tag & 0xffff) - 1;
    if (slot < 0 || slot >= this.pendingRun.length) return;
    const run = this.pendingRun[slot];
    if (run === null || Math.floor(tag / 0x10000) !== this.generation[slot]) return;
    if (--this.pendingFrames[slot] > 0) return;
    this.release(slot);
    this.ctx.app.received(run);
  }

  private onGiveUp(tag: number): void {
    const slot = (tag & 0xffff) - 1;
    const run = this.pendingRun[slot];
    if (run === null || Math.floor(tag / 0x10000) !== this.generation[slot]) return;
    this.release(slot);
    this.lose(run);
  }

  private release(slot: number): void {
    this.pendingRun[slot] = null;
    this.generation[slot] = (this.generation[slot] + 1) & 0xffff;
    this.freeSlots.push(slot);
  }

  private lose(run: RunningOp): void {
    this.requestsLost++;
    this.ctx.app.finish(run, false, 0, true);
  }

  // ── Answers going out ───────────────────────────────────────────────────────────────────────

  dispatch(run: RunningOp, device: GuestDevice): void {
    const stream = run.op.stream;
    const driver = device.driver;
    if (stream.class !== 'network' || !isNetDriver(driver) || !driver.ready || driver.dead) {
      this.lose(run);
      return;
    }
    if (stream.responseBytes <= 0) {
      this.ctx.app.finish(run, true, stream.requestBytes);
      return;
    }
    const frames = framesFor(stream.responseBytes);
    const sending: Sending = { run, left: frames, ok: true };
    const now = this.ctx.engine.now;
    for (let i = 0; i < frames; i++) {
      const io: NetIo = {
        bytes: frameBytes(stream.responseBytes, i),
        vpIndex: run.vpIndex,
        issuedAt: now,
        sink: this,
        context: sending,
      };
      this.framesOut++;
      driver.send(io);
    }
  }

  netIoDone(io: NetIo, ok: boolean): void {
    const sending = io.context as Sending;
    if (!ok) sending.ok = false;
    if (--sending.left > 0) return;
    const stream = sending.run.op.stream;
    if (!sending.ok) {
      this.lose(sending.run);
      return;
    }
    const bytes = stream.class === 'network' ? stream.requestBytes + stream.responseBytes : 0;
    this.ctx.app.finish(sending.run, true, bytes);
  }
}
