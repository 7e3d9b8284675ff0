import { describe, expect, it } from '@jest/globals';
import { VmbusPacketType } from './constants.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { ReadStatus } from './ring-reader.js';
import { WriteStatus } from './ring-writer.js';
import {
  fillUntilFull,
  makeRing,
  patternPayload,
  readPayload,
  sentinelsIntact,
} from './ring.test-support.js';

describe('empty, full and the free slot (rule 2)', () => {
  it('rule 2: a ring whose read_index equals its write_index is empty', () => {
    const ring = makeRing(4096, 808);
    expect(ring.reader.next()).toBe(ReadStatus.Empty);
    expect(ring.reader.bytesInUse()).toBe(0);
  });

  it('rule 2: refuses the write that would make write_index equal read_index, accepts one slot less', () => {
    // 4096-byte ring; in-band packets with a 40-byte payload take 16 + 40 + 8 = 64 bytes.
    const ring = makeRing(4096);
    const out = new OutgoingPacket();
    const payload = patternPayload(40, 1);
    for (let i = 0; i < 63; i++) expect(ring.writer.write(out.inBand(payload))).not.toBe(2);
    // 63 × 64 = 4032 used, 64 free: exactly one packet's worth would make the indices equal.
    expect(ring.writer.write(out.inBand(payload))).toBe(WriteStatus.RingFull);
    // 56 bytes = 64 − 8: a packet with a 32-byte payload still fits, leaving the one free slot.
    expect(ring.writer.write(out.inBand(payload, 32))).toBe(WriteStatus.Written);
    expect(ring.memory.writeIndex).toBe(4096 - 8);
    expect(ring.memory.readIndex).toBe(0);
    expect(ring.writer.write(out.inBand(payload, 0))).toBe(WriteStatus.RingFull);
  });

  it('rule 2: keeps one slot free however the ring is filled', () => {
    for (const payloadLength of [0, 1, 8, 13, 64, 200, 1000]) {
      const ring = makeRing(4096, 4096 - 24);
      const out = new OutgoingPacket();
      const payload = patternPayload(payloadLength, 2);
      const written = fillUntilFull(ring, out.inBand(payload));
      expect(written).toBeGreaterThan(0);
      expect(ring.memory.writeIndex).not.toBe(ring.memory.readIndex);
      expect(ring.writer.bytesInUse()).toBeLessThan(4096);
      // Everything written comes back out.
      let read = 0;
      while (ring.reader.next() === ReadStatus.Packet) read++;
      expect(read).toBe(written);
    }
  });

  it('rule 2: counts full events like Linux out_full_total / out_full_first', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket().inBand(patternPayload(1000, 3));
    fillUntilFull(ring, out);
    ring.writer.write(out);
    expect(ring.writer.fullTotal).toBe(2);
    expect(ring.writer.fullFirst).toBe(1);
    expect(ring.writer.lastWriteFoundFull).toBe(true);
    expect(ring.writer.lastRequiredBytes).toBe(16 + 1000 + 8);
    ring.reader.next();
    ring.reader.commitRead();
    expect(ring.writer.write(out)).toBe(WriteStatus.Written);
    expect(ring.writer.lastWriteFoundFull).toBe(false);
  });

  it('refuses a packet that can never fit the ring without touching it', () => {
    const ring = makeRing(4096);
    const before = ring.memory.bytes.slice();
    expect(ring.writer.write(new OutgoingPacket().inBand(new Uint8Array(4096 - 24 + 1)))).toBe(
      WriteStatus.PacketTooLarge,
    );
    expect(ring.memory.bytes).toEqual(before);
  });
});

describe('packets and wrap-around (rule 3)', () => {
  it('rule 3: wraps descriptor, payload and trailer across the end of the data area at every 8-byte alignment', () => {
    const out = new OutgoingPacket();
    for (let start = 0; start < 4096; start += 8) {
      const ring = makeRing(4096, start);
      const payload = patternPayload(45, start);
      expect(ring.writer.write(out.inBand(payload, 45, start + 1, true))).not.toBe(
        WriteStatus.RingFull,
      );
      // 16 + 48 + 8 = 72 bytes, written byte by byte modulo the data size.
      const at = (i: number): number => ring.view.getUint8(4096 + ((start + i) % 4096));
      expect(at(0) | (at(1) << 8)).toBe(VmbusPacketType.DataInBand);
      for (let i = 0; i < 45; i++) expect(at(16 + i)).toBe(payload[i]);
      expect(ring.memory.writeIndex).toBe((start + 72) % 4096);
      expect(ring.reader.next()).toBe(ReadStatus.Packet);
      expect(ring.reader.packet.transId).toBe(start + 1);
      expect(readPayload(ring.reader, 45)).toEqual(payload);
      expect(ring.reader.next()).toBe(ReadStatus.Empty);
      expect(sentinelsIntact(ring)).toBe(true);
    }
  });

  it('rule 3: pads payloads to 8 bytes and counts len8/offset8 in 8-byte units', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket();
    for (let length = 0; length <= 17; length++) {
      ring.writer.write(out.inBand(patternPayload(length, length)));
      expect(ring.reader.next()).toBe(ReadStatus.Packet);
      expect(ring.reader.packet.payloadOffset).toBe(16);
      expect(ring.reader.packet.payloadLength).toBe(Math.ceil(length / 8) * 8);
      expect(ring.reader.packet.packetBytes).toBe(16 + Math.ceil(length / 8) * 8);
      expect(readPayload(ring.reader, length)).toEqual(patternPayload(length, length));
    }
  });

  it('rule 3: delivers packets first in, first out with their content', () => {
    const ring = makeRing(8192);
    const out = new OutgoingPacket();
    const sent: Uint8Array[] = [];
    for (let i = 0; i < 40; i++) {
      const payload = patternPayload((i * 37) % 150, i);
      sent.push(payload);
      ring.writer.write(out.inBand(payload, payload.length, i));
    }
    for (let i = 0; i < 40; i++) {
      expect(ring.reader.next()).toBe(ReadStatus.Packet);
      expect(ring.reader.packet.transId).toBe(i);
      expect(readPayload(ring.reader, sent[i].length)).toEqual(sent[i]);
    }
  });

  it('rule 3: flag 1 means completion requested and the completion echoes the trans_id', () => {
    const guestToHost = makeRing(4096);
    const hostToGuest = makeRing(4096);
    guestToHost.writer.write(new OutgoingPacket().inBand(patternPayload(8, 1), 8, 77, true));
    expect(guestToHost.reader.next()).toBe(ReadStatus.Packet);
    const request = guestToHost.reader.packet;
    expect(request.completionRequested).toBe(true);
    hostToGuest.writer.write(
      new OutgoingPacket().completion(
        patternPayload(8, 2),
        8,
        request.transIdLo,
        request.transIdHi,
      ),
    );
    expect(hostToGuest.reader.next()).toBe(ReadStatus.Packet);
    expect(hostToGuest.reader.packet.type).toBe(VmbusPacketType.Completion);
    expect(hostToGuest.reader.packet.transId).toBe(77);
    expect(hostToGuest.reader.packet.completionRequested).toBe(false);
  });

  it('rule 3: trans_id 0 is an unsolicited message; any u64 trans_id is echoed exactly', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket();
    ring.writer.write(out.inBand(patternPayload(8, 1)));
    ring.reader.next();
    expect(ring.reader.packet.transId).toBe(0);
    // A guest may pick any u64, e.g. 0xFFFF_FFFF_FFFF_FFF1 (above 2^53).
    ring.writer.write(out.inBand(patternPayload(8, 1)).setTransIdParts(0xffff_fff1, 0xffff_ffff));
    ring.reader.next();
    const packet = ring.reader.packet;
    expect(packet.transIdIsSafe).toBe(false);
    expect(packet.transId).toBe(-1);
    const echo = makeRing(4096);
    echo.writer.write(out.completion(new Uint8Array(0), 0, packet.transIdLo, packet.transIdHi));
    expect(echo.view.getBigUint64(4096 + 8, true)).toBe(0xffff_ffff_ffff_fff1n);
  });

  it('rule 3: GPA-direct packets (type 9) carry page ranges: len, offset and PFN list', () => {
    const ring = makeRing(8192, 8192 - 16);
    const out = new OutgoingPacket()
      .gpaDirect(patternPayload(64, 5), 64, 9)
      .addGpaRange(8192, 512, [0x1000, 0x1001, 0x2_0000_0000])
      .addGpaRange(100, 0, [0x77]);
    expect(ring.writer.write(out)).not.toBe(WriteStatus.RingFull);
    // L: hyperv.h struct vmdata_gpa_direct: reserved u32 @16, range_cnt u32 @20, ranges @24.
    const byte = (i: number): number => ring.view.getUint8(4096 + ((8192 - 16 + i) % 8192));
    const u32 = (i: number): number =>
      (byte(i) | (byte(i + 1) << 8) | (byte(i + 2) << 16) | (byte(i + 3) << 24)) >>> 0;
    expect(u32(0) & 0xffff).toBe(9);
    expect(u32(0) >>> 16).toBe((24 + 8 + 24 + 8 + 8) / 8); // offset8
    expect(u32(20)).toBe(2);
    expect([u32(24), u32(28), u32(32), u32(40), u32(48), u32(52)]).toEqual([
      8192, 512, 0x1000, 0x1001, 0, 2,
    ]);
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    const p = ring.reader.packet;
    expect(p.type).toBe(VmbusPacketType.DataUsingGpaDirect);
    expect(p.completionRequested).toBe(true);
    expect(p.rangeCount).toBe(2);
    expect([p.rangeByteCount(0), p.rangeByteOffset(0), p.rangePfnCount(0)]).toEqual([8192, 512, 3]);
    expect([p.rangePfn(0, 0), p.rangePfn(0, 1), p.rangePfn(0, 2)]).toEqual([
      0x1000, 0x1001, 0x2_0000_0000,
    ]);
    expect([p.rangeByteCount(1), p.rangePfnCount(1), p.rangePfn(1, 0)]).toEqual([100, 1, 0x77]);
    expect(readPayload(ring.reader, 64)).toEqual(patternPayload(64, 5));
  });

  it('rule 3: transfer-page packets (type 7) carry a set id and byte ranges', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket()
      .transferPages(patternPayload(24, 6), 24, 3, 0xcafe)
      .addTransferPageRange(1514, 0)
      .addTransferPageRange(60, 1728);
    ring.writer.write(out);
    expect(ring.view.getUint16(4096 + 16, true)).toBe(0xcafe); // xfer_pageset_id
    expect(ring.view.getUint32(4096 + 20, true)).toBe(2); // range_cnt
    expect(ring.view.getUint32(4096 + 32, true)).toBe(60); // ranges[1].byte_count
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    const p = ring.reader.packet;
    expect(p.type).toBe(VmbusPacketType.DataUsingTransferPages);
    expect(p.transferPageSetId).toBe(0xcafe);
    expect(p.rangeCount).toBe(2);
    expect([p.rangeByteCount(1), p.rangeByteOffset(1)]).toEqual([60, 1728]);
    expect(p.payloadOffset).toBe(24 + 16);
    expect(readPayload(ring.reader, 24)).toEqual(patternPayload(24, 6));
  });

  it('grows its private copy for a packet larger than any before and still reads it exactly', () => {
    const ring = makeRing(64 * 1024, 64 * 1024 - 8);
    const big = patternPayload(20_000, 11);
    ring.writer.write(new OutgoingPacket().inBand(big));
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    expect(readPayload(ring.reader, big.length)).toEqual(big);
  });
});
