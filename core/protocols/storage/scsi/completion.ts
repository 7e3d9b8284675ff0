import { checkU32 } from '../../codec/bounds.js';
import {
  SRB_STATUS_AUTOSENSE_VALID,
  STORVSC_MAX_CMD_LEN,
  STORVSC_SENSE_BUFFER_SIZE,
  SrbStatus,
  VMSCSI_REQUEST_SIZE,
  VstorNtStatus,
  srbStatusCode,
} from '../constants.js';
import type { VmscsiRequest } from '../srb.js';
import type { ScsiCommandRejection } from './cdb.js';
import { ScsiStatus } from './constants.js';
import { encodeFixedSense, illegalRequestSense } from './sense.js';
import type { SenseData } from './sense.js';

/** The outcome of one SCSI command, before it is written into a COMPLETE_IO. */
export interface ScsiCompletion {
  /** SRB status code (without flags; AUTOSENSE_VALID is added when `sense` is set). */
  readonly srbStatus: number;
  readonly scsiStatus: number;
  readonly sense: SenseData | undefined;
  /** Bytes actually transferred. */
  readonly dataTransferLength: number;
}

/** A command that completed: SRB_STATUS_SUCCESS, GOOD. */
export function scsiGoodCompletion(dataTransferLength: number): ScsiCompletion {
  return {
    srbStatus: SrbStatus.SUCCESS,
    scsiStatus: ScsiStatus.GOOD,
    sense: undefined,
    dataTransferLength,
  };
}

/**
 * The completion of a CDB the disk refuses: SRB_STATUS_INVALID_REQUEST, CHECK CONDITION and
 * ILLEGAL REQUEST sense carrying the rejection's ASC (O: scsidisk `ScsiError::IllegalRequest`
 * → `SrbStatus::INVALID_REQUEST`, `ScsiStatus::CHECK_CONDITION`). For an unknown opcode the
 * ASC is INVALID COMMAND OPERATION CODE (0x20).
 *
 * @example
 * const c = scsiRejectionCompletion(decodeCdb(cdb, 0, 16) as ScsiCommandRejection);
 */
export function scsiRejectionCompletion(rejection: ScsiCommandRejection): ScsiCompletion {
  return {
    srbStatus: SrbStatus.INVALID_REQUEST,
    scsiStatus: ScsiStatus.CHECK_CONDITION,
    sense: illegalRequestSense(rejection.asc, rejection.ascq),
    dataTransferLength: 0,
  };
}

/**
 * The NTSTATUS storvsp puts in `vstor_packet.status` for an SRB status
 * (O: storvsp `convert_srb_status_to_nt_status`).
 */
export function ntStatusForSrbStatus(srbStatus: number): number {
  switch (srbStatusCode(srbStatus)) {
    case SrbStatus.SUCCESS:
      return VstorNtStatus.SUCCESS;
    case SrbStatus.BUSY:
      return VstorNtStatus.DEVICE_BUSY;
    case SrbStatus.INVALID_LUN:
    case SrbStatus.INVALID_TARGET_ID:
    case SrbStatus.NO_DEVICE:
    case SrbStatus.NO_HBA:
      return VstorNtStatus.DEVICE_DOES_NOT_EXIST;
    case SrbStatus.COMMAND_TIMEOUT:
    case SrbStatus.TIMEOUT:
      return VstorNtStatus.IO_TIMEOUT;
    case SrbStatus.SELECTION_TIMEOUT:
      return VstorNtStatus.DEVICE_NOT_CONNECTED;
    case SrbStatus.BAD_FUNCTION:
    case SrbStatus.BAD_SRB_BLOCK_LENGTH:
      return VstorNtStatus.INVALID_DEVICE_REQUEST;
    case SrbStatus.DATA_OVERRUN:
      return VstorNtStatus.BUFFER_OVERFLOW;
    case SrbStatus.REQUEST_FLUSHED:
      return VstorNtStatus.UNSUCCESSFUL;
    case SrbStatus.ABORTED:
      return VstorNtStatus.CANCELLED;
    default:
      return VstorNtStatus.IO_DEVICE_ERROR;
  }
}

/**
 * Fills `srb` as the `vm_srb` of the COMPLETE_IO answering a request, the way storvsp builds it
 * (O: storvsp `handle_completion`): every field zero except the length, statuses (with
 * AUTOSENSE_VALID when sense is present), the transferred bytes, `cdb_length` 16,
 * `sense_info_length` 20 and the sense bytes. Writes into `srb` so the fast path allocates
 * nothing.
 */
export function writeScsiCompletion(srb: VmscsiRequest, completion: ScsiCompletion): void {
  srb.length = VMSCSI_REQUEST_SIZE;
  srb.srbStatus =
    srbStatusCode(completion.srbStatus) |
    (completion.sense !== undefined ? SRB_STATUS_AUTOSENSE_VALID : 0);
  srb.scsiStatus = completion.scsiStatus;
  srb.portNumber = 0;
  srb.pathId = 0;
  srb.targetId = 0;
  srb.lun = 0;
  srb.cdbLength = STORVSC_MAX_CMD_LEN;
  srb.senseInfoLength = STORVSC_SENSE_BUFFER_SIZE;
  srb.dataIn = 0;
  srb.reserved = 0;
  srb.dataTransferLength = checkU32(completion.dataTransferLength, 'completion.dataTransferLength');
  srb.cdbOrSense.fill(0);
  if (completion.sense !== undefined) encodeFixedSense(completion.sense, srb.cdbOrSense, 0);
  srb.reserve = 0;
  srb.queueTag = 0;
  srb.queueAction = 0;
  srb.srbFlags = 0;
  srb.timeOutValue = 0;
  srb.queueSortKey = 0;
}
