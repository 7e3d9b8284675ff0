import {
  FEATURE_PENDING_SEND_SIZE,
  PACKET_TRAILER_BYTES,
  TWO_POW_32,
  VmbusPacketType,
} from './constants.js';
import type { OutgoingPacket } from './outgoing-packet.js';
import type { RingRejection } from './rejection.js';
import { copyBytesIntoRing, zeroRingBytes } from './ring-copy.js';
import { bytesToWrite } from './ring-math.js';
import {
  FEATURE_BITS_WORD,
  INTERRUPT_MASK_WORD,
  PENDING_SEND_SIZE_WORD,
  READ_INDEX_WORD,
  WRITE_INDEX_WORD,
  type VmbusRingMemory,
} from './ring-memory.js';

/** What {@link VmbusRingWriter.write} did. */
export const WriteStatus = {
  /** Written and published; the reader needs no signal. */
  Written: 0,
  /**
   * Written and published, and the ring went from empty to non-empty while the reader's
   * interrupts were unmasked: signal the reader (rule 4). The channel layer turns this into
   * HvCallSignalEvent or a monitor-page bit.
   */
  WrittenSignalReader: 1,
  /** Not written: too little room (one slot always stays free, rule 2). See `lastRequiredBytes`. */
  RingFull: 2,
  /** Not written: the packet could never fit this ring, or `len8` would overflow 16 bits. */
  PacketTooLarge: 3,
  /** Not written: the peer corrupted `read_index`; see `rejection`. The writer stays stopped. */
  Corrupt: 4,
} as const;
export type WriteStatus = (typeof WriteStatus)[keyof typeof WriteStatus];

/** Options of a {@link VmbusRingWriter}. */
export interface RingWriterOptions {
  /**
   * Whether this writer sets `pending_send_sz` when blocked, advertised through
   * `feature_bits.feat_pending_send_sz`, which the writing side owns (L: hyperv.h comment on
   * `pending_send_sz`; O: `OutgoingRing::new`). Default true, as on WS2012 and later.
   */
  readonly supportsPendingSendSize?: boolean;
}

const MAX_LEN8_BYTES = 0xffff * 8;

/**
 * The sending end of one VMBus ring (L: ring_buffer.c `hv_ringbuffer_write`; O: `OutgoingRing`).
 * It keeps its own copy of `write_index` — it is the only legitimate writer of that field — and
 * reads the peer's `read_index` once per write, validated, before trusting it (rule 36).
 *
 * @example
 * ```ts
 * const writer = new VmbusRingWriter(memory);
 * const out = new OutgoingPacket().inBand(payload, payload.length, 7, true);
 * switch (writer.write(out)) {
 *   case WriteStatus.WrittenSignalReader: signalGuest(); break;
 *   case WriteStatus.RingFull: writer.setPendingSendSize(writer.lastRequiredBytes); break;
 *   case WriteStatus.Corrupt: closeChannel(writer.rejection); break;
 * }
 * ```
 */
export class VmbusRingWriter {
  /** Why the writer stopped, or null while healthy. */
  rejection: RingRejection | null = null;
  /** Total bytes (packet + trailer) the last refused write needed free: the value for `pending_send_sz`. */
  lastRequiredBytes = 0;

  /** Packets written. */
  packetsWritten = 0;
  /** Bytes written, trailers included. */
  bytesWritten = 0;
  /** Writes refused because the ring was full (L: `out_full_total`). */
  fullTotal = 0;
  /** Refused writes that started a run of full rings (L: `out_full_first`). */
  fullFirst = 0;
  /** Whether the most recent write attempt found the ring full (L: `out_full_flag`). */
  lastWriteFoundFull = false;
  /** Writes after which the reader had to be signalled (L: `intr_out_empty`). */
  readerSignals = 0;

  private readonly words: Uint32Array;
  private readonly data: Uint8Array;
  private readonly dataBytes: number;
  private readonly header: Uint32Array;
  private writeIndex = 0;

  constructor(
    readonly memory: VmbusRingMemory,
    options: RingWriterOptions = {},
  ) {
    this.words = memory.dataWords;
    this.data = memory.data;
    this.dataBytes = memory.dataBytes;
    this.header = memory.headerWords;
    const features = this.header[FEATURE_BITS_WORD];
    this.header[FEATURE_BITS_WORD] =
      options.supportsPendingSendSize === false
        ? features & ~FEATURE_PENDING_SEND_SIZE
        : features | FEATURE_PENDING_SEND_SIZE;
    this.header[PENDING_SEND_SIZE_WORD] = 0;
    const start = this.header[WRITE_INDEX_WORD];
    if (start >= this.dataBytes) this.rejection = 'write-index-out-of-range';
    else if ((start & 7) !== 0) this.rejection = 'write-index-misaligned';
    else this.writeIndex = start;
  }

  /**
   * Copies `packet` into the ring, publishes `write_index`, and says whether to signal the
   * reader (rule 4). Never throws on what the peer put in shared memory.
   */
  write(packet: OutgoingPacket): WriteStatus {
    if (this.rejection !== null) return WriteStatus.Corrupt;
    const dataBytes = this.dataBytes;
    const oldWrite = this.writeIndex;
    // Rule 36: read the peer's index once into a local and validate it before use.
    const readIndex = this.header[READ_INDEX_WORD];
    if (readIndex >= dataBytes || (readIndex & 7) !== 0) {
      this.rejection = readIndex >= dataBytes ? 'read-index-out-of-range' : 'read-index-misaligned';
      return WriteStatus.Corrupt;
    }
    const headerBytes = packet.headerBytes();
    const packetBytes = (headerBytes + packet.payloadLength + 7) & ~7;
    const totalBytes = packetBytes + PACKET_TRAILER_BYTES;
    if (packetBytes > MAX_LEN8_BYTES || totalBytes > dataBytes - 8) {
      return WriteStatus.PacketTooLarge;
    }
    // L: ring_buffer.c — "If there is only room for the packet, assume it is full. Otherwise,
    // the next time around, we think the ring buffer is empty since the read index == write index."
    if (bytesToWrite(oldWrite, readIndex, dataBytes) <= totalBytes) {
      return this.refuseFull(totalBytes);
    }
    this.lastWriteFoundFull = false;

    this.putDescriptor(packet, oldWrite, headerBytes >>> 3, packetBytes >>> 3);
    if (headerBytes > 16) this.putRangeTable(packet, oldWrite);
    let at = oldWrite + headerBytes;
    if (at >= dataBytes) at -= dataBytes;
    copyBytesIntoRing(this.data, at, packet.payload, 0, packet.payloadLength);
    const padding = packetBytes - headerBytes - packet.payloadLength;
    if (padding > 0) {
      at += packet.payloadLength;
      if (at >= dataBytes) at -= dataBytes;
      zeroRingBytes(this.data, at, padding);
    }
    // L: ring_buffer.c — trailer `prev_indices = (u64)write_index << 32`: low word 0, high word
    // the offset where this packet starts (O: `Footer { reserved, offset }`).
    let trailer = oldWrite + packetBytes;
    if (trailer >= dataBytes) trailer -= dataBytes;
    this.words[trailer >>> 2] = 0;
    this.words[(trailer >>> 2) + 1] = oldWrite;
    let newWrite = trailer + PACKET_TRAILER_BYTES;
    if (newWrite >= dataBytes) newWrite -= dataBytes;

    this.writeIndex = newWrite;
    this.header[WRITE_INDEX_WORD] = newWrite;
    this.packetsWritten++;
    this.bytesWritten += totalBytes;
    // Rule 4 (L: ring_buffer.c `hv_signal_on_write`): after publishing, signal only if the
    // reader has not masked interrupts and the ring was empty before this write.
    if (this.header[INTERRUPT_MASK_WORD] === 0 && this.header[READ_INDEX_WORD] === oldWrite) {
      this.readerSignals++;
      return WriteStatus.WrittenSignalReader;
    }
    return WriteStatus.Written;
  }

  /**
   * Asks the reader for a signal once `bytes` are free (rule 6). Call with
   * `lastRequiredBytes` after a {@link WriteStatus.RingFull}; call with 0 once the write went
   * through. Rounded up to 8 (O: `set_pending_send_size`).
   */
  setPendingSendSize(bytes: number): void {
    this.header[PENDING_SEND_SIZE_WORD] = (Math.max(0, Math.min(bytes, this.dataBytes)) + 7) & ~7;
  }

  /**
   * Bytes of unread data in the ring now (for time-weighted occupancy), or -1 when the peer's
   * `read_index` is corrupt.
   */
  bytesInUse(): number {
    const readIndex = this.header[READ_INDEX_WORD];
    if (readIndex >= this.dataBytes || (readIndex & 7) !== 0) return -1;
    return this.dataBytes - bytesToWrite(this.writeIndex, readIndex, this.dataBytes);
  }

  private refuseFull(totalBytes: number): WriteStatus {
    this.fullTotal++;
    if (!this.lastWriteFoundFull) this.fullFirst++;
    this.lastWriteFoundFull = true;
    this.lastRequiredBytes = totalBytes;
    return WriteStatus.RingFull;
  }

  /** L: hyperv.h `struct vmpacket_descriptor` as four little-endian words. */
  private putDescriptor(packet: OutgoingPacket, at: number, offset8: number, len8: number): void {
    const words = this.words;
    let word = at >>> 2;
    const wordCount = words.length;
    words[word] = packet.type | (offset8 << 16);
    if (++word === wordCount) word = 0;
    words[word] = len8 | (packet.flags << 16);
    if (++word === wordCount) word = 0;
    words[word] = packet.transIdLo;
    if (++word === wordCount) word = 0;
    words[word] = packet.transIdHi;
  }

  /**
   * The part between descriptor and payload: L: hyperv.h `struct vmdata_gpa_direct` /
   * `struct vmtransfer_page_packet_header`.
   */
  private putRangeTable(packet: OutgoingPacket, packetStart: number): void {
    const words = this.words;
    const wordCount = words.length;
    let word = (packetStart >>> 2) + 4;
    if (word >= wordCount) word -= wordCount;
    const gpa = packet.type === VmbusPacketType.DataUsingGpaDirect;
    // GPA-direct: u32 reserved; transfer pages: u16 set id, u8 sender_owns_set, u8 reserved.
    words[word] = gpa ? 0 : packet.transferPageSetId;
    if (++word === wordCount) word = 0;
    words[word] = packet.rangeCount;
    const table = packet.rangeTable;
    for (let range = 0; range < packet.rangeCount; range++) {
      if (++word === wordCount) word = 0;
      words[word] = table[range * 4];
      if (++word === wordCount) word = 0;
      words[word] = table[range * 4 + 1];
      if (!gpa) continue;
      const first = table[range * 4 + 2];
      const end = first + table[range * 4 + 3];
      for (let p = first; p < end; p++) {
        const pfn = packet.pfns[p];
        const hi = Math.floor(pfn / TWO_POW_32);
        if (++word === wordCount) word = 0;
        words[word] = pfn - hi * TWO_POW_32;
        if (++word === wordCount) word = 0;
        words[word] = hi;
      }
    }
  }
}
