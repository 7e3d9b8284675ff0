import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { encodeToBytes, expectWindowSafe, u16, u32, u8 } from '../../codec/hostile.test-support.js';
import {
  SRB_STATUS_AUTOSENSE_VALID,
  SrbStatus,
  VstorNtStatus,
  VstorOperation,
} from '../constants.js';
import { createVmscsiRequest } from '../srb.js';
import {
  createVstorSrbPacket,
  decodeVstorSrbInto,
  encodeVstorSrbPacket,
} from '../vstor-srb-packet.js';
import { createScsiReadWrite, decodeCdb, decodeReadWriteInto, encodeCdb } from './cdb.js';
import type { ScsiCommand } from './cdb.js';
import {
  ntStatusForSrbStatus,
  scsiRejectionCompletion,
  writeScsiCompletion,
} from './completion.js';
import { AdditionalSenseCode, ScsiOpcode, ScsiStatus, SenseKey } from './constants.js';
import { decodeSense } from './sense.js';

const lba64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });
const rw = (
  kind: 'read10' | 'write10' | 'read16' | 'write16',
  lba: fc.Arbitrary<number>,
  blocks: fc.Arbitrary<number>,
) => fc.record({ kind: fc.constant(kind), lba, blocks, fua: fc.boolean(), dpo: fc.boolean() });

const commandArb: fc.Arbitrary<ScsiCommand> = fc.oneof(
  fc.constant({ kind: 'testUnitReady' as const }),
  fc.record({ kind: fc.constant('requestSense' as const), allocationLength: u8 }),
  fc.record({
    kind: fc.constant('inquiry' as const),
    evpd: fc.boolean(),
    pageCode: u8,
    allocationLength: u16,
  }),
  fc.record({
    kind: fc.constant('modeSense6' as const),
    dbd: fc.boolean(),
    pageControl: fc.integer({ min: 0, max: 3 }),
    pageCode: fc.integer({ min: 0, max: 0x3f }),
    subpageCode: u8,
    allocationLength: u8,
  }),
  fc.record({
    kind: fc.constant('modeSense10' as const),
    llbaa: fc.boolean(),
    dbd: fc.boolean(),
    pageControl: fc.integer({ min: 0, max: 3 }),
    pageCode: fc.integer({ min: 0, max: 0x3f }),
    subpageCode: u8,
    allocationLength: u16,
  }),
  fc.constant({ kind: 'readCapacity10' as const }),
  fc.record({ kind: fc.constant('readCapacity16' as const), allocationLength: u32 }),
  fc.record({ kind: fc.constant('reportLuns' as const), selectReport: u8, allocationLength: u32 }),
  rw('read10', u32, u16),
  rw('write10', u32, u16),
  rw('read16', lba64, u32),
  rw('write16', lba64, u32),
  fc.record({
    kind: fc.constant('synchronizeCache10' as const),
    immed: fc.boolean(),
    lba: u32,
    blocks: u16,
  }),
);

describe('SCSI CDBs', () => {
  it('round-trip for every command a guest sends to a synthetic disk', () => {
    fc.assert(
      fc.property(commandArb, (command) => {
        const cdb = encodeToBytes(encodeCdb, command, 16);
        expect(decodeCdb(cdb, 0, cdb.length)).toEqual(command);
      }),
    );
  });

  it('encodes READ(10) and READ(16) as SBC-3 lays them out (big-endian LBA and length)', () => {
    // READ(10): opcode 0x28, byte 1 DPO (4) / FUA (3), LBA bytes 2..5, length bytes 7..8.
    const r10 = encodeToBytes(
      encodeCdb,
      { kind: 'read10', lba: 0x0102_0304, blocks: 0x0506, fua: true, dpo: false },
      16,
    );
    expect(Array.from(r10)).toEqual([0x28, 0x08, 0x01, 0x02, 0x03, 0x04, 0, 0x05, 0x06, 0]);
    // READ(16): opcode 0x88, LBA bytes 2..9, length bytes 10..13; 2^40 + 7 is
    // 00 00 01 00 00 00 00 07 big-endian.
    const r16 = encodeToBytes(
      encodeCdb,
      { kind: 'read16', lba: 2 ** 40 + 7, blocks: 8, fua: false, dpo: true },
      16,
    );
    expect(Array.from(r16)).toEqual([0x88, 0x10, 0, 0, 0x01, 0, 0, 0, 0, 0x07, 0, 0, 0, 8, 0, 0]);
    // READ CAPACITY(16) = SERVICE ACTION IN(16) 0x9E with service action 0x10.
    const rc16 = encodeToBytes(encodeCdb, { kind: 'readCapacity16', allocationLength: 32 }, 16);
    expect(Array.from(rc16)).toEqual([0x9e, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 32, 0, 0]);
  });

  it('rule 37: maps an unknown opcode to CHECK CONDITION / ILLEGAL REQUEST / INVALID OPCODE, not a decode failure', () => {
    // A guest sends WRITE SAME(16) (0x93), which this disk does not implement.
    const cdb = new Uint8Array(20);
    cdb[0] = ScsiOpcode.WRITE_SAME_16;
    const request = createVstorSrbPacket({
      operation: VstorOperation.EXECUTE_SRB,
      flags: 1,
      srb: createVmscsiRequest({ cdbLength: 16, cdbOrSense: cdb, dataIn: 2 }),
    });
    const wire = encodeToBytes(
      (p: typeof request, t, o) => encodeVstorSrbPacket(p, t, o),
      request,
      64,
    );
    const host = createVstorSrbPacket();
    expect(decodeVstorSrbInto(wire, 0, wire.length, host).ok).toBe(true);

    const outcome = decodeCdb(host.srb.cdbOrSense, 0, host.srb.cdbLength);
    expect(outcome).toMatchObject({
      kind: 'rejected',
      opcode: 0x93,
      senseKey: SenseKey.ILLEGAL_REQUEST,
      asc: AdditionalSenseCode.INVALID_COMMAND_OPERATION_CODE,
    });
    if (outcome.kind !== 'rejected') throw new Error('expected a rejection');

    // The VSP answers with COMPLETE_IO carrying SRB/SCSI status and autosense (O: storvsp).
    const completion = scsiRejectionCompletion(outcome);
    const reply = createVstorSrbPacket({
      operation: VstorOperation.COMPLETE_IO,
      status: ntStatusForSrbStatus(completion.srbStatus),
    });
    writeScsiCompletion(reply.srb, completion);
    const replyWire = encodeToBytes(
      (p: typeof reply, t, o) => encodeVstorSrbPacket(p, t, o),
      reply,
      64,
    );
    const guest = createVstorSrbPacket();
    expect(decodeVstorSrbInto(replyWire, 0, replyWire.length, guest).ok).toBe(true);
    expect(guest.operation).toBe(VstorOperation.COMPLETE_IO);
    expect(guest.status).toBe(VstorNtStatus.IO_DEVICE_ERROR);
    expect(guest.srb.srbStatus).toBe(SrbStatus.INVALID_REQUEST | SRB_STATUS_AUTOSENSE_VALID);
    expect(guest.srb.scsiStatus).toBe(ScsiStatus.CHECK_CONDITION);
    expect(guest.srb.dataTransferLength).toBe(0);
    const sense = decodeSense(guest.srb.cdbOrSense, 0, guest.srb.senseInfoLength);
    expect(sense).toMatchObject({
      ok: true,
      value: { senseKey: SenseKey.ILLEGAL_REQUEST, asc: 0x20, ascq: 0 },
    });
  });

  it('answers a CDB shorter than its opcode needs, or an unknown service action, with INVALID FIELD IN CDB', () => {
    const cdb = encodeToBytes(
      encodeCdb,
      { kind: 'read10', lba: 1, blocks: 1, fua: false, dpo: false },
      16,
    );
    expect(decodeCdb(cdb, 0, 6)).toMatchObject({
      kind: 'rejected',
      asc: AdditionalSenseCode.INVALID_FIELD_IN_CDB,
    });
    const sai = new Uint8Array(16);
    sai[0] = ScsiOpcode.SERVICE_ACTION_IN_16;
    sai[1] = 0x12;
    expect(decodeCdb(sai, 0, 16)).toMatchObject({
      kind: 'rejected',
      asc: AdditionalSenseCode.INVALID_FIELD_IN_CDB,
    });
    expect(decodeCdb(sai, 0, 0)).toMatchObject({ kind: 'rejected' });
    expect(decodeCdb(sai, 10, 16)).toMatchObject({ kind: 'rejected' });
  });

  it('answers an LBA beyond 2^53 with LOGICAL BLOCK ADDRESS OUT OF RANGE', () => {
    const cdb = new Uint8Array(16).fill(0xff);
    cdb[0] = ScsiOpcode.READ_16;
    expect(decodeCdb(cdb, 0, 16)).toMatchObject({
      kind: 'rejected',
      asc: AdditionalSenseCode.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE,
    });
  });

  it('never reads outside the CDB window', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 20 }), (bytes) => {
        expectWindowSafe(decodeCdb, bytes);
      }),
    );
  });

  it('never throws on arbitrary CDB bytes and always answers a command or a rejection', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 20 }),
        fc.integer({ min: -2, max: 24 }),
        (bytes, len) => {
          const outcome = decodeCdb(bytes, 0, len);
          expect(typeof outcome.kind).toBe('string');
          if (outcome.kind === 'rejected') expect(outcome.senseKey).toBe(SenseKey.ILLEGAL_REQUEST);
        },
      ),
    );
  });
});

describe('decodeReadWriteInto (the data path fast decoder)', () => {
  const opcodes = [0x28, 0x2a, 0x88, 0x8a];
  it('agrees with decodeCdb on every CDB: the same READ/WRITE fields, or false for anything else', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(...opcodes), fc.integer({ min: 0, max: 255 })),
        fc.uint8Array({ minLength: 0, maxLength: 20 }),
        fc.integer({ min: -2, max: 20 }),
        (opcode, rest, cdbLength) => {
          const cdb = new Uint8Array([opcode, ...rest]);
          const out = createScsiReadWrite();
          const fast = decodeReadWriteInto(cdb, 0, cdbLength, out);
          const general =
            cdbLength >= 0 && cdbLength <= cdb.length ? decodeCdb(cdb, 0, cdbLength) : null;
          const isReadWrite =
            general !== null &&
            (general.kind === 'read10' ||
              general.kind === 'write10' ||
              general.kind === 'read16' ||
              general.kind === 'write16');
          expect(fast).toBe(isReadWrite);
          if (fast) expect({ ...out }).toEqual(general);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
