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
import { checkSrbDataRange, checkTransactional, checkVstorRequestDescriptor } from './checks.js';
import { REQUEST_COMPLETION_FLAG, VmstorProtocolVersion, VstorOperation } from './constants.js';
import { createVmscsiRequest } from './srb.js';
import {
  decodeVstorHostMessage,
  decodeVstorRequest,
  encodeVstorHostMessage,
  encodeVstorRequest,
} from './vstor-messages.js';
import type { VstorCompletionResult, VstorHostMessage, VstorRequest } from './vstor-messages.js';

const srbArb = fc
  .record({
    length: u16,
    srbStatus: u8,
    scsiStatus: u8,
    pathId: u8,
    targetId: u8,
    lun: u8,
    cdbLength: fc.integer({ min: 0, max: 16 }),
    senseInfoLength: fc.integer({ min: 0, max: 20 }),
    dataIn: fc.integer({ min: 0, max: 2 }),
    dataTransferLength: u32,
    cdbOrSense: fc.uint8Array({ minLength: 20, maxLength: 20 }),
    srbFlags: u32,
    timeOutValue: u32,
  })
  .map((f) => createVmscsiRequest(f));

const requestArb: fc.Arbitrary<VstorRequest> = fc.oneof(
  fc.record({ kind: fc.constant('beginInitialization' as const), flags: u32 }),
  fc.record({ kind: fc.constant('endInitialization' as const), flags: u32 }),
  fc.record({
    kind: fc.constant('queryProtocolVersion' as const),
    flags: u32,
    majorMinor: u16,
    revision: u16,
  }),
  fc.record({ kind: fc.constant('queryProperties' as const), flags: u32 }),
  fc.record({ kind: fc.constant('createSubChannels' as const), flags: u32, subChannelCount: u16 }),
  fc.record({ kind: fc.constant('executeSrb' as const), flags: u32, srb: srbArb }),
  fc.record({ kind: fc.constant('resetLun' as const), flags: u32 }),
  fc.record({ kind: fc.constant('resetAdapter' as const), flags: u32 }),
  fc.record({ kind: fc.constant('resetBus' as const), flags: u32, pathId: u8 }),
);

const resultArb: fc.Arbitrary<VstorCompletionResult> = fc.oneof(
  fc.constant({ kind: 'none' as const }),
  fc.record({ kind: fc.constant('srb' as const), srb: srbArb }),
  fc.record({
    kind: fc.constant('channelProperties' as const),
    properties: fc.record({ maxChannelCount: u16, flags: u32, maxTransferBytes: u32 }),
  }),
  fc.record({ kind: fc.constant('protocolVersion' as const), majorMinor: u16, revision: u16 }),
);

const hostArb: fc.Arbitrary<VstorHostMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('completeIo' as const),
    flags: u32,
    status: u32,
    result: resultArb,
  }),
  fc.record({ kind: fc.constant('removeDevice' as const), flags: u32, status: u32 }),
  fc.record({ kind: fc.constant('enumerateBus' as const), flags: u32, status: u32 }),
);

const encodeRequest = (m: VstorRequest): Uint8Array => encodeToBytes(encodeVstorRequest, m, 64);
const encodeHost = (m: VstorHostMessage): Uint8Array =>
  encodeToBytes(encodeVstorHostMessage, m, 64);

describe('storage requests (guest → storvsp)', () => {
  it('round-trip for every request kind', () => {
    fc.assert(
      fc.property(requestArb, (m) => {
        const bytes = encodeRequest(m);
        expect(bytes).toHaveLength(64);
        expect(decodeVstorRequest(bytes, 0, bytes.length)).toEqual({ ok: true, value: m });
      }),
    );
  });

  it('puts the version at the start of the union, little-endian (L: vmstorage_protocol_version)', () => {
    const bytes = encodeRequest({
      kind: 'queryProtocolVersion',
      flags: REQUEST_COMPLETION_FLAG,
      majorMinor: VmstorProtocolVersion.WIN10,
      revision: 0,
    });
    // operation 9 @0, flags 1 @4, status 0 @8, major_minor u16 @12 = 0x0602, revision @14.
    expect(Array.from(bytes.subarray(0, 16))).toEqual([
      9, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x06, 0, 0,
    ]);
  });

  it('rule 37: rejects an unknown operation', () => {
    const bytes = encodeRequest({ kind: 'beginInitialization', flags: 1 });
    for (const op of [0, 14, 0x1_0000, 0xffff_ffff]) {
      bytes[0] = op & 0xff;
      bytes[1] = (op >>> 8) & 0xff;
      bytes[2] = (op >>> 16) & 0xff;
      bytes[3] = (op >>> 24) & 0xff;
      expect(decodeVstorRequest(bytes, 0, bytes.length)).toMatchObject({
        ok: false,
        reason: 'unknown-type',
      });
    }
  });

  it('rule 37: refuses host-only operations from a guest (COMPLETE_IO, REMOVE_DEVICE, ENUMERATE_BUS)', () => {
    const bytes = encodeRequest({ kind: 'beginInitialization', flags: 1 });
    for (const op of [
      VstorOperation.COMPLETE_IO,
      VstorOperation.REMOVE_DEVICE,
      VstorOperation.ENUMERATE_BUS,
    ]) {
      bytes[0] = op;
      expect(decodeVstorRequest(bytes, 0, bytes.length)).toMatchObject({
        ok: false,
        reason: 'unsupported-type',
      });
    }
  });

  it('rule 37: refuses a storage request that is not transactional (completion flag in the descriptor)', () => {
    expect(checkTransactional(0)).toMatchObject({ ok: false, reason: 'not-transactional' });
    expect(checkVstorRequestDescriptor({ type: 6, flags: 0 })).toMatchObject({
      ok: false,
      reason: 'not-transactional',
    });
    expect(checkVstorRequestDescriptor({ type: 9, flags: 1 }).ok).toBe(true);
    expect(checkVstorRequestDescriptor({ type: 6, flags: 1 }).ok).toBe(true);
  });

  it('rule 37: refuses a completion sent by the guest (the ring layer refuses it for every device too)', () => {
    expect(checkVstorRequestDescriptor({ type: 0xb, flags: 1 })).toMatchObject({
      ok: false,
      reason: 'unexpected-packet-type',
    });
    expect(checkVstorRequestDescriptor({ type: 7, flags: 1 })).toMatchObject({
      ok: false,
      reason: 'unexpected-packet-type',
    });
  });

  it('rule 37: refuses a data transfer longer than the GPA range supplied', () => {
    expect(checkSrbDataRange(4096, 4095)).toMatchObject({
      ok: false,
      reason: 'data-range-too-short',
    });
    expect(checkSrbDataRange(512, 0)).toMatchObject({ ok: false, reason: 'data-range-too-short' });
    expect(checkSrbDataRange(4096, 4096).ok).toBe(true);
    expect(checkSrbDataRange(0, 0).ok).toBe(true);
    expect(checkSrbDataRange(512, 8192, 2)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(hostileBytes(requestArb.map(encodeRequest)), (bytes) => {
        expectWindowSafe(decodeVstorRequest, bytes);
      }),
    );
  });
});

describe('storage host messages (storvsp → guest)', () => {
  it('round-trip when the guest reads a completion as the request it answers', () => {
    fc.assert(
      fc.property(hostArb, (m) => {
        const completes = m.kind === 'completeIo' ? m.result.kind : undefined;
        const bytes = encodeHost(m);
        expect(decodeVstorHostMessage(bytes, 0, bytes.length, { completes })).toEqual({
          ok: true,
          value: m,
        });
      }),
    );
  });

  it('places the channel properties as struct vmstorage_channel_properties (L)', () => {
    const bytes = encodeHost({
      kind: 'completeIo',
      flags: 0,
      status: 0,
      result: {
        kind: 'channelProperties',
        properties: { maxChannelCount: 0x0102, flags: 1, maxTransferBytes: 0x40000 },
      },
    });
    // union @12: reserved u32 @12, max_channel_cnt u16 @16, reserved1 @18, flags u32 @20,
    // max_transfer_bytes u32 @24, reserved2 u64 @28.
    expect(bytes[0]).toBe(VstorOperation.COMPLETE_IO);
    expect(Array.from(bytes.subarray(16, 28))).toEqual([
      0x02, 0x01, 0, 0, 1, 0, 0, 0, 0x00, 0x00, 0x04, 0x00,
    ]);
  });

  it('refuses operations a host does not send', () => {
    const bytes = encodeHost({ kind: 'removeDevice', flags: 0, status: 0 });
    bytes[0] = VstorOperation.EXECUTE_SRB;
    expect(decodeVstorHostMessage(bytes, 0, bytes.length)).toMatchObject({
      ok: false,
      reason: 'unsupported-type',
    });
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(
        hostileBytes(hostArb.map(encodeHost)),
        fc.constantFrom('none', 'srb', 'channelProperties', 'protocolVersion'),
        (bytes, completes) => {
          expectWindowSafe((b, o, l) => decodeVstorHostMessage(b, o, l, { completes }), bytes);
        },
      ),
    );
  });
});
