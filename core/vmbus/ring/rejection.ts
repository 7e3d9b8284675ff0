/**
 * Why a ring end refused what it found in shared memory (rules 36–37). A rejection is a value,
 * never an exception: the peer is untrusted and malformed data is an expected input. After a
 * rejection the ring end stays stopped on it; the channel layer closes the channel (rule 38).
 */
export type RingRejection =
  /** `write_index` ≥ the data area size (the reader's check). */
  | 'write-index-out-of-range'
  /** `write_index` not a multiple of 8. */
  | 'write-index-misaligned'
  /** `read_index` ≥ the data area size (the writer's check). */
  | 'read-index-out-of-range'
  /** `read_index` not a multiple of 8. */
  | 'read-index-misaligned'
  /** Some bytes were published but fewer than a 16-byte descriptor (O: `InvalidDataAvailable`). */
  | 'available-less-than-descriptor'
  /** `offset8 < 2`: the payload would start inside the descriptor. */
  | 'offset8-below-descriptor'
  /** `len8 < offset8`: the packet would end before its payload starts. */
  | 'len8-below-offset8'
  /** `len8 × 8` plus the trailer is more than the writer published. */
  | 'packet-exceeds-available'
  /** The packet is larger than this reader was configured to accept. */
  | 'packet-exceeds-reader-limit'
  /** A packet type the reader does not accept (L: `enum vmbus_packet_type`). */
  | 'unknown-type'
  /** A flag bit other than COMPLETION_REQUESTED. */
  | 'unknown-flags'
  /** GPA-direct packet whose `offset8` leaves no room for `reserved` + `range_cnt`. */
  | 'gpa-direct-header-truncated'
  /** GPA-direct packet with `range_cnt == 0`. */
  | 'gpa-direct-no-ranges'
  /** A GPA range with a byte count of 0 (O: gparange.rs `EmptyByteCount`). */
  | 'gpa-range-empty'
  /** A GPA range whose byte offset is not inside its first page (O: `OffsetTooLarge`). */
  | 'gpa-range-offset-too-large'
  /** The GPA ranges and their PFN lists do not fit before the payload (`offset8 × 8`). */
  | 'gpa-ranges-exceed-header'
  /** A PFN ≥ 2^52: no guest physical address can have it. */
  | 'gpa-range-pfn-out-of-range'
  /** Transfer-page packet whose `offset8` leaves no room for its set id and `range_cnt`. */
  | 'transfer-page-header-truncated'
  /** Transfer-page packet with `range_cnt == 0`. */
  | 'transfer-page-no-ranges'
  /** The transfer-page ranges do not fit before the payload (`offset8 × 8`). */
  | 'transfer-page-ranges-exceed-header';

/** One line for logs and the codex. */
export function describeRejection(reason: RingRejection): string {
  return REJECTION_TEXT[reason];
}

const REJECTION_TEXT: Readonly<Record<RingRejection, string>> = {
  'write-index-out-of-range': 'write_index points outside the ring data area',
  'write-index-misaligned': 'write_index is not a multiple of 8',
  'read-index-out-of-range': 'read_index points outside the ring data area',
  'read-index-misaligned': 'read_index is not a multiple of 8',
  'available-less-than-descriptor': 'fewer bytes published than one packet descriptor',
  'offset8-below-descriptor': 'offset8 < 2: payload would overlap the descriptor',
  'len8-below-offset8': 'len8 < offset8: packet ends before its payload starts',
  'packet-exceeds-available': 'packet is longer than the data the writer published',
  'packet-exceeds-reader-limit': 'packet is larger than this reader accepts',
  'unknown-type': 'unknown or unsupported packet type',
  'unknown-flags': 'unknown packet flag bits',
  'gpa-direct-header-truncated': 'GPA-direct packet too short for its range count',
  'gpa-direct-no-ranges': 'GPA-direct packet with no ranges',
  'gpa-range-empty': 'GPA range with a byte count of 0',
  'gpa-range-offset-too-large': 'GPA range byte offset beyond its first page',
  'gpa-ranges-exceed-header': 'GPA ranges do not fit in the packet header (offset8)',
  'gpa-range-pfn-out-of-range': 'GPA range PFN beyond any guest physical address',
  'transfer-page-header-truncated': 'transfer-page packet too short for its range count',
  'transfer-page-no-ranges': 'transfer-page packet with no ranges',
  'transfer-page-ranges-exceed-header': 'transfer-page ranges do not fit in the packet header',
};
