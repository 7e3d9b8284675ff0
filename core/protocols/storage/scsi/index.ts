export * from './constants.js';
export { createScsiReadWrite, decodeCdb, decodeReadWriteInto, encodeCdb, opcodeOf } from './cdb.js';
export type {
  CdbDecodeOutcome,
  MutableScsiReadWrite,
  ScsiCommand,
  ScsiCommandRejection,
  ScsiReadWrite,
} from './cdb.js';
export {
  SENSE_RESPONSE_CODE_CURRENT_DESCRIPTOR,
  SENSE_RESPONSE_CODE_CURRENT_FIXED,
  SENSE_RESPONSE_CODE_DEFERRED_DESCRIPTOR,
  SENSE_RESPONSE_CODE_DEFERRED_FIXED,
  checkConditionSense,
  decodeSense,
  encodeFixedSense,
  illegalRequestSense,
  invalidOpcodeSense,
} from './sense.js';
export type { SenseData } from './sense.js';
export {
  ntStatusForSrbStatus,
  scsiGoodCompletion,
  scsiRejectionCompletion,
  writeScsiCompletion,
} from './completion.js';
export type { ScsiCompletion } from './completion.js';
export { decodeStandardInquiry, encodeStandardInquiry } from './inquiry.js';
export type { StandardInquiryData } from './inquiry.js';
export {
  asciiPayload,
  blockDeviceCharacteristicsPayload,
  blockLimitsPayload,
  decodeBlockDeviceCharacteristicsPayload,
  decodeBlockLimitsPayload,
  decodeDeviceIdentificationPayload,
  decodeLogicalBlockProvisioningPayload,
  decodeVpdPage,
  deviceIdentificationPayload,
  encodeVpdPage,
  logicalBlockProvisioningPayload,
  readAsciiPayload,
  supportedPagesPayload,
} from './vpd.js';
export type { BlockLimits, LogicalBlockProvisioning, VpdDesignator, VpdPage } from './vpd.js';
export {
  READ_CAPACITY_10_DATA_SIZE,
  READ_CAPACITY_16_DATA_SIZE,
  decodeReadCapacity10,
  decodeReadCapacity16,
  encodeReadCapacity10,
  encodeReadCapacity16,
  readCapacity10For,
} from './capacity.js';
export type { ReadCapacity10Data, ReadCapacity16Data } from './capacity.js';
export {
  decodeReportLuns,
  encodeReportLuns,
  readReportLunsListLength,
  reportLunsSize,
} from './report-luns.js';
export type { ReportLunsData } from './report-luns.js';
export { decodeModeSense, encodeModeSense, modeSenseSize } from './mode-sense.js';
export type { CachingModePage, ModeSenseData } from './mode-sense.js';
