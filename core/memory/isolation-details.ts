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
