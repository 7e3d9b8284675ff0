/**
 * The guest's driver for an SR-IOV virtual function (rule 20) — the Mellanox/MANA driver that
 * netvsc enslaves (L: netvsc_drv.c netvsc_register_vf, netvsc_vf_setup). Once netvsc switched the
 * data path, frames go from this driver straight to the NIC's VF and come back on the VF's receive
 * queues by DMA into guest buffers: no VMBus packet, no root CPU — the only CPU is the guest's own.
 * When the VF disappears, netvsc takes the traffic back on the synthetic path.
 */
import type { EventType, Ns } from '../../engine/index.js';
import { WorkClass } from '../../host/cpu.js';
import type { NetIo, NetReceiver, VirtualFunctionDriver, VirtualFunctionPort } from '../io.js';
import type { GuestContext } from '../stacks/types.js';

// estimate: guest CPU of a VF driver to post one frame (descriptor, doorbell write to the device).
export const VF_TX_PACKET_NS: Ns = 1_000;
// estimate: guest CPU per received frame (completion queue entry, skb, GRO); the NIC DMAs the
// frame straight into the guest's buffer, so there is no copy to pay.
export const VF_RX_PACKET_NS: Ns = 1_200;

/** What the VF driver falls back to: netvsc's synthetic path. */
export interface VfFallback {
  sendSynthetic(io: NetIo): void;
  vfRemoved(): void;
}

interface Arrival {
  readonly tag: number;
  readonly bytes: number;
}

export class NetvscVf implements VirtualFunctionDriver {
  private port: VirtualFunctionPort | null = null;
  private active = false;
  private readonly posted: EventType<NetIo>;
  private readonly sent: EventType<NetIo>;
  private readonly received: EventType<Arrival>;
  private readonly ctx: GuestContext;
  private readonly receiver: NetReceiver;
  private readonly fallback: VfFallback;
  framesSent = 0;
  framesReceived = 0;

  constructor(options: {
    readonly ctx: GuestContext;
    readonly name: string;
    readonly receiver: NetReceiver;
    readonly fallback: VfFallback;
  }) {
    this.ctx = options.ctx;
    this.receiver = options.receiver;
    this.fallback = options.fallback;
    const engine = options.ctx.engine;
    this.posted = engine.define<NetIo>(`vf:${options.name}:posted`, (io) => {
      this.onPosted(io);
    });
    this.sent = engine.define<NetIo>(`vf:${options.name}:sent`, (io) => {
      this.framesSent++;
      io.sink.netIoDone(io, true);
    });
    this.received = engine.define<Arrival>(`vf:${options.name}:received`, (a) => {
      this.framesReceived++;
      this.receiver.frameReceived(a.tag, a.bytes);
    });
  }

  /** The VF's PCI device appeared in the guest and this driver probed it. */
  bind(port: VirtualFunctionPort): void {
    this.port = port;
  }

  get bound(): boolean {
    return this.port !== null && this.port.present;
  }

  /** The data path is switched: take the VF's receive queue. */
  activate(): void {
    if (this.port === null || !this.port.present) return;
    this.active = true;
    this.port.attach(this);
  }

  /** Give the VF up (data path back to synthetic, or the adapter died). */
  detach(): void {
    if (this.port !== null && this.port.present) this.port.attach(null);
    this.active = false;
  }

  send(io: NetIo): void {
    const vp = this.ctx.vpIds[io.vpIndex % this.ctx.vpIds.length];
    this.ctx.cpu.run(vp, VF_TX_PACKET_NS, WorkClass.Thread, this.posted, io);
  }

  private onPosted(io: NetIo): void {
    const port = this.port;
    if (!this.active || port === null || !port.transmit(io.bytes, this.sent, io)) {
      // The VF vanished under the frame: netvsc sends it the synthetic way.
      this.fallback.sendSynthetic(io);
    }
  }

  vfFrame(bytes: number, tag: number): void {
    // The VF's receive queues are spread over the guest's VPs (MSI-X per queue).
    const vp = this.ctx.vpIds[(tag >>> 0) % this.ctx.vpIds.length];
    this.ctx.cpu.run(vp, VF_RX_PACKET_NS, WorkClass.Interrupt, this.received, { tag, bytes });
  }

  vfRemoved(): void {
    this.active = false;
    this.port = null;
    this.fallback.vfRemoved();
  }
}
