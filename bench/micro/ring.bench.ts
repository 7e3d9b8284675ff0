/**
 * Micro-benchmark of the ring data path (not part of the simulation, not exported from index.ts):
 * write+read pairs of a 64-byte in-band payload on one core, next to a baseline that only copies
 * the same bytes in and out with `Uint8Array.set`. Wall-clock timing is the point here, so the
 * clock comes from node:perf_hooks explicitly.
 *
 *   node --import tsx core/vmbus/ring/ring.bench.ts
 */
import { performance as wallClock } from 'node:perf_hooks';
import {
  OutgoingPacket,
  ReadStatus,
  RING_HEADER_BYTES,
  VmbusRingMemory,
  VmbusRingReader,
  VmbusRingWriter,
  WriteStatus,
} from '../../core/vmbus/ring/index.js';

const PAYLOAD_BYTES = 64;
const DATA_BYTES = 128 * 1024;
const ROUNDS = 5;
const PAIRS = 2_000_000;

function opsPerSecond(pairs: number, run: () => number): number {
  let best = 0;
  let sink = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const start = wallClock.now();
    sink += run();
    const seconds = (wallClock.now() - start) / 1000;
    best = Math.max(best, pairs / seconds);
  }
  if (sink === -1) console.log('unreachable');
  return best;
}

function baseline(): number {
  const ring = new Uint8Array(DATA_BYTES);
  const copy = new Uint8Array(PAYLOAD_BYTES + 24);
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(7);
  let at = 0;
  let sum = 0;
  for (let i = 0; i < PAIRS; i++) {
    ring.set(payload, at);
    copy.set(ring.subarray(at, at + PAYLOAD_BYTES));
    sum += copy[3];
    at += 88;
    if (at + 88 > DATA_BYTES) at = 0;
  }
  return sum;
}

function setUpRing(): { writer: VmbusRingWriter; reader: VmbusRingReader } {
  const memory = new VmbusRingMemory(new Uint8Array(RING_HEADER_BYTES + DATA_BYTES));
  memory.resetHeader();
  return { writer: new VmbusRingWriter(memory), reader: new VmbusRingReader(memory) };
}

/** Strict alternation: write one, read one, commit. */
function pairs(): number {
  const { writer, reader } = setUpRing();
  const out = new OutgoingPacket();
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(7);
  let sum = 0;
  for (let i = 0; i < PAIRS; i++) {
    out.inBand(payload, PAYLOAD_BYTES, i, true);
    if (writer.write(out) === WriteStatus.RingFull) throw new Error('full');
    if (reader.next() !== ReadStatus.Packet) throw new Error('empty');
    sum += reader.packet.data[reader.packet.payloadOffset + 3];
    reader.commitRead();
  }
  return sum;
}

/** Batches of 32 writes, then one drain of 32 reads with mask/commit/unmask (rule 5). */
function batches(): number {
  const { writer, reader } = setUpRing();
  const out = new OutgoingPacket();
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(7);
  let sum = 0;
  for (let i = 0; i < PAIRS; i += 32) {
    for (let j = 0; j < 32; j++) writer.write(out.inBand(payload, PAYLOAD_BYTES, i + j, true));
    reader.beginDrain();
    while (reader.next() === ReadStatus.Packet) sum += reader.packet.transIdLo;
    sum += reader.endDrain();
  }
  return sum;
}

/** storvsc-shaped GPA-direct requests: one 32-PFN range and a 64-byte vstor_packet. */
function gpaDirect(): number {
  const { writer, reader } = setUpRing();
  const out = new OutgoingPacket();
  const payload = new Uint8Array(PAYLOAD_BYTES).fill(7);
  const pfns = Array.from({ length: 32 }, (_, i) => 0x10_0000 + i);
  let sum = 0;
  for (let i = 0; i < PAIRS; i++) {
    writer.write(out.gpaDirect(payload, PAYLOAD_BYTES, i).addGpaRange(128 * 1024, 0, pfns));
    if (reader.next() !== ReadStatus.Packet) throw new Error('empty');
    sum += reader.packet.rangePfn(0, 31);
    reader.commitRead();
  }
  return sum;
}

const base = opsPerSecond(PAIRS, baseline);
const strict = opsPerSecond(PAIRS, pairs);
const batched = opsPerSecond(PAIRS, batches);
const fmt = (n: number): string => `${(n / 1e6).toFixed(2)} M/s`;
console.log(`64-byte in-band payload, ${DATA_BYTES / 1024} KiB ring, best of ${ROUNDS} x ${PAIRS}`);
console.log(`baseline Uint8Array.set in+out copy : ${fmt(base)}`);
console.log(`ring write+read+commit pairs        : ${fmt(strict)}`);
console.log(`ring write x32 then drain x32       : ${fmt(batched)}`);
console.log(`GPA-direct 32 PFNs + 64 B, pairs    : ${fmt(opsPerSecond(PAIRS, gpaDirect))}`);
