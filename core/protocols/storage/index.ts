export * from './constants.js';
export {
  HV_HYP_PAGE_SIZE,
  HV_RING_BUFFER_HEADER_SIZE,
  MAX_MULTIPAGE_BUFFER_COUNT,
  MAX_MULTIPAGE_BUFFER_PACKET,
  STORVSC_REQUEST_RING_BYTES,
  STORVSC_RING_AVAIL_PERCENT_LOWATER,
  STORVSC_RING_BUFFER_SIZE,
  STORVSC_VCPUS_PER_SUB_CHANNEL,
  VSTOR_PACKET_SIZE,
  senseBufferSize,
  storvscHostQueueDepth,
  storvscMaxOutstandingRequestsPerChannel,
  storvscMaxSubChannels,
  vmbusRingSize,
  vmscsiRequestSize,
  vmscsiSizeDelta,
  vstorPacketSize,
} from './sizes.js';
export type { StorvscQueueDepthInput } from './sizes.js';
export { VmscsiRequestOffset, createVmscsiRequest } from './srb.js';
export type { VmscsiRequest } from './srb.js';
export {
  createVstorSrbPacket,
  decodeVstorSrbInto,
  encodeVstorSrbPacket,
} from './vstor-srb-packet.js';
export type { VstorCodecOptions, VstorSrbPacket } from './vstor-srb-packet.js';
export {
  decodeVstorHostMessage,
  decodeVstorRequest,
  encodeVstorHostMessage,
  encodeVstorRequest,
} from './vstor-messages.js';
export type {
  VmstorageChannelProperties,
  VstorCompletionResult,
  VstorHostDecodeOptions,
  VstorHostMessage,
  VstorRequest,
} from './vstor-messages.js';
export {
  VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED,
  VmbusPacketType,
  checkSrbDataRange,
  checkTransactional,
  checkVstorRequestDescriptor,
} from './checks.js';
export type { VmbusDescriptorView } from './checks.js';
export {
  DEFAULT_STORVSP_CONFIG,
  storvscInitOnCompletion,
  storvscInitOnTimeout,
  storvscInitStart,
  storvscSubChannelRequest,
  storvspInitStep,
} from './init-sequence.js';
export type {
  StorvscInitPhase,
  StorvscInitState,
  StorvscInitStep,
  StorvspConfig,
  StorvspInitState,
  StorvspStep,
  VstorCompletionView,
} from './init-sequence.js';
export * as scsi from './scsi/index.js';
