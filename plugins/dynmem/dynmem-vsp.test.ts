import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decodeDmMessage,
  DynmemProtocolVersion,
  encodeDmMessage,
} from '../../core/protocols/index.js';
import type { DmMessage } from '../../core/protocols/index.js';
import { BUILT_IN_VSPS } from '../index.js';
import { FakeChannel, fakeVsp, hostEvent, inband } from '../testing/fake-vsp-host.js';
import { BALLOON_GRANULARITY_PAGES } from './dynmem-vsp.js';

const found = BUILT_IN_VSPS.find((m) => m.id === 'hyperkata.dynmem');
if (found === undefined) throw new Error('dynmem is not a built-in');
const module = found;

const bytes = (m: DmMessage): Uint8Array => {
  const b = new Uint8Array(8192);
  return b.slice(0, encodeDmMessage(m, b, 0));
};
const decode = (b: Uint8Array): DmMessage => {
  const d = decodeDmMessage(b, 0, b.length);
  if (!d.ok) throw new Error(d.detail);
  return d.value;
};

const versionRequest = (version: number): DmMessage => ({
  kind: 'versionRequest',
  transactionId: 1,
  version,
  isLastAttempt: false,
});
const capabilities: DmMessage = {
  kind: 'capabilitiesReport',
  transactionId: 2,
  balloon: true,
  hotAdd: true,
  hotAddAlignment: 7,
  minPageCount: 0,
  maxPageNumber: 0,
};

/** A channel whose balloon driver finished its handshake. */
function ready() {
  const { handlers, record } = fakeVsp(module);
  const channel = new FakeChannel(2, 'db01', 'dynamic-memory');
  handlers.onChannelOpened?.(channel);
  const guest = (m: DmMessage) => {
    handlers.onPacket(channel, inband(bytes(m)));
  };
  guest(versionRequest(DynmemProtocolVersion.WIN10));
  guest(capabilities);
  channel.takeSent();
  let tag = 100;
  const target = (
    action: 'balloon' | 'unballoon' | 'hot-add',
    pages: number,
    extra: { startPage?: number; region?: { startPage: number; pageCount: number } } = {},
  ) => {
    hostEvent(handlers, channel, { type: 'memory-target', action, pages, tag: ++tag, ...extra });
    return channel.takeSent().map((s) => decode(s.payload));
  };
  return { handlers, record, channel, guest, target };
}

describe('hyperkata.dynmem (host side of Dynamic Memory)', () => {
  it('rule 34: accepts a version it knows, refuses others, then accepts the capabilities', () => {
    const { handlers } = fakeVsp(module);
    const channel = new FakeChannel(2, 'db01', 'dynamic-memory');
    handlers.onChannelOpened?.(channel);
    handlers.onPacket(channel, inband(bytes(versionRequest(0x0005_0000))));
    handlers.onPacket(channel, inband(bytes(versionRequest(DynmemProtocolVersion.WIN8))));
    handlers.onPacket(channel, inband(bytes(capabilities)));
    expect(channel.takeSent().map((s) => decode(s.payload))).toMatchObject([
      { kind: 'versionResponse', isAccepted: false },
      { kind: 'versionResponse', isAccepted: true },
      { kind: 'capabilitiesResponse', isAccepted: true },
    ]);
    expect(channel.failure).toBeNull();
  });

  it('rule 34: relays each status report to the balancer with num_committed', () => {
    const { guest, record } = ready();
    guest({
      kind: 'statusReport',
      transactionId: 3,
      numAvailable: 1000,
      numCommitted: 3000,
      pageFileSize: 0,
      zeroFree: 0,
      pageFileWrites: 0,
      ioDiff: 0,
    });
    expect(record.pressure.map((p) => p.report)).toEqual([
      { pressurePercent: 75, committedPages: 3000, availablePages: 1000 },
    ]);
  });

  it('rule 34: balloons in 2 MiB units and reports the pages the guest listed', () => {
    const { guest, target, record } = ready();
    const [request] = target('balloon', 3 * BALLOON_GRANULARITY_PAGES + 100);
    expect(request).toMatchObject({ kind: 'balloonRequest', numPages: 1536 });
    const first = [{ startPage: 9000, pageCount: 512 }];
    const rest = [
      { startPage: 8000, pageCount: 512 },
      { startPage: 7000, pageCount: 512 },
    ];
    guest({ kind: 'balloonResponse', transactionId: 4, morePages: true, ranges: first });
    guest({ kind: 'balloonResponse', transactionId: 5, morePages: false, ranges: rest });
    expect(record.changes.map((c) => c.change)).toEqual([
      { action: 'balloon', pages: 512, tag: 101, ranges: first },
      { action: 'balloon', pages: 1024, tag: 101, ranges: rest },
    ]);
    // rule 34: unballooning gives the lowest ballooned pages back, then the guest confirms
    const [unballoon] = target('unballoon', 600);
    expect(unballoon).toMatchObject({
      kind: 'unballoonRequest',
      morePages: false,
      ranges: [
        { startPage: 7000, pageCount: 512 },
        { startPage: 8000, pageCount: 88 },
      ],
    });
    guest({ kind: 'unballoonResponse', transactionId: 6 });
    expect(record.changes.at(-1)?.change).toEqual({ action: 'unballoon', pages: 600, tag: 102 });
  });

  it('rule 34: hot-adds the region the host names and reports the pages the guest onlined', () => {
    const { guest, target, record } = ready();
    const region = { startPage: 524288, pageCount: 32768 };
    const [request] = target('hot-add', 20000, { startPage: 524288, region });
    expect(request).toMatchObject({
      kind: 'hotAddRequest',
      range: { startPage: 524288, pageCount: 20000 },
      region,
    });
    guest({ kind: 'hotAddResponse', transactionId: 7, pageCount: 20000, result: 1 });
    expect(record.changes.map((c) => c.change)).toEqual([
      { action: 'hot-add', pages: 20000, tag: 101 },
    ]);
  });

  it('rule 34: answers a grow the guest could not do, or that it could not ask, with 0 pages', () => {
    const { guest, target, record } = ready();
    const region = { startPage: 524288, pageCount: 32768 };
    target('hot-add', 20000, { startPage: 524288, region });
    guest({ kind: 'hotAddResponse', transactionId: 7, pageCount: 0, result: 0 }); // transient
    expect(target('unballoon', 512)).toHaveLength(0); // nothing ballooned to give back
    expect(record.changes.map((c) => c.change)).toEqual([
      { action: 'hot-add', pages: 0, tag: 101 },
      { action: 'unballoon', pages: 0, tag: 102 },
    ]);
  });

  it('runs one operation at a time, in order', () => {
    const { guest, target, channel } = ready();
    expect(target('balloon', 1024)).toHaveLength(1);
    expect(target('balloon', 512)).toHaveLength(0); // waits for the first to finish
    guest({
      kind: 'balloonResponse',
      transactionId: 8,
      morePages: false,
      ranges: [{ startPage: 1, pageCount: 1024 }],
    });
    expect(channel.takeSent().map((s) => decode(s.payload))).toMatchObject([
      { kind: 'balloonRequest', numPages: 512 },
    ]);
  });

  it('rule 38: stops the channel when the guest gives more than asked, a page twice, or answers nothing', () => {
    const over = ready();
    over.target('balloon', 512);
    over.guest({
      kind: 'balloonResponse',
      transactionId: 9,
      morePages: false,
      ranges: [{ startPage: 0, pageCount: 1024 }],
    });
    expect(over.channel.failure).toMatch(/gave 1024 pages for a balloon of 512/);
    const twice = ready();
    twice.target('balloon', 1024);
    const range = { startPage: 10, pageCount: 512 };
    twice.guest({ kind: 'balloonResponse', transactionId: 9, morePages: true, ranges: [range] });
    twice.guest({ kind: 'balloonResponse', transactionId: 9, morePages: false, ranges: [range] });
    expect(twice.channel.failure).toMatch(/twice/);
    const unsolicited = ready();
    unsolicited.guest({ kind: 'hotAddResponse', transactionId: 1, pageCount: 5, result: 1 });
    expect(unsolicited.channel.failure).toMatch(/unexpected/);
    expect(unsolicited.record.changes).toEqual([]);
  });

  it('rules 36–38: hostile messages never throw, never touch guest memory, never report more than asked', () => {
    const guestMessage: fc.Arbitrary<Uint8Array> = fc.oneof(
      fc.uint8Array({ maxLength: 64 }),
      fc
        .record({
          ranges: fc.array(
            fc.record({
              startPage: fc.nat({ max: 2 ** 40 - 1 }),
              pageCount: fc.nat({ max: 2 ** 24 - 1 }),
            }),
            { maxLength: 4 },
          ),
          morePages: fc.boolean(),
        })
        .map(({ ranges, morePages }) =>
          bytes({ kind: 'balloonResponse', transactionId: 1, morePages, ranges }),
        ),
      fc
        .record({ pageCount: fc.nat({ max: 0xffff_ffff }), result: fc.nat({ max: 3 }) })
        .map((m) => bytes({ kind: 'hotAddResponse', transactionId: 1, ...m })),
      fc.constant(bytes({ kind: 'unballoonResponse', transactionId: 1 })),
      fc.constant(bytes(versionRequest(DynmemProtocolVersion.WIN10))),
      fc.constant(bytes({ kind: 'balloonRequest', transactionId: 1, numPages: 512 })),
      // a valid message whose header lies about its size or type
      fc
        .tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 255 }))
        .map(([at, value]) => {
          const b = bytes(capabilities);
          b[at] = value;
          return b;
        }),
    );
    const step = fc.oneof(
      guestMessage.map((payload) => ({ payload })),
      fc
        .record({
          action: fc.constantFrom('balloon' as const, 'unballoon' as const, 'hot-add' as const),
          pages: fc.integer({ min: 1, max: 100_000 }),
        })
        .map((target) => ({ target })),
    );
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 12 }), (steps) => {
        const { handlers, channel, record, target } = ready();
        let asked = 0;
        for (const s of steps) {
          // The runtime delivers nothing more to a channel the plugin failed (VspRuntime.deliver).
          if (channel.failure !== null) break;
          expect(() => {
            if ('payload' in s) handlers.onPacket(channel, inband(s.payload));
            else
              for (const m of target(s.target.action, s.target.pages, {
                startPage: 1 << 20,
                region: { startPage: 1 << 20, pageCount: 32768 },
              }))
                if (m.kind === 'balloonRequest') asked += m.numPages;
          }).not.toThrow();
        }
        expect(channel.memoryAccesses).toBe(0);
        const ballooned = record.changes
          .filter((c) => c.change.action === 'balloon')
          .reduce((sum, c) => sum + c.change.pages, 0);
        expect(ballooned).toBeLessThanOrEqual(asked);
        for (const c of record.changes) {
          if (c.change.action === 'balloon') expect(c.change.pages).toBeGreaterThan(0);
          else expect(c.change.pages).toBeGreaterThanOrEqual(0);
        }
        // each grow target is answered at most once
        const grows = record.changes.filter((c) => c.change.action !== 'balloon');
        expect(new Set(grows.map((c) => c.change.tag)).size).toBe(grows.length);
      }),
      { numRuns: 300 },
    );
  });
});
