/**
 * The rule-37 checks storvsp runs on every packet before it believes anything in it (the packet
 * is already a copy the guest cannot change, rule 36). A packet that fails one is a protocol
 * violation: storvsp stops the channel (rule 38), as openvmm's storvsp does — its `parse_packet`
 * errors (`InvalidPacketType`, `NotTransactional`, `UnrecognizedOperation`, `Range`,
 * `InvalidDataTransferLength`) end the channel's worker.
 */
import { checkSrbDataRange, checkVstorRequestDescriptor } from '../../core/protocols/index.js';
import type { VspPacket } from '../sdk/index.js';

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
export function descriptorViolation(packet: VspPacket): string | null {
  const descriptor = checkVstorRequestDescriptor({
    type: descriptorType(packet.kind),
    flags: packet.completionRequested ? 1 : 0,
  });
  if (!descriptor.ok) return `rule 37: ${descriptor.reason}: ${descriptor.detail}`;
  if (!Number.isSafeInteger(packet.transId) || packet.transId < 0)
    return `rule 37: trans_id ${String(packet.transId)} cannot be echoed in a completion`;
  if (packet.kind === 'gpa-direct' && packet.ranges.length === 0)
    return 'rule 37: GPA-direct packet with no ranges';
  return null;
}

/**
 * Data-range checks of an EXECUTE_SRB (O: storvsp `Range::new`): at most one range, well formed
 * (byte count > 0, offset inside the first page, enough pages), and at least as long as the
 * SRB's data_transfer_length. An in-band request supplies no memory at all. Returns why not, or
 * null.
 */
export function dataRangeViolation(packet: VspPacket, dataTransferLength: number): string | null {
  const ranges = packet.kind === 'gpa-direct' ? packet.ranges : [];
  let rangeBytes = 0;
  if (ranges.length === 1) {
    const r = ranges[0];
    const malformed = malformedRange(r.byteCount, r.byteOffset, r.pfns);
    if (malformed !== null) return `rule 37: malformed page range: ${malformed}`;
    rangeBytes = r.byteCount;
  }
  const fit = checkSrbDataRange(dataTransferLength, rangeBytes, ranges.length);
  return fit.ok ? null : `rule 37: ${fit.reason}: ${fit.detail}`;
}

function malformedRange(
  byteCount: number,
  byteOffset: number,
  pfns: readonly number[],
): string | null {
  if (!Number.isSafeInteger(byteCount) || byteCount <= 0) return `byte count ${byteCount}`;
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset >= PAGE)
    return `byte offset ${byteOffset}`;
  const needed = Math.ceil((byteOffset + byteCount) / PAGE);
  if (pfns.length < needed) return `${pfns.length} pages for ${byteOffset + byteCount} bytes`;
  for (let i = 0; i < needed; i++) {
    const pfn = pfns[i];
    if (!Number.isSafeInteger(pfn) || pfn < 0) return `page number ${pfn}`;
  }
  return null;
}
