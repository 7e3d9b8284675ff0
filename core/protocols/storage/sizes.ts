import { checkUint } from '../codec/bounds.js';
import {
  PRE_WIN8_STORVSC_SENSE_BUFFER_SIZE,
  STORVSC_SENSE_BUFFER_SIZE,
  VMSCSI_REQUEST_SIZE,
  VMSCSI_WIN8_EXTENSION_SIZE,
  VSTOR_PACKET_HEADER_SIZE,
  VmstorProtocolVersion,
} from './constants.js';

/**
 * Version-dependent sizes of the storage protocol and the queue-depth arithmetic storvsc
 * derives from its ring size (HYPERV.md rule 18).
 */

/** `sizeof(struct vstor_packet)` with the Win8 SRB: 12-byte header + 0x34-byte union. */
export const VSTOR_PACKET_SIZE = VSTOR_PACKET_HEADER_SIZE + VMSCSI_REQUEST_SIZE;

/**
 * `vmscsi_size_delta`: how many bytes shorter than `sizeof(struct vstor_packet)` storvsc sends
 * to a host speaking `protocolVersion`. The Win8 extension exists only from 5.1 on, so older
 * hosts get packets 16 bytes shorter (L: storvsc_drv.c `vmstor_protocols[]` and
 * `vmscsi_size_delta`, until "scsi: storvsc: Removing Pre Win8 related logic", 2022; since then
 * Linux offers only 6.2, 6.0 and 5.1 and always sends the full 64 bytes).
 */
export function vmscsiSizeDelta(protocolVersion: number): number {
  return protocolVersion >= VmstorProtocolVersion.WIN8 ? 0 : VMSCSI_WIN8_EXTENSION_SIZE;
}

/** The on-wire size of every vstor_packet for `protocolVersion` (64, or 48 before 5.1). */
export function vstorPacketSize(protocolVersion: number): number {
  return VSTOR_PACKET_SIZE - vmscsiSizeDelta(protocolVersion);
}

/** `sizeof(struct vmscsi_request)` as sent for `protocolVersion` (0x34, or 0x24 before 5.1). */
export function vmscsiRequestSize(protocolVersion: number): number {
  return VMSCSI_REQUEST_SIZE - vmscsiSizeDelta(protocolVersion);
}

/** The sense buffer size storvsc announces in `sense_info_length` (0x14, or 0x12 before 5.1). */
export function senseBufferSize(protocolVersion: number): number {
  return protocolVersion >= VmstorProtocolVersion.WIN8
    ? STORVSC_SENSE_BUFFER_SIZE
    : PRE_WIN8_STORVSC_SENSE_BUFFER_SIZE;
}

/** `HV_HYP_PAGE_SIZE` (and `PAGE_SIZE` on x86): 4 KiB. */
export const HV_HYP_PAGE_SIZE = 4096;
/** `sizeof(struct hv_ring_buffer)`: the indices page (L: include/linux/hyperv.h). */
export const HV_RING_BUFFER_HEADER_SIZE = HV_HYP_PAGE_SIZE;
/** L: hyperv.h `MAX_MULTIPAGE_BUFFER_COUNT` — PFNs in one multipage buffer. */
export const MAX_MULTIPAGE_BUFFER_COUNT = 32;
/**
 * L: hyperv.h `MAX_MULTIPAGE_BUFFER_PACKET` = 0x18 (the GPA-direct descriptor) +
 * `sizeof(struct hv_multipage_buffer)` (u32 len, u32 offset, u64 pfn_array[32]) = 24 + 264.
 */
export const MAX_MULTIPAGE_BUFFER_PACKET = 0x18 + 8 + MAX_MULTIPAGE_BUFFER_COUNT * 8;

/** L: storvsc_drv.c `storvsc_ringbuffer_size` default. */
export const STORVSC_RING_BUFFER_SIZE = 128 * 1024;
/** L: storvsc_drv.c `storvsc_vcpus_per_sub_channel` default. */
export const STORVSC_VCPUS_PER_SUB_CHANNEL = 4;
/** L: storvsc_drv.c `ring_avail_percent_lowater` default. */
export const STORVSC_RING_AVAIL_PERCENT_LOWATER = 10;

function alignUp(value: number, alignment: number): number {
  return Math.ceil(value / alignment) * alignment;
}

/**
 * L: hyperv.h `VMBUS_RING_SIZE(payload_sz)`: a ring of at least 8 header-sizes steals its
 * header page from the payload; a smaller one gets a header page added. Page aligned.
 */
export function vmbusRingSize(payloadBytes: number): number {
  checkUint(payloadBytes, 0xffff_ffff, 'vmbusRingSize.payloadBytes');
  const headerAdjustment =
    payloadBytes >= 8 * HV_RING_BUFFER_HEADER_SIZE ? 0 : HV_RING_BUFFER_HEADER_SIZE;
  return alignUp(headerAdjustment + payloadBytes, HV_HYP_PAGE_SIZE);
}

/**
 * The ring bytes storvsc budgets for one outstanding request: the largest GPA-direct
 * descriptor, one vstor_packet and the 8-byte trailer, 8-byte aligned
 * (L: storvsc_drv_init — `ALIGN(MAX_MULTIPAGE_BUFFER_PACKET + sizeof(struct vstor_packet) +
 * sizeof(u64), sizeof(u64))`).
 */
export const STORVSC_REQUEST_RING_BYTES = alignUp(
  MAX_MULTIPAGE_BUFFER_PACKET + VSTOR_PACKET_SIZE + 8,
  8,
);

/**
 * How many requests storvsc lets be outstanding on one channel whose rings were requested
 * with `ringBufferSize` bytes (HYPERV.md rule 18: ≈ 352 for 128 KiB).
 * L: storvsc_drv_init — `(aligned_ringbuffer_size - PAGE_SIZE) / ALIGN(...)`.
 *
 * @example
 * storvscMaxOutstandingRequestsPerChannel(128 * 1024); // 352
 */
export function storvscMaxOutstandingRequestsPerChannel(
  ringBufferSize = STORVSC_RING_BUFFER_SIZE,
): number {
  const aligned = vmbusRingSize(ringBufferSize);
  return Math.max(0, Math.floor((aligned - HV_HYP_PAGE_SIZE) / STORVSC_REQUEST_RING_BYTES));
}

/** Inputs of {@link storvscHostQueueDepth}; defaults are storvsc's module parameters. */
export interface StorvscQueueDepthInput {
  /** Online vCPUs of the guest. */
  readonly vcpus: number;
  readonly ringBufferSize?: number;
  readonly vcpusPerSubChannel?: number;
  readonly ringAvailPercentLowater?: number;
  /** IDE controllers get no sub-channels. */
  readonly isIde?: boolean;
}

/**
 * The sub-channels storvsc sizes its queue for: `(vcpus - 1) / vcpus_per_sub_channel`
 * (L: storvsc_probe `max_sub_channels`; IDE has none).
 */
export function storvscMaxSubChannels(
  vcpus: number,
  vcpusPerSubChannel = STORVSC_VCPUS_PER_SUB_CHANNEL,
  isIde = false,
): number {
  checkUint(vcpus, 0xffff, 'storvscMaxSubChannels.vcpus');
  checkUint(vcpusPerSubChannel, 0xffff, 'storvscMaxSubChannels.vcpusPerSubChannel');
  if (isIde || vcpus === 0 || vcpusPerSubChannel === 0) return 0;
  return Math.floor((vcpus - 1) / vcpusPerSubChannel);
}

/**
 * The SCSI host queue depth (`can_queue`) storvsc registers (HYPERV.md rule 18:
 * ≈ 352 × (sub-channels + 1) × 90 %). L: storvsc_probe — `max_outstanding_req_per_channel *
 * (max_sub_channels + 1) * (100 - ring_avail_percent_lowater) / 100`, integer arithmetic.
 *
 * @example
 * storvscHostQueueDepth({ vcpus: 8 }); // 352 * 2 * 90 / 100 = 633
 */
export function storvscHostQueueDepth(input: StorvscQueueDepthInput): number {
  const perChannel = storvscMaxOutstandingRequestsPerChannel(input.ringBufferSize);
  const subChannels = storvscMaxSubChannels(
    input.vcpus,
    input.vcpusPerSubChannel,
    input.isIde ?? false,
  );
  const lowater = checkUint(
    input.ringAvailPercentLowater ?? STORVSC_RING_AVAIL_PERCENT_LOWATER,
    100,
    'storvscHostQueueDepth.ringAvailPercentLowater',
  );
  return Math.floor((perChannel * (subChannels + 1) * (100 - lowater)) / 100);
}
