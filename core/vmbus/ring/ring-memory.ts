import {
  FEATURE_PENDING_SEND_SIZE,
  HEADER_FEATURE_BITS_OFFSET,
  HEADER_INTERRUPT_MASK_OFFSET,
  HEADER_PENDING_SEND_SIZE_OFFSET,
  HEADER_READ_INDEX_OFFSET,
  HEADER_WRITE_INDEX_OFFSET,
  HV_PAGE_SIZE,
  RING_HEADER_BYTES,
} from './constants.js';
import { RingConfigurationError } from './errors.js';

/** Word (u32) indices of the header fields inside the header page. */
export const WRITE_INDEX_WORD = HEADER_WRITE_INDEX_OFFSET >>> 2;
export const READ_INDEX_WORD = HEADER_READ_INDEX_OFFSET >>> 2;
export const INTERRUPT_MASK_WORD = HEADER_INTERRUPT_MASK_OFFSET >>> 2;
export const PENDING_SEND_SIZE_WORD = HEADER_PENDING_SEND_SIZE_OFFSET >>> 2;
export const FEATURE_BITS_WORD = HEADER_FEATURE_BITS_OFFSET >>> 2;

/** Typed-array views store host-endian words; the ring is little endian on the wire. */
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * One VMBus ring buffer as it sits in guest memory that both ends share: a 4 KiB header page
 * (`struct hv_ring_buffer`) followed by the data area. Both the writer and the reader of the
 * ring hold the same `VmbusRingMemory` (or two over the same bytes); nothing here is private
 * to either end, and every field may be changed by the peer at any time (rule 36).
 *
 * The views are created once; the accessors below read the shared words as they are now,
 * without validating them. Validation is the job of {@link VmbusRingReader} and
 * {@link VmbusRingWriter}, which read each index once into a local and check it.
 *
 * @example
 * ```ts
 * const memory = new VmbusRingMemory(new Uint8Array(RING_HEADER_BYTES + 128 * 1024));
 * memory.resetHeader(); // what the guest does when it allocates the ring (L: hv_ringbuffer_init)
 * memory.dataBytes; // 131072
 * ```
 */
export class VmbusRingMemory {
  /** The whole ring memory: header page then data area. */
  readonly bytes: Uint8Array;
  /** Size of the data area in bytes (a multiple of 4096); indices are offsets into it. */
  readonly dataBytes: number;
  /** The header page as 1024 little-endian u32 words. */
  readonly headerWords: Uint32Array;
  /** The data area as bytes. */
  readonly data: Uint8Array;
  /** The data area as u32 words (packets are 8-byte aligned, so every field falls on a word). */
  readonly dataWords: Uint32Array;

  /**
   * @param memory the ring's bytes, `4096 + dataBytes` long with `dataBytes` a positive
   *   multiple of 4096, 8-byte aligned inside its buffer (guest pages always are).
   */
  constructor(memory: Uint8Array) {
    if (!HOST_IS_LITTLE_ENDIAN) {
      throw new RingConfigurationError('VMBus rings are little endian; this host is not.');
    }
    const dataBytes = memory.byteLength - RING_HEADER_BYTES;
    if (dataBytes <= 0 || dataBytes % HV_PAGE_SIZE !== 0) {
      throw new RingConfigurationError(
        `ring memory must be 4096 + a positive multiple of 4096 bytes, got ${memory.byteLength}`,
      );
    }
    if (dataBytes > 0x8000_0000) {
      throw new RingConfigurationError(`ring data area of ${dataBytes} bytes exceeds 2 GiB`);
    }
    if (memory.byteOffset % 8 !== 0) {
      throw new RingConfigurationError(
        `ring memory must start 8-byte aligned, got byteOffset ${memory.byteOffset}`,
      );
    }
    this.bytes = memory;
    this.dataBytes = dataBytes;
    const buffer = memory.buffer;
    this.headerWords = new Uint32Array(buffer, memory.byteOffset, RING_HEADER_BYTES >>> 2);
    this.data = new Uint8Array(buffer, memory.byteOffset + RING_HEADER_BYTES, dataBytes);
    this.dataWords = new Uint32Array(
      buffer,
      memory.byteOffset + RING_HEADER_BYTES,
      dataBytes >>> 2,
    );
  }

  /**
   * Zeroes the header page and sets the feature bits, as the allocating side does before
   * sharing the ring. L: ring_buffer.c `hv_ringbuffer_init` — indices 0, `feature_bits.value = 1`.
   */
  resetHeader(featureBits: number = FEATURE_PENDING_SEND_SIZE): void {
    this.headerWords.fill(0);
    this.headerWords[FEATURE_BITS_WORD] = featureBits >>> 0;
  }

  /** `write_index` as it is in shared memory now (unvalidated). */
  get writeIndex(): number {
    return this.headerWords[WRITE_INDEX_WORD];
  }
  set writeIndex(value: number) {
    this.headerWords[WRITE_INDEX_WORD] = value;
  }

  /** `read_index` as it is in shared memory now (unvalidated). */
  get readIndex(): number {
    return this.headerWords[READ_INDEX_WORD];
  }
  set readIndex(value: number) {
    this.headerWords[READ_INDEX_WORD] = value;
  }

  /** `interrupt_mask` as it is in shared memory now. */
  get interruptMask(): number {
    return this.headerWords[INTERRUPT_MASK_WORD];
  }
  set interruptMask(value: number) {
    this.headerWords[INTERRUPT_MASK_WORD] = value;
  }

  /** `pending_send_sz` as it is in shared memory now. */
  get pendingSendSize(): number {
    return this.headerWords[PENDING_SEND_SIZE_WORD];
  }
  set pendingSendSize(value: number) {
    this.headerWords[PENDING_SEND_SIZE_WORD] = value;
  }

  /** `feature_bits.value` as it is in shared memory now. */
  get featureBits(): number {
    return this.headerWords[FEATURE_BITS_WORD];
  }
  set featureBits(value: number) {
    this.headerWords[FEATURE_BITS_WORD] = value;
  }
}
