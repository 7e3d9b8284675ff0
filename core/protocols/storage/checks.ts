import { ACCEPTED, rejected } from '../codec/result.js';
import type { CheckResult } from '../codec/result.js';

/**
 * The HYPERV.md rule-37 checks that need more than the packet payload: the VMBus descriptor's
 * type and flags, and the guest memory ranges of a GPA-direct packet. A storage VSP runs them
 * next to {@link decodeVstorRequest}; any rejection stops the channel (rule 38).
 */

/** `enum vmbus_packet_type` values a storage channel sees (L: include/linux/hyperv.h). */
export const VmbusPacketType = {
  DATA_INBAND: 0x6,
  DATA_USING_XFER_PAGES: 0x7,
  DATA_USING_GPA_DIRECT: 0x9,
  COMPLETION: 0xb,
} as const;

/** L: `VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED` — the descriptor flag that makes a transaction. */
export const VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED = 0x1;

/** The two descriptor fields the storage checks read. */
export interface VmbusDescriptorView {
  /** `vmpacket_descriptor.type`. */
  readonly type: number;
  /** `vmpacket_descriptor.flags`. */
  readonly flags: number;
}

/**
 * Rule 37: every storage request must be a transaction (the completion-requested flag set,
 * so the completion can echo its trans_id) and must arrive as in-band or GPA-direct data.
 * A completion sent by the guest is refused here as storvsp does (O: parse_packet
 * `InvalidPacketType`); the ring layer refuses it for every device class as well.
 */
export function checkVstorRequestDescriptor(descriptor: VmbusDescriptorView): CheckResult {
  if (descriptor.type === VmbusPacketType.COMPLETION) {
    return rejected('unexpected-packet-type', 'storage.completionFromGuest', {});
  }
  if (
    descriptor.type !== VmbusPacketType.DATA_INBAND &&
    descriptor.type !== VmbusPacketType.DATA_USING_GPA_DIRECT
  ) {
    return rejected('unexpected-packet-type', 'storage.packetType', { type: descriptor.type });
  }
  return checkTransactional(descriptor.flags);
}

/** Rule 37: the descriptor flags must request a completion (O: `NotTransactional`). */
export function checkTransactional(descriptorFlags: number): CheckResult {
  if ((descriptorFlags & VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED) === 0) {
    return rejected('not-transactional', 'storage.notTransactional', {});
  }
  return ACCEPTED;
}

/**
 * Rule 37: the SRB's `data_transfer_length` must fit in the guest memory the packet supplied.
 * `gpaRangeBytes` is the byte count of the packet's GPA range (0 for an in-band packet);
 * storvsc sends at most one multi-page range, so more than one is refused too
 * (O: storvsp `Range::new` — "exactly one range and it's large enough, or zero ranges").
 */
export function checkSrbDataRange(
  dataTransferLength: number,
  gpaRangeBytes: number,
  rangeCount = gpaRangeBytes > 0 ? 1 : 0,
): CheckResult {
  if (rangeCount > 1) {
    return rejected('count-out-of-range', 'storage.tooManyRanges', { ranges: rangeCount });
  }
  if (dataTransferLength > gpaRangeBytes) {
    return rejected('data-range-too-short', 'storage.dataRangeTooShort', {
      dataTransferLength,
      rangeBytes: gpaRangeBytes,
    });
  }
  return ACCEPTED;
}
