/**
 * Helpers shared by the ring tests (not exported from index.ts). Layout facts here are written
 * from Linux `struct hv_ring_buffer` / `struct vmpacket_descriptor` with a DataView, on purpose
 * independent of the implementation's word views.
 */
import { RING_HEADER_BYTES } from './constants.js';
import { VmbusRingMemory } from './ring-memory.js';
import { VmbusRingReader } from './ring-reader.js';
import type { OutgoingPacket } from './outgoing-packet.js';
import { VmbusRingWriter, WriteStatus } from './ring-writer.js';

/** Byte poured around the ring to detect any read or write outside its bytes. */
export const SENTINEL = 0xee;
/** Sentinel margin on each side of the ring inside the backing buffer. */
export const MARGIN = 4096;

export interface TestRing {
  readonly memory: VmbusRingMemory;
  readonly writer: VmbusRingWriter;
  readonly reader: VmbusRingReader;
  /** The whole backing buffer: sentinel, ring, sentinel. */
  readonly backing: Uint8Array;
  /** DataView over the ring memory (header at 0, data at 4096). */
  readonly view: DataView;
}

/**
 * A ring of `dataBytes` sitting in the middle of a larger buffer full of {@link SENTINEL},
 * header reset, both indices at `startIndex`.
 */
export function makeRing(dataBytes = 4096, startIndex = 0): TestRing {
  const backing = new Uint8Array(MARGIN + RING_HEADER_BYTES + dataBytes + MARGIN).fill(SENTINEL);
  const bytes = backing.subarray(MARGIN, MARGIN + RING_HEADER_BYTES + dataBytes);
  bytes.fill(0);
  const memory = new VmbusRingMemory(bytes);
  memory.resetHeader();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint32(0, startIndex, true);
  view.setUint32(4, startIndex, true);
  return {
    memory,
    writer: new VmbusRingWriter(memory),
    reader: new VmbusRingReader(memory),
    backing,
    view,
  };
}

/** Whether every byte outside the ring is still the sentinel. */
export function sentinelsIntact(ring: TestRing): boolean {
  const end = ring.backing.length - MARGIN;
  for (let i = 0; i < MARGIN; i++) {
    if (ring.backing[i] !== SENTINEL || ring.backing[end + i] !== SENTINEL) return false;
  }
  return true;
}

/** A recognisable payload: byte i = (seed + i × 7) mod 251. */
export function patternPayload(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = (seed + i * 7) % 251;
  return bytes;
}

/** The payload bytes of the reader's current packet, trimmed to `length`. */
export function readPayload(reader: VmbusRingReader, length: number): Uint8Array {
  return reader.packet.payloadCopy().subarray(0, length);
}

/**
 * Writes a raw packet by hand at byte `at` of the data area (wrapping), as a hostile or
 * hand-rolled peer would, and returns the index just past its trailer.
 */
export function writeRawPacket(
  ring: TestRing,
  at: number,
  fields: {
    type: number;
    offset8: number;
    len8: number;
    flags: number;
    body?: Uint8Array;
    transIdLo?: number;
    transIdHi?: number;
  },
): number {
  const data = ring.memory.dataBytes;
  const bytes = new Uint8Array(Math.max(16, fields.len8 * 8) + 8);
  const dv = new DataView(bytes.buffer);
  dv.setUint16(0, fields.type, true);
  dv.setUint16(2, fields.offset8, true);
  dv.setUint16(4, fields.len8, true);
  dv.setUint16(6, fields.flags, true);
  dv.setUint32(8, fields.transIdLo ?? 0, true);
  dv.setUint32(12, fields.transIdHi ?? 0, true);
  if (fields.body) bytes.set(fields.body.subarray(0, bytes.length - 24), 16);
  dv.setUint32(bytes.length - 4, at, true);
  for (let i = 0; i < bytes.length; i++) {
    ring.view.setUint8(RING_HEADER_BYTES + ((at + i) % data), bytes[i]);
  }
  return (at + bytes.length) % data;
}

/** Publishes a write_index by hand. */
export function publishWriteIndex(ring: TestRing, index: number): void {
  ring.view.setUint32(0, index, true);
}

/**
 * Writes `packet` until the ring refuses it and returns how many went in. Bounded, so a broken
 * full check fails the test instead of hanging it.
 */
export function fillUntilFull(ring: TestRing, packet: OutgoingPacket): number {
  const bound = ring.memory.dataBytes / 8;
  for (let written = 0; written <= bound; written++) {
    if (ring.writer.write(packet) === WriteStatus.RingFull) return written;
  }
  throw new Error(`ring never reported full after ${bound} writes`);
}
