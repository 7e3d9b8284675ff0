/**
 * Why a decoder refused the guest's bytes, in detail, as a stable id and its numbers beside its
 * English words — a {@link DecodeFailure}'s `message`. The English is the `detail` the decoders have
 * always written, byte for byte (reports, replays, the event log's hash and plugins read it
 * unchanged); the id and numbers let a player's language say the same thing
 * (levels/decode-details-pt-BR.ts is typed over every id). One id says one kind of sentence for
 * every decoder that writes it ("… needs N bytes, M available"), the structure or field named in
 * an argument, as the protocols' headers name it.
 */
import type { MessageTable, TableArgs, TableMessage } from '../../simulation/message-table.js';

/** A protocol whose message types a decoder names ("unknown NVSP message type 9"). */
export type DecodedProtocol =
  'dynamic-memory' | 'ic' | 'nvsp' | 'rndis' | 'synthhid' | 'synthvid' | 'vstor';

/** The English name of each protocol's message codes, as the decoders have always written it. */
const TYPE_EN: Readonly<Record<DecodedProtocol, string>> = {
  'dynamic-memory': 'dynamic memory message type',
  ic: 'IC message type',
  nvsp: 'NVSP message type',
  rndis: 'RNDIS message type',
  synthhid: 'synthhid message type',
  synthvid: 'synthvid message type',
  vstor: 'vstor operation',
};

/** What a length field was measured against ("exceeds the 16-byte CDB"). */
export type DecodeLimit = 'message' | 'CDB' | 'sense buffer' | 'pipe message';

/** What a count counts ("12 video outputs do not fit in 8 payload bytes"). */
export type DecodeCounted = 'versions' | 'num_sections' | 'video outputs' | 'dirty rectangles';

const COUNTED_EN: Readonly<Record<DecodeCounted, (count: number) => string>> = {
  versions: (c) => `${c} versions`,
  num_sections: (c) => `num_sections ${c}`,
  'video outputs': (c) => `${c} video outputs`,
  'dirty rectangles': (c) => `${c} dirty rectangles`,
};

/** The header a size was found smaller than ("pipe size 4 < synthhid header"). */
export type DecodeHeader = 'header' | 'synthhid header';

/** The English of each detail id. */
export const DECODE_DETAIL_TEXT = {
  // ── Any decoder ──────────────────────────────────────────────────────────────────────────────
  /**
   * A sentence a plugin's own decoder wrote (`rejected(reason, detail)`, the form before details
   * had ids): its words, in every language.
   */
  text: (a: { text: string }) => a.text,
  /** The (offset, length) window a decoder was handed runs outside the byte array. */
  'span.outside': (a: { offset: number; length: number; size: number }) =>
    `window [${a.offset}, +${a.length}) is not inside ${a.size} bytes`,
  /** Fewer bytes than a structure needs; `what` names the structure (`vstor_packet header`). */
  truncated: (a: { what: string; need: number; have: number }) =>
    `${a.what} needs ${a.need} bytes, ${a.have} available`,
  /** A message code no version defines; `code` as the decoder writes it (`9`, `0x8000000a`). */
  'type.unknown': (a: { protocol: DecodedProtocol; code: string }) =>
    `unknown ${TYPE_EN[a.protocol]} ${a.code}`,
  /** A defined code the model does not implement. */
  'type.notModelled': (a: { protocol: 'ic' | 'nvsp' | 'rndis' | 'synthvid'; code: string }) =>
    a.protocol === 'rndis'
      ? `RNDIS message ${a.code} is not modelled`
      : a.protocol === 'synthvid'
        ? `${a.code} is not modelled`
        : `${TYPE_EN[a.protocol]} ${a.code} is not modelled`,
  /** A field selecting behaviour holds a value the protocol does not define. */
  'field.undefined': (a: { field: string; value: number }) =>
    `${a.field} ${a.value} is not defined`,
  /** A field outside the range `min..max` its message allows. */
  'field.outside': (a: { field: string; value: number; min: number; max: number }) =>
    `${a.field} ${a.value} outside ${a.min}..${a.max}`,
  /** A length field larger than what it describes; `limit` its size in bytes, when said. */
  'field.exceeds': (a: { field: string; value: number; limit: number | null; what: DecodeLimit }) =>
    `${a.field} ${a.value} exceeds the ${a.limit === null ? '' : `${a.limit}-byte `}${a.what}`,
  /** A size field smaller than the fixed message it announces. */
  'field.belowMessage': (a: { field: string; value: number; size: number }) =>
    `${a.field} ${a.value} below the ${a.size}-byte message`,
  /** A size field smaller than its header. */
  'field.belowHeader': (a: { field: string; value: number; header: DecodeHeader }) =>
    `${a.field} ${a.value} < ${a.header}`,
  /** A size field smaller than its minimum. */
  'field.below': (a: { field: string; value: number; min: number }) =>
    `${a.field} ${a.value} < ${a.min}`,
  /** A buffer whose length runs past the end of its message. */
  'field.runsPast': (a: { field: string; value: number; left: number }) =>
    `${a.field} ${a.value} runs past the message (${a.left} left)`,
  /** Counted elements that do not fit in the bytes left for them. */
  'count.notFit': (a: { counted: DecodeCounted; count: number; bytes: number; payload: boolean }) =>
    `${COUNTED_EN[a.counted](a.count)} do not fit in ${a.bytes} ${a.payload ? 'payload bytes' : 'bytes'}`,
  /** A count field whose elements do not fit in its message. */
  'count.notFitMessage': (a: { field: string; count: number; size: number }) =>
    `${a.field} ${a.count} does not fit in a ${a.size}-byte message`,
  /** The pipe header of a synthvid or synthhid message does not say "data". */
  'pipe.notData': (a: { type: number; expected: string }) =>
    `pipe message type ${a.type} is not ${a.expected}`,

  // ── Dynamic Memory ───────────────────────────────────────────────────────────────────────────
  'dm.pagesBeyond2p53': (a: { field: string }) => `${a.field} exceeds 2^53 pages`,
  'dm.hotAddSize': (a: { size: number }) => `hot-add size ${a.size} is neither 16 nor ≥ 24`,

  // ── IC ───────────────────────────────────────────────────────────────────────────────────────
  'ic.negotiateCounts': (a: { framework: number; message: number; max: number }) =>
    `negotiate counts ${a.framework}/${a.message} exceed ${a.max}`,

  // ── NVSP ─────────────────────────────────────────────────────────────────────────────────────
  'nvsp.tableEntries': (a: { count: number; offset: number }) =>
    `${a.count} table entries do not fit after offset ${a.offset}`,
  /** netvsc's receive or send buffer: the sections the host describes. */
  'netvsc.sectionCount': (a: { sections: number }) =>
    `${a.sections} sections; netvsc accepts exactly 1`,
  'netvsc.sectionOffset': (a: { offset: number }) => `section offset ${a.offset} is not 0`,
  'netvsc.sectionsOverflow': (a: { size: number; count: number; bytes: number }) =>
    `sections of ${a.size} × ${a.count} overflow ${a.bytes} bytes`,
  /** A send-buffer section index past the buffer's sections. */
  'netvsc.sectionIndex': (a: { index: number; count: number }) =>
    `section ${a.index} of ${a.count}`,
  /** More bytes in a send-buffer section than the section holds. */
  'netvsc.sectionSize': (a: { bytes: number; sectionSize: number }) =>
    `${a.bytes} bytes in a ${a.sectionSize}-byte section`,

  // ── synthhid, synthvid ───────────────────────────────────────────────────────────────────────
  'synthhid.reportDescriptor': (a: { bytes: number }) =>
    `report descriptor of ${a.bytes} bytes runs past the message`,
  'synthvid.resolutionCount': (a: { count: number; max: number }) =>
    `resolution_count ${a.count} (max ${a.max}) does not fit`,

  // ── Storage (vstor, SRB, rule 37) ────────────────────────────────────────────────────────────
  'vstor.unknownOperation': (a: { operation: number; max: number }) =>
    `unknown vstor operation ${a.operation} (max ${a.max})`,
  'vstor.notGuestRequest': (a: { operation: number }) =>
    `operation ${a.operation} is not a request a guest may send to this VSP`,
  'vstor.notFromHost': (a: { operation: number }) =>
    `operation ${a.operation} is not sent by the host`,
  'vstor.noSrb': (a: { operation: number }) => `operation ${a.operation} does not carry an SRB`,
  'srb.dataIn': (a: { value: number }) =>
    `data_in ${a.value} is not write (0), read (1) or none (2)`,
  'storage.completionFromGuest': () => 'a guest may not send a completion to storvsp',
  'storage.packetType': (a: { type: number }) =>
    `storage requests are in-band (6) or GPA-direct (9), not type ${a.type}`,
  'storage.notTransactional': () =>
    'storage request without VMBUS_DATA_PACKET_FLAG_COMPLETION_REQUESTED',
  'storage.tooManyRanges': (a: { ranges: number }) => `${a.ranges} GPA ranges; storvsp accepts one`,
  'storage.dataRangeTooShort': (a: { dataTransferLength: number; rangeBytes: number }) =>
    `data_transfer_length ${a.dataTransferLength} exceeds the ${a.rangeBytes} bytes of guest memory supplied`,

  // ── SCSI data (what a disk answered) ─────────────────────────────────────────────────────────
  'scsi.modeDataBelowHeader': (a: { length: number }) => `MODE DATA LENGTH ${a.length} < header`,
  'scsi.blockDescriptors': () => 'block descriptors exceed MODE DATA LENGTH',
  /** `page`: the mode page code, hexadecimal (`0x8`). */
  'scsi.modePage': (a: { page: string }) => `mode page ${a.page} exceeds MODE DATA LENGTH`,
  'scsi.lastLba': () => 'last LBA beyond 2^53',
  'scsi.lunListLength': (a: { length: number }) =>
    `LUN LIST LENGTH ${a.length} is not a multiple of 8`,
  'scsi.multiLevelLun': () => 'multi-level LUNs are not used by storvsc',
  'scsi.lunAddressing': () => 'only peripheral device addressing is used',
  /** `code`: the response code, hexadecimal (`0x7f`). */
  'scsi.senseResponseCode': (a: { code: string }) => `sense response code ${a.code}`,
} as const satisfies MessageTable;

/** The id of a kind of decoder detail (`truncated`, `type.unknown`…). */
export type DecodeDetailId = keyof typeof DECODE_DETAIL_TEXT;

/** The arguments a detail of kind `I` carries. */
export type DecodeDetailArgs<I extends DecodeDetailId> = TableArgs<typeof DECODE_DETAIL_TEXT, I>;

/** One decoder detail: its id and numbers, plain data. */
export type DecodeDetail = TableMessage<typeof DECODE_DETAIL_TEXT>;

/** Every detail id, sorted (for tests and translation tables). */
export const DECODE_DETAIL_IDS: readonly DecodeDetailId[] = Object.freeze(
  (Object.keys(DECODE_DETAIL_TEXT) as DecodeDetailId[]).sort(),
);

/** The English words of a detail. */
export function decodeDetailText(d: DecodeDetail): string {
  const format = DECODE_DETAIL_TEXT[d.id] as (args: DecodeDetail['args']) => string;
  return format(d.args);
}

/** What one argument may hold. */
type ArgKind = 'text' | 'number' | 'number-or-null' | 'boolean' | readonly string[];

const PROTOCOLS: readonly DecodedProtocol[] = Object.keys(TYPE_EN) as DecodedProtocol[];
const LIMITS: readonly DecodeLimit[] = ['message', 'CDB', 'sense buffer', 'pipe message'];
const COUNTED: readonly DecodeCounted[] = Object.keys(COUNTED_EN) as DecodeCounted[];
const HEADERS: readonly DecodeHeader[] = ['header', 'synthhid header'];

/**
 * Every argument of every id and what it may hold: a detail a plugin passes back inside a
 * failure reason is checked at run time. Mapped over each id's arguments, so an argument added
 * to {@link DECODE_DETAIL_TEXT} without its kind here does not compile.
 */
const ARG_KINDS: {
  readonly [I in DecodeDetailId]: { readonly [K in keyof DecodeDetailArgs<I>]-?: ArgKind };
} = {
  text: { text: 'text' },
  'span.outside': { offset: 'number', length: 'number', size: 'number' },
  truncated: { what: 'text', need: 'number', have: 'number' },
  'type.unknown': { protocol: PROTOCOLS, code: 'text' },
  'type.notModelled': { protocol: ['ic', 'nvsp', 'rndis', 'synthvid'], code: 'text' },
  'field.undefined': { field: 'text', value: 'number' },
  'field.outside': { field: 'text', value: 'number', min: 'number', max: 'number' },
  'field.exceeds': { field: 'text', value: 'number', limit: 'number-or-null', what: LIMITS },
  'field.belowMessage': { field: 'text', value: 'number', size: 'number' },
  'field.belowHeader': { field: 'text', value: 'number', header: HEADERS },
  'field.below': { field: 'text', value: 'number', min: 'number' },
  'field.runsPast': { field: 'text', value: 'number', left: 'number' },
  'count.notFit': { counted: COUNTED, count: 'number', bytes: 'number', payload: 'boolean' },
  'count.notFitMessage': { field: 'text', count: 'number', size: 'number' },
  'pipe.notData': { type: 'number', expected: 'text' },
  'dm.pagesBeyond2p53': { field: 'text' },
  'dm.hotAddSize': { size: 'number' },
  'ic.negotiateCounts': { framework: 'number', message: 'number', max: 'number' },
  'nvsp.tableEntries': { count: 'number', offset: 'number' },
  'netvsc.sectionCount': { sections: 'number' },
  'netvsc.sectionOffset': { offset: 'number' },
  'netvsc.sectionsOverflow': { size: 'number', count: 'number', bytes: 'number' },
  'netvsc.sectionIndex': { index: 'number', count: 'number' },
  'netvsc.sectionSize': { bytes: 'number', sectionSize: 'number' },
  'synthhid.reportDescriptor': { bytes: 'number' },
  'synthvid.resolutionCount': { count: 'number', max: 'number' },
  'vstor.unknownOperation': { operation: 'number', max: 'number' },
  'vstor.notGuestRequest': { operation: 'number' },
  'vstor.notFromHost': { operation: 'number' },
  'vstor.noSrb': { operation: 'number' },
  'srb.dataIn': { value: 'number' },
  'storage.completionFromGuest': {},
  'storage.packetType': { type: 'number' },
  'storage.notTransactional': {},
  'storage.tooManyRanges': { ranges: 'number' },
  'storage.dataRangeTooShort': { dataTransferLength: 'number', rangeBytes: 'number' },
  'scsi.modeDataBelowHeader': { length: 'number' },
  'scsi.blockDescriptors': {},
  'scsi.modePage': { page: 'text' },
  'scsi.lastLba': {},
  'scsi.lunListLength': { length: 'number' },
  'scsi.multiLevelLun': {},
  'scsi.lunAddressing': {},
  'scsi.senseResponseCode': { code: 'text' },
};

/** Longest text argument a detail may carry. */
/** The longest text argument a detail carries (a plugin's own sentence is cut to it). */
export const MAX_DETAIL_TEXT = 200;
const MAX_ARG_TEXT = MAX_DETAIL_TEXT;

function fits(kind: ArgKind, v: unknown): boolean {
  if (typeof kind !== 'string') return typeof v === 'string' && kind.includes(v);
  if (kind === 'boolean') return typeof v === 'boolean';
  if (kind === 'number-or-null' && v === null) return true;
  if (kind === 'number' || kind === 'number-or-null')
    return typeof v === 'number' && Number.isFinite(v);
  return typeof v === 'string' && v.length <= MAX_ARG_TEXT;
}

const isPlain = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a decoder detail a plugin passed back (untrusted: its types are not checked in a sandbox
 * or in JavaScript): a known id and exactly its arguments, each of its kind. Returns a copy, or
 * null when it is not one.
 *
 * @example
 * checkDecodeDetail({ id: 'scsi.lastLba', args: {} }); // { id: 'scsi.lastLba', args: {} }
 * checkDecodeDetail({ id: 'nope', args: {} }); // null
 */
export function checkDecodeDetail(value: unknown): DecodeDetail | null {
  if (!isPlain(value)) return null;
  const { id, args } = value;
  if (typeof id !== 'string' || !Object.prototype.hasOwnProperty.call(ARG_KINDS, id)) return null;
  if (!isPlain(args)) return null;
  const kinds = ARG_KINDS[id as DecodeDetailId] as Readonly<Record<string, ArgKind>>;
  const copy: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const v = Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
    if (!fits(kind, v)) return null;
    copy[name] = v;
  }
  for (const name of Object.keys(args)) if (!(name in kinds)) return null;
  return { id, args: copy } as DecodeDetail;
}
