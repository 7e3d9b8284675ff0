/**
 * One VMBus ring buffer, byte-exact (rules 1–6, 9) with the ring-level half of the security
 * boundary (rules 36–37), plus the guest signal throttle of rule 7.
 */
export {
  FEATURE_PENDING_SEND_SIZE,
  GPA_DIRECT_HEADER_BYTES,
  GPA_RANGE_HEADER_BYTES,
  HEADER_FEATURE_BITS_OFFSET,
  HEADER_INTERRUPT_MASK_OFFSET,
  HEADER_PENDING_SEND_SIZE_OFFSET,
  HEADER_READ_INDEX_OFFSET,
  HEADER_WRITE_INDEX_OFFSET,
  HV_PAGE_SIZE,
  KNOWN_PACKET_FLAGS,
  PACKET_DESCRIPTOR_BYTES,
  PACKET_FLAG_COMPLETION_REQUESTED,
  PACKET_TRAILER_BYTES,
  RING_HEADER_BYTES,
  TRANSFER_PAGE_HEADER_BYTES,
  TRANSFER_PAGE_RANGE_BYTES,
  VmbusPacketType,
} from './constants.js';
export { RingConfigurationError } from './errors.js';
export { IncomingPacket } from './incoming-packet.js';
export { OutgoingPacket, gpaRangePageCount } from './outgoing-packet.js';
export { describeRejection } from './rejection.js';
export type { RingRejection } from './rejection.js';
export { bytesToRead, bytesToWrite, writableBytes } from './ring-math.js';
export { VmbusRingMemory } from './ring-memory.js';
export {
  DEFAULT_ACCEPTED_PACKET_TYPES,
  DrainEnd,
  ReadStatus,
  VmbusRingReader,
} from './ring-reader.js';
export type { RingReaderOptions } from './ring-reader.js';
export {
  MAX_MULTIPAGE_BUFFER_PACKET,
  NETVSC_RING_BYTES,
  STORVSC_RING_BYTES,
  VSTOR_PACKET_BYTES,
  gpaDirectPacketRingBytes,
  inBandPacketRingBytes,
  packetsThatFit,
  ringDataBytes,
  ringMemoryBytes,
  storvscMaxOutstandingRequests,
  transferPagePacketRingBytes,
  typicalRingDataBytes,
} from './ring-sizes.js';
export type { RingSizeConvention } from './ring-sizes.js';
export { VmbusRingWriter, WriteStatus } from './ring-writer.js';
export type { RingWriterOptions } from './ring-writer.js';
export { DEFAULT_SIGNAL_THROTTLE, SignalThrottle } from './signal-throttle.js';
export type { SignalThrottleOptions } from './signal-throttle.js';
