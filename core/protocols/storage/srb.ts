import { checkExactBytes, checkU16, checkU32, checkU8, checkUint } from '../codec/bounds.js';
import { copyBytes, readU16, readU32, writeU16, writeU32, zero } from '../codec/le.js';
import { rejected } from '../codec/result.js';
import type { DecodeFailure } from '../codec/result.js';
import {
  STORVSC_MAX_BUF_LEN_WITH_PADDING,
  STORVSC_MAX_CMD_LEN,
  STORVSC_SENSE_BUFFER_SIZE,
  VMSCSI_REQUEST_SIZE_PRE_WIN8,
  VmscsiDirection,
} from './constants.js';

/**
 * `struct vmscsi_request` (L: storvsc_drv.c; O: storvsp_protocol `ScsiRequest`), packed,
 * little-endian. Byte offsets inside the struct:
 *
 * | off | field                | off | field (Win8 extension)  |
 * |-----|----------------------|-----|-------------------------|
 * | 0   | length u16           | 36  | reserve u16             |
 * | 2   | srb_status u8        | 38  | queue_tag u8            |
 * | 3   | scsi_status u8       | 39  | queue_action u8         |
 * | 4   | port_number u8       | 40  | srb_flags u32           |
 * | 5   | path_id u8           | 44  | time_out_value u32      |
 * | 6   | target_id u8         | 48  | queue_sort_ey u32       |
 * | 7   | lun u8               | 52  | (end)                   |
 * | 8   | cdb_length u8        |     |                         |
 * | 9   | sense_info_length u8 |     |                         |
 * | 10  | data_in u8           |     |                         |
 * | 11  | reserved u8          |     |                         |
 * | 12  | data_transfer_length u32                              |
 * | 16  | union { cdb[16]; sense_data[20] } (20 bytes)          |
 *
 * Objects of this shape are mutable so the storage fast path can decode into a reused one.
 */
export interface VmscsiRequest {
  /** `sizeof(struct vmscsi_request)` as the sender saw it (0x34, or 0x24 before Win8). */
  length: number;
  srbStatus: number;
  scsiStatus: number;
  /** The SCSI host number in the guest; the host ignores it (O: `reserved1`). */
  portNumber: number;
  pathId: number;
  targetId: number;
  lun: number;
  /** Valid bytes at the start of `cdbOrSense` in a request (≤ 16). */
  cdbLength: number;
  /** Sense bytes the guest can take (request) / the host returned (completion), ≤ 20. */
  senseInfoLength: number;
  /** {@link VmscsiDirection}: 0 write, 1 read, 2 no data. */
  dataIn: number;
  reserved: number;
  /** Bytes to move (request) / bytes moved (completion). */
  dataTransferLength: number;
  /** The 20-byte union: the CDB in a request, the sense data in a completion. */
  readonly cdbOrSense: Uint8Array;
  /** Win8 extension (zero and not on the wire before protocol 5.1). */
  reserve: number;
  queueTag: number;
  queueAction: number;
  srbFlags: number;
  timeOutValue: number;
  queueSortKey: number;
}

/** Field offsets inside `struct vmscsi_request` (see the table above). */
export const VmscsiRequestOffset = {
  LENGTH: 0,
  SRB_STATUS: 2,
  SCSI_STATUS: 3,
  PORT_NUMBER: 4,
  PATH_ID: 5,
  TARGET_ID: 6,
  LUN: 7,
  CDB_LENGTH: 8,
  SENSE_INFO_LENGTH: 9,
  DATA_IN: 10,
  RESERVED: 11,
  DATA_TRANSFER_LENGTH: 12,
  CDB_OR_SENSE: 16,
  RESERVE: 36,
  QUEUE_TAG: 38,
  QUEUE_ACTION: 39,
  SRB_FLAGS: 40,
  TIME_OUT_VALUE: 44,
  QUEUE_SORT_KEY: 48,
} as const;

/** A zeroed request; pass fields to override. */
export function createVmscsiRequest(fields: Partial<VmscsiRequest> = {}): VmscsiRequest {
  const cdbOrSense = new Uint8Array(STORVSC_MAX_BUF_LEN_WITH_PADDING);
  if (fields.cdbOrSense !== undefined) cdbOrSense.set(fields.cdbOrSense);
  return {
    length: 0,
    srbStatus: 0,
    scsiStatus: 0,
    portNumber: 0,
    pathId: 0,
    targetId: 0,
    lun: 0,
    cdbLength: 0,
    senseInfoLength: 0,
    dataIn: VmscsiDirection.WRITE,
    reserved: 0,
    dataTransferLength: 0,
    reserve: 0,
    queueTag: 0,
    queueAction: 0,
    srbFlags: 0,
    timeOutValue: 0,
    queueSortKey: 0,
    ...fields,
    cdbOrSense,
  };
}

/** Throws `ProtocolEncodeError` unless every field fits its wire width and limit. */
function checkSrbFields(srb: VmscsiRequest, withWin8: boolean): void {
  checkU16(srb.length, 'vmscsi_request.length');
  checkU8(srb.srbStatus, 'vmscsi_request.srb_status');
  checkU8(srb.scsiStatus, 'vmscsi_request.scsi_status');
  checkU8(srb.portNumber, 'vmscsi_request.port_number');
  checkU8(srb.pathId, 'vmscsi_request.path_id');
  checkU8(srb.targetId, 'vmscsi_request.target_id');
  checkU8(srb.lun, 'vmscsi_request.lun');
  checkUint(srb.cdbLength, STORVSC_MAX_CMD_LEN, 'vmscsi_request.cdb_length');
  checkUint(srb.senseInfoLength, STORVSC_SENSE_BUFFER_SIZE, 'vmscsi_request.sense_info_length');
  checkUint(srb.dataIn, VmscsiDirection.UNKNOWN, 'vmscsi_request.data_in');
  checkU8(srb.reserved, 'vmscsi_request.reserved');
  checkU32(srb.dataTransferLength, 'vmscsi_request.data_transfer_length');
  checkExactBytes(srb.cdbOrSense, STORVSC_MAX_BUF_LEN_WITH_PADDING, 'vmscsi_request.cdb');
  if (withWin8) {
    checkU16(srb.reserve, 'vmscsi_request.reserve');
    checkU8(srb.queueTag, 'vmscsi_request.queue_tag');
    checkU8(srb.queueAction, 'vmscsi_request.queue_action');
    checkU32(srb.srbFlags, 'vmscsi_request.srb_flags');
    checkU32(srb.timeOutValue, 'vmscsi_request.time_out_value');
    checkU32(srb.queueSortKey, 'vmscsi_request.queue_sort_ey');
  }
}

/**
 * The hot-path form of {@link checkSrbFields}: a chain of mask tests (`(v & 0xff) === v` is
 * false for non-integers, negatives and values above 255). Only when it fails does the slow,
 * descriptive check run to name the field.
 */
function srbFieldsFit(s: VmscsiRequest, withWin8: boolean): boolean {
  const base =
    (s.length & 0xffff) === s.length &&
    (s.srbStatus & 0xff) === s.srbStatus &&
    (s.scsiStatus & 0xff) === s.scsiStatus &&
    (s.portNumber & 0xff) === s.portNumber &&
    (s.pathId & 0xff) === s.pathId &&
    (s.targetId & 0xff) === s.targetId &&
    (s.lun & 0xff) === s.lun &&
    (s.cdbLength & 0x1f) === s.cdbLength &&
    s.cdbLength <= STORVSC_MAX_CMD_LEN &&
    (s.senseInfoLength & 0x1f) === s.senseInfoLength &&
    s.senseInfoLength <= STORVSC_SENSE_BUFFER_SIZE &&
    (s.dataIn & 0x3) === s.dataIn &&
    s.dataIn <= VmscsiDirection.UNKNOWN &&
    (s.reserved & 0xff) === s.reserved &&
    s.dataTransferLength >>> 0 === s.dataTransferLength &&
    s.cdbOrSense.length === STORVSC_MAX_BUF_LEN_WITH_PADDING;
  if (!withWin8) return base;
  return (
    base &&
    (s.reserve & 0xffff) === s.reserve &&
    (s.queueTag & 0xff) === s.queueTag &&
    (s.queueAction & 0xff) === s.queueAction &&
    s.srbFlags >>> 0 === s.srbFlags &&
    s.timeOutValue >>> 0 === s.timeOutValue &&
    s.queueSortKey >>> 0 === s.queueSortKey
  );
}

/**
 * Writes `srb` at `o` (the caller checked the target holds `size` bytes). `size` is 0x34 with
 * the Win8 extension or 0x24 without.
 */
export function writeVmscsiRequest(
  b: Uint8Array,
  o: number,
  srb: VmscsiRequest,
  size: number,
): void {
  const withWin8 = size > VMSCSI_REQUEST_SIZE_PRE_WIN8;
  if (!srbFieldsFit(srb, withWin8)) checkSrbFields(srb, withWin8);
  writeU16(b, o, srb.length);
  b[o + 2] = srb.srbStatus;
  b[o + 3] = srb.scsiStatus;
  b[o + 4] = srb.portNumber;
  b[o + 5] = srb.pathId;
  b[o + 6] = srb.targetId;
  b[o + 7] = srb.lun;
  b[o + 8] = srb.cdbLength;
  b[o + 9] = srb.senseInfoLength;
  b[o + 10] = srb.dataIn;
  b[o + 11] = srb.reserved;
  writeU32(b, o + 12, srb.dataTransferLength);
  copyBytes(srb.cdbOrSense, 0, b, o + 16, STORVSC_MAX_BUF_LEN_WITH_PADDING);
  if (withWin8) {
    writeU16(b, o + 36, srb.reserve);
    b[o + 38] = srb.queueTag;
    b[o + 39] = srb.queueAction;
    writeU32(b, o + 40, srb.srbFlags);
    writeU32(b, o + 44, srb.timeOutValue);
    writeU32(b, o + 48, srb.queueSortKey);
  }
}

/**
 * Validates then reads a `vmscsi_request` at `o` into `out` (the caller checked `size` bytes
 * are there). Rejects a CDB or sense length that does not fit its array and a direction the
 * protocol does not define; `out` is untouched on rejection.
 */
export function readVmscsiRequestInto(
  b: Uint8Array,
  o: number,
  size: number,
  out: VmscsiRequest,
): DecodeFailure | undefined {
  const cdbLength = b[o + 8];
  const senseInfoLength = b[o + 9];
  const dataIn = b[o + 10];
  if (cdbLength > STORVSC_MAX_CMD_LEN) {
    return rejected('length-out-of-range', 'field.exceeds', {
      field: 'cdb_length',
      value: cdbLength,
      limit: 16,
      what: 'CDB',
    });
  }
  if (senseInfoLength > STORVSC_SENSE_BUFFER_SIZE) {
    return rejected('length-out-of-range', 'field.exceeds', {
      field: 'sense_info_length',
      value: senseInfoLength,
      limit: STORVSC_SENSE_BUFFER_SIZE,
      what: 'sense buffer',
    });
  }
  if (dataIn > VmscsiDirection.UNKNOWN) {
    return rejected('reserved-value', 'srb.dataIn', { value: dataIn });
  }
  out.length = readU16(b, o);
  out.srbStatus = b[o + 2];
  out.scsiStatus = b[o + 3];
  out.portNumber = b[o + 4];
  out.pathId = b[o + 5];
  out.targetId = b[o + 6];
  out.lun = b[o + 7];
  out.cdbLength = cdbLength;
  out.senseInfoLength = senseInfoLength;
  out.dataIn = dataIn;
  out.reserved = b[o + 11];
  out.dataTransferLength = readU32(b, o + 12);
  copyBytes(b, o + 16, out.cdbOrSense, 0, STORVSC_MAX_BUF_LEN_WITH_PADDING);
  if (size > VMSCSI_REQUEST_SIZE_PRE_WIN8) {
    out.reserve = readU16(b, o + 36);
    out.queueTag = b[o + 38];
    out.queueAction = b[o + 39];
    out.srbFlags = readU32(b, o + 40);
    out.timeOutValue = readU32(b, o + 44);
    out.queueSortKey = readU32(b, o + 48);
  } else {
    out.reserve = 0;
    out.queueTag = 0;
    out.queueAction = 0;
    out.srbFlags = 0;
    out.timeOutValue = 0;
    out.queueSortKey = 0;
  }
  return undefined;
}

/** Zeroes the unused tail of a union member so encoded packets carry no stale bytes. */
export function zeroTail(b: Uint8Array, from: number, to: number): void {
  zero(b, from, to);
}
