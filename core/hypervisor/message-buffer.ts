/**
 * Hypervisor message buffers and the per-SINT queues they wait in.
 * T: inter-partition-communication.md "Message Buffers" — guest messages take a buffer from the
 * receiving port's pool of 16; intercept messages use a buffer of the intercepted VP; for each VP
 * the hypervisor keeps one queue of buffers per SINT.
 */
import { carveBytes } from './carved-bytes.js';
import { HV_MESSAGE_MAX_PAYLOAD_BYTES } from './messages.js';
import type { MessageHeaderFields } from './synic-pages.js';

/** Anything that lends message buffers and takes them back once the message is delivered. */
export interface MessageBufferOwner {
  returnBuffer(buffer: MessageBuffer): void;
}

/** One message waiting for its SIM slot. Preallocated; reused for the owner's lifetime. */
export class MessageBuffer implements MessageHeaderFields {
  type = 0;
  size = 0;
  originLow = 0;
  originHigh = 0;
  readonly payload = carveBytes(HV_MESSAGE_MAX_PAYLOAD_BYTES);

  constructor(readonly owner: MessageBufferOwner) {}
}

/** FIFO of message buffers for one SINT of one VP (a growable ring; no allocation per message). */
export class MessageQueue {
  private items: (MessageBuffer | null)[] = new Array<MessageBuffer | null>(4).fill(null);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(buffer: MessageBuffer): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = buffer;
    this.count++;
  }

  peek(): MessageBuffer | null {
    return this.count === 0 ? null : this.items[this.head];
  }

  shift(): MessageBuffer | null {
    if (this.count === 0) return null;
    const buffer = this.items[this.head];
    this.items[this.head] = null;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return buffer;
  }

  /** Drops every buffer lent by `owner` (its port was deleted), keeping the others in order. */
  removeOwnedBy(owner: MessageBufferOwner): number {
    let removed = 0;
    const kept: MessageBuffer[] = [];
    for (let b = this.shift(); b !== null; b = this.shift()) {
      if (b.owner === owner) removed++;
      else kept.push(b);
    }
    for (const b of kept) this.push(b);
    return removed;
  }

  clear(): void {
    while (this.shift() !== null);
  }

  private grow(): void {
    const next = new Array<MessageBuffer | null>(this.items.length * 2).fill(null);
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
