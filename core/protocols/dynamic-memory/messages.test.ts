import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  safeU64,
  u16At,
  u32,
  u32At,
} from '../codec/hostile.test-support.js';
import {
  DM_STATUS_REPORT_INTERVAL_NS,
  DmMessageType,
  DynmemProtocolVersion,
  LINUX_HOT_ADD_CHUNK_BYTES,
  hotAddAlignmentFor,
} from './constants.js';
import { decodeDmMessage, encodeDmMessage, readDmMaxPageCountInfo } from './messages.js';
import type { DmMessage } from './messages.js';
import { dmPageRangeValue, readDmPageRange, writeDmPageRange } from './page-range.js';

const rangeArb = fc.record({
  startPage: fc.integer({ min: 0, max: 2 ** 40 - 1 }),
  pageCount: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
});
const id = u32;

const dmArb: fc.Arbitrary<DmMessage> = fc.oneof(
  fc.record({
    kind: fc.constant('versionRequest' as const),
    transactionId: id,
    version: u32,
    isLastAttempt: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('versionResponse' as const),
    transactionId: id,
    isAccepted: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('capabilitiesReport' as const),
    transactionId: id,
    balloon: fc.boolean(),
    hotAdd: fc.boolean(),
    hotAddAlignment: fc.integer({ min: 0, max: 15 }),
    minPageCount: safeU64,
    maxPageNumber: safeU64,
  }),
  fc.record({
    kind: fc.constant('capabilitiesResponse' as const),
    transactionId: id,
    isAccepted: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('statusReport' as const),
    transactionId: id,
    numAvailable: safeU64,
    numCommitted: safeU64,
    pageFileSize: safeU64,
    zeroFree: safeU64,
    pageFileWrites: u32,
    ioDiff: u32,
  }),
  fc.record({ kind: fc.constant('balloonRequest' as const), transactionId: id, numPages: u32 }),
  fc.record({
    kind: fc.constant('balloonResponse' as const),
    transactionId: id,
    morePages: fc.boolean(),
    ranges: fc.array(rangeArb, { maxLength: 8 }),
  }),
  fc.record({
    kind: fc.constant('unballoonRequest' as const),
    transactionId: id,
    morePages: fc.boolean(),
    ranges: fc.array(rangeArb, { maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('unballoonResponse' as const), transactionId: id }),
  fc.record({
    kind: fc.constant('hotAddRequest' as const),
    transactionId: id,
    range: rangeArb,
    region: fc.option(rangeArb, { nil: undefined }),
  }),
  fc.record({
    kind: fc.constant('hotAddResponse' as const),
    transactionId: id,
    pageCount: u32,
    result: fc.constantFrom(0, 1),
  }),
  fc.record({
    kind: fc.constant('infoMessage' as const),
    transactionId: id,
    info: fc.uint8Array({ maxLength: 32 }),
  }),
);

const encode = (m: DmMessage): Uint8Array => encodeToBytes(encodeDmMessage, m, 512);

describe('Dynamic Memory messages (rule 34)', () => {
  it('round-trip for the full message set', () => {
    fc.assert(
      fc.property(dmArb, (m) => {
        const b = encode(m);
        expect(decodeDmMessage(b, 0, b.length)).toEqual({ ok: true, value: m });
      }),
    );
  });

  it('packs dm_mem_page_range as start_page:40 | page_cnt:24 (L: hv_balloon.c)', () => {
    fc.assert(
      fc.property(rangeArb, (r) => {
        const b = new Uint8Array(8);
        writeDmPageRange(b, 0, r);
        expect(readDmPageRange(b, 0)).toEqual(r);
        expect(new DataView(b.buffer).getBigUint64(0, true)).toBe(
          BigInt(r.startPage) + (BigInt(r.pageCount) << 40n),
        );
      }),
    );
    // 2 MiB at PFN 0x12_3456_789A: 512 pages → u64 0x0002_0012_3456_789A.
    expect(dmPageRangeValue({ startPage: 0x12_3456_789a, pageCount: 512 })).toBe(
      0x0002_0012_3456_789an,
    );
  });

  it('lays out the header and status report as struct dm_header / dm_status', () => {
    const b = encode({
      kind: 'statusReport',
      transactionId: 0x0a0b0c0d,
      numAvailable: 1,
      numCommitted: 0x1_0000_0002,
      pageFileSize: 3,
      zeroFree: 4,
      pageFileWrites: 5,
      ioDiff: 6,
    });
    // dm_header: type u16 @0, size u16 @2, trans_id u32 @4; then four u64 and two u32 = 48 bytes.
    expect(b).toHaveLength(48);
    expect([u16At(b, 0), u16At(b, 2), u32At(b, 4)]).toEqual([
      DmMessageType.STATUS_REPORT,
      48,
      0x0a0b0c0d,
    ]);
    expect([u32At(b, 16), u32At(b, 20), u32At(b, 40), u32At(b, 44)]).toEqual([2, 1, 5, 6]);
  });

  it('writes dm_version with the minor in the low word (union dm_version)', () => {
    const b = encode({
      kind: 'versionRequest',
      transactionId: 1,
      version: DynmemProtocolVersion.WIN10,
      isLastAttempt: false,
    });
    // DYNMEM_PROTOCOL_VERSION_WIN10 = 2.0: minor u16 @8 = 0, major u16 @10 = 2.
    expect([u16At(b, 8), u16At(b, 10), b.length]).toEqual([0, 2, 16]);
    const caps = encode({
      kind: 'capabilitiesReport',
      transactionId: 2,
      balloon: true,
      hotAdd: true,
      hotAddAlignment: hotAddAlignmentFor(LINUX_HOT_ADD_CHUNK_BYTES),
      minPageCount: 0,
      maxPageNumber: 0,
    });
    // balloon:1 hot_add:1 hot_add_alignment:4 = 7 (128 MiB) → 1 | 2 | 7 << 2 = 0x1f.
    expect(caps[8]).toBe(0x1f);
    expect(caps).toHaveLength(32);
  });

  it('rule 34: the guest reports pressure every second and hot-adds 128 MiB chunks', () => {
    expect(DM_STATUS_REPORT_INTERVAL_NS).toBe(1_000_000_000);
    expect(hotAddAlignmentFor(128 * 1024 * 1024)).toBe(7);
  });

  it('reads a hot-add region when the host sends 24 bytes (L: balloon_onchannelcallback)', () => {
    const b = encode({
      kind: 'hotAddRequest',
      transactionId: 3,
      range: { startPage: 0x100000, pageCount: 32768 },
      region: { startPage: 0x100000, pageCount: 65536 },
    });
    expect(b).toHaveLength(24);
    const short = Uint8Array.from(b);
    short[2] = 20; // neither a plain request nor one with a full region
    expect(decodeDmMessage(short, 0, short.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
  });

  it('rejects range counts that do not fit, sizes beyond the bytes, unknown types and huge page counts', () => {
    const b = encode({
      kind: 'balloonResponse',
      transactionId: 1,
      morePages: false,
      ranges: [{ startPage: 1, pageCount: 1 }],
    });
    const count = Uint8Array.from(b);
    count[12] = 4 << 1; // four ranges claimed, one present
    expect(decodeDmMessage(count, 0, count.length)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
    const size = Uint8Array.from(b);
    size[2] = 200;
    expect(decodeDmMessage(size, 0, size.length)).toMatchObject({ ok: false, reason: 'truncated' });
    const type = Uint8Array.from(b);
    type[0] = 0; // DM_ERROR
    expect(decodeDmMessage(type, 0, type.length)).toMatchObject({
      ok: false,
      reason: 'unknown-type',
    });
    const s = encode({
      kind: 'statusReport',
      transactionId: 1,
      numAvailable: 0,
      numCommitted: 0,
      pageFileSize: 0,
      zeroFree: 0,
      pageFileWrites: 0,
      ioDiff: 0,
    });
    s.fill(0xff, 16, 24);
    expect(decodeDmMessage(s, 0, s.length)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
  });

  it('reads the maximum page count info (INFO_TYPE_MAX_PAGE_CNT with an 8-byte value)', () => {
    const info = new Uint8Array(16);
    info[4] = 8;
    info[8] = 0x00;
    info[9] = 0x00;
    info[10] = 0x10; // 0x100000 pages = 4 GiB
    expect(readDmMaxPageCountInfo(info)).toBe(0x100000);
    info[4] = 4;
    expect(readDmMaxPageCountInfo(info)).toBeUndefined();
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(hostileBytes(dmArb.map(encode)), (b) => {
        expectWindowSafe(decodeDmMessage, b);
      }),
    );
  });
});
