/**
 * One detail of each decoder detail id with the English sentence the decoders wrote before details
 * had ids: typed over every id, so a new id does not compile until it has a sample. Sizes are 65536
 * where a size fits (pt-BR writes "65.536"), so a test can see the numbers arrive in each language.
 */
import type { DecodeDetail, DecodeDetailArgs, DecodeDetailId } from './decode-details.js';

const BIG = 65536;

export const DECODE_DETAIL_SAMPLES: {
  readonly [I in DecodeDetailId]: { readonly args: DecodeDetailArgs<I>; readonly en: string };
} = {
  text: {
    args: { text: 'flags 3 is not 0 or 1' },
    en: 'flags 3 is not 0 or 1',
  },
  'span.outside': {
    args: { offset: 4, length: BIG, size: 64 },
    en: 'window [4, +65536) is not inside 64 bytes',
  },
  truncated: {
    args: { what: 'vstor_packet header', need: BIG, have: 8 },
    en: 'vstor_packet header needs 65536 bytes, 8 available',
  },
  'type.unknown': {
    args: { protocol: 'rndis', code: '0x8000000a' },
    en: 'unknown RNDIS message type 0x8000000a',
  },
  'type.notModelled': {
    args: { protocol: 'ic', code: '9' },
    en: 'IC message type 9 is not modelled',
  },
  'field.undefined': {
    args: { field: 'ndis_version', value: 7 },
    en: 'ndis_version 7 is not defined',
  },
  'field.outside': {
    args: { field: 'msg_len', value: BIG, min: 8, max: 4096 },
    en: 'msg_len 65536 outside 8..4096',
  },
  'field.exceeds': {
    args: { field: 'info_size', value: BIG, limit: 4096, what: 'message' },
    en: 'info_size 65536 exceeds the 4096-byte message',
  },
  'field.belowMessage': {
    args: { field: 'hdr.size', value: 4, size: BIG },
    en: 'hdr.size 4 below the 65536-byte message',
  },
  'field.belowHeader': {
    args: { field: 'pipe size', value: 4, header: 'synthhid header' },
    en: 'pipe size 4 < synthhid header',
  },
  'field.below': {
    args: { field: 'hid_descriptor.bLength', value: 4, min: 9 },
    en: 'hid_descriptor.bLength 4 < 9',
  },
  'field.runsPast': {
    args: { field: 'info_buffer length', value: BIG, left: 12 },
    en: 'info_buffer length 65536 runs past the message (12 left)',
  },
  'count.notFit': {
    args: { counted: 'video outputs', count: BIG, bytes: 16, payload: true },
    en: '65536 video outputs do not fit in 16 payload bytes',
  },
  'count.notFitMessage': {
    args: { field: 'range_count', count: BIG, size: 32 },
    en: 'range_count 65536 does not fit in a 32-byte message',
  },
  'pipe.notData': {
    args: { type: 2, expected: 'PIPE_MSG_DATA' },
    en: 'pipe message type 2 is not PIPE_MSG_DATA',
  },
  'dm.pagesBeyond2p53': { args: { field: 'num_avail' }, en: 'num_avail exceeds 2^53 pages' },
  'dm.hotAddSize': { args: { size: 20 }, en: 'hot-add size 20 is neither 16 nor ≥ 24' },
  'ic.negotiateCounts': {
    args: { framework: 9, message: 1, max: 10 },
    en: 'negotiate counts 9/1 exceed 10',
  },
  'nvsp.tableEntries': {
    args: { count: BIG, offset: 12 },
    en: '65536 table entries do not fit after offset 12',
  },
  'netvsc.sectionCount': { args: { sections: 2 }, en: '2 sections; netvsc accepts exactly 1' },
  'netvsc.sectionOffset': { args: { offset: BIG }, en: 'section offset 65536 is not 0' },
  'netvsc.sectionsOverflow': {
    args: { size: 6144, count: BIG, bytes: 1048576 },
    en: 'sections of 6144 × 65536 overflow 1048576 bytes',
  },
  'netvsc.sectionIndex': { args: { index: 9, count: 4 }, en: 'section 9 of 4' },
  'netvsc.sectionSize': {
    args: { bytes: BIG, sectionSize: 6144 },
    en: '65536 bytes in a 6144-byte section',
  },
  'synthhid.reportDescriptor': {
    args: { bytes: BIG },
    en: 'report descriptor of 65536 bytes runs past the message',
  },
  'synthvid.resolutionCount': {
    args: { count: 200, max: 64 },
    en: 'resolution_count 200 (max 64) does not fit',
  },
  'vstor.unknownOperation': {
    args: { operation: 119, max: 13 },
    en: 'unknown vstor operation 119 (max 13)',
  },
  'vstor.notGuestRequest': {
    args: { operation: 1 },
    en: 'operation 1 is not a request a guest may send to this VSP',
  },
  'vstor.notFromHost': { args: { operation: 3 }, en: 'operation 3 is not sent by the host' },
  'vstor.noSrb': { args: { operation: 9 }, en: 'operation 9 does not carry an SRB' },
  'srb.dataIn': { args: { value: 7 }, en: 'data_in 7 is not write (0), read (1) or none (2)' },
  'storage.completionFromGuest': {
    args: {},
    en: 'a guest may not send a completion to storvsp',
  },
  'storage.packetType': {
    args: { type: 7 },
    en: 'storage requests are in-band (6) or GPA-direct (9), not type 7',
  },
  'storage.notTransactional': {
    args: {},
    en: 'storage request without VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED',
  },
  'storage.tooManyRanges': { args: { ranges: 2 }, en: '2 GPA ranges; storvsp accepts one' },
  'storage.dataRangeTooShort': {
    args: { dataTransferLength: BIG, rangeBytes: 4096 },
    en: 'data_transfer_length 65536 exceeds the 4096 bytes of guest memory supplied',
  },
  'scsi.modeDataBelowHeader': { args: { length: 2 }, en: 'MODE DATA LENGTH 2 < header' },
  'scsi.blockDescriptors': { args: {}, en: 'block descriptors exceed MODE DATA LENGTH' },
  'scsi.modePage': { args: { page: '0x8' }, en: 'mode page 0x8 exceeds MODE DATA LENGTH' },
  'scsi.lastLba': { args: {}, en: 'last LBA beyond 2^53' },
  'scsi.lunListLength': {
    args: { length: BIG + 1 },
    en: 'LUN LIST LENGTH 65537 is not a multiple of 8',
  },
  'scsi.multiLevelLun': { args: {}, en: 'multi-level LUNs are not used by storvsc' },
  'scsi.lunAddressing': { args: {}, en: 'only peripheral device addressing is used' },
  'scsi.senseResponseCode': { args: { code: '0x7f' }, en: 'sense response code 0x7f' },
};

/** The sample detail of `id`. */
export function sampleDetail(id: DecodeDetailId): DecodeDetail {
  return { id, args: DECODE_DETAIL_SAMPLES[id].args } as DecodeDetail;
}
