/**
 * Constants of the Hyper-V synthetic storage protocol (storvsc ↔ storvsp).
 * L: drivers/scsi/storvsc_drv.c; O: vm/devices/storage/storvsp_protocol/src/lib.rs.
 */

/** `enum vstor_packet_operation` (L: storvsc_drv.c). */
export const VstorOperation = {
  COMPLETE_IO: 1,
  REMOVE_DEVICE: 2,
  EXECUTE_SRB: 3,
  RESET_LUN: 4,
  RESET_ADAPTER: 5,
  RESET_BUS: 6,
  BEGIN_INITIALIZATION: 7,
  END_INITIALIZATION: 8,
  QUERY_PROTOCOL_VERSION: 9,
  QUERY_PROPERTIES: 10,
  ENUMERATE_BUS: 11,
  FCHBA_DATA: 12,
  CREATE_SUB_CHANNELS: 13,
} as const;
export type VstorOperation = (typeof VstorOperation)[keyof typeof VstorOperation];

/** L: `VSTOR_OPERATION_MAXIMUM` — nothing above 13 is a storvsc operation. */
export const VSTOR_OPERATION_MAXIMUM = 13;

/** `vstor_packet.flags`: the server should send back a completion (L: REQUEST_COMPLETION_FLAG). */
export const REQUEST_COMPLETION_FLAG = 0x1;

/** `VMSTOR_PROTO_VERSION(major, minor)` = major << 8 | minor (L: storvsc_drv.c). */
export function vmstorProtocolVersion(major: number, minor: number): number {
  return ((major & 0xff) << 8) | (minor & 0xff);
}

/** Storage protocol versions (L: VMSTOR_PROTO_VERSION_*; O: VERSION_WIN6…VERSION_THRESHOLD). */
export const VmstorProtocolVersion = {
  /** 2.0 (Windows Server 2008). */
  WIN6: 0x0200,
  /** 4.2 (Windows 7 / WS2008 R2). */
  WIN7: 0x0402,
  /** 5.1 (Windows 8 / WS2012): the Win8 SRB extension appears. */
  WIN8: 0x0501,
  /** 6.0 (Windows 8.1 / WS2012 R2). */
  WIN8_1: 0x0600,
  /** 6.2 (Windows 10 / WS2016+). */
  WIN10: 0x0602,
} as const;

/** The order storvsc proposes versions in: 6.2, then 6.0, then 5.1 (L: `protocol_version[]`). */
export const STORVSC_PROTOCOL_PREFERENCE: readonly number[] = Object.freeze([
  VmstorProtocolVersion.WIN10,
  VmstorProtocolVersion.WIN8_1,
  VmstorProtocolVersion.WIN8,
]);

/** `vmstorage_channel_properties.flags` bit: the host supports sub-channels. */
export const STORAGE_CHANNEL_SUPPORTS_MULTI_CHANNEL = 0x1;
/** Offer-time channel property flags (L: STORAGE_CHANNEL_*_FLAG). */
export const STORAGE_CHANNEL_REMOVABLE_FLAG = 0x1;
export const STORAGE_CHANNEL_EMULATED_IDE_FLAG = 0x2;

/** `vmscsi_request.data_in` (L: `enum storvsc_request_type`, "Matches Windows-end"). */
export const VmscsiDirection = {
  /** Data flows from guest memory to the disk. */
  WRITE: 0,
  /** Data flows from the disk into guest memory. */
  READ: 1,
  /** No data phase. */
  UNKNOWN: 2,
} as const;
export type VmscsiDirection = (typeof VmscsiDirection)[keyof typeof VmscsiDirection];

/** SRB status: the low 6 bits are a code, the top 2 bits flags (L, O: scsi_defs::srb). */
export const SrbStatus = {
  PENDING: 0x00,
  SUCCESS: 0x01,
  ABORTED: 0x02,
  ABORT_FAILED: 0x03,
  ERROR: 0x04,
  BUSY: 0x05,
  INVALID_REQUEST: 0x06,
  INVALID_PATH_ID: 0x07,
  NO_DEVICE: 0x08,
  TIMEOUT: 0x09,
  SELECTION_TIMEOUT: 0x0a,
  COMMAND_TIMEOUT: 0x0b,
  MESSAGE_REJECTED: 0x0d,
  BUS_RESET: 0x0e,
  PARITY_ERROR: 0x0f,
  REQUEST_SENSE_FAILED: 0x10,
  NO_HBA: 0x11,
  DATA_OVERRUN: 0x12,
  UNEXPECTED_BUS_FREE: 0x13,
  PHASE_SEQUENCE_FAILURE: 0x14,
  BAD_SRB_BLOCK_LENGTH: 0x15,
  REQUEST_FLUSHED: 0x16,
  INVALID_LUN: 0x20,
  INVALID_TARGET_ID: 0x21,
  BAD_FUNCTION: 0x22,
  ERROR_RECOVERY: 0x23,
  NOT_POWERED: 0x24,
  LINK_DOWN: 0x25,
  INTERNAL_ERROR: 0x30,
} as const;

/** SRB status flag: the port driver froze the queue. */
export const SRB_STATUS_QUEUE_FROZEN = 0x40;
/** SRB status flag: `sense_data` holds valid autosense (L: SRB_STATUS_AUTOSENSE_VALID). */
export const SRB_STATUS_AUTOSENSE_VALID = 0x80;

/** The status code without its two flag bits (L: `SRB_STATUS(status)`). */
export function srbStatusCode(srbStatus: number): number {
  return srbStatus & ~(SRB_STATUS_AUTOSENSE_VALID | SRB_STATUS_QUEUE_FROZEN) & 0xff;
}

/** `vmscsi_request.srb_flags` bits (Win8 extension; L: SRB_FLAGS_*). */
export const SrbFlags = {
  QUEUE_ACTION_ENABLE: 0x0000_0002,
  DISABLE_DISCONNECT: 0x0000_0004,
  DISABLE_SYNCH_TRANSFER: 0x0000_0008,
  BYPASS_FROZEN_QUEUE: 0x0000_0010,
  DISABLE_AUTOSENSE: 0x0000_0020,
  DATA_IN: 0x0000_0040,
  DATA_OUT: 0x0000_0080,
  NO_DATA_TRANSFER: 0x0000_0000,
  NO_QUEUE_FREEZE: 0x0000_0100,
  ADAPTER_CACHE_ENABLE: 0x0000_0200,
  FREE_SENSE_BUFFER: 0x0000_0400,
  D3_PROCESSING: 0x0000_0800,
} as const;

/** L: `SP_UNTAGGED` and `SRB_SIMPLE_TAG_REQUEST` as storvsc sets them for tagged devices. */
export const SP_UNTAGGED = 0xff;
export const SRB_SIMPLE_TAG_REQUEST = 0x20;
/** L: storvsc_queuecommand sets `time_out_value = 60`. */
export const STORVSC_SRB_TIMEOUT_SECONDS = 60;

/** NTSTATUS values storvsp puts in `vstor_packet.status` (O: storvsp_protocol NtStatus). */
export const VstorNtStatus = {
  SUCCESS: 0x0000_0000,
  BUFFER_OVERFLOW: 0x8000_0005,
  DEVICE_BUSY: 0x8000_0011,
  UNSUCCESSFUL: 0xc000_0001,
  INVALID_PARAMETER: 0xc000_000d,
  INVALID_DEVICE_REQUEST: 0xc000_0010,
  REVISION_MISMATCH: 0xc000_0059,
  DEVICE_NOT_CONNECTED: 0xc000_009d,
  IO_TIMEOUT: 0xc000_00b5,
  DEVICE_DOES_NOT_EXIST: 0xc000_00c0,
  CANCELLED: 0xc000_0120,
  INVALID_DEVICE_STATE: 0xc000_0184,
  IO_DEVICE_ERROR: 0xc000_0185,
} as const;

/** Wire sizes (L: storvsc_drv.c struct layouts, all `__packed`). */
export const VSTOR_PACKET_HEADER_SIZE = 12; // operation u32, flags u32, status u32
/** `STORVSC_MAX_CMD_LEN`: the CDB array. */
export const STORVSC_MAX_CMD_LEN = 0x10;
/** `STORVSC_SENSE_BUFFER_SIZE` (Win8+; 0x12 before Win8). */
export const STORVSC_SENSE_BUFFER_SIZE = 0x14;
export const PRE_WIN8_STORVSC_SENSE_BUFFER_SIZE = 0x12;
/** `STORVSC_MAX_BUF_LEN_WITH_PADDING`: the cdb/sense union. */
export const STORVSC_MAX_BUF_LEN_WITH_PADDING = 0x14;
/** `sizeof(struct vmscsi_win8_extension)` = 2 + 1 + 1 + 4 + 4 + 4. */
export const VMSCSI_WIN8_EXTENSION_SIZE = 16;
/** `sizeof(struct vmscsi_request)` with the Win8 extension (O: SCSI_REQUEST_LEN_V2 = 0x34). */
export const VMSCSI_REQUEST_SIZE = 0x34;
/** Without it, as sent to pre-Win8 hosts (O: SCSI_REQUEST_LEN_V1 = 0x24). */
export const VMSCSI_REQUEST_SIZE_PRE_WIN8 = 0x24;
/** `sizeof(struct vmstorage_channel_properties)` = 4 + 2 + 2 + 4 + 4 + 8. */
export const VMSTORAGE_CHANNEL_PROPERTIES_SIZE = 24;
/** `sizeof(struct vmstorage_protocol_version)`. */
export const VMSTORAGE_PROTOCOL_VERSION_SIZE = 4;

/** L: storvsc_drv.c — the targets/LUNs/channels a synthetic SCSI controller exposes. */
export const STORVSC_MAX_LUNS_PER_TARGET = 255;
export const STORVSC_MAX_TARGETS = 2;
export const STORVSC_MAX_CHANNELS = 8;
