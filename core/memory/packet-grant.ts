/**
 * The transient grant of a GPA-direct packet (VMBus packet type 9, storage data): the page
 * ranges the guest put in the packet, valid only while the host handles that packet — from
 * dispatch to its completion — and only inside that guest's memory. Byte 0 of the grant is the
 * first byte of the first range; ranges follow one another.
 *
 * Range format (O: vmbus_ring gparange.rs; L: hyperv.h struct vmbus_packet_mpb_array): a byte
 * count (> 0), a byte offset into the first page (< 4096), then the pages.
 */
import { detail } from './isolation-details.js';
import type { AccessVerb, IsolationDetail } from './isolation-details.js';
import { copyBytes } from './gpadl.js';
import { isRange, type GrantedMemory } from './gpadl-view.js';
import {
  ACCESS_OK,
  type FaultSite,
  type GuestAccess,
  type IsolationFault,
  type IsolationFaultLog,
} from './isolation-fault-log.js';
import type { PartitionMemory } from './partition-memory.js';
import { PAGE_SIZE } from './units.js';

/** One range of a GPA-direct packet, as parsed (and copied) from the ring. */
export interface GpaRange {
  /** Bytes the range covers. */
  readonly byteCount: number;
  /** Offset of the first byte inside the first page (0–4095). */
  readonly byteOffset: number;
  /** Guest pages, at least `ceil((byteOffset + byteCount) / 4096)` of them. */
  readonly pfns: readonly number[];
}

interface CheckedRange {
  readonly start: number;
  readonly byteCount: number;
  readonly byteOffset: number;
  readonly pfns: readonly number[];
}

/** A VSP's access to the ranges of the packet it is handling. */
export class PacketGrant implements GrantedMemory {
  readonly ok = true;
  private released = false;

  constructor(
    private readonly partition: PartitionMemory,
    private readonly ranges: readonly CheckedRange[],
    readonly byteLength: number,
    private readonly pinToken: number,
    private readonly site: FaultSite,
    private readonly log: IsolationFaultLog,
  ) {}

  /** False after {@link release} (or when the partition is gone). */
  get live(): boolean {
    return !this.released && this.partition.alive;
  }

  /** Ends the grant: the packet was completed. Later accesses are refused. */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.partition.unpin(this.pinToken);
  }

  read(
    offset: number,
    dest: Uint8Array,
    destOffset = 0,
    length = dest.length - destOffset,
  ): GuestAccess {
    const refused = this.check(offset, length, destOffset, dest.length, 'read');
    if (refused !== undefined) return refused;
    this.copy(offset, length, dest, destOffset, false);
    return ACCESS_OK;
  }

  write(
    offset: number,
    src: Uint8Array,
    srcOffset = 0,
    length = src.length - srcOffset,
  ): GuestAccess {
    const refused = this.check(offset, length, srcOffset, src.length, 'write');
    if (refused !== undefined) return refused;
    this.copy(offset, length, src, srcOffset, true);
    return ACCESS_OK;
  }

  /** Copies between the grant's bytes [offset, offset + length) and a host buffer, page by page. */
  private copy(
    offset: number,
    length: number,
    host: Uint8Array,
    hostOffset: number,
    toGuest: boolean,
  ): void {
    const bytes = this.partition.bytes;
    let done = 0;
    let r = this.rangeIndex(offset);
    while (done < length) {
      const range = this.ranges[r];
      const inRange = offset + done - range.start;
      if (inRange >= range.byteCount) {
        r++;
        continue;
      }
      const inPages = range.byteOffset + inRange;
      const index = Math.floor(inPages / PAGE_SIZE);
      const inPage = inPages - index * PAGE_SIZE;
      const n = Math.min(PAGE_SIZE - inPage, range.byteCount - inRange, length - done);
      const pfn = range.pfns[index];
      if (toGuest) {
        copyBytes(host, hostOffset + done, bytes.pageForWrite(pfn), inPage, n);
      } else {
        const page = bytes.pageForRead(pfn);
        if (page === null) host.fill(0, hostOffset + done, hostOffset + done + n);
        else copyBytes(page, inPage, host, hostOffset + done, n);
      }
      done += n;
    }
  }

  private rangeIndex(offset: number): number {
    let r = 0;
    while (r + 1 < this.ranges.length && this.ranges[r + 1].start <= offset) r++;
    return r;
  }

  private check(
    offset: number,
    length: number,
    hostOffset: number,
    hostLength: number,
    verb: AccessVerb,
  ): IsolationFault | undefined {
    if (!this.live)
      return this.log.record(this.site, 'grant-expired', detail('grant.expired', { verb }));
    if (!isRange(offset, length, this.byteLength)) {
      return this.log.record(
        this.site,
        'outside-packet-grant',
        detail('grant.outside', { verb, length, offset, granted: this.byteLength }),
      );
    }
    if (!isRange(hostOffset, length, hostLength)) {
      return this.log.record(
        this.site,
        'outside-packet-grant',
        detail('hostBuffer.tooShort', { verb, length, hostLength, hostOffset }),
      );
    }
    return undefined;
  }
}

/** Checks guest-supplied ranges and copies them; a string says what is wrong. */
/**
 * The checks of {@link checkGpaRanges} without copying the page lists: the granted byte length,
 * or why the ranges are refused. For a transfer that only needs checking (bulk data the
 * simulation does not move, e.g. `touchRanges` on every storage request).
 */
export function measureGpaRanges(
  partition: PartitionMemory,
  ranges: readonly GpaRange[],
): number | { kind: 'malformed-range' | 'pfn-outside-guest'; message: IsolationDetail } {
  if (ranges.length === 0) return { kind: 'malformed-range', message: detail('ranges.none', {}) };
  let start = 0;
  for (let i = 0; i < ranges.length; i++) {
    const { byteCount, byteOffset, pfns } = ranges[i];
    const refused = rangeRefusal(i, byteCount, byteOffset, pfns.length);
    if (refused !== null) return refused;
    const pages = Math.ceil((byteOffset + byteCount) / PAGE_SIZE);
    for (let j = 0; j < pages; j++) {
      if (!partition.isBacked(pfns[j], 1)) {
        return {
          kind: 'pfn-outside-guest',
          message: detail('range.pageOutsideGuest', { range: i, page: pfns[j] }),
        };
      }
    }
    start += byteCount;
  }
  return start;
}

/** Why range `i` is malformed, or null. */
function rangeRefusal(
  i: number,
  byteCount: number,
  byteOffset: number,
  pfnCount: number,
): { kind: 'malformed-range'; message: IsolationDetail } | null {
  if (!Number.isSafeInteger(byteCount) || byteCount <= 0 || byteCount > 0xffffffff) {
    return { kind: 'malformed-range', message: detail('range.byteCount', { range: i, byteCount }) };
  }
  if (!Number.isSafeInteger(byteOffset) || byteOffset < 0 || byteOffset >= PAGE_SIZE) {
    return {
      kind: 'malformed-range',
      message: detail('range.byteOffset', { range: i, byteOffset }),
    };
  }
  const pages = Math.ceil((byteOffset + byteCount) / PAGE_SIZE);
  if (pfnCount < pages) {
    return {
      kind: 'malformed-range',
      message: detail('range.tooFewPages', { range: i, pages: pfnCount, needed: pages }),
    };
  }
  return null;
}

export function checkGpaRanges(
  partition: PartitionMemory,
  ranges: readonly GpaRange[],
):
  | { ranges: CheckedRange[]; byteLength: number }
  | { kind: 'malformed-range' | 'pfn-outside-guest'; message: IsolationDetail } {
  if (ranges.length === 0) return { kind: 'malformed-range', message: detail('ranges.none', {}) };
  const out: CheckedRange[] = [];
  let start = 0;
  for (let i = 0; i < ranges.length; i++) {
    const { byteCount, byteOffset, pfns } = ranges[i];
    const refused = rangeRefusal(i, byteCount, byteOffset, pfns.length);
    if (refused !== null) return refused;
    const pages = Math.ceil((byteOffset + byteCount) / PAGE_SIZE);
    const copy = pfns.slice(0, pages);
    for (const pfn of copy) {
      if (!partition.isBacked(pfn, 1)) {
        return {
          kind: 'pfn-outside-guest',
          message: detail('range.pageOutsideGuest', { range: i, page: pfn }),
        };
      }
    }
    out.push({ start, byteCount, byteOffset, pfns: copy });
    start += byteCount;
  }
  return { ranges: out, byteLength: start };
}
