import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { OutgoingPacket } from './outgoing-packet.js';
import {
  MAX_MULTIPAGE_BUFFER_PACKET,
  VSTOR_PACKET_BYTES,
  gpaDirectPacketRingBytes,
  inBandPacketRingBytes,
  packetsThatFit,
  ringMemoryBytes,
  storvscMaxOutstandingRequests,
  transferPagePacketRingBytes,
  typicalRingDataBytes,
} from './ring-sizes.js';
import { fillUntilFull, makeRing, patternPayload } from './ring.test-support.js';

describe('ring sizes (rule 9) and storvsc queue depth (rule 18)', () => {
  it('rule 9: storage rings are 128 KiB and network rings 512 KiB per direction', () => {
    expect(ringMemoryBytes(typicalRingDataBytes('storage'))).toBe(128 * 1024);
    expect(ringMemoryBytes(typicalRingDataBytes('network'))).toBe(512 * 1024);
    // Newer Linux adds the header page on top (VMBUS_RING_SIZE).
    expect(typicalRingDataBytes('storage', 'payload')).toBe(128 * 1024);
    expect(typicalRingDataBytes('network', 'payload')).toBe(512 * 1024);
  });

  it('rule 18: a 128 KiB storage ring holds about 352 storvsc requests', () => {
    expect(storvscMaxOutstandingRequests()).toBe(352);
    expect(storvscMaxOutstandingRequests(128 * 1024, 'payload')).toBe(364);
  });

  it("rule 18: storvsc's largest request is 360 ring bytes, and exactly 352 fit in a real 128 KiB ring", () => {
    // A GPA-direct EXECUTE_SRB with one range of 32 PFNs (128 KiB) and a 64-byte vstor_packet.
    expect(VSTOR_PACKET_BYTES).toBe(64);
    const ringBytes = gpaDirectPacketRingBytes(1, 32, VSTOR_PACKET_BYTES);
    expect(ringBytes).toBe(MAX_MULTIPAGE_BUFFER_PACKET + VSTOR_PACKET_BYTES + 8);
    const ring = makeRing(typicalRingDataBytes('storage'));
    const pfns = Array.from({ length: 32 }, (_, i) => 0x1000 + i);
    const request = new OutgoingPacket()
      .gpaDirect(patternPayload(VSTOR_PACKET_BYTES, 1), VSTOR_PACKET_BYTES, 1)
      .addGpaRange(128 * 1024, 0, pfns);
    const fitted = fillUntilFull(ring, request);
    expect(fitted).toBe(packetsThatFit(typicalRingDataBytes('storage'), ringBytes));
    expect(fitted).toBe(storvscMaxOutstandingRequests());
  });

  it('rule 9: packetsThatFit agrees with filling a real ring, for any packet size', () => {
    fc.assert(
      fc.property(fc.constantFrom(4096, 8192), fc.integer({ min: 0, max: 3000 }), (data, size) => {
        const ring = makeRing(data, 0);
        const fitted = fillUntilFull(ring, new OutgoingPacket().inBand(patternPayload(size, 2)));
        expect(fitted).toBe(packetsThatFit(data, inBandPacketRingBytes(size)));
      }),
      { numRuns: 200 },
    );
  });

  it('rule 3: packet size helpers match what the writer actually uses', () => {
    const ring = makeRing(8192);
    ring.writer.write(new OutgoingPacket().inBand(patternPayload(64, 1)));
    expect(ring.memory.writeIndex).toBe(inBandPacketRingBytes(64));
    ring.writer.write(
      new OutgoingPacket()
        .transferPages(patternPayload(10, 1), 10, 1, 1)
        .addTransferPageRange(1, 2),
    );
    expect(ring.memory.writeIndex).toBe(
      inBandPacketRingBytes(64) + transferPagePacketRingBytes(1, 10),
    );
  });
});
