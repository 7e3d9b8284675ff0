import {
  checkTarget,
  checkU16,
  checkU32,
  checkU8,
  checkUint,
  encodeFail,
} from '../../codec/bounds.js';
import {
  readU16BE,
  readU32BE,
  readU64BESafe,
  writeU16BE,
  writeU32BE,
  writeU64BENumber,
  zero,
} from '../../codec/le.js';
import { AdditionalSenseCode, SAI_READ_CAPACITY_16, ScsiOpcode, SenseKey } from './constants.js';

/**
 * Command descriptor blocks (T10 SBC-3 / SPC-4) of the commands a Linux or Windows guest
 * sends to a Hyper-V synthetic disk. All multi-byte CDB fields are big-endian.
 */
export type ScsiCommand =
  | { readonly kind: 'testUnitReady' }
  | { readonly kind: 'requestSense'; readonly allocationLength: number }
  | {
      readonly kind: 'inquiry';
      /** EVPD: return the vital product data page `pageCode`. */
      readonly evpd: boolean;
      readonly pageCode: number;
      readonly allocationLength: number;
    }
  | {
      readonly kind: 'modeSense6';
      /** DBD: no block descriptors. */
      readonly dbd: boolean;
      /** PC: 0 current, 1 changeable, 2 default, 3 saved. */
      readonly pageControl: number;
      readonly pageCode: number;
      readonly subpageCode: number;
      readonly allocationLength: number;
    }
  | {
      readonly kind: 'modeSense10';
      readonly llbaa: boolean;
      readonly dbd: boolean;
      readonly pageControl: number;
      readonly pageCode: number;
      readonly subpageCode: number;
      readonly allocationLength: number;
    }
  | { readonly kind: 'readCapacity10' }
  | { readonly kind: 'readCapacity16'; readonly allocationLength: number }
  | {
      readonly kind: 'reportLuns';
      readonly selectReport: number;
      readonly allocationLength: number;
    }
  | ScsiReadWrite
  | {
      readonly kind: 'synchronizeCache10';
      readonly immed: boolean;
      readonly lba: number;
      readonly blocks: number;
    };

/** READ/WRITE (10) and (16): LBA and block count, plus the cache-control bits. */
export interface ScsiReadWrite {
  readonly kind: 'read10' | 'write10' | 'read16' | 'write16';
  readonly lba: number;
  readonly blocks: number;
  /** Force unit access. */
  readonly fua: boolean;
  /** Disable page out. */
  readonly dpo: boolean;
}

/**
 * A CDB the disk must refuse with CHECK CONDITION + ILLEGAL REQUEST rather than by failing the
 * packet decode (HYPERV.md rule 37 treats only protocol violations as fatal).
 */
export interface ScsiCommandRejection {
  readonly kind: 'rejected';
  readonly opcode: number;
  readonly senseKey: number;
  readonly asc: number;
  readonly ascq: number;
  readonly detail: string;
}

/** What {@link decodeCdb} answers. */
export type CdbDecodeOutcome = ScsiCommand | ScsiCommandRejection;

function reject(opcode: number, asc: number, detail: string): ScsiCommandRejection {
  return { kind: 'rejected', opcode, senseKey: SenseKey.ILLEGAL_REQUEST, asc, ascq: 0, detail };
}

/** The CDB size each supported opcode needs. */
function cdbSize(opcode: number): number {
  switch (opcode) {
    case ScsiOpcode.TEST_UNIT_READY:
    case ScsiOpcode.REQUEST_SENSE:
    case ScsiOpcode.INQUIRY:
    case ScsiOpcode.MODE_SENSE_6:
      return 6;
    case ScsiOpcode.READ_CAPACITY_10:
    case ScsiOpcode.READ_10:
    case ScsiOpcode.WRITE_10:
    case ScsiOpcode.SYNCHRONIZE_CACHE_10:
    case ScsiOpcode.MODE_SENSE_10:
      return 10;
    case ScsiOpcode.REPORT_LUNS:
      return 12;
    case ScsiOpcode.READ_16:
    case ScsiOpcode.WRITE_16:
    case ScsiOpcode.SERVICE_ACTION_IN_16:
      return 16;
    default:
      return 0;
  }
}

/** A {@link ScsiReadWrite} that {@link decodeReadWriteInto} fills in place. */
export interface MutableScsiReadWrite {
  kind: ScsiReadWrite['kind'];
  lba: number;
  blocks: number;
  fua: boolean;
  dpo: boolean;
}

/** An empty {@link MutableScsiReadWrite} to reuse with {@link decodeReadWriteInto}. */
export function createScsiReadWrite(): MutableScsiReadWrite {
  return { kind: 'read10', lba: 0, blocks: 0, fua: false, dpo: false };
}

/**
 * The data path's fast decoder: when the CDB is a well-formed READ(10), WRITE(10), READ(16) or
 * WRITE(16), writes into `out` exactly what {@link decodeCdb} would return and answers true;
 * otherwise answers false and leaves `out` alone (decode it with `decodeCdb`, which also explains
 * rejections). Allocates nothing: a VSP calls it for every I/O.
 *
 * @example
 * const rw = createScsiReadWrite();
 * if (decodeReadWriteInto(srb.cdbOrSense, 0, srb.cdbLength, rw)) startIo(rw.lba, rw.blocks);
 * else handleOther(decodeCdb(srb.cdbOrSense, 0, srb.cdbLength));
 */
export function decodeReadWriteInto(
  cdb: Uint8Array,
  offset: number,
  cdbLength: number,
  out: MutableScsiReadWrite,
): boolean {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(cdbLength) ||
    offset < 0 ||
    offset + cdbLength > cdb.length
  )
    return false;
  const o = offset;
  const opcode = cdb[o];
  if (opcode === ScsiOpcode.READ_10 || opcode === ScsiOpcode.WRITE_10) {
    if (cdbLength < 10) return false;
    out.kind = opcode === ScsiOpcode.READ_10 ? 'read10' : 'write10';
    out.lba = readU32BE(cdb, o + 2);
    out.blocks = readU16BE(cdb, o + 7);
  } else if (opcode === ScsiOpcode.READ_16 || opcode === ScsiOpcode.WRITE_16) {
    if (cdbLength < 16) return false;
    const lba = readU64BESafe(cdb, o + 2);
    if (lba < 0) return false;
    out.kind = opcode === ScsiOpcode.READ_16 ? 'read16' : 'write16';
    out.lba = lba;
    out.blocks = readU32BE(cdb, o + 10);
  } else return false;
  const flags = cdb[o + 1];
  out.fua = (flags & 0x08) !== 0;
  out.dpo = (flags & 0x10) !== 0;
  return true;
}

function readWrite16(
  kind: 'read16' | 'write16',
  cdb: Uint8Array,
  o: number,
): ScsiReadWrite | ScsiCommandRejection {
  const lba = readU64BESafe(cdb, o + 2);
  if (lba < 0) {
    return reject(
      cdb[o],
      AdditionalSenseCode.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE,
      'LBA beyond 2^53',
    );
  }
  const flags = cdb[o + 1];
  return {
    kind,
    lba,
    blocks: readU32BE(cdb, o + 10),
    fua: (flags & 0x08) !== 0,
    dpo: (flags & 0x10) !== 0,
  };
}

/**
 * Reads the CDB at `cdb[offset, offset + cdbLength)`. Never fails: an opcode the disk does not
 * implement becomes INVALID COMMAND OPERATION CODE, a CDB too short for its opcode or a
 * service action other than READ CAPACITY(16) becomes INVALID FIELD IN CDB (as openvmm's
 * scsidisk answers), so the VSP completes the SRB with CHECK CONDITION.
 *
 * @example
 * const cmd = decodeCdb(srb.cdbOrSense, 0, srb.cdbLength);
 * if (cmd.kind === 'rejected') complete(scsiRejectionCompletion(cmd));
 */
export function decodeCdb(cdb: Uint8Array, offset: number, cdbLength: number): CdbDecodeOutcome {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(cdbLength) ||
    offset < 0 ||
    cdbLength < 1 ||
    offset + cdbLength > cdb.length
  ) {
    return reject(
      0,
      AdditionalSenseCode.INVALID_FIELD_IN_CDB,
      `no CDB in [${offset}, +${cdbLength})`,
    );
  }
  const o = offset;
  const opcode = cdb[o];
  const need = cdbSize(opcode);
  if (need === 0) {
    return reject(
      opcode,
      AdditionalSenseCode.INVALID_COMMAND_OPERATION_CODE,
      `opcode 0x${opcode.toString(16)} not implemented`,
    );
  }
  if (cdbLength < need) {
    return reject(
      opcode,
      AdditionalSenseCode.INVALID_FIELD_IN_CDB,
      `CDB needs ${need} bytes, got ${cdbLength}`,
    );
  }
  switch (opcode) {
    case ScsiOpcode.TEST_UNIT_READY:
      return { kind: 'testUnitReady' };
    case ScsiOpcode.REQUEST_SENSE:
      return { kind: 'requestSense', allocationLength: cdb[o + 4] };
    case ScsiOpcode.INQUIRY:
      return {
        kind: 'inquiry',
        evpd: (cdb[o + 1] & 0x01) !== 0,
        pageCode: cdb[o + 2],
        allocationLength: readU16BE(cdb, o + 3),
      };
    case ScsiOpcode.MODE_SENSE_6:
      return {
        kind: 'modeSense6',
        dbd: (cdb[o + 1] & 0x08) !== 0,
        pageControl: cdb[o + 2] >>> 6,
        pageCode: cdb[o + 2] & 0x3f,
        subpageCode: cdb[o + 3],
        allocationLength: cdb[o + 4],
      };
    case ScsiOpcode.MODE_SENSE_10:
      return {
        kind: 'modeSense10',
        llbaa: (cdb[o + 1] & 0x10) !== 0,
        dbd: (cdb[o + 1] & 0x08) !== 0,
        pageControl: cdb[o + 2] >>> 6,
        pageCode: cdb[o + 2] & 0x3f,
        subpageCode: cdb[o + 3],
        allocationLength: readU16BE(cdb, o + 7),
      };
    case ScsiOpcode.READ_CAPACITY_10:
      return { kind: 'readCapacity10' };
    case ScsiOpcode.SERVICE_ACTION_IN_16:
      if ((cdb[o + 1] & 0x1f) !== SAI_READ_CAPACITY_16) {
        return reject(
          opcode,
          AdditionalSenseCode.INVALID_FIELD_IN_CDB,
          'unsupported service action',
        );
      }
      return { kind: 'readCapacity16', allocationLength: readU32BE(cdb, o + 10) };
    case ScsiOpcode.REPORT_LUNS:
      return {
        kind: 'reportLuns',
        selectReport: cdb[o + 2],
        allocationLength: readU32BE(cdb, o + 6),
      };
    case ScsiOpcode.READ_10:
    case ScsiOpcode.WRITE_10:
      return {
        kind: opcode === ScsiOpcode.READ_10 ? 'read10' : 'write10',
        lba: readU32BE(cdb, o + 2),
        blocks: readU16BE(cdb, o + 7),
        fua: (cdb[o + 1] & 0x08) !== 0,
        dpo: (cdb[o + 1] & 0x10) !== 0,
      };
    case ScsiOpcode.READ_16:
      return readWrite16('read16', cdb, o);
    case ScsiOpcode.WRITE_16:
      return readWrite16('write16', cdb, o);
    default: // SYNCHRONIZE_CACHE_10, the last opcode with a non-zero size
      return {
        kind: 'synchronizeCache10',
        immed: (cdb[o + 1] & 0x02) !== 0,
        lba: readU32BE(cdb, o + 2),
        blocks: readU16BE(cdb, o + 7),
      };
  }
}

function flagBits(fua: boolean, dpo: boolean): number {
  return (fua ? 0x08 : 0) | (dpo ? 0x10 : 0);
}

/** Writes `command` as a CDB, zero-filling reserved bytes, and returns its length (6/10/12/16). */
export function encodeCdb(command: ScsiCommand, target: Uint8Array, offset: number): number {
  const o = offset;
  const size = cdbSize(opcodeOf(command));
  checkTarget(target, offset, size, 'cdb');
  zero(target, o, o + size);
  target[o] = opcodeOf(command);
  switch (command.kind) {
    case 'testUnitReady':
    case 'readCapacity10':
      break;
    case 'requestSense':
      target[o + 4] = checkU8(command.allocationLength, 'requestSense.allocationLength');
      break;
    case 'inquiry':
      target[o + 1] = command.evpd ? 1 : 0;
      target[o + 2] = checkU8(command.pageCode, 'inquiry.pageCode');
      writeU16BE(target, o + 3, checkU16(command.allocationLength, 'inquiry.allocationLength'));
      break;
    case 'modeSense6':
    case 'modeSense10': {
      const pc = checkUint(command.pageControl, 3, 'modeSense.pageControl');
      target[o + 2] = (pc << 6) | checkUint(command.pageCode, 0x3f, 'modeSense.pageCode');
      target[o + 3] = checkU8(command.subpageCode, 'modeSense.subpageCode');
      if (command.kind === 'modeSense6') {
        target[o + 1] = command.dbd ? 0x08 : 0;
        target[o + 4] = checkU8(command.allocationLength, 'modeSense6.allocationLength');
      } else {
        target[o + 1] = (command.dbd ? 0x08 : 0) | (command.llbaa ? 0x10 : 0);
        writeU16BE(
          target,
          o + 7,
          checkU16(command.allocationLength, 'modeSense10.allocationLength'),
        );
      }
      break;
    }
    case 'readCapacity16':
      target[o + 1] = SAI_READ_CAPACITY_16;
      writeU32BE(
        target,
        o + 10,
        checkU32(command.allocationLength, 'readCapacity16.allocationLength'),
      );
      break;
    case 'reportLuns':
      target[o + 2] = checkU8(command.selectReport, 'reportLuns.selectReport');
      writeU32BE(target, o + 6, checkU32(command.allocationLength, 'reportLuns.allocationLength'));
      break;
    case 'read10':
    case 'write10':
      target[o + 1] = flagBits(command.fua, command.dpo);
      writeU32BE(target, o + 2, checkU32(command.lba, 'read10.lba'));
      writeU16BE(target, o + 7, checkU16(command.blocks, 'read10.blocks'));
      break;
    case 'read16':
    case 'write16':
      target[o + 1] = flagBits(command.fua, command.dpo);
      writeU64BENumber(
        target,
        o + 2,
        checkUint(command.lba, Number.MAX_SAFE_INTEGER, 'read16.lba'),
      );
      writeU32BE(target, o + 10, checkU32(command.blocks, 'read16.blocks'));
      break;
    case 'synchronizeCache10':
      target[o + 1] = command.immed ? 0x02 : 0;
      writeU32BE(target, o + 2, checkU32(command.lba, 'synchronizeCache10.lba'));
      writeU16BE(target, o + 7, checkU16(command.blocks, 'synchronizeCache10.blocks'));
      break;
  }
  return size;
}

/** The operation code of a command. */
export function opcodeOf(command: ScsiCommand): number {
  switch (command.kind) {
    case 'testUnitReady':
      return ScsiOpcode.TEST_UNIT_READY;
    case 'requestSense':
      return ScsiOpcode.REQUEST_SENSE;
    case 'inquiry':
      return ScsiOpcode.INQUIRY;
    case 'modeSense6':
      return ScsiOpcode.MODE_SENSE_6;
    case 'modeSense10':
      return ScsiOpcode.MODE_SENSE_10;
    case 'readCapacity10':
      return ScsiOpcode.READ_CAPACITY_10;
    case 'readCapacity16':
      return ScsiOpcode.SERVICE_ACTION_IN_16;
    case 'reportLuns':
      return ScsiOpcode.REPORT_LUNS;
    case 'read10':
      return ScsiOpcode.READ_10;
    case 'write10':
      return ScsiOpcode.WRITE_10;
    case 'read16':
      return ScsiOpcode.READ_16;
    case 'write16':
      return ScsiOpcode.WRITE_16;
    case 'synchronizeCache10':
      return ScsiOpcode.SYNCHRONIZE_CACHE_10;
    default:
      return encodeFail('scsiCommand.kind', 'unknown command kind');
  }
}
