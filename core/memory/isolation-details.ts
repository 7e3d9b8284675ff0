/**
 * What exactly a refused guest-memory access tried, as a stable id and its numbers beside its
 * English words — an {@link IsolationFault}'s `message`. The English is the `detail` the model has
 * always written (reports, replays and plugins read it unchanged); the id and numbers let a player's
 * language say the same thing (levels/isolation-details-pt-BR.ts is typed over every id).
 */
import type { MessageTable, TableArgs, TableMessage } from '../simulation/message-table.js';

/** A read from, or a write into, guest memory. */
export type AccessVerb = 'read' | 'write';

/** The English of each detail id. */
export const ISOLATION_DETAIL_TEXT = {
  /** A GPADL view used after the guest tore its GPADL down. */
  'gpadl.tornDown': (a: { verb: AccessVerb; handle: number }) =>
    `${a.verb} of torn-down GPADL ${a.handle}`,
  /** Offset and length past the bytes the GPADL describes. */
  'gpadl.outside': (a: {
    verb: AccessVerb;
    length: number;
    offset: number;
    handle: number;
    size: number;
  }) => `${a.verb} of ${a.length} bytes at ${a.offset} in GPADL ${a.handle} of ${a.size} bytes`,
  /** The host-side buffer of the copy is too short (a GPADL view or a packet grant). */
  'hostBuffer.tooShort': (a: {
    verb: AccessVerb;
    length: number;
    hostLength: number;
    hostOffset: number;
  }) =>
    `${a.verb} of ${a.length} bytes does not fit the host buffer (${a.hostLength} bytes from ${a.hostOffset})`,
  /** A packet's grant used after the VSP completed the packet. */
  'grant.expired': (a: { verb: AccessVerb }) => `${a.verb} after the packet was completed`,
  /** Offset and length past the bytes the packet's ranges grant. */
  'grant.outside': (a: { verb: AccessVerb; length: number; offset: number; granted: number }) =>
    `${a.verb} of ${a.length} bytes at ${a.offset} in a packet granting ${a.granted} bytes`,
  /** A bulk transfer longer than the packet's ranges grant (a guest-supplied length trusted). */
  'grant.transferTooLong': (a: { bytes: number; granted: number }) =>
    `a transfer of ${a.bytes} bytes through ranges that grant ${a.granted}`,
  /** No live GPADL has that handle. */
  'gpadl.unknown': (a: { handle: number }) => `no live GPADL ${a.handle}`,
  /** No live GPADL has that guest-chosen id. */
  'gpadl.unknownGuestId': (a: { guestId: number }) => `no live GPADL with guest id ${a.guestId}`,
  'gpadl.otherPartition': (a: { handle: number; partition: number }) =>
    `GPADL ${a.handle} belongs to partition ${a.partition}`,
  'gpadl.otherChannel': (a: { handle: number; channel: number }) =>
    `GPADL ${a.handle} belongs to channel ${a.channel}`,
  /** The GPADL's page list names pages the guest does not have. */
  'gpadl.pagesOutsideGuest': (a: { start: number; count: number }) =>
    `GPADL page list names pages ${a.start}+${a.count} outside the guest's memory`,
  /** The partition is gone (or never had memory). */
  'partition.noMemory': (a: { partition: number }) => `partition ${a.partition} has no memory`,
  'ranges.none': () => 'GPA-direct packet with no ranges',
  'range.byteCount': (a: { range: number; byteCount: number }) =>
    `range ${a.range}: byte count ${a.byteCount}`,
  'range.byteOffset': (a: { range: number; byteOffset: number }) =>
    `range ${a.range}: byte offset ${a.byteOffset} (must be 0–4095)`,
  'range.tooFewPages': (a: { range: number; pages: number; needed: number }) =>
    `range ${a.range}: ${a.pages} pages for ${a.needed} needed`,
  'range.pageOutsideGuest': (a: { range: number; page: number }) =>
    `range ${a.range}: page ${a.page} is not memory of this guest`,
} as const satisfies MessageTable;

/** The id of a kind of detail. */
export type IsolationDetailId = keyof typeof ISOLATION_DETAIL_TEXT;

/** One detail: its id and numbers, plain data. */
export type IsolationDetail = TableMessage<typeof ISOLATION_DETAIL_TEXT>;

/** A detail of kind `id` with `args`. */
export function detail<I extends IsolationDetailId>(
  id: I,
  args: TableArgs<typeof ISOLATION_DETAIL_TEXT, I>,
): IsolationDetail {
  return { id, args } as IsolationDetail;
}

/** The English words of a detail. */
export function isolationDetailText(d: IsolationDetail): string {
  const format = ISOLATION_DETAIL_TEXT[d.id] as (args: IsolationDetail['args']) => string;
  return format(d.args);
}

/**
 * Why guest memory refused a VSP's transfer through a packet's page ranges (`touchRanges`), as an
 * id: the detail, and whether the guest's own ranges were invalid — the guest's error, said
 * `the guest's page ranges are invalid: …` — rather than the transfer refused.
 */
export interface MemoryRefusal {
  readonly detail: IsolationDetail;
  readonly invalidRanges: boolean;
}

/** The English of a refusal: exactly the `reason` `touchRanges` has always given. */
export function memoryRefusalText(r: MemoryRefusal): string {
  const said = isolationDetailText(r.detail);
  return r.invalidRanges ? `the guest's page ranges are invalid: ${said}` : said;
}

/** What one argument of a detail may hold. */
type ArgKind = 'number' | 'verb';

/**
 * Every argument of every detail id: a refusal a plugin passes back inside a failure reason is
 * checked at run time. Mapped over each id's arguments, so an argument added to
 * {@link ISOLATION_DETAIL_TEXT} without its kind here does not compile.
 */
const ARG_KINDS: {
  readonly [I in IsolationDetailId]: {
    readonly [K in keyof TableArgs<typeof ISOLATION_DETAIL_TEXT, I>]-?: ArgKind;
  };
} = {
  'gpadl.tornDown': { verb: 'verb', handle: 'number' },
  'gpadl.outside': {
    verb: 'verb',
    length: 'number',
    offset: 'number',
    handle: 'number',
    size: 'number',
  },
  'hostBuffer.tooShort': {
    verb: 'verb',
    length: 'number',
    hostLength: 'number',
    hostOffset: 'number',
  },
  'grant.expired': { verb: 'verb' },
  'grant.outside': { verb: 'verb', length: 'number', offset: 'number', granted: 'number' },
  'grant.transferTooLong': { bytes: 'number', granted: 'number' },
  'gpadl.unknown': { handle: 'number' },
  'gpadl.unknownGuestId': { guestId: 'number' },
  'gpadl.otherPartition': { handle: 'number', partition: 'number' },
  'gpadl.otherChannel': { handle: 'number', channel: 'number' },
  'gpadl.pagesOutsideGuest': { start: 'number', count: 'number' },
  'partition.noMemory': { partition: 'number' },
  'ranges.none': {},
  'range.byteCount': { range: 'number', byteCount: 'number' },
  'range.byteOffset': { range: 'number', byteOffset: 'number' },
  'range.tooFewPages': { range: 'number', pages: 'number', needed: 'number' },
  'range.pageOutsideGuest': { range: 'number', page: 'number' },
};

const isPlain = (v: unknown): v is Readonly<Record<string, unknown>> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a refusal a plugin passed back (untrusted: its types are not checked in a sandbox or in
 * JavaScript): a known detail id with exactly its arguments, and the `invalidRanges` flag.
 * Returns a copy, or null when it is not one.
 *
 * @example
 * checkMemoryRefusal({ detail: { id: 'ranges.none', args: {} }, invalidRanges: true }); // a copy
 * checkMemoryRefusal({ detail: { id: 'nope', args: {} }, invalidRanges: true }); // null
 */
export function checkMemoryRefusal(value: unknown): MemoryRefusal | null {
  if (!isPlain(value) || typeof value.invalidRanges !== 'boolean') return null;
  if (Object.keys(value).length !== 2 || !isPlain(value.detail)) return null;
  const { id, args } = value.detail;
  if (typeof id !== 'string' || !Object.prototype.hasOwnProperty.call(ARG_KINDS, id)) return null;
  if (!isPlain(args)) return null;
  const kinds = ARG_KINDS[id as IsolationDetailId] as Readonly<Record<string, ArgKind>>;
  const copy: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(kinds)) {
    const v = Object.prototype.hasOwnProperty.call(args, name) ? args[name] : undefined;
    const fits =
      kind === 'verb' ? v === 'read' || v === 'write' : typeof v === 'number' && Number.isFinite(v);
    if (!fits) return null;
    copy[name] = v;
  }
  for (const name of Object.keys(args)) if (!(name in kinds)) return null;
  return { detail: { id, args: copy } as IsolationDetail, invalidRanges: value.invalidRanges };
}
