/**
 * One failure reason of each id, for the tests of its words in each language: typed over every
 * id, so a new id does not compile until it has a sample. Sizes are 65536 (pt-BR writes
 * "65.536"), so a test can see the numbers arrive in both languages.
 */
import type { VspFailureArgs, VspFailureId, VspFailureReason } from './failure-reasons.js';

const BIG = 65536;
const DECODED = {
  problem: 'truncated',
  detail: 'vstor_packet needs 65536 bytes, 8 available',
  said: { id: 'truncated', args: { what: 'vstor_packet', need: BIG, have: 8 } },
} as const;

export const VSP_FAILURE_SAMPLES: { readonly [I in VspFailureId]: VspFailureArgs<I> } = {
  'message.malformed': { protocol: 'dynamic-memory', ...DECODED },
  'message.fromHost': { protocol: 'synthvid', message: 'featureChange' },
  'message.beforeVersion': { message: 'VRAM_LOCATION' },
  'packet.notInband': { protocol: 'heartbeat', kind: 'gpa-direct' },
  'storvsp.completionFromGuest': {},
  'storvsp.packetType': { type: 7 },
  'storvsp.notTransactional': {},
  'storvsp.transId': { transId: -1 },
  'storvsp.noRanges': {},
  'storvsp.malformedRequest': DECODED,
  'storvsp.malformedSrb': DECODED,
  'storvsp.rangeByteCount': { byteCount: -BIG },
  'storvsp.rangeByteOffset': { byteOffset: BIG },
  'storvsp.rangeTooFewPages': { pages: 2, bytes: BIG },
  'storvsp.rangePageNumber': { pfn: -1 },
  'storvsp.tooManyRanges': { ranges: 2 },
  'storvsp.dataRangeTooShort': { dataTransferLength: BIG, rangeBytes: 4096 },
  'netvsp.subchannelWithoutPrimary': {},
  'netvsp.unservedChannel': {},
  'netvsp.transIdTooLarge': {},
  'netvsp.gpaDirect': { message: 'init' },
  'netvsp.ndisConfigBeforeV2': {},
  'netvsp.ndisVersionBeforeInit': {},
  'netvsp.onSubchannel': { message: 'SEND_RECV_BUF' },
  'netvsp.notTransactional': { message: 'NVSP INIT' },
  'netvsp.initTwice': {},
  'netvsp.subchannelBeforeV5': {},
  'netvsp.noSendBuffer': {},
  'netvsp.badSendSection': {
    problem: 'offset-out-of-range',
    detail: 'section 9 of 4',
    said: { id: 'netvsc.sectionIndex', args: { index: 9, count: 4 } },
  },
  'netvsp.noSectionNoRanges': {},
  'netvsp.rangesRefused': {
    detail: "the guest's page ranges are invalid: range 0: byte count 65536",
    said: {
      detail: { id: 'range.byteCount', args: { range: 0, byteCount: BIG } },
      invalidRanges: true,
    },
  },
  'netvsp.notSendComplete': {},
  'netvsp.unknownLend': { transId: 12 },
  'synthvid.resolutionNeedsWin10': {},
  'synthvid.vramMisaligned': { gpa: '0x1001' },
  'synthvid.situationBeforeVram': {},
  'synthvid.outputCount': { outputs: 2 },
  'synthvid.depth': { bits: 24 },
  'synthvid.mode': { width: 1024, height: 768 },
  'synthvid.pitch': { pitch: 100, width: BIG },
  'synthvid.pastVram': {},
  'synthvid.dirtBeforeMode': {},
  'synthhid.secondProtocolRequest': {},
  'synthhid.ackWithoutInfo': {},
  'dynmem.tooManyPages': { pages: BIG, requested: 4096 },
  'dynmem.rangeTwiceOrEmpty': { start: 4096, count: BIG },
  'dynmem.unexpected': { message: 'hotAddRequest' },
  'heartbeat.notResponse': {},
  'plugin.threw': { handler: 'onPacket', thrown: 'TypeError: x is undefined', where: null },
  'plugin.outsideHandler': { where: 'at src/index.ts:12:5' },
  'plugin.sendTooLarge': { packet: 'message', bytes: BIG, ringBytes: 4096 },
  'sandbox.cpuBudget': { ticks: 5000000, call: 'onPacket', at: '' },
  'sandbox.memoryLimit': { mib: 1024, call: 'onPacket' },
  'sandbox.payloadTooLarge': { what: 'a GPADL read', bytes: 2097152, max: BIG },
  'sandbox.broken': { call: 'onPacket', why: 'a malformed effect list' },
  'plugin.badReason': { problem: 'an unknown failure id "nope"' },
};

/** The sample of `id`. */
export function sampleFailure(id: VspFailureId): VspFailureReason {
  return { id, args: VSP_FAILURE_SAMPLES[id] } as VspFailureReason;
}
