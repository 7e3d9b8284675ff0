/**
 * The guest's receive and send buffers as netvsp sees them (rule 19). The receive buffer is cut
 * into sections the host fills with frames; a section is lent to the guest with a transfer-page
 * packet and comes back when the guest completes that packet — until then it cannot be reused, and
 * with no section free an arriving frame is dropped. The send buffer is the guest's: netvsp only
 * checks the section a SEND_RNDIS_PKT names.
 */
import type { VspChannel } from '../sdk/index.js';

/** The receive buffer and its sections. */
export class ReceiveBuffer {
  readonly sectionCount: number;
  private readonly freeStack: Int32Array;
  private top: number;
  /** The channel each section was lent on (null: free). */
  private readonly lentOn: (VspChannel | null)[];

  constructor(
    /** The guest's GPADL id of the buffer (its own, on the primary channel). */
    readonly gpadl: number,
    readonly bytes: number,
    readonly sectionSize: number,
    /** The transfer page set id the guest gave the buffer (netvsc: 0xCAFE). */
    readonly pageSetId: number,
  ) {
    this.sectionCount = Math.floor(bytes / sectionSize);
    this.freeStack = new Int32Array(this.sectionCount);
    // Lowest sections on top: reused first (few guest pages get touched).
    for (let i = 0; i < this.sectionCount; i++) this.freeStack[i] = this.sectionCount - 1 - i;
    this.top = this.sectionCount;
    this.lentOn = new Array<VspChannel | null>(this.sectionCount).fill(null);
  }

  get inUse(): number {
    return this.sectionCount - this.top;
  }

  /** Lends a free section on `channel`, or -1 when none is free. */
  take(channel: VspChannel): number {
    if (this.top === 0) return -1;
    const section = this.freeStack[--this.top];
    this.lentOn[section] = channel;
    return section;
  }

  /** The guest completed section `section` on `channel`; false when it was not lent there. */
  release(section: number, channel: VspChannel): boolean {
    if (!Number.isSafeInteger(section) || section < 0 || section >= this.sectionCount) return false;
    if (this.lentOn[section] !== channel) return false;
    this.lentOn[section] = null;
    this.freeStack[this.top++] = section;
    return true;
  }

  /** A channel closed: the sections lent on it come back. */
  releaseAll(channel: VspChannel): void {
    for (let s = 0; s < this.sectionCount; s++)
      if (this.lentOn[s] === channel) this.release(s, channel);
  }
}

/** The guest's send buffer: where SEND_RNDIS_PKT finds the RNDIS message. */
export interface SendBuffer {
  readonly gpadl: number;
  readonly bufferBytes: number;
  readonly sectionSize: number;
  readonly sectionCount: number;
}
