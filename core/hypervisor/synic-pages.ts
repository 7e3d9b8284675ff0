/**
 * The two SynIC overlay pages of one VP, with their real byte layouts (the guest reads them).
 * T: inter-partition-communication.md — SIM page: 16 message slots of 256 bytes, one per SINT,
 * a slot is empty when its message type is HvMessageTypeNone; SIEF page: 16 × 256-byte event
 * flag arrays, flag n of a SINT is bit (n mod 8) of byte (n / 8) (HV_SYNIC_EVENT_FLAGS).
 * Both pages are zero at VP creation and reset.
 */
import { carveBytes } from './carved-bytes.js';
import { HV_PAGE_SIZE } from './limits.js';
import { HV_MESSAGE_SIZE, MESSAGE_FLAG_PENDING, MessageSlot } from './messages.js';

/** The header fields of a message to write (a reusable object: nothing is allocated per write). */
export interface MessageHeaderFields {
  type: number;
  size: number;
  /** Origination id, low and high 32 bits (port id, or sender partition id). */
  originLow: number;
  originHigh: number;
}

/** The synthetic interrupt message page (SIM). */
export class SynicMessagePage {
  /** The raw page as the guest sees it. */
  readonly bytes = carveBytes(HV_PAGE_SIZE, HV_PAGE_SIZE);
  private readonly view = new DataView(this.bytes.buffer, this.bytes.byteOffset, HV_PAGE_SIZE);

  /** Message type in the slot of `sint` (0 = empty). */
  messageType(sint: number): number {
    return this.view.getUint32(sint * HV_MESSAGE_SIZE + MessageSlot.TYPE, true);
  }

  payloadSize(sint: number): number {
    return this.bytes[sint * HV_MESSAGE_SIZE + MessageSlot.PAYLOAD_SIZE];
  }

  /** The slot's MessagePending flag: more messages wait; the guest should write EOM. */
  messagePending(sint: number): boolean {
    return (this.bytes[sint * HV_MESSAGE_SIZE + MessageSlot.FLAGS] & MESSAGE_FLAG_PENDING) !== 0;
  }

  /** Low 32 bits of the origination field (port id, or sender partition id). */
  originLow(sint: number): number {
    return this.view.getUint32(sint * HV_MESSAGE_SIZE + MessageSlot.ORIGIN, true);
  }

  /** Offset of the first payload byte of the slot in {@link bytes}. */
  payloadOffset(sint: number): number {
    return sint * HV_MESSAGE_SIZE + MessageSlot.PAYLOAD;
  }

  isEmpty(sint: number): boolean {
    return this.messageType(sint) === 0;
  }

  /** What the guest does after copying a message out: set the type to HvMessageTypeNone. */
  clearSlot(sint: number): void {
    this.view.setUint32(sint * HV_MESSAGE_SIZE + MessageSlot.TYPE, 0, true);
  }

  /** Writes a message header and `size` payload bytes from `payload` into the slot. */
  write(sint: number, header: MessageHeaderFields, payload: Uint8Array, pending: boolean): void {
    const base = sint * HV_MESSAGE_SIZE;
    const view = this.view;
    view.setUint32(base + MessageSlot.TYPE, header.type >>> 0, true);
    this.bytes[base + MessageSlot.PAYLOAD_SIZE] = header.size;
    this.bytes[base + MessageSlot.FLAGS] = pending ? MESSAGE_FLAG_PENDING : 0;
    view.setUint16(base + MessageSlot.RESERVED, 0, true);
    view.setUint32(base + MessageSlot.ORIGIN, header.originLow >>> 0, true);
    view.setUint32(base + MessageSlot.ORIGIN + 4, header.originHigh >>> 0, true);
    // T: "The hypervisor may copy only the number of payload bytes associated with the message."
    const out = base + MessageSlot.PAYLOAD;
    const available = payload.length < header.size ? payload.length : header.size;
    const bytes = this.bytes;
    for (let i = 0; i < available; i++) bytes[out + i] = payload[i];
    for (let i = available; i < header.size; i++) bytes[out + i] = 0;
  }

  /** Sets the MessagePending flag of a busy slot. */
  setMessagePending(sint: number): void {
    this.bytes[sint * HV_MESSAGE_SIZE + MessageSlot.FLAGS] |= MESSAGE_FLAG_PENDING;
  }

  clear(): void {
    this.bytes.fill(0);
  }
}

const FLAG_BYTES_PER_SINT = 256;

/** The synthetic interrupt event flags page (SIEF). */
export class SynicEventFlagsPage {
  /** The raw page as the guest sees it. */
  readonly bytes = carveBytes(HV_PAGE_SIZE, HV_PAGE_SIZE);
  /** The same page as 32-bit words, to skip 32 clear flags at a time when scanning. */
  private readonly words = new Uint32Array(
    this.bytes.buffer,
    this.bytes.byteOffset,
    HV_PAGE_SIZE >>> 2,
  );

  isSet(sint: number, flag: number): boolean {
    return (this.bytes[sint * FLAG_BYTES_PER_SINT + (flag >>> 3)] & (1 << (flag & 7))) !== 0;
  }

  /** Sets a flag; true when it went from 0 to 1 (T: only then is an interrupt generated). */
  set(sint: number, flag: number): boolean {
    const index = sint * FLAG_BYTES_PER_SINT + (flag >>> 3);
    const bit = 1 << (flag & 7);
    const before = this.bytes[index];
    this.bytes[index] = before | bit;
    return (before & bit) === 0;
  }

  /**
   * The consumer's atomic test-and-clear (T: the ISR clears flags with LOCK AND / CMPXCHG):
   * true when the flag was set.
   */
  testAndClear(sint: number, flag: number): boolean {
    const index = sint * FLAG_BYTES_PER_SINT + (flag >>> 3);
    const bit = 1 << (flag & 7);
    const before = this.bytes[index];
    this.bytes[index] = before & ~bit;
    return (before & bit) !== 0;
  }

  /** First set flag of `sint` at or after `from`, or -1. Skips clear words, then bytes. */
  nextSet(sint: number, from = 0): number {
    const base = sint * FLAG_BYTES_PER_SINT;
    const wordBase = base >>> 2;
    for (let flag = from < 0 ? 0 : from; flag < FLAG_BYTES_PER_SINT * 8;) {
      // a whole clear word (the common case: a handful of channels among 2048 flags)
      if ((flag & 31) === 0 && this.words[wordBase + (flag >>> 5)] === 0) {
        flag += 32;
        continue;
      }
      const byte = this.bytes[base + (flag >>> 3)] >>> (flag & 7);
      if (byte === 0) {
        flag = (flag | 7) + 1;
        continue;
      }
      return flag + (31 - Math.clz32(byte & -byte));
    }
    return -1;
  }

  clear(): void {
    this.bytes.fill(0);
  }
}
