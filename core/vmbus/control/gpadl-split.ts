/**
 * The guest side of GPADL creation (rule 12): one page list → one GPADL_HEADER plus as many
 * GPADL_BODY messages as Linux sends (L: drivers/hv/channel.c create_gpadl_header and
 * __vmbus_establish_gpadl).
 */
import { VMBUS_PAGE_SIZE } from './constants.js';
import { VmbusControlError } from './errors.js';
import { checkPfn, checkRelid, checkU32 } from './field-checks.js';
import {
  GPA_RANGE_HEADER_BYTES,
  GPA_RANGE_MAX_BYTE_OFFSET,
  GPADL_BODY_MAX_PFNS,
  GPADL_HEADER_MAX_PFNS,
  GPADL_MAX_PAGES,
  GPADL_WORD_BYTES,
} from './gpadl-limits.js';
import { ChannelMessageType } from './message-types.js';
import type { GpadlBodyMessage, GpadlHeaderMessage } from './messages.js';

/** What to describe: one range of guest memory, page by page. */
export interface GpadlSplitRequest {
  readonly childRelid: number;
  /** The GPADL id the guest chose. */
  readonly gpadl: number;
  /** Guest page numbers, in order (1 … 8190 of them). */
  readonly pfns: readonly number[];
  /** Bytes of the range; default every page in full (`pfns.length × 4096`, as Linux sends). */
  readonly byteCount?: number;
  /** Where the range starts in its first page; default 0 (as Linux sends). */
  readonly byteOffset?: number;
}

/** Messages {@link splitGpadl} produces for `pageCount` pages (1 header + ⌈(n − 26) / 28⌉ bodies). */
export function gpadlMessageCount(pageCount: number): number {
  const rest = Math.max(0, pageCount - GPADL_HEADER_MAX_PFNS);
  return 1 + Math.ceil(rest / GPADL_BODY_MAX_PFNS);
}

/**
 * Splits a page list the way Linux does: rangecount 1, range_buflen = 8 + 8 × pages, the first
 * 26 PFNs in the header, then bodies of up to 28 PFNs. Bodies carry msgnumber 0: Linux allocates
 * them zeroed and never sets the field (hosts ignore it). Throws {@link VmbusControlError} when the
 * request cannot be one GPADL.
 *
 * @example
 * ```ts
 * // A 128 KiB storage ring pair: 2 × (1 header page + 32 data pages) = 66 pages
 * const msgs = splitGpadl({ childRelid: 7, gpadl: 0xe1e10, pfns: ringPfns });
 * // msgs.length === 3: header (26 PFNs) + body (28) + body (12)
 * ```
 */
export function splitGpadl(
  request: GpadlSplitRequest,
): [GpadlHeaderMessage, ...GpadlBodyMessage[]] {
  const { childRelid, gpadl, pfns } = request;
  const byteOffset = request.byteOffset ?? 0;
  const byteCount = request.byteCount ?? pfns.length * VMBUS_PAGE_SIZE;
  checkRelid('childRelid', childRelid);
  checkU32('gpadl', gpadl);
  checkU32('byteCount', byteCount);
  if (pfns.length === 0 || pfns.length > GPADL_MAX_PAGES) {
    throw new VmbusControlError(`a GPADL lists 1…${GPADL_MAX_PAGES} pages, got ${pfns.length}`);
  }
  if (!Number.isInteger(byteOffset) || byteOffset < 0 || byteOffset > GPA_RANGE_MAX_BYTE_OFFSET) {
    throw new VmbusControlError(
      `byteOffset must be 0…${GPA_RANGE_MAX_BYTE_OFFSET}, got ${byteOffset}`,
    );
  }
  const spanned = Math.ceil((byteOffset + byteCount) / VMBUS_PAGE_SIZE);
  if (byteCount === 0 || spanned !== pfns.length) {
    throw new VmbusControlError(
      `byteCount ${byteCount} at offset ${byteOffset} spans ${spanned} pages, but ${pfns.length} were given`,
    );
  }
  pfns.forEach((pfn, i) => {
    checkPfn(`pfns[${i}]`, pfn);
  });

  const header: GpadlHeaderMessage = {
    type: ChannelMessageType.GPADL_HEADER,
    childRelid,
    gpadl,
    rangeBufLen: GPA_RANGE_HEADER_BYTES + pfns.length * GPADL_WORD_BYTES,
    rangeCount: 1,
    byteCount,
    byteOffset,
    pfns: pfns.slice(0, GPADL_HEADER_MAX_PFNS),
  };
  const bodies: GpadlBodyMessage[] = [];
  for (let at = GPADL_HEADER_MAX_PFNS; at < pfns.length; at += GPADL_BODY_MAX_PFNS) {
    bodies.push({
      type: ChannelMessageType.GPADL_BODY,
      msgNumber: 0,
      gpadl,
      pfns: pfns.slice(at, at + GPADL_BODY_MAX_PFNS),
    });
  }
  return [header, ...bodies];
}
