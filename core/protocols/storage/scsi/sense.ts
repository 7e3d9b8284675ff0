import {
  badWindow,
  checkTarget,
  checkU32,
  checkU8,
  checkUint,
  encodeFail,
  truncated,
} from '../../codec/bounds.js';
import { readU32BE, writeU32BE, zero } from '../../codec/le.js';
import { decoded, rejected } from '../../codec/result.js';
import type { DecodeResult } from '../../codec/result.js';
import { AdditionalSenseCode, FIXED_SENSE_DATA_SIZE, SenseKey } from './constants.js';

/**
 * SCSI sense data (SPC-4 §4.5). Fixed format, as storvsp writes it into the 20-byte
 * `vmscsi_request.sense_data` of a COMPLETE_IO (O: storvsp `handle_completion`):
 *
 * byte 0: VALID (bit 7) | response code 0x70 (current) or 0x71 (deferred)
 * byte 2: sense key (bits 3..0); bytes 3..6: INFORMATION (big-endian)
 * byte 7: additional sense length (10); byte 12: ASC; byte 13: ASCQ
 */
export interface SenseData {
  /** 0x70/0x71 fixed, 0x72/0x73 descriptor format (decode only). */
  readonly responseCode: number;
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  /** The INFORMATION field (e.g. the failing LBA) with VALID set; `undefined` if not valid. */
  readonly information: number | undefined;
}

/** Fixed-format current error (SPC-4). */
export const SENSE_RESPONSE_CODE_CURRENT_FIXED = 0x70;
export const SENSE_RESPONSE_CODE_DEFERRED_FIXED = 0x71;
export const SENSE_RESPONSE_CODE_CURRENT_DESCRIPTOR = 0x72;
export const SENSE_RESPONSE_CODE_DEFERRED_DESCRIPTOR = 0x73;

/**
 * Writes fixed-format sense data (18 bytes) and returns 18.
 *
 * @example
 * encodeFixedSense(illegalRequestSense(AdditionalSenseCode.INVALID_COMMAND_OPERATION_CODE), buf, 0);
 */
export function encodeFixedSense(sense: SenseData, target: Uint8Array, offset: number): number {
  checkTarget(target, offset, FIXED_SENSE_DATA_SIZE, 'sense data');
  if (
    sense.responseCode !== SENSE_RESPONSE_CODE_CURRENT_FIXED &&
    sense.responseCode !== SENSE_RESPONSE_CODE_DEFERRED_FIXED
  ) {
    encodeFail('sense.responseCode', 'fixed format is 0x70 (current) or 0x71 (deferred)');
  }
  zero(target, offset, offset + FIXED_SENSE_DATA_SIZE);
  const valid = sense.information !== undefined;
  target[offset] = sense.responseCode | (valid ? 0x80 : 0);
  target[offset + 2] = checkUint(sense.senseKey, 0xf, 'sense.senseKey');
  if (valid) writeU32BE(target, offset + 3, checkU32(sense.information, 'sense.information'));
  target[offset + 7] = FIXED_SENSE_DATA_SIZE - 8;
  target[offset + 12] = checkU8(sense.asc, 'sense.asc');
  target[offset + 13] = checkU8(sense.ascq, 'sense.ascq');
  return FIXED_SENSE_DATA_SIZE;
}

/**
 * Reads sense data in fixed or descriptor format. Needs the bytes up to ASCQ: 14 for fixed,
 * 4 for descriptor format (the descriptors themselves are not interpreted).
 */
export function decodeSense(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<SenseData> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < 1) return truncated('sense data', 1, length);
  const responseCode = bytes[offset] & 0x7f;
  if (
    responseCode === SENSE_RESPONSE_CODE_CURRENT_DESCRIPTOR ||
    responseCode === SENSE_RESPONSE_CODE_DEFERRED_DESCRIPTOR
  ) {
    if (length < 4) return truncated('descriptor sense', 4, length);
    return decoded({
      responseCode,
      senseKey: bytes[offset + 1] & 0xf,
      asc: bytes[offset + 2],
      ascq: bytes[offset + 3],
      information: undefined,
    });
  }
  if (
    responseCode !== SENSE_RESPONSE_CODE_CURRENT_FIXED &&
    responseCode !== SENSE_RESPONSE_CODE_DEFERRED_FIXED
  ) {
    return rejected('unknown-type', 'scsi.senseResponseCode', {
      code: `0x${responseCode.toString(16)}`,
    });
  }
  if (length < 14) return truncated('fixed sense through ASCQ', 14, length);
  const valid = (bytes[offset] & 0x80) !== 0;
  return decoded({
    responseCode,
    senseKey: bytes[offset + 2] & 0xf,
    asc: bytes[offset + 12],
    ascq: bytes[offset + 13],
    information: valid ? readU32BE(bytes, offset + 3) : undefined,
  });
}

/** Current-error sense for `senseKey`/`asc`/`ascq`. */
export function checkConditionSense(senseKey: number, asc: number, ascq = 0): SenseData {
  return {
    responseCode: SENSE_RESPONSE_CODE_CURRENT_FIXED,
    senseKey,
    asc,
    ascq,
    information: undefined,
  };
}

/** ILLEGAL REQUEST with the given ASC (O: scsidisk `illegal_request_sense`). */
export function illegalRequestSense(asc: number, ascq = 0): SenseData {
  return checkConditionSense(SenseKey.ILLEGAL_REQUEST, asc, ascq);
}

/** ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE: the answer to an opcode the disk lacks. */
export function invalidOpcodeSense(): SenseData {
  return illegalRequestSense(AdditionalSenseCode.INVALID_COMMAND_OPERATION_CODE);
}
