import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  u32,
  u32At,
} from '../codec/hostile.test-support.js';
import { NdisPerPacketInfoType, RndisMessageType, RndisOid } from './constants.js';
import {
  decodeChecksumReceiveInfo,
  decodeChecksumTransmitInfo,
  decodeIeee8021qInfo,
  encodeChecksumReceiveInfo,
  encodeChecksumTransmitInfo,
  encodeIeee8021qInfo,
  findPpi,
  hashValuePpi,
  readPpiU32,
} from './ppi.js';
import { decodeRndisHeader, decodeRndisMessage, encodeRndisMessage } from './rndis.js';
import type { RndisMessage } from './rndis.js';

const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const ppiArb = fc.record({
  type: fc.integer({ min: 0, max: 0x7fff_ffff }),
  internal: fc.boolean(),
  data: bytes(16),
});

const rndisArb: fc.Arbitrary<RndisMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('packet' as const),
    data: bytes(128),
    perPacketInfo: fc.array(ppiArb, { maxLength: 4 }),
    vcHandle: u32,
  }),
  fc.record({
    kind: fc.constant('initializeRequest' as const),
    requestId: u32,
    majorVersion: u32,
    minorVersion: u32,
    maxTransferSize: u32,
  }),
  fc.record({
    kind: fc.constant('initializeComplete' as const),
    requestId: u32,
    status: u32,
    majorVersion: u32,
    minorVersion: u32,
    deviceFlags: u32,
    medium: u32,
    maxPacketsPerMessage: u32,
    maxTransferSize: u32,
    packetAlignmentFactor: u32,
  }),
  fc.record({ kind: fc.constant('halt' as const), requestId: u32 }),
  fc.record({
    kind: fc.constantFrom('queryRequest' as const, 'setRequest' as const),
    requestId: u32,
    oid: u32,
    info: bytes(64),
    deviceVcHandle: u32,
  }),
  fc.record({
    kind: fc.constant('queryComplete' as const),
    requestId: u32,
    status: u32,
    info: bytes(64),
  }),
  fc.record({ kind: fc.constant('setComplete' as const), requestId: u32, status: u32 }),
  fc.record({ kind: fc.constant('indicateStatus' as const), status: u32, statusBuffer: bytes(32) }),
);

const encode = (m: RndisMessage): Uint8Array => encodeToBytes(encodeRndisMessage, m, 1024);

describe('RNDIS messages', () => {
  it('round-trip for INITIALIZE/QUERY/SET/PACKET/INDICATE_STATUS and their completions', () => {
    fc.assert(
      fc.property(rndisArb, (m) => {
        const b = encode(m);
        expect(decodeRndisMessage(b, 0, b.length)).toEqual({ ok: true, value: m });
      }),
    );
  });

  it('lays out a data packet as netvsc does: PPIs after struct rndis_packet, frame after them', () => {
    const frame = new Uint8Array(60).fill(0xab);
    const b = encode({
      kind: 'packet',
      data: frame,
      perPacketInfo: [hashValuePpi(0x1234_5678)],
      vcHandle: 0,
    });
    // header 8 + rndis_packet 36 + one hash PPI (12-byte header + u32 = NDIS_HASH_PPI_SIZE 16) + 60.
    expect(b).toHaveLength(8 + 36 + 16 + 60);
    expect(u32At(b, 0)).toBe(RndisMessageType.PACKET);
    expect(u32At(b, 4)).toBe(b.length);
    expect(u32At(b, 8)).toBe(36 + 16); // data_offset, from the start of struct rndis_packet
    expect(u32At(b, 12)).toBe(60); // data_len
    expect(u32At(b, 28)).toBe(36); // per_pkt_info_offset
    expect(u32At(b, 32)).toBe(16); // per_pkt_info_len
    expect([u32At(b, 44), u32At(b, 48), u32At(b, 52), u32At(b, 56)]).toEqual([
      16, 8, 12, 0x1234_5678,
    ]);
    const decoded = decodeRndisMessage(b, 0, b.length);
    if (!decoded.ok || decoded.value.kind !== 'packet') throw new Error('decode failed');
    expect(
      readPpiU32(findPpi(decoded.value.perPacketInfo, NdisPerPacketInfoType.NBL_HASH_VALUE)),
    ).toBe(0x1234_5678);
  });

  it('puts a request info buffer right after the fixed part (info_buf_offset = 20)', () => {
    const b = encode({
      kind: 'setRequest',
      requestId: 7,
      oid: RndisOid.GEN_CURRENT_PACKET_FILTER,
      info: new Uint8Array([9, 0, 0, 0]),
      deviceVcHandle: 0,
    });
    expect(b).toHaveLength(8 + 20 + 4);
    expect([
      u32At(b, 8),
      u32At(b, 12),
      u32At(b, 16),
      u32At(b, 20),
      u32At(b, 24),
      u32At(b, 28),
    ]).toEqual([7, 0x0001_010e, 4, 20, 0, 9]);
  });

  it('CVE-2021-28476 class: rejects an OID request whose info buffer lies outside the RNDIS message', () => {
    // A SET with a 4-byte info buffer, followed in the same section by bytes that are not part
    // of the message. Pointing info_buf_offset/len there must not expose them.
    const msg = encode({
      kind: 'setRequest',
      requestId: 1,
      oid: RndisOid.GEN_RNDIS_CONFIG_PARAMETER,
      info: new Uint8Array(4),
      deviceVcHandle: 0,
    });
    const section = new Uint8Array(msg.length + 64).fill(0xcc);
    section.set(msg);
    const view = new DataView(section.buffer);
    view.setUint32(8 + 12, 40, true); // info_buf_offset just past msg_len (32 − 8 = 24 body bytes)
    expect(decodeRndisMessage(section, 0, section.length)).toMatchObject({
      ok: false,
      reason: 'offset-out-of-range',
    });
    view.setUint32(8 + 12, 20, true);
    view.setUint32(8 + 8, 0xffff_fff0, true); // a length that wraps a 32-bit end pointer
    expect(decodeRndisMessage(section, 0, section.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
    view.setUint32(8 + 8, 5, true); // one byte more than the message holds
    expect(decodeRndisMessage(section, 0, section.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
    view.setUint32(8 + 8, 4, true);
    view.setUint32(8 + 12, 4, true); // info inside the fixed request fields
    expect(decodeRndisMessage(section, 0, section.length)).toMatchObject({
      ok: false,
      reason: 'offset-out-of-range',
    });
  });

  it('CVE-2021-28476 class: every buffer a decoded message exposes lies inside its msg_len', () => {
    // Valid messages whose offset/length fields (info, status buffer, data, OOB, PPI) are
    // overwritten with values near the message bounds and anywhere in u32, plus general noise.
    const small = fc.integer({ min: 0, max: 96 });
    const field = fc.oneof(small, u32, fc.constantFrom(0xffff_ffff, 0xffff_fff0, 0x8000_0000));
    const targeted = fc
      .tuple(
        rndisArb.map(encode),
        fc.array(fc.tuple(fc.integer({ min: 2, max: 10 }), field), { minLength: 1, maxLength: 3 }),
      )
      .map(([b, writes]) => {
        const out = Uint8Array.from(b);
        const view = new DataView(out.buffer);
        for (const [slot, value] of writes)
          if (4 * slot + 4 <= out.length) view.setUint32(4 * slot, value, true);
        return out;
      });
    fc.assert(
      fc.property(fc.oneof(targeted, hostileBytes(rndisArb.map(encode))), (raw) => {
        const section = new Uint8Array(raw.length + 32).fill(0xcc);
        section.set(raw);
        const r = decodeRndisMessage(section, 0, raw.length);
        if (!r.ok) return;
        const end = u32At(section, 4); // msg_len
        const buffers: Uint8Array[] =
          r.value.kind === 'packet'
            ? [r.value.data, ...r.value.perPacketInfo.map((p) => p.data)]
            : 'info' in r.value
              ? [r.value.info]
              : r.value.kind === 'indicateStatus'
                ? [r.value.statusBuffer]
                : [];
        for (const buffer of buffers) {
          expect(buffer.buffer).toBe(section.buffer);
          expect(buffer.byteOffset).toBeGreaterThanOrEqual(8);
          expect(buffer.byteOffset + buffer.length).toBeLessThanOrEqual(end);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects msg_len beyond the bytes received and per-packet info that would loop or overrun', () => {
    const b = encode({ kind: 'halt', requestId: 1 });
    b[4] = 13;
    expect(decodeRndisHeader(b, 0, b.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
    const p = encode({
      kind: 'packet',
      data: new Uint8Array(4),
      perPacketInfo: [hashValuePpi(1)],
      vcHandle: 0,
    });
    p[44] = 0; // PPI size 0 would never advance (L: rndis_get_ppi)
    expect(decodeRndisMessage(p, 0, p.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
    p[44] = 16;
    p[52] = 17; // ppi_offset beyond the element
    expect(decodeRndisMessage(p, 0, p.length)).toMatchObject({
      ok: false,
      reason: 'offset-out-of-range',
    });
    const q = encode({ kind: 'packet', data: new Uint8Array(4), perPacketInfo: [], vcHandle: 0 });
    q[12] = 5; // data_len one past the end
    expect(decodeRndisMessage(q, 0, q.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(hostileBytes(rndisArb.map(encode)), (raw) => {
        expectWindowSafe(decodeRndisMessage, raw);
      }),
    );
  });
});

describe('per-packet info values', () => {
  it('round-trip checksum (transmit and receive) and 802.1Q info', () => {
    fc.assert(
      fc.property(
        fc.record({
          isIpv4: fc.boolean(),
          isIpv6: fc.boolean(),
          tcpChecksum: fc.boolean(),
          udpChecksum: fc.boolean(),
          ipHeaderChecksum: fc.boolean(),
          tcpHeaderOffset: fc.integer({ min: 0, max: 0x3ff }),
        }),
        (info) => {
          expect(decodeChecksumTransmitInfo(encodeChecksumTransmitInfo(info))).toEqual(info);
        },
      ),
    );
    const rx = {
      tcpChecksumFailed: false,
      udpChecksumFailed: false,
      ipChecksumFailed: false,
      tcpChecksumSucceeded: true,
      udpChecksumSucceeded: false,
      ipChecksumSucceeded: true,
      loopback: false,
    };
    // tcp_checksum_succeeded is bit 3, ip_checksum_succeeded bit 5 (L: ndis_tcp_ip_checksum_info).
    expect(encodeChecksumReceiveInfo(rx)).toBe(0x28);
    expect(decodeChecksumReceiveInfo(0x28)).toEqual(rx);
    // pri:3 cfi:1 vlanid:12 → VLAN 100, priority 5: 5 | 100 << 4.
    expect(encodeIeee8021qInfo({ priority: 5, cfi: false, vlanId: 100 })).toBe(5 | (100 << 4));
    expect(decodeIeee8021qInfo(5 | (100 << 4))).toEqual({ priority: 5, cfi: false, vlanId: 100 });
  });
});
