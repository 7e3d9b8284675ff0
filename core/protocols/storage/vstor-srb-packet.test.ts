import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  u16,
  u32,
  u8,
} from '../codec/hostile.test-support.js';
import { VmstorProtocolVersion, VstorOperation } from './constants.js';
import { createVmscsiRequest } from './srb.js';
import type { VmscsiRequest } from './srb.js';
import {
  createVstorSrbPacket,
  decodeVstorSrbInto,
  encodeVstorSrbPacket,
} from './vstor-srb-packet.js';
import type { VstorSrbPacket } from './vstor-srb-packet.js';

const WIN8_AND_LATER = [
  VmstorProtocolVersion.WIN8,
  VmstorProtocolVersion.WIN8_1,
  VmstorProtocolVersion.WIN10,
];
const PRE_WIN8 = [VmstorProtocolVersion.WIN6, VmstorProtocolVersion.WIN7];

function srbArb(withWin8: boolean): fc.Arbitrary<VmscsiRequest> {
  const ext = withWin8 ? u16 : fc.constant(0);
  const ext8 = withWin8 ? u8 : fc.constant(0);
  const ext32 = withWin8 ? u32 : fc.constant(0);
  return fc
    .record({
      length: u16,
      srbStatus: u8,
      scsiStatus: u8,
      portNumber: u8,
      pathId: u8,
      targetId: u8,
      lun: u8,
      cdbLength: fc.integer({ min: 0, max: 16 }),
      senseInfoLength: fc.integer({ min: 0, max: 20 }),
      dataIn: fc.integer({ min: 0, max: 2 }),
      reserved: u8,
      dataTransferLength: u32,
      cdbOrSense: fc.uint8Array({ minLength: 20, maxLength: 20 }),
      reserve: ext,
      queueTag: ext8,
      queueAction: ext8,
      srbFlags: ext32,
      timeOutValue: ext32,
      queueSortKey: ext32,
    })
    .map((f) => createVmscsiRequest(f));
}

function packetArb(withWin8: boolean): fc.Arbitrary<VstorSrbPacket> {
  return fc
    .record({
      operation: fc.constantFrom(VstorOperation.EXECUTE_SRB, VstorOperation.COMPLETE_IO),
      flags: u32,
      status: u32,
      srb: srbArb(withWin8),
    })
    .map((p) => createVstorSrbPacket(p));
}

function encode(p: VstorSrbPacket, protocolVersion: number): Uint8Array {
  return encodeToBytes(
    (m: VstorSrbPacket, t, o) => encodeVstorSrbPacket(m, t, o, { protocolVersion }),
    p,
    64,
  );
}

function decode(bytes: Uint8Array, protocolVersion: number): VstorSrbPacket | string {
  const out = createVstorSrbPacket();
  const r = decodeVstorSrbInto(bytes, 0, bytes.length, out, { protocolVersion });
  return r.ok ? out : r.reason;
}

describe('vstor_packet carrying a vmscsi_request (the storage fast path)', () => {
  it('round-trips EXECUTE_SRB and COMPLETE_IO for protocol 5.1, 6.0 and 6.2', () => {
    fc.assert(
      fc.property(packetArb(true), fc.constantFrom(...WIN8_AND_LATER), (packet, version) => {
        expect(decode(encode(packet, version), version)).toEqual(packet);
      }),
    );
  });

  it('round-trips the shorter pre-Win8 SRB (no Win8 extension on the wire)', () => {
    fc.assert(
      fc.property(packetArb(false), fc.constantFrom(...PRE_WIN8), (packet, version) => {
        expect(decode(encode(packet, version), version)).toEqual(packet);
      }),
    );
  });

  it('lays the fields out at the offsets of struct vstor_packet / vmscsi_request (L: storvsc_drv.c)', () => {
    // Offsets from the packed C structs: vstor_packet = operation u32 @0, flags u32 @4,
    // status u32 @8, then vmscsi_request @12: length u16 @12, srb_status @14, scsi_status @15,
    // port_number @16, path_id @17, target_id @18, lun @19, cdb_length @20,
    // sense_info_length @21, data_in @22, reserved @23, data_transfer_length u32 @24,
    // cdb/sense union [20] @28..47, Win8 extension: reserve u16 @48, queue_tag @50,
    // queue_action @51, srb_flags u32 @52, time_out_value u32 @56, queue_sort_ey u32 @60.
    // sizeof(struct vstor_packet) = 12 + 0x34 = 64.
    const cdb = new Uint8Array(20);
    cdb[0] = 0x28;
    cdb[19] = 0xee;
    const packet = createVstorSrbPacket({
      operation: VstorOperation.EXECUTE_SRB,
      flags: 1,
      status: 0,
      srb: createVmscsiRequest({
        length: 0x34,
        srbStatus: 0xa1,
        scsiStatus: 0xa2,
        portNumber: 0xa3,
        pathId: 0xa4,
        targetId: 0xa5,
        lun: 0xa6,
        cdbLength: 10,
        senseInfoLength: 20,
        dataIn: 1,
        reserved: 0xa7,
        dataTransferLength: 0x0102_0304,
        cdbOrSense: cdb,
        reserve: 0xb1b2,
        queueTag: 0xff,
        queueAction: 0x20,
        srbFlags: 0x0000_0108,
        timeOutValue: 60,
        queueSortKey: 0xc1c2_c3c4,
      }),
    });
    const bytes = encode(packet, VmstorProtocolVersion.WIN10);
    const expected = new Uint8Array(64);
    expected.set([3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0], 0);
    expected.set([0x34, 0x00, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 10, 20, 1, 0xa7], 12);
    expected.set([0x04, 0x03, 0x02, 0x01], 24);
    expected[28] = 0x28;
    expected[47] = 0xee;
    expected.set(
      [0xb2, 0xb1, 0xff, 0x20, 0x08, 0x01, 0, 0, 60, 0, 0, 0, 0xc4, 0xc3, 0xc2, 0xc1],
      48,
    );
    expect(bytes).toEqual(expected);
  });

  it('sends 48 bytes to a pre-Win8 host: sizeof(vstor_packet) − vmscsi_size_delta (16)', () => {
    const packet = createVstorSrbPacket({ srb: createVmscsiRequest({ srbFlags: 0 }) });
    expect(encode(packet, VmstorProtocolVersion.WIN7)).toHaveLength(64 - 16);
    expect(encode(packet, VmstorProtocolVersion.WIN8)).toHaveLength(64);
  });

  it('rule 37: rejects an operation no version defines, and a packet shorter than its SRB', () => {
    const bytes = encode(createVstorSrbPacket(), VmstorProtocolVersion.WIN10);
    bytes[0] = 14;
    expect(decode(bytes, VmstorProtocolVersion.WIN10)).toBe('unknown-type');
    bytes[0] = VstorOperation.BEGIN_INITIALIZATION;
    expect(decode(bytes, VmstorProtocolVersion.WIN10)).toBe('unsupported-type');
    const short = encode(createVstorSrbPacket(), VmstorProtocolVersion.WIN10).subarray(0, 63);
    expect(decode(short, VmstorProtocolVersion.WIN10)).toBe('truncated');
  });

  it('rejects CDB and sense lengths that do not fit their arrays and an undefined direction', () => {
    const base = encode(createVstorSrbPacket(), VmstorProtocolVersion.WIN10);
    const withByte = (at: number, value: number): Uint8Array => {
      const b = Uint8Array.from(base);
      b[at] = value;
      return b;
    };
    expect(decode(withByte(20, 17), VmstorProtocolVersion.WIN10)).toBe('length-out-of-range');
    expect(decode(withByte(21, 21), VmstorProtocolVersion.WIN10)).toBe('length-out-of-range');
    expect(decode(withByte(22, 3), VmstorProtocolVersion.WIN10)).toBe('reserved-value');
  });

  it('leaves the reusable packet untouched when it rejects', () => {
    const out = createVstorSrbPacket({ flags: 7, srb: createVmscsiRequest({ lun: 9 }) });
    const before = structuredClone(out);
    const bytes = encode(
      createVstorSrbPacket({ srb: createVmscsiRequest({ lun: 1 }) }),
      VmstorProtocolVersion.WIN10,
    );
    bytes[20] = 200;
    expect(decodeVstorSrbInto(bytes, 0, bytes.length, out).ok).toBe(false);
    expect(out).toEqual(before);
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    const valid = packetArb(true).map((p) => encode(p, VmstorProtocolVersion.WIN10));
    fc.assert(
      fc.property(hostileBytes(valid), (bytes) => {
        expectWindowSafe((b, o, l) => {
          const out = createVstorSrbPacket();
          const r = decodeVstorSrbInto(b, o, l, out);
          return r.ok ? out : r;
        }, bytes);
      }),
    );
  });

  it('answers a bad window with a rejection instead of throwing', () => {
    const out = createVstorSrbPacket();
    expect(decodeVstorSrbInto(new Uint8Array(64), 60, 64, out)).toMatchObject({
      ok: false,
      reason: 'bad-window',
    });
    expect(decodeVstorSrbInto(new Uint8Array(64), -1, 4, out)).toMatchObject({
      ok: false,
      reason: 'bad-window',
    });
  });
});
