import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { VmbusPacketType } from './constants.js';
import { OutgoingPacket, gpaRangePageCount } from './outgoing-packet.js';
import { DrainEnd, ReadStatus } from './ring-reader.js';
import { WriteStatus } from './ring-writer.js';
import { makeRing, sentinelsIntact } from './ring.test-support.js';

interface SentPacket {
  readonly type: number;
  readonly transId: number;
  readonly payload: Uint8Array;
  /** [byteCount, byteOffset, pfns…] per range. */
  readonly ranges: readonly (readonly number[])[];
  /** Bytes in the ring, trailer included — computed here from the struct sizes in hyperv.h. */
  readonly ringBytes: number;
}

const payloadArb = fc.uint8Array({ maxLength: 300 });
const packetArb = fc.oneof(
  fc.record({
    type: fc.constant(VmbusPacketType.DataInBand),
    payload: payloadArb,
    ranges: fc.constant([]),
  }),
  fc.record({
    type: fc.constant(VmbusPacketType.Completion),
    payload: payloadArb,
    ranges: fc.constant([]),
  }),
  fc.record({
    type: fc.constant(VmbusPacketType.DataUsingGpaDirect),
    payload: payloadArb,
    ranges: fc.array(
      fc
        .tuple(fc.integer({ min: 1, max: 20_000 }), fc.integer({ min: 0, max: 4095 }))
        .chain(([count, offset]) =>
          fc
            .array(fc.integer({ min: 0, max: 2 ** 40 }), {
              minLength: gpaRangePageCount(offset, count),
              maxLength: gpaRangePageCount(offset, count),
            })
            .map((pfns) => [count, offset, ...pfns]),
        ),
      { minLength: 1, maxLength: 3 },
    ),
  }),
  fc.record({
    type: fc.constant(VmbusPacketType.DataUsingTransferPages),
    payload: payloadArb,
    ranges: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 4 }),
  }),
);
const opArb = fc.oneof(
  { weight: 5, arbitrary: packetArb.map((packet) => ({ op: 'write' as const, packet })) },
  { weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => ({ op: 'read' as const, n })) },
  { weight: 2, arbitrary: fc.constant({ op: 'commit' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'begin-drain' as const }) },
  { weight: 1, arbitrary: fc.constant({ op: 'end-drain' as const }) },
);

function ringBytesOf(
  type: number,
  payloadLength: number,
  ranges: readonly (readonly number[])[],
): number {
  let header = 16;
  if (type === VmbusPacketType.DataUsingGpaDirect) {
    header = 24 + ranges.reduce((sum, r) => sum + 8 + (r.length - 2) * 8, 0);
  } else if (type === VmbusPacketType.DataUsingTransferPages) {
    header = 24 + ranges.length * 8;
  }
  return Math.ceil((header + payloadLength) / 8) * 8 + 8;
}

describe('any interleaving of writes and reads (property, rules 2–5)', () => {
  it('rules 2–5: preserves content and order, keeps one slot free, signals exactly on empty → non-empty', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(4096, 8192),
        fc.nat(),
        fc.array(opArb, { maxLength: 120 }),
        (dataBytes, startSeed, ops) => {
          const start = (startSeed % (dataBytes / 8)) * 8;
          const ring = makeRing(dataBytes, start);
          const out = new OutgoingPacket();
          const unread: SentPacket[] = []; // written, not yet read
          let uncommittedBytes = 0; // read, not yet committed
          let committedUnread = 0; // bytes between published read_index and write_index
          let masked = false;
          let nextTransId = 1;
          for (const step of ops) {
            if (step.op === 'write') {
              const { type, payload, ranges } = step.packet;
              const sent: SentPacket = {
                type,
                transId: nextTransId++,
                payload,
                ranges,
                ringBytes: ringBytesOf(type, payload.length, ranges),
              };
              if (type === VmbusPacketType.DataInBand)
                out.inBand(payload, payload.length, sent.transId);
              else if (type === VmbusPacketType.Completion)
                out.completion(payload, payload.length, sent.transId, 0);
              else if (type === VmbusPacketType.DataUsingGpaDirect) {
                out.gpaDirect(payload, payload.length, sent.transId);
                for (const r of ranges) out.addGpaRange(r[0], r[1], r.slice(2));
              } else {
                out.transferPages(payload, payload.length, sent.transId, 1);
                for (const r of ranges) out.addTransferPageRange(r[0], r[1]);
              }
              const usedBefore = committedUnread;
              const status = ring.writer.write(out);
              // Rule 2: refused exactly when it would leave no free slot.
              if (dataBytes - usedBefore <= sent.ringBytes) {
                expect([WriteStatus.RingFull, WriteStatus.PacketTooLarge]).toContain(status);
                continue;
              }
              // Rule 4: signal iff the published ring was empty and interrupts unmasked.
              expect(status).toBe(
                !masked && usedBefore === 0 ? WriteStatus.WrittenSignalReader : WriteStatus.Written,
              );
              unread.push(sent);
              committedUnread += sent.ringBytes;
            } else if (step.op === 'read') {
              for (let i = 0; i < step.n; i++) {
                const status = ring.reader.next();
                const expected = unread.shift();
                if (expected === undefined) {
                  expect(status).toBe(ReadStatus.Empty);
                  break;
                }
                expect(status).toBe(ReadStatus.Packet);
                const p = ring.reader.packet;
                expect([p.type, p.transId]).toEqual([expected.type, expected.transId]);
                expect(p.payloadCopy().subarray(0, expected.payload.length)).toEqual(
                  expected.payload,
                );
                expect(p.rangeCount).toBe(expected.ranges.length);
                expected.ranges.forEach((r, index) => {
                  expect([p.rangeByteCount(index), p.rangeByteOffset(index)]).toEqual([r[0], r[1]]);
                  for (let j = 2; j < r.length; j++) expect(p.rangePfn(index, j - 2)).toBe(r[j]);
                });
                uncommittedBytes += expected.ringBytes;
              }
            } else if (step.op === 'commit') {
              ring.reader.commitRead();
              committedUnread -= uncommittedBytes;
              uncommittedBytes = 0;
            } else if (step.op === 'begin-drain') {
              ring.reader.beginDrain();
              masked = true;
            } else {
              const end = ring.reader.endDrain();
              committedUnread -= uncommittedBytes;
              uncommittedBytes = 0;
              masked = false;
              // Rule 5: "more data" exactly when unread packets remain.
              expect((end & DrainEnd.MoreData) !== 0).toBe(unread.length > 0);
            }
            // Rule 1 invariants: indices stay 8-aligned inside the data area; occupancy matches.
            expect(ring.memory.writeIndex % 8).toBe(0);
            expect(ring.memory.readIndex % 8).toBe(0);
            expect(ring.memory.writeIndex).toBeLessThan(dataBytes);
            expect(ring.writer.bytesInUse()).toBe(committedUnread);
            expect(ring.reader.bytesInUse()).toBe(committedUnread);
          }
          expect(ring.reader.rejection).toBeNull();
          expect(sentinelsIntact(ring)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
