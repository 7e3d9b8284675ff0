import { describe, expect, it } from '@jest/globals';
import { RingConfigurationError } from './errors.js';
import { OutgoingPacket } from './outgoing-packet.js';
import { ReadStatus } from './ring-reader.js';
import { VmbusRingMemory } from './ring-memory.js';
import { makeRing, patternPayload } from './ring.test-support.js';

// Offsets below are read straight off Linux include/linux/hyperv.h, not from the implementation.
const WRITE_INDEX = 0;
const READ_INDEX = 4;
const INTERRUPT_MASK = 8;
const PENDING_SEND_SZ = 12;
const FEATURE_BITS = 64; // after u32 reserved1[12]
const DATA = 4096;

describe('VMBus ring header (rule 1)', () => {
  it('rule 1: puts write_index @0, read_index @4, interrupt_mask @8, pending_send_sz @12, feature_bits @64', () => {
    const ring = makeRing(8192);
    ring.writer.setPendingSendSize(200);
    ring.reader.beginDrain();
    const status = ring.writer.write(new OutgoingPacket().inBand(patternPayload(10, 1)));
    expect(status).toBeLessThanOrEqual(1);
    // 16-byte descriptor + 10 bytes padded to 16 + 8-byte trailer = 40 bytes.
    expect(ring.view.getUint32(WRITE_INDEX, true)).toBe(40);
    expect(ring.view.getUint32(READ_INDEX, true)).toBe(0);
    expect(ring.view.getUint32(INTERRUPT_MASK, true)).toBe(1);
    expect(ring.view.getUint32(PENDING_SEND_SZ, true)).toBe(200);
    expect(ring.view.getUint32(FEATURE_BITS, true) & 1).toBe(1);
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    ring.reader.commitRead();
    expect(ring.view.getUint32(READ_INDEX, true)).toBe(40);
  });

  it('rule 1: indices are byte offsets into the data area, which starts after the 4 KiB header page', () => {
    const ring = makeRing(4096, 0);
    ring.writer.write(new OutgoingPacket().inBand(patternPayload(8, 3), 8, 5));
    // The descriptor's first field (type 6) sits at the first byte of the data area.
    expect(ring.view.getUint16(DATA, true)).toBe(6);
    expect(ring.memory.dataBytes).toBe(4096);
  });

  it('rule 1: lays out a packet byte-exactly: descriptor, padded payload, trailer with the start offset', () => {
    const ring = makeRing(4096, 64);
    const payload = patternPayload(13, 9);
    ring.writer.write(new OutgoingPacket().inBand(payload, 13, 0x1_2345_6789, true));
    const at = DATA + 64;
    expect(ring.view.getUint16(at, true)).toBe(6); // type: VM_PKT_DATA_INBAND
    expect(ring.view.getUint16(at + 2, true)).toBe(2); // offset8: 16-byte descriptor
    expect(ring.view.getUint16(at + 4, true)).toBe(4); // len8: (16 + 16) / 8
    expect(ring.view.getUint16(at + 6, true)).toBe(1); // flags: completion requested
    expect(ring.view.getBigUint64(at + 8, true)).toBe(0x1_2345_6789n); // trans_id
    for (let i = 0; i < 13; i++) expect(ring.view.getUint8(at + 16 + i)).toBe(payload[i]);
    for (let i = 13; i < 16; i++) expect(ring.view.getUint8(at + 16 + i)).toBe(0); // padding
    // L: ring_buffer.c — trailer = (u64)write_index << 32 (the packet's start offset).
    expect(ring.view.getBigUint64(at + 32, true)).toBe(64n << 32n);
    expect(ring.view.getUint32(WRITE_INDEX, true)).toBe(64 + 40);
  });

  it('rule 1: refuses ring memory that is not a header page plus whole data pages', () => {
    expect(() => new VmbusRingMemory(new Uint8Array(4096))).toThrow(RingConfigurationError);
    expect(() => new VmbusRingMemory(new Uint8Array(4096 + 100))).toThrow(RingConfigurationError);
    const misaligned = new Uint8Array(8192 + 8).subarray(4);
    expect(() => new VmbusRingMemory(misaligned.subarray(0, 8192))).toThrow(RingConfigurationError);
    expect(new VmbusRingMemory(new Uint8Array(4096 * 3)).dataBytes).toBe(8192);
  });

  it('rule 1: resetHeader zeroes the header and sets feat_pending_send_sz like hv_ringbuffer_init', () => {
    const memory = new VmbusRingMemory(new Uint8Array(8192).fill(0xff));
    memory.resetHeader();
    expect(memory.writeIndex).toBe(0);
    expect(memory.readIndex).toBe(0);
    expect(memory.interruptMask).toBe(0);
    expect(memory.pendingSendSize).toBe(0);
    expect(memory.featureBits).toBe(1);
  });
});
