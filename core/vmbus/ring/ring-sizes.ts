import {
  GPA_DIRECT_HEADER_BYTES,
  GPA_RANGE_HEADER_BYTES,
  HV_PAGE_SIZE,
  PACKET_DESCRIPTOR_BYTES,
  PACKET_TRAILER_BYTES,
  RING_HEADER_BYTES,
  TRANSFER_PAGE_HEADER_BYTES,
  TRANSFER_PAGE_RANGE_BYTES,
} from './constants.js';
import { RingConfigurationError } from './errors.js';
import { align8 } from './ring-math.js';

/** L: storvsc_drv.c `storvsc_ringbuffer_size = (128 * 1024)` — per direction (rule 9). */
export const STORVSC_RING_BYTES = 128 * 1024;
/** L: netvsc_drv.c `ring_size = 128` pages × 4096 = 512 KiB per direction (rule 9). */
export const NETVSC_RING_BYTES = 128 * HV_PAGE_SIZE;

/** L: hyperv.h `MAX_MULTIPAGE_BUFFER_COUNT` — PFNs in `struct hv_multipage_buffer` (128 KiB). */
export const MAX_MULTIPAGE_BUFFER_COUNT = 32;
/** L: hyperv.h `MAX_MULTIPAGE_BUFFER_PACKET` = 0x18 + sizeof(struct hv_multipage_buffer) = 288. */
export const MAX_MULTIPAGE_BUFFER_PACKET = 0x18 + 8 + MAX_MULTIPAGE_BUFFER_COUNT * 8;
/**
 * L: storvsc_drv.c `sizeof(struct vstor_packet)`: operation, flags, status (12 bytes) + the
 * 0x34-byte union (`struct vmscsi_request`) = 64 bytes, packed.
 */
export const VSTOR_PACKET_BYTES = 12 + 0x34;

/**
 * How a driver turns its ring-size parameter into ring memory. `classic`: the parameter is the
 * whole ring including the 4 KiB header page (Linux before `VMBUS_RING_SIZE`, the basis of the
 * ≈352 of rule 18). `payload`: the parameter is the data area and the header page is added
 * (L: hyperv.h `VMBUS_RING_SIZE(payload_sz)`, used by storvsc and netvsc since 5.x).
 */
export type RingSizeConvention = 'classic' | 'payload';

/** Ring memory bytes (header page + data area) for a data area of `dataBytes`. */
export function ringMemoryBytes(dataBytes: number): number {
  if (dataBytes <= 0 || dataBytes % HV_PAGE_SIZE !== 0) {
    throw new RingConfigurationError(`ring data area ${dataBytes} is not a positive page multiple`);
  }
  return RING_HEADER_BYTES + dataBytes;
}

/** The data area a driver gets from its ring-size parameter under a convention. */
export function ringDataBytes(ringSizeParameter: number, convention: RingSizeConvention): number {
  const pageAligned = Math.ceil(ringSizeParameter / HV_PAGE_SIZE) * HV_PAGE_SIZE;
  return convention === 'classic' ? pageAligned - RING_HEADER_BYTES : pageAligned;
}

/** The typical per-direction data areas (rule 9), classic convention by default. */
export function typicalRingDataBytes(
  device: 'storage' | 'network',
  convention: RingSizeConvention = 'classic',
): number {
  return ringDataBytes(device === 'storage' ? STORVSC_RING_BYTES : NETVSC_RING_BYTES, convention);
}

/** Ring bytes of an in-band or completion packet with `payloadBytes` (O: `PacketSize::in_band`). */
export function inBandPacketRingBytes(payloadBytes: number): number {
  return PACKET_DESCRIPTOR_BYTES + align8(payloadBytes) + PACKET_TRAILER_BYTES;
}

/** Ring bytes of a GPA-direct packet with ranges spanning `pfnCount` pages in all. */
export function gpaDirectPacketRingBytes(
  rangeCount: number,
  pfnCount: number,
  payloadBytes: number,
): number {
  const header = GPA_DIRECT_HEADER_BYTES + rangeCount * GPA_RANGE_HEADER_BYTES + pfnCount * 8;
  return align8(header + payloadBytes) + PACKET_TRAILER_BYTES;
}

/** Ring bytes of a transfer-page packet (O: `PacketSize::transfer_pages`). */
export function transferPagePacketRingBytes(rangeCount: number, payloadBytes: number): number {
  const header = TRANSFER_PAGE_HEADER_BYTES + rangeCount * TRANSFER_PAGE_RANGE_BYTES;
  return align8(header + payloadBytes) + PACKET_TRAILER_BYTES;
}

/**
 * How many packets of `packetRingBytes` (trailer included) the ring holds at once. Exact for
 * this model: n packets fit iff n × size ≤ dataBytes − 8, since one slot always stays free.
 */
export function packetsThatFit(dataBytes: number, packetRingBytes: number): number {
  if (packetRingBytes <= 0) throw new RingConfigurationError('packet size must be positive');
  return Math.max(0, Math.floor((dataBytes - 8) / align8(packetRingBytes)));
}

/**
 * storvsc's outstanding-request limit per channel (rule 18): data area divided by the largest
 * request, `ALIGN(MAX_MULTIPAGE_BUFFER_PACKET + sizeof(struct vstor_packet) + sizeof(u64), 8)`
 * = 360 bytes. L: storvsc_drv.c `storvsc_drv_init`. 128 KiB classic → 352; payload → 364.
 */
export function storvscMaxOutstandingRequests(
  ringSizeParameter: number = STORVSC_RING_BYTES,
  convention: RingSizeConvention = 'classic',
): number {
  const request = align8(MAX_MULTIPAGE_BUFFER_PACKET + VSTOR_PACKET_BYTES + 8);
  return Math.floor(ringDataBytes(ringSizeParameter, convention) / request);
}
