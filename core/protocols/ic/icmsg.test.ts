import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  u16,
  u16At,
  u32,
  u64,
  u8,
} from '../codec/hostile.test-support.js';
import {
  HEARTBEAT_MSG_DATA_SIZE,
  ICMSG_HDR,
  IcMessageFlags,
  IcMessageType,
  icmsgNegotiatePacketSize,
} from './constants.js';
import { decodeIcMessage, encodeIcMessage } from './icmsg.js';
import type { IcMessage, IcMessageHeader } from './icmsg.js';
import { heartbeatResponse, negotiateIcVersions } from './negotiate.js';

const versionArb = fc.record({ major: u16, minor: u16 });
const headerArb: fc.Arbitrary<IcMessageHeader> = fc.record({
  pipeFlags: u32,
  pipeMessageSize: u32,
  frameworkVersion: versionArb,
  messageVersion: versionArb,
  messageSize: u16,
  status: u32,
  transactionId: u8,
  flags: u8,
});
const icArb: fc.Arbitrary<IcMessage> = fc.record({
  header: headerArb,
  body: fc.oneof(
    fc.record({
      kind: fc.constant('negotiate' as const),
      frameworkVersions: fc.array(versionArb, { maxLength: 6 }),
      messageVersions: fc.array(versionArb, { maxLength: 6 }),
    }),
    fc.record({ kind: fc.constant('heartbeat' as const), sequenceNumber: u64 }),
  ),
});

const encode = (m: IcMessage): Uint8Array => encodeToBytes(encodeIcMessage, m, 1024);
const header: IcMessageHeader = {
  pipeFlags: 0,
  pipeMessageSize: 0,
  frameworkVersion: { major: 3, minor: 0 },
  messageVersion: { major: 3, minor: 0 },
  messageSize: 0,
  status: 0,
  transactionId: 0,
  flags: IcMessageFlags.TRANSACTION | IcMessageFlags.REQUEST,
};

describe('integration-services framing', () => {
  it('round-trips negotiate and heartbeat messages', () => {
    fc.assert(
      fc.property(icArb, (m) => {
        const b = encode(m);
        expect(decodeIcMessage(b, 0, b.length)).toEqual({ ok: true, value: m });
      }),
    );
  });

  it('uses the layouts of vmbuspipe_hdr + icmsg_hdr (28 bytes) and heartbeat_msg_data (40)', () => {
    const b = encode({
      header,
      body: { kind: 'heartbeat', sequenceNumber: 0x0102_0304_0506_0708n },
    });
    // vmbuspipe_hdr 8 + icmsg_hdr 20 (icverframe 4, icmsgtype 2, icvermsg 4, icmsgsize 2,
    // status 4, ictransaction_id 1, icflags 1, reserved 2); seq_num u64 + reserved[8] u32 = 40.
    expect(b).toHaveLength(28 + 40);
    expect(ICMSG_HDR + HEARTBEAT_MSG_DATA_SIZE).toBe(68);
    expect(u16At(b, 12)).toBe(IcMessageType.HEARTBEAT);
    expect(b[25]).toBe(3);
    expect(Array.from(b.subarray(28, 36))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    // ICMSG_NEGOTIATE_PKT_SIZE(2, 2) = 28 + 8 + 4 × 4.
    expect(icmsgNegotiatePacketSize(2, 2)).toBe(52);
  });

  it('answers a heartbeat with seq_num + 1 and TRANSACTION | RESPONSE, wrapping at 2^64', () => {
    const r = heartbeatResponse({ header, body: { kind: 'heartbeat', sequenceNumber: 41n } });
    expect(r.body).toEqual({ kind: 'heartbeat', sequenceNumber: 42n });
    expect(r.header.flags).toBe(IcMessageFlags.TRANSACTION | IcMessageFlags.RESPONSE);
    const wrap = heartbeatResponse({
      header,
      body: { kind: 'heartbeat', sequenceNumber: 0xffff_ffff_ffff_ffffn },
    });
    expect(wrap.body).toEqual({ kind: 'heartbeat', sequenceNumber: 0n });
  });

  it('negotiates the newest framework and heartbeat version both sides share (L: vmbus_prep_negotiate_resp)', () => {
    const offered: IcMessage = {
      header,
      body: {
        kind: 'negotiate',
        frameworkVersions: [
          { major: 1, minor: 0 },
          { major: 3, minor: 0 },
        ],
        messageVersions: [
          { major: 1, minor: 0 },
          { major: 3, minor: 0 },
          { major: 4, minor: 0 },
        ],
      },
    };
    const n = negotiateIcVersions(offered);
    expect(n.found).toBe(true);
    expect(n.frameworkVersion).toEqual({ major: 3, minor: 0 });
    expect(n.serviceVersion).toEqual({ major: 3, minor: 0 });
    expect(n.response.body).toEqual({
      kind: 'negotiate',
      frameworkVersions: [{ major: 3, minor: 0 }],
      messageVersions: [{ major: 3, minor: 0 }],
    });
    expect(n.response.header.messageSize).toBe(0x10);
    const none = negotiateIcVersions({
      header,
      body: { kind: 'negotiate', frameworkVersions: [{ major: 2, minor: 0 }], messageVersions: [] },
    });
    expect(none.found).toBe(false);
    expect(none.response.body).toEqual({
      kind: 'negotiate',
      frameworkVersions: [],
      messageVersions: [],
    });
  });

  it('rejects version counts above 100 or beyond the packet, and unmodelled services', () => {
    const b = encode({
      header,
      body: {
        kind: 'negotiate',
        frameworkVersions: [{ major: 3, minor: 0 }],
        messageVersions: [{ major: 3, minor: 0 }],
      },
    });
    const many = Uint8Array.from(b);
    many[28] = 101;
    expect(decodeIcMessage(many, 0, many.length)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
    const beyond = Uint8Array.from(b);
    beyond[30] = 5;
    expect(decodeIcMessage(beyond, 0, beyond.length)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
    const shutdown = Uint8Array.from(b);
    shutdown[12] = IcMessageType.SHUTDOWN;
    expect(decodeIcMessage(shutdown, 0, shutdown.length)).toMatchObject({
      ok: false,
      reason: 'unsupported-type',
    });
    const hb = encode({ header, body: { kind: 'heartbeat', sequenceNumber: 1n } });
    // The host may omit the reserved area: seq_num alone (28 + 8 bytes) is enough.
    expect(decodeIcMessage(hb, 0, 36).ok).toBe(true);
    expect(decodeIcMessage(hb, 0, 35)).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(hostileBytes(icArb.map(encode)), (b) => {
        expectWindowSafe(decodeIcMessage, b);
      }),
    );
  });
});
