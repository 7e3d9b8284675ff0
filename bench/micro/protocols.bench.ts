/**
 * Storage fast-path micro-benchmark: encode/decode of EXECUTE_SRB and COMPLETE_IO next to a
 * baseline measured in the same process (a raw DataView read loop over the same 64 bytes).
 *
 *   node --import tsx core/protocols/protocols.bench.ts
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { decodeNvspMessage, encodeNvspMessage } from '../../core/protocols/network/index.js';
import type { NvspMessage } from '../../core/protocols/network/index.js';
import {
  REQUEST_COMPLETION_FLAG,
  VstorOperation,
  createVmscsiRequest,
  createVstorSrbPacket,
  decodeVstorRequest,
  decodeVstorSrbInto,
  encodeVstorSrbPacket,
  scsi,
} from '../../core/protocols/storage/index.js';

const ROUNDS = 7;
const GC_PROBE_ITERATIONS = 5_000_000;
const ITERATIONS = 2_000_000;

interface Result {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly nsPerOp: number;
}

let sink = 0;

/** Best of ROUNDS timed loops of `body` (warm-up round discarded). */
function measure(name: string, body: (i: number) => number): Result {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round <= ROUNDS; round++) {
    const start = process.hrtime.bigint();
    let acc = 0;
    for (let i = 0; i < ITERATIONS; i++) acc = (acc + body(i)) | 0;
    const elapsed = Number(process.hrtime.bigint() - start);
    sink ^= acc;
    if (round > 0) best = Math.min(best, elapsed);
  }
  const nsPerOp = best / ITERATIONS;
  return { name, opsPerSecond: 1e9 / nsPerOp, nsPerOp };
}

// An EXECUTE_SRB for READ(10) of 64 KiB at LBA 2048, as storvsc builds it.
const cdb = new Uint8Array(20);
const cdbLength = scsi.encodeCdb(
  { kind: 'read10', lba: 2048, blocks: 128, fua: false, dpo: false },
  cdb,
  0,
);
const request = createVstorSrbPacket({
  operation: VstorOperation.EXECUTE_SRB,
  flags: REQUEST_COMPLETION_FLAG,
  srb: createVmscsiRequest({
    length: 0x34,
    cdbLength,
    senseInfoLength: 20,
    dataIn: 1,
    dataTransferLength: 65536,
    cdbOrSense: cdb,
    srbFlags: 0x148,
    timeOutValue: 60,
  }),
});
const completion = createVstorSrbPacket({ operation: VstorOperation.COMPLETE_IO });
scsi.writeScsiCompletion(completion.srb, scsi.scsiGoodCompletion(65536));

const requestBytes = new Uint8Array(64);
encodeVstorSrbPacket(request, requestBytes, 0);
const completionBytes = new Uint8Array(64);
encodeVstorSrbPacket(completion, completionBytes, 0);

const scratch = new Uint8Array(64);
const into = createVstorSrbPacket();
const view = new DataView(requestBytes.buffer);

const nvsp: NvspMessage = {
  kind: 'sendRndisPacket',
  channelType: 0,
  sendBufferSectionIndex: 17,
  sendBufferSectionSize: 1514,
};
const nvspBytes = new Uint8Array(40);
encodeNvspMessage(nvsp, nvspBytes, 0);

const results: Result[] = [
  measure('baseline: DataView read of 16 u32 (64 B)', () => {
    let s = 0;
    for (let o = 0; o < 64; o += 4) s = (s + view.getUint32(o, true)) | 0;
    return s;
  }),
  measure('baseline: copy 64 B into a scratch array', () => {
    scratch.set(requestBytes);
    return scratch[27];
  }),
  measure('encodeVstorSrbPacket EXECUTE_SRB', () => encodeVstorSrbPacket(request, scratch, 0)),
  measure('decodeVstorSrbInto EXECUTE_SRB', () => {
    const r = decodeVstorSrbInto(requestBytes, 0, 64, into);
    return r.ok ? into.srb.dataTransferLength : 0;
  }),
  measure('encodeVstorSrbPacket COMPLETE_IO', () => encodeVstorSrbPacket(completion, scratch, 0)),
  measure('decodeVstorSrbInto COMPLETE_IO', () => {
    const r = decodeVstorSrbInto(completionBytes, 0, 64, into);
    return r.ok ? into.srb.srbStatus : 0;
  }),
  measure('decodeVstorRequest EXECUTE_SRB (allocating, general API)', () => {
    const r = decodeVstorRequest(requestBytes, 0, 64);
    return r.ok ? 1 : 0;
  }),
  measure('decodeCdb READ(10)', () => {
    const c = scsi.decodeCdb(into.srb.cdbOrSense, 0, 10);
    return c.kind === 'read10' ? c.blocks : 0;
  }),
  measure('encodeNvspMessage SEND_RNDIS_PKT', () => encodeNvspMessage(nvsp, scratch, 0)),
  measure('decodeNvspMessage SEND_RNDIS_PKT', () => {
    const r = decodeNvspMessage(nvspBytes, 0, 40);
    return r.ok ? 1 : 0;
  }),
];

/** Where the GC probe parks each call's result so the optimiser cannot elide allocations. */
let escaped: unknown;

/**
 * Garbage collections while running `body` GC_PROBE_ITERATIONS times. Each result escapes into a
 * module variable, so an allocating call must really allocate; a young-generation scavenge
 * follows every few MiB, so zero collections over five million calls means the call allocates
 * nothing on the heap.
 */
async function collectionsDuring(body: () => unknown): Promise<number> {
  let collections = 0;
  const observer = new PerformanceObserver((list) => {
    collections += list.getEntries().length;
  });
  observer.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < GC_PROBE_ITERATIONS; i++) escaped = body();
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setTimeout(resolve, 20));
  observer.disconnect();
  return collections;
}

// Let collections owed to the timed loops above happen before the first probe.
await collectionsDuring(() => scratch[0]);
const gcDecodeInto = await collectionsDuring(() => decodeVstorSrbInto(requestBytes, 0, 64, into));
const gcEncode = await collectionsDuring(() => encodeVstorSrbPacket(completion, scratch, 0));
const gcGeneral = await collectionsDuring(() => decodeVstorRequest(requestBytes, 0, 64));
sink ^= escaped === undefined ? 1 : 0;

const width = Math.max(...results.map((r) => r.name.length));
console.log(
  `node ${process.version}, best of ${ROUNDS} × ${ITERATIONS.toLocaleString('en-US')} iterations`,
);
for (const r of results) {
  const ops = Math.round(r.opsPerSecond).toLocaleString('en-US').padStart(14);
  console.log(`${r.name.padEnd(width)}  ${ops} ops/s  ${r.nsPerOp.toFixed(1).padStart(6)} ns/op`);
}
console.log(
  `GCs during ${GC_PROBE_ITERATIONS.toLocaleString('en-US')} calls: decodeVstorSrbInto ${gcDecodeInto}, ` +
    `encodeVstorSrbPacket ${gcEncode}, decodeVstorRequest (allocating) ${gcGeneral}`,
);
console.log(`(checksum ${sink})`);
