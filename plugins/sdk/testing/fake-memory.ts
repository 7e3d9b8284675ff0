/**
 * Fake guest memory for the harness: pages backed by real bytes, GPADLs owned by one channel, and
 * the isolation rule of the real host (rule 36) — a VSP reaches only its channel's GPADLs and the
 * ranges of the packet it is handling. Anything else is refused and recorded.
 */
import type {
  ChannelMemory,
  GpaRange,
  MemoryAccessResult,
  VspPacket,
} from '../../../core/vsp/types.js';
import { HarnessError } from './harness-error.js';
import type { IsolationFaultKind } from './records.js';
import { checkGpadlReadSize, checkPayloadSize } from '../../sandbox/limits.js';

/**
 * Bytes per guest page.
 *
 * @example
 * ```ts
 * const pages = Math.ceil((range.byteOffset + range.byteCount) / PAGE_BYTES);
 * ```
 */
export const PAGE_BYTES = 4096;

interface GpadlRecord {
  readonly channel: number;
  readonly pfns: readonly number[];
  readonly byteLength: number;
}

/** Where a refused access is reported (the harness records it with the step). */
export type FaultSink = (
  channel: number,
  kind: IsolationFaultKind,
  blame: 'guest' | 'plugin',
  detail: string,
) => void;

type RangeCheck =
  | { readonly ok: true; readonly total: number }
  | { readonly ok: false; readonly kind: IsolationFaultKind; readonly detail: string };

function isRange(offset: number, length: number, size: number): boolean {
  return (
    Number.isSafeInteger(offset) &&
    Number.isSafeInteger(length) &&
    offset >= 0 &&
    length >= 0 &&
    offset + length <= size
  );
}

/**
 * The guest's physical memory as the harness models it.
 *
 * @example
 * ```ts
 * const memory = new FakeGuestMemory(1024, () => {});
 * const buffer = memory.allocate(8192);          // one GPA range over two fresh pages
 * memory.write(buffer, 0, Uint8Array.of(1, 2, 3)); // the guest fills its buffer
 * memory.read(buffer, 0, 3);                     // Uint8Array [1, 2, 3]
 * ```
 */
export class FakeGuestMemory {
  private readonly backing = new Map<number, Uint8Array>();
  private readonly gpadls = new Map<number, GpadlRecord>();
  private nextFreePfn = 16;
  private nextGpadl = 1;

  constructor(
    /** Guest pages: PFNs 0 … pages − 1 are guest memory, anything else is outside the guest. */
    readonly pages: number,
    private readonly fault: FaultSink,
  ) {}

  /**
   * Allocates fresh zeroed pages for a guest buffer of `bytes` bytes starting `byteOffset` into
   * the first page, and returns the range a GPA-direct packet would carry.
   */
  allocate(bytes: number, byteOffset = 0): GpaRange {
    if (!Number.isSafeInteger(bytes) || bytes <= 0 || byteOffset < 0 || byteOffset >= PAGE_BYTES)
      throw new HarnessError(`cannot allocate a buffer of ${bytes} bytes at offset ${byteOffset}`);
    const count = Math.ceil((byteOffset + bytes) / PAGE_BYTES);
    if (this.nextFreePfn + count > this.pages)
      throw new HarnessError(
        `fake guest memory exhausted (${this.pages} pages): raise the harness's guestPages`,
      );
    const pfns: number[] = [];
    for (let i = 0; i < count; i++) {
      const pfn = this.nextFreePfn++;
      this.backing.delete(pfn);
      pfns.push(pfn);
    }
    return { byteCount: bytes, byteOffset, pfns };
  }

  /** The guest writes its own buffer (test setup; throws on a bad range). */
  write(range: GpaRange, offset: number, data: Uint8Array): void {
    const check = this.check([range]);
    if (!check.ok || !isRange(offset, data.length, check.total))
      throw new HarnessError(`the test wrote outside its own buffer`);
    this.copy([range], offset, data, data.length, true);
  }

  /** The guest reads its own buffer (to assert what a VSP wrote; throws on a bad range). */
  read(range: GpaRange, offset: number, length: number): Uint8Array {
    const check = this.check([range]);
    if (!check.ok || !isRange(offset, length, check.total))
      throw new HarnessError(`the test read outside its own buffer`);
    const out = new Uint8Array(length);
    this.copy([range], offset, out, length, false);
    return out;
  }

  /** The guest shares `byteLength` bytes of fresh pages with `channel` (a GPADL); returns its id. */
  createGpadl(channel: number, byteLength: number): { handle: number; range: GpaRange } {
    const range = this.allocate(byteLength);
    const handle = this.nextGpadl++;
    this.gpadls.set(handle, { channel, pfns: range.pfns, byteLength });
    return { handle, range };
  }

  /** The guest tears a GPADL down: later accesses are refused. */
  teardownGpadl(handle: number): void {
    this.gpadls.delete(handle);
  }

  /**
   * The {@link ChannelMemory} one channel's VSP sees. `current` returns the packet whose handler
   * is running on that channel (its ranges are granted only meanwhile).
   */
  channelMemory(channel: number, current: () => VspPacket | null): ChannelMemory {
    return {
      readGpadl: (handle, offset, length) => {
        checkGpadlReadSize(length);
        const g = this.gpadlFor(channel, handle);
        if (g === undefined) return refused('no such GPADL on this channel');
        if (!isRange(offset, length, g.byteLength) || length > 1 << 24)
          return this.refuse(
            channel,
            'offset-outside-gpadl',
            'plugin',
            // In the host's words (core/memory/gpadl-view.ts).
            `read of ${String(length)} bytes at ${String(offset)} in GPADL ${String(handle)} of ${String(g.byteLength)} bytes`,
          );
        const out = new Uint8Array(length);
        this.copy([gpadlRange(g)], offset, out, length, false);
        return { ok: true, value: out };
      },
      writeGpadl: (handle, offset, data) => {
        checkPayloadSize('memory.writeGpadl: data', data.length);
        const g = this.gpadlFor(channel, handle);
        if (g === undefined) return refused('no such GPADL on this channel');
        if (!isRange(offset, data.length, g.byteLength))
          return this.refuse(
            channel,
            'offset-outside-gpadl',
            'plugin',
            `write of ${String(data.length)} bytes at ${String(offset)} in GPADL ${String(handle)} of ${String(g.byteLength)} bytes`,
          );
        this.copy([gpadlRange(g)], offset, data, data.length, true);
        return { ok: true, value: data.length };
      },
      gpadlSize: (handle) => {
        const g = this.gpadls.get(handle);
        return g !== undefined && g.channel === channel ? g.byteLength : undefined;
      },
      touchRanges: (packet, bytes) => {
        const granted = this.grant(channel, packet, current());
        if (!granted.ok) return granted;
        if (!isRange(0, bytes, granted.value))
          return this.refuse(
            channel,
            'outside-packet-grant',
            'plugin',
            `a transfer of ${bytes} bytes through ranges that grant ${granted.value}`,
          );
        return { ok: true, value: bytes };
      },
      writeRanges: (packet, offset, data) => {
        checkPayloadSize('memory.writeRanges: data', data.length);
        const granted = this.grant(channel, packet, current());
        if (!granted.ok) return granted;
        if (!isRange(offset, data.length, granted.value))
          return this.refuse(
            channel,
            'outside-packet-grant',
            'plugin',
            `write of ${data.length} bytes at ${offset} into ranges that grant ${granted.value}`,
          );
        this.copy(packet.ranges, offset, data, data.length, true);
        return { ok: true, value: data.length };
      },
    };
  }

  /** Checks guest-supplied ranges the way the host does (copy, then validate). */
  check(ranges: readonly GpaRange[]): RangeCheck {
    if (ranges.length === 0) return { ok: false, kind: 'malformed-range', detail: 'no ranges' };
    let total = 0;
    for (const r of ranges) {
      if (!Number.isSafeInteger(r.byteCount) || r.byteCount <= 0)
        return { ok: false, kind: 'malformed-range', detail: `byte count ${r.byteCount}` };
      if (!Number.isSafeInteger(r.byteOffset) || r.byteOffset < 0 || r.byteOffset >= PAGE_BYTES)
        return { ok: false, kind: 'malformed-range', detail: `byte offset ${r.byteOffset}` };
      const needed = Math.ceil((r.byteOffset + r.byteCount) / PAGE_BYTES);
      if (r.pfns.length < needed)
        return {
          ok: false,
          kind: 'malformed-range',
          detail: `${r.pfns.length} pages for ${needed}`,
        };
      for (let i = 0; i < needed; i++) {
        const pfn = r.pfns[i];
        if (!Number.isSafeInteger(pfn) || pfn < 0 || pfn >= this.pages)
          return { ok: false, kind: 'pfn-outside-guest', detail: `PFN ${pfn}` };
      }
      total += r.byteCount;
    }
    return { ok: true, total };
  }

  private grant(
    channel: number,
    packet: VspPacket,
    current: VspPacket | null,
  ): MemoryAccessResult<number> {
    if (packet !== current)
      return this.refuse(
        channel,
        'grant-expired',
        'plugin',
        'ranges of a packet whose handler is not running on this channel',
      );
    const check = this.check(packet.ranges);
    if (!check.ok) return this.refuse(channel, check.kind, 'guest', check.detail);
    return { ok: true, value: check.total };
  }

  private gpadlFor(channel: number, handle: number): GpadlRecord | undefined {
    const g = this.gpadls.get(handle);
    if (g === undefined) {
      this.fault(channel, 'unknown-gpadl', 'plugin', `no GPADL ${handle}`);
      return undefined;
    }
    if (g.channel !== channel) {
      this.fault(
        channel,
        'gpadl-of-other-channel',
        'plugin',
        `GPADL ${handle} belongs to channel ${g.channel}`,
      );
      return undefined;
    }
    return g;
  }

  private refuse(
    channel: number,
    kind: IsolationFaultKind,
    blame: 'guest' | 'plugin',
    detail: string,
  ): { ok: false; reason: string } {
    this.fault(channel, kind, blame, detail);
    return refused(`${kind}: ${detail}`);
  }

  /** Copies between checked ranges (byte 0 = first byte of the first range) and a host buffer. */
  private copy(
    ranges: readonly GpaRange[],
    offset: number,
    host: Uint8Array,
    length: number,
    toGuest: boolean,
  ): void {
    let skip = offset;
    let done = 0;
    for (const r of ranges) {
      if (done === length) return;
      if (skip >= r.byteCount) {
        skip -= r.byteCount;
        continue;
      }
      let at = r.byteOffset + skip;
      let left = Math.min(r.byteCount - skip, length - done);
      skip = 0;
      while (left > 0) {
        const page = this.page(r.pfns[Math.floor(at / PAGE_BYTES)]);
        const inPage = at % PAGE_BYTES;
        const n = Math.min(PAGE_BYTES - inPage, left);
        if (toGuest) page.set(host.subarray(done, done + n), inPage);
        else host.set(page.subarray(inPage, inPage + n), done);
        at += n;
        done += n;
        left -= n;
      }
    }
  }

  private page(pfn: number): Uint8Array {
    let page = this.backing.get(pfn);
    if (page === undefined) {
      page = new Uint8Array(PAGE_BYTES);
      this.backing.set(pfn, page);
    }
    return page;
  }
}

function gpadlRange(g: GpadlRecord): GpaRange {
  return { byteCount: g.byteLength, byteOffset: 0, pfns: g.pfns };
}

function refused(reason: string): { ok: false; reason: string } {
  return { ok: false, reason };
}
