import { PACKET_FLAG_COMPLETION_REQUESTED, TWO_POW_32, VmbusPacketType } from './constants.js';

/** Largest trans_id high half for which `lo + hi × 2^32` is still a safe integer. */
const SAFE_TRANS_ID_HI_LIMIT = 0x20_0000;

/**
 * The parsed view of the packet a {@link VmbusRingReader} read last. One instance per reader,
 * refilled by every `next()`: copy out what you keep. Everything here lives in the reader's
 * private copy of the packet, never in shared memory, so the peer cannot change it after it
 * was validated (rule 36).
 *
 * trans_id is exposed as two u32 halves; `transId` is the plain number when it is a safe
 * integer and -1 otherwise (a guest may send any u64). Echo with the halves.
 */
export class IncomingPacket {
  /** Packet type (rule 3). */
  type: VmbusPacketType = VmbusPacketType.Invalid;
  /** Descriptor flags (validated: only COMPLETION_REQUESTED may be set). */
  flags = 0;
  /** Low 32 bits of trans_id. */
  transIdLo = 0;
  /** High 32 bits of trans_id. */
  transIdHi = 0;
  /**
   * The reader's private copy of the whole packet, descriptor first. Valid until the next
   * `next()`; it may be a different array after a larger packet arrived.
   */
  data: Uint8Array = new Uint8Array(0);
  /** The same copy as u32 words. */
  dataWords: Uint32Array = new Uint32Array(0);
  /** Where the payload starts in `data` (`offset8 × 8`). */
  payloadOffset = 0;
  /** Payload bytes in `data`, padding included (`(len8 − offset8) × 8`). */
  payloadLength = 0;
  /** `len8 × 8`: descriptor, range table and payload (trailer excluded). */
  packetBytes = 0;
  /** Transfer-page set id (transfer-page packets). */
  transferPageSetId = 0;
  /** `sender_owns_set` byte of a transfer-page packet. */
  senderOwnsSet = 0;
  /** Number of GPA or transfer-page ranges (0 for in-band and completion packets). */
  rangeCount = 0;

  /** Per range: byte count, byte offset, word index of its first PFN in `dataWords`, PFN count. */
  rangeTable = new Uint32Array(16);

  /** Whether the sender asked for a completion (flag 1, rule 3). */
  get completionRequested(): boolean {
    return (this.flags & PACKET_FLAG_COMPLETION_REQUESTED) !== 0;
  }

  /** Whether trans_id fits a JS number exactly. */
  get transIdIsSafe(): boolean {
    return this.transIdHi < SAFE_TRANS_ID_HI_LIMIT;
  }

  /** trans_id as a number when safe, else -1. 0 = unsolicited message (rule 3). */
  get transId(): number {
    return this.transIdHi < SAFE_TRANS_ID_HI_LIMIT
      ? this.transIdHi * TWO_POW_32 + this.transIdLo
      : -1;
  }

  /** Byte count of range `i` (GPA or transfer-page). */
  rangeByteCount(i: number): number {
    return this.rangeTable[i * 4];
  }

  /** Byte offset of range `i`: into its first page (GPA) or into the transfer page set. */
  rangeByteOffset(i: number): number {
    return this.rangeTable[i * 4 + 1];
  }

  /** Number of PFNs of GPA range `i`. */
  rangePfnCount(i: number): number {
    return this.rangeTable[i * 4 + 3];
  }

  /** PFN `j` of GPA range `i` (validated < 2^52, so exact). */
  rangePfn(i: number, j: number): number {
    const word = this.rangeTable[i * 4 + 2] + j * 2;
    return this.dataWords[word + 1] * TWO_POW_32 + this.dataWords[word];
  }

  /** A copy of the payload bytes (allocates: for tests and tools, not the hot path). */
  payloadCopy(): Uint8Array {
    return this.data.slice(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }

  /** @internal Forgets the last packet (after a rejection nothing stale stays visible). */
  clear(): void {
    this.type = VmbusPacketType.Invalid;
    this.flags = 0;
    this.transIdLo = 0;
    this.transIdHi = 0;
    this.payloadOffset = 0;
    this.payloadLength = 0;
    this.packetBytes = 0;
    this.transferPageSetId = 0;
    this.senderOwnsSet = 0;
    this.rangeCount = 0;
  }

  /** @internal Makes room for `ranges` entries in the range table. */
  ensureRangeCapacity(ranges: number): void {
    if (ranges * 4 <= this.rangeTable.length) return;
    this.rangeTable = new Uint32Array(Math.max(ranges * 4, this.rangeTable.length * 2));
  }
}
