import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_SIZE_CHANNEL_MESSAGE } from './constants.js';
import { decodeChannelMessage } from './decode.js';
import { encodeChannelMessage } from './encode.js';
import { VmbusControlError } from './errors.js';
import { GpadlAssembler, type GpadlAssemblyResult } from './gpadl-assembler.js';
import { GPADL_MAX_PAGES } from './gpadl-limits.js';
import { gpadlMessageCount, splitGpadl } from './gpadl-split.js';
import { ChannelMessageType as T } from './message-types.js';
import type { GpadlBodyMessage, GpadlHeaderMessage } from './messages.js';
import { pfn } from './test-arbitraries.js';

/**
 * L: drivers/hv/channel.c create_gpadl_header, restated: the header holds
 * (MAX_SIZE_CHANNEL_MESSAGE − sizeof(gpadl_header) − sizeof(gpa_range)) / sizeof(u64) PFNs,
 * each body (MAX_SIZE_CHANNEL_MESSAGE − sizeof(gpadl_body)) / sizeof(u64).
 */
const LINUX_HEADER_PFNS = Math.floor((240 - 20 - 8) / 8);
const LINUX_BODY_PFNS = Math.floor((240 - 16) / 8);

function pages(n: number, first = 0x10_0000): number[] {
  return Array.from({ length: n }, (_, i) => first + i);
}

function feedAll(
  assembler: GpadlAssembler,
  messages: readonly (GpadlHeaderMessage | GpadlBodyMessage)[],
): GpadlAssemblyResult[] {
  return messages.map((m) => assembler.accept(m));
}

function header(overrides: Partial<GpadlHeaderMessage> = {}): GpadlHeaderMessage {
  return {
    type: T.GPADL_HEADER,
    childRelid: 7,
    gpadl: 0xe1e10,
    rangeBufLen: 8 + 8 * 2,
    rangeCount: 1,
    byteCount: 2 * 4096,
    byteOffset: 0,
    pfns: [100, 101],
    ...overrides,
  };
}

describe('rule 12: GPADL header/body split as Linux sends it', () => {
  it('fits 26 PFNs in a header and 28 in a body (create_gpadl_header arithmetic)', () => {
    expect(LINUX_HEADER_PFNS).toBe(26);
    expect(LINUX_BODY_PFNS).toBe(28);
    const [h, b] = splitGpadl({
      childRelid: 1,
      gpadl: 1,
      pfns: pages(LINUX_HEADER_PFNS + LINUX_BODY_PFNS),
    });
    expect(h.pfns).toHaveLength(LINUX_HEADER_PFNS);
    expect(b.pfns).toHaveLength(LINUX_BODY_PFNS);
  });

  it.each([
    [1, 1],
    [LINUX_HEADER_PFNS, 1],
    [LINUX_HEADER_PFNS + 1, 2],
    [66, 3], // 128 KiB ring pair: 2 × (1 header page + 32 data pages)
  ])('%i pages take %i message(s)', (pageCount, expected) => {
    const messages = splitGpadl({ childRelid: 3, gpadl: 0xe1e10, pfns: pages(pageCount) });
    expect(messages).toHaveLength(expected);
    expect(gpadlMessageCount(pageCount)).toBe(expected);
    const [h, ...bodies] = messages;
    expect(h).toMatchObject({
      rangeCount: 1,
      rangeBufLen: 8 + 8 * pageCount,
      byteCount: pageCount * 4096,
      byteOffset: 0,
    });
    expect([...h.pfns, ...bodies.flatMap((b) => b.pfns)]).toEqual(pages(pageCount));
    expect(bodies.every((b) => b.msgNumber === 0 && b.gpadl === 0xe1e10)).toBe(true);
  });

  it('66 pages split 26 + 28 + 12, every message within 240 bytes', () => {
    const messages = splitGpadl({ childRelid: 3, gpadl: 9, pfns: pages(66) });
    expect(messages.map((m) => m.pfns.length)).toEqual([26, 28, 12]);
    const buffer = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
    expect(messages.map((m) => encodeChannelMessage(m, buffer))).toEqual([
      20 + 8 + 26 * 8,
      16 + 28 * 8,
      16 + 12 * 8,
    ]);
  });

  it('rule 10: a split never produces a message above 240 bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: GPADL_MAX_PAGES }), (n) => {
        const buffer = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
        for (const m of splitGpadl({ childRelid: 1, gpadl: 1, pfns: pages(n) })) {
          expect(encodeChannelMessage(m, buffer)).toBeLessThanOrEqual(240);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('refuses page lists that cannot be one GPADL with a typed error', () => {
    const bad = [
      { childRelid: 1, gpadl: 1, pfns: [] },
      { childRelid: 1, gpadl: 1, pfns: pages(GPADL_MAX_PAGES + 1) },
      { childRelid: 0, gpadl: 1, pfns: pages(1) },
      { childRelid: 1, gpadl: 1, pfns: pages(2), byteCount: 4096 }, // spans 1 page, 2 given
      { childRelid: 1, gpadl: 1, pfns: pages(1), byteOffset: 0x1000 },
      { childRelid: 1, gpadl: 1, pfns: [-1] },
    ];
    for (const request of bad) {
      expect(() => splitGpadl(request)).toThrow(VmbusControlError);
    }
  });
});

describe('rule 12: the host reassembles exactly what the guest split', () => {
  it('yields the page list for any split, fed as decoded wire messages', () => {
    fc.assert(
      fc.property(
        fc.array(pfn, { minLength: 1, maxLength: 400 }),
        fc.integer({ min: 0, max: 0xffff_ffff }),
        (pfns, gpadl) => {
          const assembler = new GpadlAssembler();
          const buffer = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
          const results = splitGpadl({ childRelid: 12, gpadl, pfns }).map((m) => {
            const size = encodeChannelMessage(m, buffer);
            const decoded = decodeChannelMessage(buffer, 0, size, { from: 'guest' });
            if (
              !decoded.ok ||
              (decoded.value.type !== T.GPADL_HEADER && decoded.value.type !== T.GPADL_BODY)
            ) {
              throw new Error('split produced an undecodable message');
            }
            return assembler.accept(decoded.value);
          });
          const last = results[results.length - 1];
          expect(results.slice(0, -1).every((r) => r.status === 'incomplete')).toBe(true);
          expect(last).toEqual({
            status: 'complete',
            value: {
              childRelid: 12,
              gpadl,
              ranges: [{ byteCount: pfns.length * 4096, byteOffset: 0, pfns }],
              pfns,
            },
          });
          expect(assembler.inProgress).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps several GPADLs of one connection apart while their bodies interleave', () => {
    const assembler = new GpadlAssembler();
    const a = splitGpadl({ childRelid: 1, gpadl: 0xa, pfns: pages(66, 1000) });
    const b = splitGpadl({ childRelid: 2, gpadl: 0xb, pfns: pages(60, 5000) });
    const order = [a[0], b[0], a[1], b[1], b[2], a[2]];
    const results = feedAll(assembler, order);
    expect(results[4]).toMatchObject({
      status: 'complete',
      value: { gpadl: 0xb, pfns: pages(60, 5000) },
    });
    expect(results[5]).toMatchObject({
      status: 'complete',
      value: { gpadl: 0xa, pfns: pages(66, 1000) },
    });
  });

  it('ignores msgnumber: Linux leaves it 0 and openvmm calls it reserved', () => {
    const assembler = new GpadlAssembler();
    const [h, ...bodies] = splitGpadl({ childRelid: 4, gpadl: 1, pfns: pages(90) });
    const renumbered = bodies.map((body, i) => ({ ...body, msgNumber: 1000 - i }));
    const results = feedAll(assembler, [h, ...renumbered]);
    expect(results[results.length - 1]).toMatchObject({
      status: 'complete',
      value: { pfns: pages(90) },
    });
  });

  it('accepts several ranges in one GPADL and lists their pages in order', () => {
    // range[0]: 1 page at offset 0x10; range[1] header word (byte_count 0x2000 | byte_offset 0x800 << 32) + 3 pages
    const second = 0x2000 + 0x800 * 2 ** 32;
    const assembler = new GpadlAssembler();
    const r = assembler.accept(
      header({
        rangeCount: 2,
        rangeBufLen: 8 * 6,
        byteCount: 100,
        byteOffset: 0x10,
        pfns: [50, second, 60, 61, 62],
      }),
    );
    expect(r).toEqual({
      status: 'complete',
      value: {
        childRelid: 7,
        gpadl: 0xe1e10,
        ranges: [
          { byteCount: 100, byteOffset: 0x10, pfns: [50] },
          { byteCount: 0x2000, byteOffset: 0x800, pfns: [60, 61, 62] },
        ],
        pfns: [50, 60, 61, 62],
      },
    });
  });

  it('ignores words past range_buflen in the completing message (O: UEFI sends full-size messages)', () => {
    const assembler = new GpadlAssembler();
    const [h, b] = splitGpadl({ childRelid: 4, gpadl: 1, pfns: pages(30) });
    expect(assembler.accept(h).status).toBe('incomplete');
    const padded = { ...b, pfns: [...b.pfns, 0, 0, 0] };
    expect(assembler.accept(padded)).toMatchObject({
      status: 'complete',
      value: { pfns: pages(30) },
    });
  });
});

describe('rule 12 / rule 37: the host refuses malformed GPADL messages', () => {
  it('refuses a body for a GPADL nobody opened, without naming a channel to answer', () => {
    const r = new GpadlAssembler().accept({
      type: T.GPADL_BODY,
      msgNumber: 0,
      gpadl: 99,
      pfns: [1],
    });
    expect(r).toMatchObject({
      status: 'rejected',
      reason: 'unknown-gpadl',
      gpadl: 99,
      childRelid: undefined,
    });
  });

  it('refuses a body after the GPADL completed (too many PFNs)', () => {
    const assembler = new GpadlAssembler();
    const messages = splitGpadl({ childRelid: 4, gpadl: 1, pfns: pages(40) });
    feedAll(assembler, messages);
    expect(assembler.accept(messages[1])).toMatchObject({
      status: 'rejected',
      reason: 'unknown-gpadl',
    });
  });

  it('refuses a second header for a GPADL id in progress and keeps the first', () => {
    const assembler = new GpadlAssembler();
    const [h, b] = splitGpadl({ childRelid: 4, gpadl: 1, pfns: pages(40) });
    assembler.accept(h);
    expect(assembler.accept({ ...h, childRelid: 9 })).toMatchObject({
      status: 'rejected',
      reason: 'duplicate-gpadl',
      childRelid: 9,
    });
    expect(assembler.accept(b)).toMatchObject({ status: 'complete', value: { childRelid: 4 } });
  });

  it('refuses a range that spans more pages than the buffer lists (too few PFNs)', () => {
    const r = new GpadlAssembler().accept(header({ byteCount: 3 * 4096 }));
    expect(r).toMatchObject({
      status: 'rejected',
      reason: 'range-too-small',
      childRelid: 7,
      gpadl: 0xe1e10,
    });
  });

  it('refuses a range_buflen larger than the ranges need (counts disagree)', () => {
    const r = new GpadlAssembler().accept(header({ byteCount: 4096 }));
    expect(r).toMatchObject({ status: 'rejected', reason: 'range-buflen-mismatch' });
  });

  it('refuses byte_count 0 and byte_offset past the first page', () => {
    expect(new GpadlAssembler().accept(header({ byteCount: 0 }))).toMatchObject({
      reason: 'empty-byte-count',
    });
    expect(
      new GpadlAssembler().accept(header({ byteOffset: 0x1000, byteCount: 4096 })),
    ).toMatchObject({
      reason: 'offset-too-large',
    });
  });

  it('refuses a rangecount with no header left for the next range', () => {
    const r = new GpadlAssembler().accept(header({ rangeCount: 2, byteCount: 2 * 4096 }));
    expect(r).toMatchObject({ status: 'rejected', reason: 'empty-range' });
  });

  it('drops a GPADL after refusing its completion, so a later body is unknown', () => {
    const assembler = new GpadlAssembler();
    const [h, b1, b2] = splitGpadl({ childRelid: 4, gpadl: 1, pfns: pages(60) });
    assembler.accept({ ...h, byteCount: 61 * 4096 }); // claims one page more than it lists
    assembler.accept(b1);
    expect(assembler.accept(b2)).toMatchObject({ status: 'rejected', reason: 'range-too-small' });
    expect(assembler.inProgress).toBe(0);
    expect(assembler.accept(b2)).toMatchObject({ reason: 'unknown-gpadl' });
  });

  it('forgets the in-progress GPADLs of a released channel, and all of them on reset', () => {
    const assembler = new GpadlAssembler();
    const a = splitGpadl({ childRelid: 1, gpadl: 1, pfns: pages(40) });
    const b = splitGpadl({ childRelid: 2, gpadl: 2, pfns: pages(40) });
    assembler.accept(a[0]);
    assembler.accept(b[0]);
    expect(assembler.dropChannel(1)).toBe(1);
    expect(assembler.accept(a[1])).toMatchObject({ reason: 'unknown-gpadl' });
    assembler.reset();
    expect(assembler.accept(b[1])).toMatchObject({ reason: 'unknown-gpadl' });
  });

  it('bounds how many GPADLs may be in progress at once', () => {
    const assembler = new GpadlAssembler({ maxInProgress: 2 });
    for (const gpadl of [1, 2])
      assembler.accept(splitGpadl({ childRelid: 1, gpadl, pfns: pages(40) })[0]);
    const third = splitGpadl({ childRelid: 1, gpadl: 3, pfns: pages(40) })[0];
    expect(assembler.accept(third)).toMatchObject({
      status: 'rejected',
      reason: 'too-many-in-progress',
    });
  });

  it('never throws on any sequence of well-formed GPADL messages', () => {
    const smallPfns = fc.array(fc.integer({ min: 0, max: 2 ** 32 + 5 }), { maxLength: 28 });
    const headerArb = fc
      .record({
        gpadl: fc.integer({ min: 0, max: 3 }),
        rangeCount: fc.integer({ min: 1, max: 3 }),
        words: fc.integer({ min: 2, max: 80 }),
        byteCount: fc.integer({ min: 0, max: 0x40000 }),
        byteOffset: fc.integer({ min: 0, max: 0x1100 }),
        pfns: fc.array(fc.integer({ min: 0, max: 2 ** 32 + 5 }), { maxLength: 26 }),
      })
      .map((h): GpadlHeaderMessage => ({
        type: T.GPADL_HEADER,
        childRelid: 1,
        gpadl: h.gpadl,
        rangeCount: h.rangeCount,
        rangeBufLen: 8 * Math.max(h.words, 1 + h.pfns.length),
        byteCount: h.byteCount,
        byteOffset: h.byteOffset,
        pfns: h.pfns,
      }));
    const bodyArb = fc
      .record({ gpadl: fc.integer({ min: 0, max: 3 }), pfns: smallPfns })
      .map((b): GpadlBodyMessage => ({ type: T.GPADL_BODY, msgNumber: 0, ...b }));
    fc.assert(
      fc.property(fc.array(fc.oneof(headerArb, bodyArb), { maxLength: 30 }), (messages) => {
        const assembler = new GpadlAssembler({ maxInProgress: 3 });
        for (const m of messages) {
          const r = assembler.accept(m);
          if (r.status === 'complete') {
            expect(r.value.pfns.length).toBe(
              r.value.ranges.reduce((n, range) => n + range.pfns.length, 0),
            );
          }
        }
        expect(assembler.inProgress).toBeLessThanOrEqual(3);
      }),
      { numRuns: 300 },
    );
  });
});
