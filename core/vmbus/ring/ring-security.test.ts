import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { VmbusPacketType } from './constants.js';
import { OutgoingPacket } from './outgoing-packet.js';
import type { RingRejection } from './rejection.js';
import { describeRejection } from './rejection.js';
import { DrainEnd, ReadStatus, VmbusRingReader } from './ring-reader.js';
import { VmbusRingWriter, WriteStatus } from './ring-writer.js';
import {
  SENTINEL,
  makeRing,
  patternPayload,
  publishWriteIndex,
  sentinelsIntact,
  writeRawPacket,
  type TestRing,
} from './ring.test-support.js';

/** Reads until something other than a packet and returns the rejection (or null). */
function firstRejection(reader: VmbusRingReader): RingRejection | null {
  let guard = 10_000;
  while (reader.next() === ReadStatus.Packet && --guard > 0);
  return reader.rejection;
}

/** A ring holding one hand-written packet, published. */
function ringWithRawPacket(
  fields: Parameters<typeof writeRawPacket>[2],
  options: { start?: number; publishBytes?: number } = {},
): TestRing {
  const start = options.start ?? 0;
  const ring = makeRing(4096, start);
  const end = writeRawPacket(ring, start, fields);
  publishWriteIndex(ring, options.publishBytes === undefined ? end : start + options.publishBytes);
  return ring;
}

/** Body words of a GPA-direct packet after the descriptor: reserved, range_cnt, ranges… */
function gpaBody(words: number[]): Uint8Array {
  const body = new Uint8Array(words.length * 4);
  const dv = new DataView(body.buffer);
  words.forEach((w, i) => {
    dv.setUint32(i * 4, w, true);
  });
  return body;
}

describe('ring-level packet validation (rules 36–37)', () => {
  const cases: [string, RingRejection, () => TestRing][] = [
    [
      'write_index beyond the data area',
      'write-index-out-of-range',
      () => {
        const ring = makeRing(4096);
        publishWriteIndex(ring, 4096);
        return ring;
      },
    ],
    [
      'write_index not 8-aligned',
      'write-index-misaligned',
      () => {
        const ring = makeRing(4096);
        publishWriteIndex(ring, 12);
        return ring;
      },
    ],
    [
      'fewer bytes than a descriptor',
      'available-less-than-descriptor',
      () => {
        const ring = makeRing(4096);
        publishWriteIndex(ring, 8);
        return ring;
      },
    ],
    [
      'offset8 < 2',
      'offset8-below-descriptor',
      () => ringWithRawPacket({ type: 6, offset8: 1, len8: 4, flags: 0 }),
    ],
    [
      'len8 < offset8',
      'len8-below-offset8',
      () => ringWithRawPacket({ type: 6, offset8: 3, len8: 2, flags: 0 }),
    ],
    [
      'packet longer than the published data',
      'packet-exceeds-available',
      () => ringWithRawPacket({ type: 6, offset8: 2, len8: 10, flags: 0 }, { publishBytes: 72 }),
    ],
    [
      'packet whose trailer was not published',
      'packet-exceeds-available',
      () => ringWithRawPacket({ type: 6, offset8: 2, len8: 4, flags: 0 }, { publishBytes: 32 }),
    ],
    [
      'len8 wrapping past the whole ring',
      'packet-exceeds-available',
      () => {
        const ring = ringWithRawPacket({ type: 6, offset8: 2, len8: 4, flags: 0 }, { start: 4000 });
        ring.view.setUint16(4096 + 4000 + 4, 0xffff, true);
        return ring;
      },
    ],
    [
      'a type Linux defines but channels do not carry',
      'unknown-type',
      () =>
        ringWithRawPacket({ type: VmbusPacketType.EstablishGpadl, offset8: 2, len8: 4, flags: 0 }),
    ],
    [
      'a type nobody defines',
      'unknown-type',
      () => ringWithRawPacket({ type: 0x1234, offset8: 2, len8: 4, flags: 0 }),
    ],
    [
      'an unknown flag bit',
      'unknown-flags',
      () => ringWithRawPacket({ type: 6, offset8: 2, len8: 4, flags: 0x8001 }),
    ],
    [
      'GPA-direct without room for range_cnt',
      'gpa-direct-header-truncated',
      () => ringWithRawPacket({ type: 9, offset8: 2, len8: 6, flags: 1 }),
    ],
    [
      'GPA-direct with zero ranges',
      'gpa-direct-no-ranges',
      () => ringWithRawPacket({ type: 9, offset8: 3, len8: 6, flags: 1, body: gpaBody([0, 0]) }),
    ],
    [
      'GPA range with byte count 0',
      'gpa-range-empty',
      () =>
        ringWithRawPacket({
          type: 9,
          offset8: 5,
          len8: 6,
          flags: 1,
          body: gpaBody([0, 1, 0, 0, 7, 0]),
        }),
    ],
    [
      'GPA range offset beyond its page',
      'gpa-range-offset-too-large',
      () =>
        ringWithRawPacket({
          type: 9,
          offset8: 5,
          len8: 6,
          flags: 1,
          body: gpaBody([0, 1, 8, 4096, 7, 0]),
        }),
    ],
    [
      'GPA range spanning more PFNs than offset8 holds',
      'gpa-ranges-exceed-header',
      () =>
        ringWithRawPacket({
          type: 9,
          offset8: 5,
          len8: 6,
          flags: 1,
          body: gpaBody([0, 1, 8192, 0, 7, 0]),
        }),
    ],
    [
      'GPA range_cnt far larger than the header',
      'gpa-ranges-exceed-header',
      () =>
        ringWithRawPacket({
          type: 9,
          offset8: 5,
          len8: 6,
          flags: 1,
          body: gpaBody([0, 0xffff_ffff, 8, 0, 7, 0]),
        }),
    ],
    [
      'GPA PFN beyond any guest physical address',
      'gpa-range-pfn-out-of-range',
      () =>
        ringWithRawPacket({
          type: 9,
          offset8: 5,
          len8: 6,
          flags: 1,
          body: gpaBody([0, 1, 8, 0, 7, 0x10_0000]),
        }),
    ],
    [
      'transfer-page without room for range_cnt',
      'transfer-page-header-truncated',
      () => ringWithRawPacket({ type: 7, offset8: 2, len8: 4, flags: 1 }),
    ],
    [
      'transfer-page with zero ranges',
      'transfer-page-no-ranges',
      () =>
        ringWithRawPacket({ type: 7, offset8: 4, len8: 4, flags: 1, body: gpaBody([0, 0, 1, 0]) }),
    ],
    [
      'transfer-page ranges beyond offset8',
      'transfer-page-ranges-exceed-header',
      () =>
        ringWithRawPacket({
          type: 7,
          offset8: 4,
          len8: 6,
          flags: 1,
          body: gpaBody([0, 2, 1, 0, 1, 0]),
        }),
    ],
  ];

  it.each(cases)('rule 37: rejects %s as %s, without throwing', (_what, reason, build) => {
    const ring = build();
    expect(firstRejection(ring.reader)).toBe(reason);
    expect(describeRejection(reason).length).toBeGreaterThan(0);
    expect(sentinelsIntact(ring)).toBe(true);
  });

  it('rule 37: rejects packets larger than the reader accepts', () => {
    const ring = makeRing(4096);
    const reader = new VmbusRingReader(ring.memory, { maxPacketBytes: 64 });
    ring.writer.write(new OutgoingPacket().inBand(patternPayload(100, 1)));
    expect(firstRejection(reader)).toBe('packet-exceeds-reader-limit');
  });

  it('rule 37: a reader can refuse types it does not expect on that ring', () => {
    const ring = makeRing(4096);
    const reader = new VmbusRingReader(ring.memory, {
      acceptedTypes: [VmbusPacketType.DataInBand, VmbusPacketType.DataUsingGpaDirect],
    });
    ring.writer.write(new OutgoingPacket().completion(patternPayload(8, 1), 8, 1, 0));
    expect(firstRejection(reader)).toBe('unknown-type');
  });

  it('rule 36: the writer validates the peer-controlled read_index before trusting it', () => {
    for (const [index, reason] of [
      [8192, 'read-index-out-of-range'],
      [0xffff_fff8, 'read-index-out-of-range'],
      [20, 'read-index-misaligned'],
    ] as const) {
      const ring = makeRing(4096);
      ring.view.setUint32(4, index, true);
      const before = ring.memory.data.slice();
      expect(ring.writer.write(new OutgoingPacket().inBand(patternPayload(8, 1)))).toBe(
        WriteStatus.Corrupt,
      );
      expect(ring.writer.rejection).toBe(reason);
      expect(ring.memory.data).toEqual(before);
      expect(ring.writer.bytesInUse()).toBe(-1);
    }
  });

  it('rule 36: an end attached to a ring whose own index is already corrupt starts stopped', () => {
    const ring = makeRing(4096);
    ring.view.setUint32(0, 4100, true);
    ring.view.setUint32(4, 9, true);
    expect(new VmbusRingWriter(ring.memory).write(new OutgoingPacket())).toBe(WriteStatus.Corrupt);
    expect(new VmbusRingReader(ring.memory).next()).toBe(ReadStatus.Rejected);
  });

  it('rule 38: after a rejection the reader stays in a defined state', () => {
    const ring = makeRing(4096);
    ring.writer.write(new OutgoingPacket().inBand(patternPayload(8, 1), 8, 5));
    const goodEnd = ring.memory.writeIndex;
    publishWriteIndex(
      ring,
      writeRawPacket(ring, goodEnd, { type: 6, offset8: 1, len8: 4, flags: 0 }),
    );
    ring.reader.beginDrain();
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    expect(ring.reader.next()).toBe(ReadStatus.Rejected);
    expect(ring.reader.rejection).toBe('offset8-below-descriptor');
    // Stays rejected, shows no stale packet, commits exactly the good packet, reports no data.
    expect(ring.reader.next()).toBe(ReadStatus.Rejected);
    expect(ring.reader.packet.type).toBe(VmbusPacketType.Invalid);
    expect(ring.reader.packet.payloadLength).toBe(0);
    expect(ring.reader.endDrain() & DrainEnd.MoreData).toBe(0);
    expect(ring.memory.readIndex).toBe(goodEnd);
  });
});

describe('copy, then validate (rule 36)', () => {
  it('rule 36: a peer rewriting a packet after the reader copied it changes nothing the reader acts on', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket();
    ring.writer.write(out.inBand(patternPayload(32, 1), 32, 1));
    ring.writer.write(out.inBand(patternPayload(32, 2), 32, 2));
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    // The peer now rewrites the first packet's descriptor and payload in shared memory.
    ring.view.setUint16(4096 + 4, 0xffff, true); // len8
    ring.view.setUint32(4096 + 8, 0xdead, true); // trans_id
    ring.memory.data.fill(0x55, 16, 48); // payload
    expect(ring.reader.packet.transId).toBe(1);
    expect(ring.reader.packet.packetBytes).toBe(48);
    expect(ring.reader.packet.payloadCopy()).toEqual(patternPayload(32, 1));
    // The reader advances by what it validated, not by the forged len8.
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    expect(ring.reader.packet.transId).toBe(2);
  });

  it('rule 36: reads each shared word at most once per packet, so changing it after the first fetch has no effect', () => {
    const ring = makeRing(4096);
    ring.writer.write(
      new OutgoingPacket()
        .gpaDirect(patternPayload(64, 3), 64, 11)
        .addGpaRange(5000, 100, [0x10, 0x11]),
    );
    // Instrument shared memory: count fetches per word, and let a hostile peer flip every word
    // to garbage right after its first fetch (a double fetch would then see the garbage).
    const fetches = new Map<string, number>();
    const hostile = (target: Uint32Array, name: string): Uint32Array =>
      new Proxy(target, {
        get(t, key) {
          if (typeof key === 'string' && /^\d+$/.test(key)) {
            const id = `${name}${key}`;
            const count = (fetches.get(id) ?? 0) + 1;
            fetches.set(id, count);
            const value = t[Number(key)];
            if (name === 'data' || key === '0') t[Number(key)] = 0xffff_ffff - value;
            return value;
          }
          const member: unknown = Reflect.get(t, key, t);
          return typeof member === 'function' ? (member as () => unknown).bind(t) : member;
        },
      });
    const memory = ring.memory as { dataWords: Uint32Array; headerWords: Uint32Array };
    memory.dataWords = hostile(ring.memory.dataWords, 'data');
    memory.headerWords = hostile(ring.memory.headerWords, 'header');
    const reader = new VmbusRingReader(ring.memory);
    fetches.clear();
    expect(reader.next()).toBe(ReadStatus.Packet);
    expect(Math.max(...fetches.values())).toBe(1);
    const p = reader.packet;
    expect([p.type, p.transId, p.rangeCount, p.rangeByteCount(0), p.rangeByteOffset(0)]).toEqual([
      VmbusPacketType.DataUsingGpaDirect,
      11,
      1,
      5000,
      100,
    ]);
    expect([p.rangePfn(0, 0), p.rangePfn(0, 1)]).toEqual([0x10, 0x11]);
    expect(p.payloadCopy()).toEqual(patternPayload(64, 3));
  });

  it('rule 36: the host writer keeps its own write_index; a peer scribbling it cannot redirect writes', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket().inBand(patternPayload(8, 1));
    ring.writer.write(out);
    ring.view.setUint32(0, 2048, true); // the peer "moves" write_index
    ring.writer.write(out);
    expect(ring.memory.writeIndex).toBe(64); // 2 × 32, republished from the private index
    expect(ring.view.getUint16(4096 + 32, true)).toBe(6);
  });

  it('rule 36: the host reader keeps its own read index; a peer scribbling read_index cannot replay packets', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket();
    ring.writer.write(out.inBand(patternPayload(8, 1), 8, 1));
    ring.writer.write(out.inBand(patternPayload(8, 1), 8, 2));
    ring.reader.next();
    ring.reader.commitRead();
    ring.view.setUint32(4, 0, true); // the peer rewinds read_index
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    expect(ring.reader.packet.transId).toBe(2);
  });
});

/**
 * A field value with no byte equal to {@link SENTINEL}: a packet's own bytes never look like the
 * memory around the ring, so a SENTINEL in a handed-out packet can only mean a read outside it.
 */
const sentinelFree = (v: number): number => {
  let out = 0;
  for (let shift = 0; shift < 32; shift += 8) {
    const byte = Math.floor(v / 2 ** shift) % 256;
    out += (byte === SENTINEL ? 0 : byte) * 2 ** shift;
  }
  return out;
};

/** A packet a hostile peer might place: plausible descriptor fields, arbitrary body. */
const hostileDescriptor = fc.record({
  type: fc
    .oneof(fc.constantFrom(6, 7, 9, 11), fc.integer({ min: 0, max: 0xffff }))
    .map(sentinelFree),
  offset8: fc
    .oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 0xffff }))
    .map(sentinelFree),
  len8: fc
    .oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 0xffff }))
    .map(sentinelFree),
  flags: fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 0xffff })).map(sentinelFree),
  body: fc
    .uint8Array({ minLength: 0, maxLength: 320 })
    .map((b) => b.map((x) => (x === SENTINEL ? 0 : x))),
  // Before: a trans_id with a 0xEE byte (seed 940555817) read as a read outside the ring.
  transIdLo: fc.nat().map(sentinelFree),
});
const hostileIndex = fc.oneof(
  fc.integer({ min: 0, max: 511 }).map((s) => s * 8),
  fc.integer({ min: 0, max: 0xffff_ffff }),
);

describe('hostile peers (property tests, rules 36–37)', () => {
  it('rule 37: never throws, never reads or writes outside the ring, and only hands out validated packets', () => {
    fc.assert(
      fc.property(
        hostileIndex,
        hostileIndex,
        fc.array(hostileDescriptor, { maxLength: 8 }),
        fc.uint8Array({ minLength: 4096, maxLength: 4096 }),
        (start, published, packets, noise) => {
          const ring = makeRing(4096);
          ring.memory.data.set(noise.map((x) => (x === SENTINEL ? 1 : x)));
          let at = (start % 4096) & ~7;
          for (const packet of packets) at = writeRawPacket(ring, at, packet);
          ring.view.setUint32(4, start, true);
          publishWriteIndex(ring, published);
          const reader = new VmbusRingReader(ring.memory);
          let status: number = ReadStatus.Packet;
          for (let i = 0; i < 600 && status === ReadStatus.Packet; i++) {
            status = reader.next();
            if (status !== ReadStatus.Packet) break;
            const p = reader.packet;
            expect(p.packetBytes).toBeGreaterThanOrEqual(16);
            expect(p.payloadOffset + p.payloadLength).toBe(p.packetBytes);
            expect([6, 7, 9, 11]).toContain(p.type);
            expect(p.flags & ~1).toBe(0);
            expect(p.data.subarray(0, p.packetBytes).includes(SENTINEL)).toBe(false);
            if (p.type === 9 || p.type === 7) expect(p.rangeCount).toBeGreaterThan(0);
            for (let r = 0; r < p.rangeCount; r++) {
              if (p.type === 9) expect(p.rangePfnCount(r)).toBeGreaterThan(0);
              for (let j = 0; j < p.rangePfnCount(r); j++) {
                expect(Number.isSafeInteger(p.rangePfn(r, j))).toBe(true);
              }
            }
            reader.commitRead();
          }
          expect(status).not.toBe(ReadStatus.Packet);
          if (status === ReadStatus.Rejected) expect(reader.rejection).not.toBeNull();
          reader.endDrain();
          // A host writer on the same hostile ring: validated or refused, never out of bounds.
          const writer = new VmbusRingWriter(ring.memory);
          writer.write(new OutgoingPacket().inBand(patternPayload(100, 3)));
          expect(sentinelsIntact(ring)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  /** A well-formed ring: a random start, then a GPA-direct packet and an in-band packet. */
  function wellFormedRing(start: number): { ring: TestRing; first: number } {
    const ring = makeRing(4096, start);
    ring.writer.write(
      new OutgoingPacket().gpaDirect(patternPayload(40, 1), 40, 1).addGpaRange(6000, 8, [5, 6]),
    );
    ring.writer.write(new OutgoingPacket().inBand(patternPayload(24, 2), 24, 2));
    return { ring, first: start };
  }
  const startSlot = fc.integer({ min: 0, max: 511 }).map((s) => s * 8);
  const word = (ring: TestRing, packetStart: number, byteOffset: number): number =>
    4096 + ((packetStart + byteOffset) % 4096);

  it('rule 37: a corrupted write_index is rejected with the reason that names it', () => {
    fc.assert(
      fc.property(startSlot, fc.integer({ min: 0, max: 0xffff_ffff }), (start, index) => {
        fc.pre(index >= 4096 || index % 8 !== 0);
        const { ring } = wellFormedRing(start);
        publishWriteIndex(ring, index);
        expect(ring.reader.next()).toBe(ReadStatus.Rejected);
        expect(ring.reader.rejection).toBe(
          index >= 4096 ? 'write-index-out-of-range' : 'write-index-misaligned',
        );
        expect(sentinelsIntact(ring)).toBe(true);
      }),
    );
  });

  it('rule 37: corrupted descriptor fields are rejected with the reason that names them', () => {
    const mutation = fc.oneof(
      fc.record({ field: fc.constant('offset8' as const), value: fc.integer({ min: 0, max: 1 }) }),
      fc.record({ field: fc.constant('len8' as const), value: fc.integer({ min: 0, max: 5 }) }),
      fc.record({
        field: fc.constant('len8-big' as const),
        value: fc.integer({ min: 30, max: 0xffff }),
      }),
      fc.record({
        field: fc.constant('type' as const),
        value: fc.integer({ min: 0, max: 0xffff }).filter((t) => ![6, 7, 9, 11].includes(t)),
      }),
      fc.record({
        field: fc.constant('flags' as const),
        value: fc.integer({ min: 2, max: 0xffff }),
      }),
    );
    const expected = {
      offset8: 'offset8-below-descriptor',
      len8: 'len8-below-offset8',
      'len8-big': 'packet-exceeds-available',
      type: 'unknown-type',
      flags: 'unknown-flags',
    } as const;
    fc.assert(
      fc.property(startSlot, mutation, (start, { field, value }) => {
        // The GPA-direct packet: offset8 = (24 + 8 + 16) / 8 = 6, len8 = 11; 96 + 40 bytes total.
        const { ring, first } = wellFormedRing(start);
        const offsets = { offset8: 2, len8: 4, 'len8-big': 4, type: 0, flags: 6 };
        ring.view.setUint16(word(ring, first, offsets[field]), value, true);
        expect(ring.reader.next()).toBe(ReadStatus.Rejected);
        expect(ring.reader.rejection).toBe(expected[field]);
        expect(sentinelsIntact(ring)).toBe(true);
      }),
    );
  });

  it('rule 37: corrupted GPA ranges are rejected with the reason that names them', () => {
    const mutation = fc.oneof(
      fc.record({
        at: fc.constant(20),
        value: fc.constant(0),
        reason: fc.constant('gpa-direct-no-ranges'),
      }),
      fc.record({
        at: fc.constant(20),
        value: fc.integer({ min: 2, max: 0xffff_ffff }),
        reason: fc.constant('gpa-ranges-exceed-header'),
      }),
      fc.record({
        at: fc.constant(24),
        value: fc.constant(0),
        reason: fc.constant('gpa-range-empty'),
      }),
      fc.record({
        at: fc.constant(24),
        value: fc.integer({ min: 8185, max: 0xffff_ffff }),
        reason: fc.constant('gpa-ranges-exceed-header'),
      }),
      fc.record({
        at: fc.constant(28),
        value: fc.integer({ min: 4096, max: 0xffff_ffff }),
        reason: fc.constant('gpa-range-offset-too-large'),
      }),
      fc.record({
        at: fc.constant(36),
        value: fc.integer({ min: 0x10_0000, max: 0xffff_ffff }),
        reason: fc.constant('gpa-range-pfn-out-of-range'),
      }),
    );
    fc.assert(
      fc.property(startSlot, mutation, (start, { at, value, reason }) => {
        const { ring, first } = wellFormedRing(start);
        ring.view.setUint32(word(ring, first, at), value, true);
        expect(ring.reader.next()).toBe(ReadStatus.Rejected);
        expect(ring.reader.rejection).toBe(reason);
        expect(sentinelsIntact(ring)).toBe(true);
      }),
    );
  });
});
