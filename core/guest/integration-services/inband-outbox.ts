/**
 * In-band messages an integration-service driver sends, in order. When the guest→host ring is
 * full the message waits here, the channel's pending_send_sz asks the host to signal when space
 * frees up (rule 6), and `flush` sends what waits once the driver hears it is writable — the
 * "deal with transient failures caused because of the lack of space in the ring buffer" loop of
 * hv_balloon.c, without the sleep.
 */
import type { CostMeter } from '../../host/cpu.js';
import { OutgoingPacket } from '../../vmbus/ring/index.js';
import type { GuestChannel } from '../vmbus/guest-channel.js';

interface Waiting {
  readonly bytes: Uint8Array;
  readonly transId: number;
}

export class InbandOutbox {
  private readonly waiting: Waiting[] = [];
  private readonly packet = new OutgoingPacket();
  /** Messages that found the ring full at first. */
  deferred = 0;

  /** Messages waiting for ring space. */
  get length(): number {
    return this.waiting.length;
  }

  /**
   * Sends `bytes[0, length)` as an in-band packet with `transId` (no completion requested), or
   * keeps a copy until the ring has room. False when the channel is dead.
   */
  send(
    channel: GuestChannel,
    bytes: Uint8Array,
    length: number,
    transId: number,
    meter: CostMeter,
  ): boolean {
    if (channel.state !== 'open') return false;
    if (this.waiting.length === 0) {
      const result = channel.send(this.packet.inBand(bytes, length, transId, false), meter);
      if (result === 'sent') return true;
      if (result === 'dead') return false;
    }
    this.deferred++;
    this.waiting.push({ bytes: bytes.slice(0, length), transId });
    return true;
  }

  /** Sends what waits while the ring has room. */
  flush(channel: GuestChannel, meter: CostMeter): void {
    while (this.waiting.length > 0 && channel.state === 'open') {
      const next = this.waiting[0];
      const result = channel.send(
        this.packet.inBand(next.bytes, next.bytes.length, next.transId, false),
        meter,
      );
      if (result !== 'sent') return;
      this.waiting.shift();
    }
  }

  /** The channel died: nothing waits any more. */
  clear(): void {
    this.waiting.length = 0;
  }
}
