import {
  GPA_DIRECT_HEADER_BYTES,
  GPA_RANGE_HEADER_BYTES,
  GPA_RANGE_MAX_BYTE_OFFSET,
  HV_PAGE_SIZE,
  PACKET_DESCRIPTOR_BYTES,
  PACKET_FLAG_COMPLETION_REQUESTED,
  TRANSFER_PAGE_HEADER_BYTES,
  TRANSFER_PAGE_RANGE_BYTES,
  TWO_POW_32,
  VmbusPacketType,
} from './constants.js';
import { RingConfigurationError } from './errors.js';
import { align8 } from './ring-math.js';

const NO_PAYLOAD = new Uint8Array(0);
const MAX_SAFE_PFN = 2 ** 52 - 1;

/** Number of 4 KiB pages a range of `byteCount` bytes starting `byteOffset` into its first page spans. */
export function gpaRangePageCount(byteOffset: number, byteCount: number): number {
  // L: hyperv.h `struct hv_mpb_array` — "Length and Offset determines the # of pfns in the array".
  return Math.floor((byteOffset + byteCount + HV_PAGE_SIZE - 1) / HV_PAGE_SIZE);
}

/**
 * A packet the model is about to send, built in place and reused: one instance per sender,
 * refilled for every packet, so the hot path allocates nothing. The builder methods set the
 * kind of packet; the range methods append GPA or transfer-page ranges. Hand it to
 * {@link VmbusRingWriter.write}.
 *
 * trans_id is a u64 on the wire and is kept here as two u32 halves (`transIdLo`, `transIdHi`)
 * so that a guest's trans_id above 2^53 is echoed exactly. Builders take a plain number for
 * ids the model makes up itself (safe integers only) and halves for echoes.
 *
 * @example
 * ```ts
 * const out = new OutgoingPacket();
 * out.inBand(message, 64, 0); // unsolicited host message: trans_id 0 (rule 3)
 * writer.write(out);
 *
 * out.gpaDirect(vstorPacket, 64, 42).addGpaRange(8192, 512, pfns); // EXECUTE_SRB with data pages
 * ```
 */
export class OutgoingPacket {
  /** Packet type (rule 3). */
  type: VmbusPacketType = VmbusPacketType.DataInBand;
  /** Descriptor flags; bit 0 = completion requested. */
  flags = 0;
  /** Low 32 bits of trans_id. */
  transIdLo = 0;
  /** High 32 bits of trans_id. */
  transIdHi = 0;
  /** Bytes to put in the packet body; only the first `payloadLength` are used. */
  payload: Uint8Array = NO_PAYLOAD;
  /** How many bytes of `payload` to send (padded with zeros to 8 in the ring). */
  payloadLength = 0;
  /** Transfer-page set id (transfer-page packets only). */
  transferPageSetId = 0;
  /** Number of GPA or transfer-page ranges appended. */
  rangeCount = 0;
  /** Number of PFNs appended over all GPA ranges. */
  pfnCount = 0;

  /** Per range: byte count, byte offset, index of its first PFN in `pfns`, PFN count. */
  rangeTable = new Uint32Array(16);
  /** PFNs of all GPA ranges, in order (exact integers < 2^52). */
  pfns = new Float64Array(64);

  /** In-band data packet (type 6). trans_id 0 means an unsolicited message. */
  inBand(
    payload: Uint8Array,
    payloadLength: number = payload.length,
    transId = 0,
    completionRequested = false,
  ): this {
    return this.reset(
      VmbusPacketType.DataInBand,
      payload,
      payloadLength,
      completionRequested ? PACKET_FLAG_COMPLETION_REQUESTED : 0,
    ).setTransId(transId);
  }

  /** Completion packet (type 0xB) echoing the request's trans_id exactly, given as halves. */
  completion(
    payload: Uint8Array,
    payloadLength: number,
    transIdLo: number,
    transIdHi: number,
  ): this {
    return this.reset(VmbusPacketType.Completion, payload, payloadLength, 0).setTransIdParts(
      transIdLo,
      transIdHi,
    );
  }

  /**
   * GPA-direct packet (type 9), completion requested as Linux `vmbus_sendpacket_mpb_desc`
   * does. Append at least one range with {@link addGpaRange}.
   */
  gpaDirect(payload: Uint8Array, payloadLength: number, transId: number): this {
    return this.reset(
      VmbusPacketType.DataUsingGpaDirect,
      payload,
      payloadLength,
      PACKET_FLAG_COMPLETION_REQUESTED,
    ).setTransId(transId);
  }

  /**
   * Transfer-page packet (type 7) referring to ranges of a transfer page set, completion
   * requested (O: netvsp). Append ranges with {@link addTransferPageRange}.
   */
  transferPages(
    payload: Uint8Array,
    payloadLength: number,
    transId: number,
    transferPageSetId: number,
  ): this {
    this.reset(
      VmbusPacketType.DataUsingTransferPages,
      payload,
      payloadLength,
      PACKET_FLAG_COMPLETION_REQUESTED,
    ).setTransId(transId);
    this.transferPageSetId = transferPageSetId & 0xffff;
    return this;
  }

  /** Sets trans_id from a non-negative safe integer. */
  setTransId(transId: number): this {
    if (!Number.isSafeInteger(transId) || transId < 0) {
      throw new RingConfigurationError(`trans_id must be a safe non-negative integer: ${transId}`);
    }
    const hi = Math.floor(transId / TWO_POW_32);
    return this.setTransIdParts(transId - hi * TWO_POW_32, hi);
  }

  /** Sets trans_id from its two u32 halves (exact for any u64). */
  setTransIdParts(lo: number, hi: number): this {
    this.transIdLo = lo >>> 0;
    this.transIdHi = hi >>> 0;
    return this;
  }

  /**
   * Appends a GPA range: `byteCount` bytes starting `byteOffset` into the first of
   * `pfns[pfnStart …]` (as many PFNs as the range spans). L: hyperv.h `struct hv_mpb_array`.
   */
  addGpaRange(byteCount: number, byteOffset: number, pfns: ArrayLike<number>, pfnStart = 0): this {
    if (this.type !== VmbusPacketType.DataUsingGpaDirect) {
      throw new RingConfigurationError('addGpaRange needs a GPA-direct packet');
    }
    if (byteCount <= 0 || byteCount > 0xffff_ffff || byteOffset < 0) {
      throw new RingConfigurationError(`GPA range byte count ${byteCount} must be 1..2^32-1`);
    }
    if (byteOffset > GPA_RANGE_MAX_BYTE_OFFSET) {
      throw new RingConfigurationError(`GPA range byte offset ${byteOffset} must be < 4096`);
    }
    const pageCount = gpaRangePageCount(byteOffset, byteCount);
    if (pfnStart + pageCount > pfns.length) {
      throw new RingConfigurationError(`GPA range spans ${pageCount} pages; too few PFNs given`);
    }
    this.ensureRangeCapacity(this.rangeCount + 1);
    this.ensurePfnCapacity(this.pfnCount + pageCount);
    for (let i = 0; i < pageCount; i++) {
      const pfn = pfns[pfnStart + i];
      if (!Number.isInteger(pfn) || pfn < 0 || pfn > MAX_SAFE_PFN) {
        throw new RingConfigurationError(`PFN ${pfn} is not a valid page frame number`);
      }
      this.pfns[this.pfnCount + i] = pfn;
    }
    this.writeRange(byteCount, byteOffset, this.pfnCount, pageCount);
    this.pfnCount += pageCount;
    return this;
  }

  /** Appends a transfer-page range. L: hyperv.h `struct vmtransfer_page_range`. */
  addTransferPageRange(byteCount: number, byteOffset: number): this {
    if (this.type !== VmbusPacketType.DataUsingTransferPages) {
      throw new RingConfigurationError('addTransferPageRange needs a transfer-page packet');
    }
    this.ensureRangeCapacity(this.rangeCount + 1);
    this.writeRange(byteCount >>> 0, byteOffset >>> 0, 0, 0);
    return this;
  }

  /** Bytes from the descriptor start to the payload (`offset8 × 8`). */
  headerBytes(): number {
    switch (this.type) {
      case VmbusPacketType.DataUsingGpaDirect:
        return (
          GPA_DIRECT_HEADER_BYTES + this.rangeCount * GPA_RANGE_HEADER_BYTES + this.pfnCount * 8
        );
      case VmbusPacketType.DataUsingTransferPages:
        return TRANSFER_PAGE_HEADER_BYTES + this.rangeCount * TRANSFER_PAGE_RANGE_BYTES;
      default:
        return PACKET_DESCRIPTOR_BYTES;
    }
  }

  /** `len8 × 8`: descriptor, range table and payload padded to 8 (trailer excluded). */
  packetBytes(): number {
    return align8(this.headerBytes() + this.payloadLength);
  }

  private reset(
    type: VmbusPacketType,
    payload: Uint8Array,
    payloadLength: number,
    flags: number,
  ): this {
    if (payloadLength < 0 || payloadLength > payload.length) {
      throw new RingConfigurationError(
        `payload length ${payloadLength} outside a ${payload.length}-byte payload`,
      );
    }
    this.type = type;
    this.flags = flags;
    this.payload = payload;
    this.payloadLength = payloadLength;
    this.transferPageSetId = 0;
    this.rangeCount = 0;
    this.pfnCount = 0;
    return this;
  }

  private writeRange(byteCount: number, byteOffset: number, pfnIndex: number, pfns: number): void {
    const at = this.rangeCount * 4;
    this.rangeTable[at] = byteCount;
    this.rangeTable[at + 1] = byteOffset;
    this.rangeTable[at + 2] = pfnIndex;
    this.rangeTable[at + 3] = pfns;
    this.rangeCount++;
  }

  private ensureRangeCapacity(ranges: number): void {
    if (ranges * 4 <= this.rangeTable.length) return;
    const grown = new Uint32Array(Math.max(ranges * 4, this.rangeTable.length * 2));
    grown.set(this.rangeTable);
    this.rangeTable = grown;
  }

  private ensurePfnCapacity(pfns: number): void {
    if (pfns <= this.pfns.length) return;
    const grown = new Float64Array(Math.max(pfns, this.pfns.length * 2));
    grown.set(this.pfns);
    this.pfns = grown;
  }
}
