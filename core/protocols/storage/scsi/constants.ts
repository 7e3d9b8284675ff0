/**
 * The slice of SCSI (T10 SPC-4 / SBC-3) a Hyper-V guest's storvsc and sd driver use against a
 * synthetic disk, with the values openvmm's scsidisk answers with (O: scsi_defs, scsidisk).
 */

/** Operation codes (CDB byte 0). */
export const ScsiOpcode = {
  TEST_UNIT_READY: 0x00,
  REQUEST_SENSE: 0x03,
  INQUIRY: 0x12,
  MODE_SELECT_6: 0x15,
  MODE_SENSE_6: 0x1a,
  START_STOP_UNIT: 0x1b,
  READ_CAPACITY_10: 0x25,
  READ_10: 0x28,
  WRITE_10: 0x2a,
  SYNCHRONIZE_CACHE_10: 0x35,
  WRITE_SAME_10: 0x41,
  UNMAP: 0x42,
  MODE_SELECT_10: 0x55,
  MODE_SENSE_10: 0x5a,
  ATA_16: 0x85,
  READ_16: 0x88,
  WRITE_16: 0x8a,
  SYNCHRONIZE_CACHE_16: 0x91,
  WRITE_SAME_16: 0x93,
  SERVICE_ACTION_IN_16: 0x9e,
  REPORT_LUNS: 0xa0,
  ATA_12: 0xa1,
  MAINTENANCE_IN: 0xa3,
} as const;

/** SERVICE ACTION IN(16) service action for READ CAPACITY(16). */
export const SAI_READ_CAPACITY_16 = 0x10;

/** SAM status byte (`vmscsi_request.scsi_status`). */
export const ScsiStatus = {
  GOOD: 0x00,
  CHECK_CONDITION: 0x02,
  CONDITION_MET: 0x04,
  BUSY: 0x08,
  RESERVATION_CONFLICT: 0x18,
  TASK_SET_FULL: 0x28,
  ACA_ACTIVE: 0x30,
  TASK_ABORTED: 0x40,
} as const;

/** Sense keys (SPC-4 table 51). */
export const SenseKey = {
  NO_SENSE: 0x0,
  RECOVERED_ERROR: 0x1,
  NOT_READY: 0x2,
  MEDIUM_ERROR: 0x3,
  HARDWARE_ERROR: 0x4,
  ILLEGAL_REQUEST: 0x5,
  UNIT_ATTENTION: 0x6,
  DATA_PROTECT: 0x7,
  BLANK_CHECK: 0x8,
  VENDOR_SPECIFIC: 0x9,
  COPY_ABORTED: 0xa,
  ABORTED_COMMAND: 0xb,
  VOLUME_OVERFLOW: 0xd,
  MISCOMPARE: 0xe,
} as const;

/** Additional sense codes (ASC) used here; the qualifier (ASCQ) is 0 unless noted. */
export const AdditionalSenseCode = {
  NO_ADDITIONAL_SENSE: 0x00,
  LOGICAL_UNIT_NOT_READY: 0x04,
  PARAMETER_LIST_LENGTH_ERROR: 0x1a,
  INVALID_COMMAND_OPERATION_CODE: 0x20,
  LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE: 0x21,
  INVALID_FIELD_IN_CDB: 0x24,
  LOGICAL_UNIT_NOT_SUPPORTED: 0x25,
  INVALID_FIELD_IN_PARAMETER_LIST: 0x26,
  WRITE_PROTECTED: 0x27,
  /** With ASCQ 0x09: CAPACITY DATA HAS CHANGED (storvsc rescans, L: storvsc_handle_error). */
  PARAMETERS_CHANGED: 0x2a,
  MEDIUM_NOT_PRESENT: 0x3a,
} as const;

/** ASCQ for PARAMETERS CHANGED: capacity data has changed. */
export const ASCQ_CAPACITY_DATA_CHANGED = 0x09;

/** Peripheral device types (INQUIRY byte 0 bits 4..0). */
export const PeripheralDeviceType = {
  DIRECT_ACCESS_BLOCK: 0x00,
  SEQUENTIAL_ACCESS: 0x01,
  CD_DVD: 0x05,
  UNKNOWN: 0x1f,
} as const;

/** Peripheral qualifier (INQUIRY byte 0 bits 7..5); 3 = no logical unit at this LUN. */
export const PeripheralQualifier = {
  CONNECTED: 0,
  NOT_CONNECTED: 1,
  NOT_SUPPORTED: 3,
} as const;

/** Vital product data pages Linux sd reads with `BLIST_TRY_VPD_PAGES` (L: storvsc_device_alloc). */
export const VpdPageCode = {
  SUPPORTED_PAGES: 0x00,
  UNIT_SERIAL_NUMBER: 0x80,
  DEVICE_IDENTIFICATION: 0x83,
  BLOCK_LIMITS: 0xb0,
  BLOCK_DEVICE_CHARACTERISTICS: 0xb1,
  LOGICAL_BLOCK_PROVISIONING: 0xb2,
} as const;

/** Mode page codes; sd asks for the caching page to learn the write-cache state. */
export const ModePageCode = {
  CACHING: 0x08,
  ALL_PAGES: 0x3f,
} as const;

/** Fixed-format sense data size written here (SPC-4 §4.5.3: 8 + additional length 10). */
export const FIXED_SENSE_DATA_SIZE = 18;
/** Standard INQUIRY data size (SPC-4 §6.6.2: bytes 0..35). */
export const STANDARD_INQUIRY_DATA_SIZE = 36;
