import {
  FEATURE_PENDING_SEND_SIZE,
  KNOWN_PACKET_FLAGS,
  PACKET_DESCRIPTOR_BYTES,
  PACKET_TRAILER_BYTES,
  VmbusPacketType,
} from './constants.js';
import { RingConfigurationError } from './errors.js';
import { IncomingPacket } from './incoming-packet.js';
import { parseGpaDirectRanges, parseTransferPageRanges } from './range-parser.js';
import type { RingRejection } from './rejection.js';
import { copyWordsOutOfRing } from './ring-copy.js';
import { bytesToRead, writableBytes } from './ring-math.js';
import {
  FEATURE_BITS_WORD,
  INTERRUPT_MASK_WORD,
  PENDING_SEND_SIZE_WORD,
  READ_INDEX_WORD,
  WRITE_INDEX_WORD,
  type VmbusRingMemory,
} from './ring-memory.js';

/** What {@link VmbusRingReader.next} found. */
export const ReadStatus = {
  /** A valid packet; see `reader.packet`. */
  Packet: 0,
  /** Nothing (more) to read. */
  Empty: 1,
  /** The peer broke the ring format; see `reader.rejection`. The reader stays stopped. */
  Rejected: 2,
} as const;
export type ReadStatus = (typeof ReadStatus)[keyof typeof ReadStatus];

/** Bit flags returned by {@link VmbusRingReader.endDrain}. */
export const DrainEnd = {
  /** The ring is empty and interrupts are unmasked: wait for the next signal. */
  Idle: 0,
  /** Data arrived while draining (rule 5): call `beginDrain()` and drain again. */
  MoreData: 1,
  /** Committing the reads freed enough room for a blocked writer: signal it (rule 6). */
  SignalWriter: 2,
} as const;

/** The packet types VMBus channels carry (O: `parse_packet` accepts exactly these). */
export const DEFAULT_ACCEPTED_PACKET_TYPES: readonly VmbusPacketType[] = [
  VmbusPacketType.DataInBand,
  VmbusPacketType.DataUsingTransferPages,
  VmbusPacketType.DataUsingGpaDirect,
  VmbusPacketType.Completion,
];

/** Options of a {@link VmbusRingReader}. */
export interface RingReaderOptions {
  /** Packet types to accept; anything else is rejected as `unknown-type`. */
  readonly acceptedTypes?: readonly VmbusPacketType[];
  /**
   * Largest `len8 × 8` accepted (L: ring_buffer.c `pkt_buffer_size`). Default: anything the
   * ring can hold.
   */
  readonly maxPacketBytes?: number;
}

const INITIAL_COPY_BYTES = 4096;

/**
 * The receiving end of one VMBus ring (L: ring_buffer.c `hv_pkt_iter_*`; O: `IncomingRing`).
 * Keeps a private read index (L: `priv_read_index`), publishes `read_index` on
 * {@link commitRead}, reads the peer's `write_index` once per packet and validates it, and
 * copies each packet into a private buffer before parsing it (rules 36–37).
 *
 * @example
 * ```ts
 * const reader = new VmbusRingReader(memory);
 * for (;;) {
 *   reader.beginDrain(); // rule 5: no signals while we drain
 *   while (reader.next() === ReadStatus.Packet) handle(reader.packet);
 *   if (reader.rejection !== null) { closeChannel(reader.rejection); break; } // rule 38
 *   const end = reader.endDrain(); // commit, unmask, re-check
 *   if (end & DrainEnd.SignalWriter) signalGuest(); // rule 6
 *   if (!(end & DrainEnd.MoreData)) break;
 * }
 * ```
 */
export class VmbusRingReader {
  /** The last packet read; refilled by each `next()`. */
  readonly packet = new IncomingPacket();
  /** Why the reader stopped, or null while healthy. */
  rejection: RingRejection | null = null;

  /** Packets read. */
  packetsRead = 0;
  /** Bytes consumed, trailers included. */
  bytesRead = 0;
  /** Commits after which the blocked writer had to be signalled (L: `intr_in_full`). */
  writerSignals = 0;

  private readonly words: Uint32Array;
  private readonly header: Uint32Array;
  private readonly dataBytes: number;
  private readonly acceptedTypeMask: number;
  private readonly maxPacketBytes: number;
  private copy = new Uint8Array(INITIAL_COPY_BYTES);
  private copyWords = new Uint32Array(this.copy.buffer);
  /** Where the next packet starts (L: `priv_read_index`). */
  private readIndex = 0;
  /** The `read_index` last published. */
  private committedReadIndex = 0;

  constructor(
    readonly memory: VmbusRingMemory,
    options: RingReaderOptions = {},
  ) {
    this.words = memory.dataWords;
    this.header = memory.headerWords;
    this.dataBytes = memory.dataBytes;
    let mask = 0;
    for (const type of options.acceptedTypes ?? DEFAULT_ACCEPTED_PACKET_TYPES) mask |= 1 << type;
    this.acceptedTypeMask = mask;
    const limit = options.maxPacketBytes ?? memory.dataBytes;
    if (limit < PACKET_DESCRIPTOR_BYTES) {
      throw new RingConfigurationError(`maxPacketBytes ${limit} is below one descriptor`);
    }
    this.maxPacketBytes = limit;
    const start = this.header[READ_INDEX_WORD];
    if (start >= this.dataBytes) this.rejection = 'read-index-out-of-range';
    else if ((start & 7) !== 0) this.rejection = 'read-index-misaligned';
    else this.readIndex = this.committedReadIndex = start;
    this.packet.data = this.copy;
    this.packet.dataWords = this.copyWords;
  }

  /** Masks the writer's interrupts while this end drains (rule 5; L: `hv_begin_read`). */
  beginDrain(): void {
    this.header[INTERRUPT_MASK_WORD] = 1;
  }

  /**
   * Reads, copies and validates the next packet. On {@link ReadStatus.Packet} the parsed view
   * is in `packet` and the private read index has moved past it (not yet published: see
   * {@link commitRead}). Never throws and never reads outside the ring's bytes.
   */
  next(): ReadStatus {
    if (this.rejection !== null) return ReadStatus.Rejected;
    const dataBytes = this.dataBytes;
    const readIndex = this.readIndex;
    // Rule 36: one read of the peer's index into a local, validated before use.
    const writeIndex = this.header[WRITE_INDEX_WORD];
    if (writeIndex >= dataBytes) return this.reject('write-index-out-of-range');
    if ((writeIndex & 7) !== 0) return this.reject('write-index-misaligned');
    if (writeIndex === readIndex) return ReadStatus.Empty; // rule 2: read == write is empty
    const available = bytesToRead(writeIndex, readIndex, dataBytes);
    if (available < PACKET_DESCRIPTOR_BYTES) return this.reject('available-less-than-descriptor');

    // Copy the descriptor first; from here on only the copy is looked at (L: hv_pkt_iter_first).
    const words = this.copyWords;
    copyWordsOutOfRing(this.words, readIndex >>> 2, words, 0, 4);
    const first = words[0];
    const second = words[1];
    const type = first & 0xffff;
    const offset8 = first >>> 16;
    const len8 = second & 0xffff;
    const flags = second >>> 16;
    if (offset8 < 2) return this.reject('offset8-below-descriptor');
    if (len8 < offset8) return this.reject('len8-below-offset8');
    const packetBytes = len8 << 3;
    if (packetBytes + PACKET_TRAILER_BYTES > available)
      return this.reject('packet-exceeds-available');
    if (packetBytes > this.maxPacketBytes) return this.reject('packet-exceeds-reader-limit');
    if ((flags & ~KNOWN_PACKET_FLAGS) !== 0) return this.reject('unknown-flags');
    if (type > 31 || ((this.acceptedTypeMask >>> type) & 1) === 0) {
      return this.reject('unknown-type');
    }

    const copyWords = packetBytes > this.copy.length ? this.growCopy(packetBytes) : words;
    let bodyWord = (readIndex >>> 2) + 4;
    if (bodyWord >= this.words.length) bodyWord -= this.words.length;
    copyWordsOutOfRing(this.words, bodyWord, copyWords, 4, (packetBytes >>> 2) - 4);

    const packet = this.packet;
    packet.type = type as VmbusPacketType;
    packet.flags = flags;
    packet.transIdLo = copyWords[2];
    packet.transIdHi = copyWords[3];
    packet.payloadOffset = offset8 << 3;
    packet.payloadLength = packetBytes - (offset8 << 3);
    packet.packetBytes = packetBytes;
    packet.rangeCount = 0;
    if (type === VmbusPacketType.DataUsingGpaDirect) {
      const problem = parseGpaDirectRanges(packet);
      if (problem !== null) return this.reject(problem);
    } else if (type === VmbusPacketType.DataUsingTransferPages) {
      const problem = parseTransferPageRanges(packet);
      if (problem !== null) return this.reject(problem);
    }

    let next = readIndex + packetBytes + PACKET_TRAILER_BYTES;
    if (next >= dataBytes) next -= dataBytes;
    this.readIndex = next;
    this.packetsRead++;
    this.bytesRead += packetBytes + PACKET_TRAILER_BYTES;
    return ReadStatus.Packet;
  }

  /**
   * Publishes `read_index` for everything read so far and says whether the blocked writer
   * must be signalled: only when its free space crosses from below `pending_send_sz` to at or
   * above it, and only if the writer advertised `feat_pending_send_sz` (rule 6).
   */
  commitRead(): boolean {
    const oldRead = this.committedReadIndex;
    const newRead = this.readIndex;
    if (newRead === oldRead) return false;
    this.header[READ_INDEX_WORD] = newRead;
    this.committedReadIndex = newRead;
    // L: ring_buffer.c hv_pkt_iter_close — older hosts without the feature poll instead.
    if ((this.header[FEATURE_BITS_WORD] & FEATURE_PENDING_SEND_SIZE) === 0) return false;
    // O: commit_read — some writers ask for "ring size − 1"; round down to whole 8-byte slots.
    const pending = this.header[PENDING_SEND_SIZE_WORD] & ~7;
    if (pending === 0) return false;
    const writeIndex = this.header[WRITE_INDEX_WORD];
    if (writeIndex >= this.dataBytes || (writeIndex & 7) !== 0) return false; // next() rejects it
    // "Free" is what a write could use now (one slot always stays free), so "free ≥ pending"
    // is Linux's "bytes_to_write > pending_sz": a transition from not enough to enough.
    const freeBefore = writableBytes(writeIndex, oldRead, this.dataBytes);
    const freeAfter = writableBytes(writeIndex, newRead, this.dataBytes);
    if (freeBefore < pending && freeAfter >= pending) {
      this.writerSignals++;
      return true;
    }
    return false;
  }

  /**
   * Ends a drain (rule 5; L: `hv_end_read`): commits outstanding reads, unmasks interrupts,
   * then looks again for data that arrived meanwhile — a writer that saw the mask set did not
   * signal, so without this re-check that data would sit unnoticed. Returns {@link DrainEnd} bits.
   */
  endDrain(): number {
    let result: number = this.commitRead() ? DrainEnd.SignalWriter : DrainEnd.Idle;
    this.header[INTERRUPT_MASK_WORD] = 0;
    // Any change of write_index counts: a corrupt one makes the next `next()` reject it.
    if (this.rejection === null && this.header[WRITE_INDEX_WORD] !== this.readIndex) {
      result |= DrainEnd.MoreData;
    }
    return result;
  }

  /**
   * Bytes of unread data in the ring as the writer sees it (from the published `read_index`),
   * or -1 when the peer's `write_index` is corrupt. For time-weighted occupancy.
   */
  /** Bytes the data area holds (its capacity). */
  get capacity(): number {
    return this.dataBytes;
  }

  bytesInUse(): number {
    const writeIndex = this.header[WRITE_INDEX_WORD];
    if (writeIndex >= this.dataBytes || (writeIndex & 7) !== 0) return -1;
    return bytesToRead(writeIndex, this.committedReadIndex, this.dataBytes);
  }

  private reject(reason: RingRejection): ReadStatus {
    this.rejection = reason;
    this.packet.clear();
    return ReadStatus.Rejected;
  }

  /** Grows the private copy (rare: only for a packet larger than any seen before). */
  private growCopy(packetBytes: number): Uint32Array {
    let size = this.copy.length;
    while (size < packetBytes) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.copy.subarray(0, PACKET_DESCRIPTOR_BYTES));
    this.copy = grown;
    this.copyWords = new Uint32Array(grown.buffer);
    this.packet.data = grown;
    this.packet.dataWords = this.copyWords;
    return this.copyWords;
  }
}
