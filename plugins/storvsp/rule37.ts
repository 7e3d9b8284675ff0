/**
 * The rule-37 checks storvsp runs on every packet before it believes anything in it (the packet
 * is already a copy the guest cannot change, rule 36). A packet that fails one is a protocol
 * violation: storvsp stops the channel (rule 38), as openvmm's storvsp does — its `parse_packet`
 * errors (`InvalidPacketType`, `NotTransactional`, `UnrecognizedOperation`, `Range`,
 * `InvalidDataTransferLength`) end the channel's worker.
 */
import { checkSrbDataRange, checkVstorRequestDescriptor } from '../../core/protocols/index.js';
import type { VspFailureReason, VspPacket } from '../sdk/index.js';
import { vspFailure } from '../../core/vsp/failure-reasons.js';

const PAGE = 4096;

/** VMBus packet types by the SDK's packet kinds (rule 3). */
function descriptorType(kind: VspPacket['kind']): number {
  switch (kind) {
    case 'inband':
      return 0x6;
    case 'gpa-direct':
      return 0x9;
    case 'completion':
      return 0xb;
    default:
      return -1;
  }
}

/**
 * Descriptor-level checks: the packet is in-band or GPA-direct (a guest never completes a
 * storvsp request), it asks for a completion (storage requests are transactions), its trans_id
 * can be echoed, and a GPA-direct packet names at least one range. Returns why not, or null.
 */
export function descriptorViolation(packet: VspPacket): VspFailureReason | null {
  const type = descriptorType(packet.kind);
  const descriptor = checkVstorRequestDescriptor({
    type,
    flags: packet.completionRequested ? 1 : 0,
  });
  if (!descriptor.ok) {
    if (descriptor.reason === 'not-transactional')
      return vspFailure('storvsp.notTransactional', {});
    return type === 0xb
      ? vspFailure('storvsp.completionFromGuest', {})
      : vspFailure('storvsp.packetType', { type });
  }
  if (!Number.isSafeInteger(packet.transId) || packet.transId < 0)
    return vspFailure('storvsp.transId', { transId: packet.transId });
  if (packet.kind === 'gpa-direct' && packet.ranges.length === 0)
    return vspFailure('storvsp.noRanges', {});
  return null;
}

/**
 * Data-range checks of an EXECUTE_SRB (O: storvsp `Range::new`): at most one range, well formed
 * (byte count > 0, offset inside the first page, enough pages), and at least as long as the
 * SRB's data_transfer_length. An in-band request supplies no memory at all. Returns why not, or
 * null.
 */
export function dataRangeViolation(
  packet: VspPacket,
  dataTransferLength: number,
): VspFailureReason | null {
  const ranges = packet.kind === 'gpa-direct' ? packet.ranges : [];
  let rangeBytes = 0;
  if (ranges.length === 1) {
    const r = ranges[0];
    const malformed = malformedRange(r.byteCount, r.byteOffset, r.pfns);
    if (malformed !== null) return malformed;
    rangeBytes = r.byteCount;
  }
  const fit = checkSrbDataRange(dataTransferLength, rangeBytes, ranges.length);
  if (fit.ok) return null;
  return fit.reason === 'count-out-of-range'
    ? vspFailure('storvsp.tooManyRanges', { ranges: ranges.length })
    : vspFailure('storvsp.dataRangeTooShort', { dataTransferLength, rangeBytes });
}

function malformedRange(
  byteCount: number,
  byteOffset: number,
  pfns: readonly number[],
): VspFailureReason | null {
  if (!Number.isSafeInteger(byteCount) || byteCount <= 0)
    return vspFailure('storvsp.rangeByteCount', { byteCount });
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset >= PAGE)
    return vspFailure('storvsp.rangeByteOffset', { byteOffset });
  const needed = Math.ceil((byteOffset + byteCount) / PAGE);
  if (pfns.length < needed)
    return vspFailure('storvsp.rangeTooFewPages', {
      pages: pfns.length,
      bytes: byteOffset + byteCount,
    });
  for (let i = 0; i < needed; i++) {
    const pfn = pfns[i];
    if (!Number.isSafeInteger(pfn) || pfn < 0)
      return vspFailure('storvsp.rangePageNumber', { pfn });
  }
  return null;
}
