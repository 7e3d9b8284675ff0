import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  u16,
  u32,
  u32At,
} from '../codec/hostile.test-support.js';
import { NETVSC_INVALID_SECTION_INDEX, NvspMessageType, NvspProtocolVersion } from './constants.js';
import { decodeNvspMessage, encodeNvspMessage } from './nvsp.js';
import type { NvspMessage } from './nvsp.js';

const sectionArb = fc.record({
  offset: u32,
  subAllocationSize: u32,
  numSubAllocations: u32,
  endOffset: u32,
});
const capsArb = fc.record({
  vmq: fc.boolean(),
  chimney: fc.boolean(),
  sriov: fc.boolean(),
  ieee8021q: fc.boolean(),
  correlationId: fc.boolean(),
  teaming: fc.boolean(),
  virtualSubnetId: fc.boolean(),
  rsc: fc.boolean(),
});

const nvspArb: fc.Arbitrary<NvspMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('init' as const),
    minProtocolVersion: u32,
    maxProtocolVersion: u32,
  }),
  fc.record({
    kind: fc.constant('initComplete' as const),
    negotiatedProtocolVersion: u32,
    maxMdlChainLength: u32,
    status: u32,
  }),
  fc.record({
    kind: fc.constant('sendNdisVersion' as const),
    ndisMajorVersion: u32,
    ndisMinorVersion: u32,
  }),
  fc.record({ kind: fc.constant('sendReceiveBuffer' as const), gpadlHandle: u32, id: u16 }),
  fc.record({
    kind: fc.constant('sendReceiveBufferComplete' as const),
    status: u32,
    sections: fc.array(sectionArb, { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('revokeReceiveBuffer' as const), id: u16 }),
  fc.record({ kind: fc.constant('sendSendBuffer' as const), gpadlHandle: u32, id: u16 }),
  fc.record({
    kind: fc.constant('sendSendBufferComplete' as const),
    status: u32,
    sectionSize: u32,
  }),
  fc.record({ kind: fc.constant('revokeSendBuffer' as const), id: u16 }),
  fc.record({
    kind: fc.constant('sendRndisPacket' as const),
    channelType: fc.constantFrom(0, 1),
    sendBufferSectionIndex: fc.oneof(u32, fc.constant(NETVSC_INVALID_SECTION_INDEX)),
    sendBufferSectionSize: u32,
  }),
  fc.record({ kind: fc.constant('sendRndisPacketComplete' as const), status: u32 }),
  fc.record({ kind: fc.constant('sendNdisConfig' as const), mtu: u32, capabilities: capsArb }),
  fc.record({
    kind: fc.constant('sendVfAssociation' as const),
    allocated: fc.boolean(),
    serial: u32,
  }),
  fc.record({
    kind: fc.constant('switchDataPath' as const),
    activeDataPath: fc.constantFrom(0, 1),
  }),
  fc.record({
    kind: fc.constant('subchannelRequest' as const),
    operation: fc.constant(1),
    numSubChannels: u32,
  }),
  fc.record({ kind: fc.constant('subchannelComplete' as const), status: u32, numSubChannels: u32 }),
  fc.record({
    kind: fc.constant('sendIndirectionTable' as const),
    table: fc.array(u32, { maxLength: 16 }),
  }),
);

const encode = (m: NvspMessage, protocolVersion?: number): Uint8Array =>
  encodeToBytes(
    (msg: NvspMessage, t, o) => encodeNvspMessage(msg, t, o, { protocolVersion }),
    m,
    256,
  );

describe('NVSP messages', () => {
  it('round-trip for every message of the setup and data path (versions 1–6.1)', () => {
    fc.assert(
      fc.property(nvspArb, fc.constantFrom(...Object.values(NvspProtocolVersion)), (m, version) => {
        const bytes = encode(m, version);
        const completion = m.kind === 'subchannelComplete';
        expect(decodeNvspMessage(bytes, 0, bytes.length, { completion })).toEqual({
          ok: true,
          value: m,
        });
      }),
    );
  });

  it('pads messages to 40 bytes from NVSP 6.1 and 28 bytes before (O: PACKET_SIZE_V61 / V1)', () => {
    // sizeof(struct nvsp_message) = 4 + largest union member: nvsp_6_pd_api_comp =
    // op u32 + status u32 + create-queue answer (u32 + u16 + u16 + u32 + grp_affinity 16) = 36.
    // The v1 maximum is the receive-buffer completion with one section: 4 + 4 + 16 = 24 → 28.
    const m: NvspMessage = { kind: 'sendRndisPacketComplete', status: 1 };
    expect(encode(m, NvspProtocolVersion.V61)).toHaveLength(4 + 36);
    expect(encode(m, NvspProtocolVersion.V6)).toHaveLength(4 + 24);
    expect(encode(m, NvspProtocolVersion.V1)).toHaveLength(28);
  });

  it('lays out SEND_RNDIS_PKT as struct nvsp_1_message_send_rndis_packet (GPA-direct index 0xFFFFFFFF)', () => {
    const b = encode({
      kind: 'sendRndisPacket',
      channelType: 0,
      sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
      sendBufferSectionSize: 0,
    });
    // msg_type 107 @0, channel_type @4, send_buf_section_index @8, send_buf_section_size @12.
    expect(u32At(b, 0)).toBe(107);
    expect(u32At(b, 4)).toBe(0);
    expect(u32At(b, 8)).toBe(0xffff_ffff);
    expect(u32At(b, 12)).toBe(0);
    expect(NvspMessageType.SEND_RNDIS_PACKET).toBe(100 + 7);
    expect(NvspMessageType.SEND_VF_ASSOCIATION).toBe(128);
    expect(NvspMessageType.SWITCH_DATA_PATH).toBe(129);
    expect(NvspMessageType.SUBCHANNEL).toBe(133);
  });

  it('lays out the receive buffer completion with its section table after status and count', () => {
    const b = encode({
      kind: 'sendReceiveBufferComplete',
      status: 1,
      sections: [
        { offset: 0, subAllocationSize: 1728, numSubAllocations: 9709, endOffset: 9709 * 1728 },
      ],
    });
    // status @4, num_sections @8, sections[0] { offset @12, sub_alloc_size @16, num_sub_allocs @20, end_offset @24 }.
    expect([
      u32At(b, 4),
      u32At(b, 8),
      u32At(b, 12),
      u32At(b, 16),
      u32At(b, 20),
      u32At(b, 24),
    ]).toEqual([1, 1, 0, 1728, 9709, 9709 * 1728]);
  });

  it('reads message type 133 as a request or a completion depending on direction', () => {
    const b = encode({ kind: 'subchannelRequest', operation: 1, numSubChannels: 7 });
    expect(decodeNvspMessage(b, 0, b.length)).toMatchObject({
      ok: true,
      value: { kind: 'subchannelRequest' },
    });
    expect(decodeNvspMessage(b, 0, b.length, { completion: true })).toMatchObject({
      ok: true,
      value: { kind: 'subchannelComplete', status: 1, numSubChannels: 7 },
    });
  });

  it('rejects counts and offsets that run past the message', () => {
    const b = encode({ kind: 'sendReceiveBufferComplete', status: 1, sections: [] });
    b[8] = 3; // three sections claimed, none present
    expect(decodeNvspMessage(b, 0, b.length)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
    const t = encode({ kind: 'sendIndirectionTable', table: new Array<number>(16).fill(1) });
    t[8] = 200; // table offset beyond the message
    expect(decodeNvspMessage(t, 0, t.length)).toMatchObject({
      ok: false,
      reason: 'offset-out-of-range',
    });
    const c = encode({ kind: 'sendIndirectionTable', table: new Array<number>(16).fill(1) });
    c[4] = 17; // one entry more than the message holds
    expect(decodeNvspMessage(c, 0, c.length)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
  });

  it('rejects unknown types, unmodelled types and undefined selector values', () => {
    const b = encode({
      kind: 'sendRndisPacket',
      channelType: 1,
      sendBufferSectionIndex: 0,
      sendBufferSectionSize: 60,
    });
    b[4] = 2;
    expect(decodeNvspMessage(b, 0, b.length)).toMatchObject({
      ok: false,
      reason: 'reserved-value',
    });
    b[0] = 99;
    expect(decodeNvspMessage(b, 0, b.length)).toMatchObject({ ok: false, reason: 'unknown-type' });
    b[0] = 137;
    expect(decodeNvspMessage(b, 0, b.length)).toMatchObject({ ok: false, reason: 'unknown-type' });
    b[0] = NvspMessageType.PD_API;
    expect(decodeNvspMessage(b, 0, b.length)).toMatchObject({
      ok: false,
      reason: 'unsupported-type',
    });
    const s = encode({ kind: 'switchDataPath', activeDataPath: 1 });
    s[4] = 2;
    expect(decodeNvspMessage(s, 0, s.length)).toMatchObject({
      ok: false,
      reason: 'reserved-value',
    });
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(
        hostileBytes(nvspArb.map((m) => encode(m))),
        fc.boolean(),
        (bytes, completion) => {
          expectWindowSafe((b, o, l) => decodeNvspMessage(b, o, l, { completion }), bytes);
        },
      ),
    );
  });
});
