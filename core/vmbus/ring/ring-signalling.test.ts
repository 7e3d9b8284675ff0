import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { OutgoingPacket } from './outgoing-packet.js';
import { DrainEnd, ReadStatus } from './ring-reader.js';
import { WriteStatus } from './ring-writer.js';
import { fillUntilFull, makeRing, patternPayload } from './ring.test-support.js';

const PAYLOAD = patternPayload(40, 1); // 64 bytes in the ring with descriptor and trailer

describe('writer signalling (rule 4)', () => {
  it('rule 4: signals only when the ring was empty and interrupts unmasked', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket().inBand(PAYLOAD);
    expect(ring.writer.write(out)).toBe(WriteStatus.WrittenSignalReader); // empty → non-empty
    expect(ring.writer.write(out)).toBe(WriteStatus.Written); // already non-empty
    ring.reader.next();
    ring.reader.next();
    expect(ring.writer.write(out)).toBe(WriteStatus.Written); // reads not yet published
    ring.reader.next();
    ring.reader.commitRead();
    expect(ring.writer.write(out)).toBe(WriteStatus.WrittenSignalReader); // empty again
    expect(ring.writer.readerSignals).toBe(2);
  });

  it('rule 4: does not signal a reader that masked interrupts, even on an empty ring', () => {
    const ring = makeRing(4096);
    ring.reader.beginDrain();
    expect(ring.writer.write(new OutgoingPacket().inBand(PAYLOAD))).toBe(WriteStatus.Written);
  });

  it('rule 4: decides after publishing write_index', () => {
    const ring = makeRing(4096);
    ring.writer.write(new OutgoingPacket().inBand(PAYLOAD));
    expect(ring.memory.writeIndex).toBe(64);
  });
});

describe('reader drain loop (rule 5)', () => {
  it('rule 5: masks interrupts while draining and unmasks at the end', () => {
    const ring = makeRing(4096);
    ring.writer.write(new OutgoingPacket().inBand(PAYLOAD));
    ring.reader.beginDrain();
    expect(ring.memory.interruptMask).toBe(1);
    while (ring.reader.next() === ReadStatus.Packet);
    expect(ring.reader.endDrain()).toBe(DrainEnd.Idle);
    expect(ring.memory.interruptMask).toBe(0);
    expect(ring.memory.readIndex).toBe(64);
  });

  it('rule 5: re-checks after unmasking and reports data that arrived unsignalled during the drain', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket().inBand(PAYLOAD);
    ring.writer.write(out);
    ring.reader.beginDrain();
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    expect(ring.reader.next()).toBe(ReadStatus.Empty);
    // The writer sees the mask and does not signal, yet the data must not be forgotten.
    expect(ring.writer.write(out)).toBe(WriteStatus.Written);
    expect(ring.reader.endDrain() & DrainEnd.MoreData).toBe(DrainEnd.MoreData);
    ring.reader.beginDrain();
    expect(ring.reader.next()).toBe(ReadStatus.Packet);
    expect(ring.reader.endDrain()).toBe(DrainEnd.Idle);
  });

  it('rule 5: a full drain loop never loses a packet and signals only on empty → non-empty', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 60 }), (bursts) => {
        const ring = makeRing(4096);
        const out = new OutgoingPacket();
        let sent = 0;
        let received = 0;
        let signals = 0;
        for (const burst of bursts) {
          for (let i = 0; i < burst; i++) {
            const status = ring.writer.write(out.inBand(PAYLOAD, 40, sent));
            if (status === WriteStatus.RingFull) break;
            sent++;
            if (status === WriteStatus.WrittenSignalReader) signals++;
          }
          // The reader runs only when signalled — and then drains completely.
          if (signals === 0) continue;
          signals = 0;
          for (;;) {
            ring.reader.beginDrain();
            while (ring.reader.next() === ReadStatus.Packet) {
              expect(ring.reader.packet.transId).toBe(received++);
            }
            if ((ring.reader.endDrain() & DrainEnd.MoreData) === 0) break;
          }
        }
        // Whatever is still in the ring was written after the last drain and has signalled:
        // no lost wake-up.
        expect(received + ring.writer.bytesInUse() / 64).toBe(sent);
        if (ring.writer.bytesInUse() > 0) expect(signals).toBeGreaterThan(0);
      }),
    );
  });
});

/**
 * Linux's decision, transcribed from drivers/hv/ring_buffer.c hv_pkt_iter_close (5.x+), as
 * an oracle: curr_write_sz = bytes_to_write after the commit, bytes_read since the last one.
 */
function linuxSignalsWriter(
  dataBytes: number,
  writeIndex: number,
  startRead: number,
  newRead: number,
  pendingSz: number,
): boolean {
  if (pendingSz === 0) return false;
  const currWriteSz =
    writeIndex >= newRead ? dataBytes - (writeIndex - newRead) : newRead - writeIndex;
  const bytesRead = newRead >= startRead ? newRead - startRead : dataBytes - startRead + newRead;
  if (currWriteSz - bytesRead > pendingSz) return false;
  if (currWriteSz <= pendingSz) return false;
  return true;
}

describe('flow control (rule 6)', () => {
  it('rule 6: signals the blocked writer once, when free space reaches pending_send_sz', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket().inBand(PAYLOAD);
    fillUntilFull(ring, out);
    // Blocked: ask for room for three packets.
    ring.writer.setPendingSendSize(3 * ring.writer.lastRequiredBytes);
    const signals: boolean[] = [];
    while (ring.reader.next() === ReadStatus.Packet) signals.push(ring.reader.commitRead());
    // 63 packets filled the ring with 64 bytes left (8 of them the free slot): free = 56.
    // After k reads free = 56 + 64k; ≥ 192 first at k = 3.
    expect(signals.indexOf(true)).toBe(2);
    expect(signals.filter(Boolean)).toHaveLength(1);
    expect(ring.reader.writerSignals).toBe(1);
  });

  it('rule 6: never signals when the writer did not set pending_send_sz', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket().inBand(PAYLOAD);
    fillUntilFull(ring, out);
    while (ring.reader.next() === ReadStatus.Packet) expect(ring.reader.commitRead()).toBe(false);
  });

  it('rule 6: honours feat_pending_send_sz: a writer without the feature polls and gets no signal', () => {
    const ring = makeRing(4096);
    ring.memory.featureBits = 0;
    const out = new OutgoingPacket().inBand(PAYLOAD);
    fillUntilFull(ring, out);
    ring.writer.setPendingSendSize(64);
    while (ring.reader.next() === ReadStatus.Packet) expect(ring.reader.commitRead()).toBe(false);
  });

  it('rule 6: reports the writer signal from endDrain as well', () => {
    const ring = makeRing(4096);
    const out = new OutgoingPacket().inBand(PAYLOAD);
    fillUntilFull(ring, out);
    ring.writer.setPendingSendSize(ring.writer.lastRequiredBytes);
    ring.reader.beginDrain();
    while (ring.reader.next() === ReadStatus.Packet);
    expect(ring.reader.endDrain()).toBe(DrainEnd.SignalWriter);
  });

  it('rule 6: agrees with Linux hv_pkt_iter_close for every ring state and pending size', () => {
    const dataBytes = 4096;
    const slot = fc.integer({ min: 0, max: dataBytes / 8 - 1 }).map((s) => s * 8);
    fc.assert(
      fc.property(
        slot,
        fc.integer({ min: 0, max: dataBytes / 8 - 1 }),
        fc.integer({ min: 0, max: dataBytes / 8 - 1 }),
        fc.integer({ min: 1, max: dataBytes / 8 }).map((s) => s * 8),
        (readStart, usedSlots, readSlots, pending) => {
          const ring = makeRing(dataBytes, readStart);
          const writeIndex = (readStart + usedSlots * 8) % dataBytes;
          const consumed = Math.min(readSlots, usedSlots) * 8;
          const newRead = (readStart + consumed) % dataBytes;
          ring.view.setUint32(0, writeIndex, true);
          ring.view.setUint32(12, pending, true);
          // Consume `consumed` bytes as one packet of in-band padding, written by hand.
          if (consumed > 0) {
            ring.view.setUint16(4096 + readStart, 6, true);
            for (let i = 2; i < 16; i++)
              ring.view.setUint8(4096 + ((readStart + i) % dataBytes), 0);
            ring.view.setUint16(4096 + ((readStart + 2) % dataBytes), 2, true);
            ring.view.setUint16(4096 + ((readStart + 4) % dataBytes), consumed / 8 - 1, true);
            if (consumed < 16 || ring.reader.next() !== ReadStatus.Packet) return; // too short
          }
          expect(ring.reader.commitRead()).toBe(
            linuxSignalsWriter(dataBytes, writeIndex, readStart, newRead, pending),
          );
        },
      ),
      { numRuns: 2000 },
    );
  });
});
