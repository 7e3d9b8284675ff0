import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SimEngine } from '../../engine/index.js';
import type { EventType } from '../../engine/index.js';
import { CostMeter } from '../../host/cpu.js';
import type { HostCpu } from '../../host/cpu.js';
import { linuxBalloonFloorPages, MemoryManager, mibToPages } from '../../memory/index.js';
import { decodeDmMessage, DynmemProtocolVersion, encodeDmMessage } from '../../protocols/index.js';
import type { DmMessage } from '../../protocols/index.js';
import { IncomingPacket } from '../../vmbus/ring/index.js';
import type { OutgoingPacket } from '../../vmbus/ring/index.js';
import type { GuestChannel } from '../vmbus/guest-channel.js';
import { HvBalloon } from './balloon.js';
import { BALLOON_ALLOC_UNIT_PAGES, BALLOON_RESPONSE_MAX_RANGES } from './balloon-pages.js';

const MiB = mibToPages(1);

/** A Linux guest with 2048 MiB whose workload commits `committedMiB`, and its balloon driver. */
function guest(committedMiB = 1000, family: 'linux' | 'windows' = 'linux') {
  const engine = new SimEngine();
  const memory = new MemoryManager({ memoryMiB: 16384, os: 'ws2019' });
  const created = memory.createPartition({
    partition: 1,
    startupPages: 2048 * MiB,
    maximumPages: 8192 * MiB,
  });
  if (!created.ok) throw created.error;
  const partition = created.value;
  const ring = memory.allocate(1, 10, { backing: 'dense' }); // a driver's allocation
  if (!ring.ok) throw ring.error;
  // The thread's CPU work runs at once (the scheduler is not what these tests are about).
  const cpu = {
    run: <A>(_vp: number, ns: number, _cls: number, done: EventType<A>, arg: A) => {
      engine.after(ns, done, arg);
    },
    charge: () => undefined,
  } as unknown as HostCpu;
  const driver = new HvBalloon({
    engine,
    cpu,
    threadVp: 0,
    name: 'db01',
    family,
    memory: () => memory.partition(1),
    committedMiB: () => committedMiB,
    log: () => undefined,
  });
  const sent: DmMessage[] = [];
  const channel = {
    state: 'open',
    send(packet: OutgoingPacket) {
      const d = decodeDmMessage(packet.payload, 0, packet.payloadLength);
      if (!d.ok) throw new Error(`the guest sent a malformed message: ${d.detail}`);
      sent.push(d.value);
      return 'sent';
    },
  } as unknown as GuestChannel;
  const meter = new CostMeter();
  const packet = new IncomingPacket();
  const deliverBytes = (bytes: Uint8Array) => {
    packet.data = bytes;
    packet.payloadOffset = 0;
    packet.payloadLength = bytes.length;
    driver.onPacket(channel, packet, meter);
    driver.afterPacket(channel, meter);
  };
  const deliver = (m: DmMessage) => {
    const b = new Uint8Array(8192);
    deliverBytes(b.slice(0, encodeDmMessage(m, b, 0)));
  };
  const take = () => sent.splice(0, sent.length);
  const start = () => {
    driver.start(channel, meter);
  };
  const handshake = () => {
    start();
    deliver({ kind: 'versionResponse', transactionId: 1, isAccepted: true });
    deliver({ kind: 'capabilitiesResponse', transactionId: 2, isAccepted: true });
    take();
  };
  return {
    engine,
    memory,
    partition,
    ring: ring.value,
    driver,
    deliver,
    deliverBytes,
    take,
    start,
    handshake,
  };
}

const pagesOf = (ms: DmMessage[]) =>
  ms.flatMap((m) => (m.kind === 'balloonResponse' ? m.ranges : []));

describe('hv_balloon (the guest’s Dynamic Memory driver)', () => {
  it('rule 34: proposes protocol 2.0, then 1.0, then 0.3 as its last attempt', () => {
    const accepted = guest();
    accepted.handshake();
    expect(accepted.driver.version).toBe(DynmemProtocolVersion.WIN10);
    expect(accepted.driver.phase).toBe('ready');
    const older = guest();
    older.start();
    for (let i = 0; i < 3; i++)
      older.deliver({ kind: 'versionResponse', transactionId: 1, isAccepted: false });
    expect(
      older
        .take()
        .map((m) => (m.kind === 'versionRequest' ? [m.version, m.isLastAttempt] : m.kind)),
    ).toEqual([
      [DynmemProtocolVersion.WIN10, false],
      [DynmemProtocolVersion.WIN8, false],
      [DynmemProtocolVersion.WIN7, true],
    ]);
    expect(older.driver.phase).toBe('failed');
  });

  it('rule 34: reports its pressure once a second, counting the balloon and, on Linux, its floor', () => {
    const g = guest(1000);
    g.handshake();
    g.engine.runUntil(3_500_000_000);
    const reports = g.take();
    expect(reports.map((m) => m.kind)).toEqual(['statusReport', 'statusReport', 'statusReport']);
    const floor = linuxBalloonFloorPages(2048 * MiB);
    expect(reports[0]).toMatchObject({
      numCommitted: 1000 * MiB + floor,
      numAvailable: 1048 * MiB,
    });
  });

  it('rule 34: gives pages nobody uses, in 2 MiB units, never below its floor or into its working set', () => {
    const g = guest(1000);
    g.handshake();
    g.deliver({ kind: 'balloonRequest', transactionId: 3, numPages: 2000 * MiB });
    const responses = g.take();
    const ranges = pagesOf(responses);
    const given = ranges.reduce((s, r) => s + r.pageCount, 0);
    // 1048 MiB are not in the working set; 360 MiB of them are Linux's floor for 2 GiB
    const floor = linuxBalloonFloorPages(2048 * MiB);
    expect(given).toBe(1048 * MiB - floor - ((1048 * MiB - floor) % BALLOON_ALLOC_UNIT_PAGES));
    expect(given).toBe(g.driver.held.size);
    for (const r of ranges) {
      expect(r.pageCount).toBeLessThanOrEqual(BALLOON_ALLOC_UNIT_PAGES);
      expect(g.partition.isBacked(r.startPage, r.pageCount)).toBe(true);
      expect(g.ring.pfn + 10 <= r.startPage || r.startPage + r.pageCount <= g.ring.pfn).toBe(true);
    }
    responses.forEach((m, i) => {
      expect(m).toMatchObject({ kind: 'balloonResponse', morePages: i < responses.length - 1 });
      if (m.kind === 'balloonResponse')
        expect(m.ranges.length).toBeLessThanOrEqual(BALLOON_RESPONSE_MAX_RANGES);
    });
    // the driver changes nothing itself: the host unmaps the pages when the responses reach it
    expect(g.partition.assignedPages).toBe(2048 * MiB);
  });

  it('rule 34: takes back only pages it holds, and answers after the host’s last request', () => {
    const g = guest(1000, 'windows');
    g.handshake();
    g.deliver({ kind: 'balloonRequest', transactionId: 3, numPages: 512 * MiB });
    const held = pagesOf(g.take());
    expect(g.driver.held.size).toBe(512 * MiB);
    g.deliver({
      kind: 'unballoonRequest',
      transactionId: 4,
      morePages: true,
      ranges: held.slice(0, 10),
    });
    expect(g.take()).toEqual([]);
    g.deliver({
      kind: 'unballoonRequest',
      transactionId: 5,
      morePages: false,
      ranges: [...held.slice(10, 20), { startPage: 3, pageCount: 100 }], // 3+100: never ballooned
    });
    expect(g.take().map((m) => m.kind)).toEqual(['unballoonResponse']);
    expect(g.driver.held.size).toBe(512 * MiB - 20 * BALLOON_ALLOC_UNIT_PAGES);
  });

  it('rule 34: hot-adds a region at the top of installed memory, and refuses one anywhere else', () => {
    const g = guest();
    g.handshake();
    const top = 2048 * MiB;
    g.deliver({
      kind: 'hotAddRequest',
      transactionId: 6,
      range: { startPage: top + 4096, pageCount: 1000 },
      region: { startPage: 1000, pageCount: 32768 },
    });
    g.deliver({
      kind: 'hotAddRequest',
      transactionId: 7,
      range: { startPage: top, pageCount: 30000 },
      region: { startPage: top, pageCount: 32768 },
    });
    expect(g.take()).toMatchObject([
      { kind: 'hotAddResponse', pageCount: 0, result: 0 },
      { kind: 'hotAddResponse', pageCount: 30000, result: 1 },
    ]);
    expect(g.driver.pagesAdded - g.driver.pagesOnlined).toBe(2768);
  });

  it('never throws on hostile host messages, never changes memory itself, and answers only well-formed messages', () => {
    const host: fc.Arbitrary<Uint8Array> = fc.oneof(
      fc.uint8Array({ maxLength: 96 }),
      fc.nat({ max: 0xffff_ffff }).map((numPages) => {
        const b = new Uint8Array(16);
        encodeDmMessage({ kind: 'balloonRequest', transactionId: 1, numPages }, b, 0);
        return b;
      }),
      fc
        .array(
          fc.record({
            startPage: fc.nat({ max: 2 ** 40 - 1 }),
            pageCount: fc.nat({ max: 2 ** 24 - 1 }),
          }),
          { maxLength: 4 },
        )
        .chain((ranges) =>
          fc.boolean().map((morePages) => {
            const b = new Uint8Array(64);
            const n = encodeDmMessage(
              { kind: 'unballoonRequest', transactionId: 1, morePages, ranges },
              b,
              0,
            );
            return b.slice(0, n);
          }),
        ),
      fc
        .tuple(
          fc.nat({ max: 2 ** 40 - 1 }),
          fc.nat({ max: 2 ** 24 - 1 }),
          fc.option(fc.nat({ max: 2 ** 24 - 1 })),
        )
        .map(([startPage, pageCount, region]) => {
          const b = new Uint8Array(32);
          const n = encodeDmMessage(
            {
              kind: 'hotAddRequest',
              transactionId: 1,
              range: { startPage, pageCount },
              region: region === null ? undefined : { startPage: 2048 * MiB, pageCount: region },
            },
            b,
            0,
          );
          return b.slice(0, n);
        }),
    );
    fc.assert(
      fc.property(fc.array(host, { maxLength: 8 }), (messages) => {
        const g = guest(800);
        g.handshake();
        for (const m of messages)
          expect(() => {
            g.deliverBytes(m);
          }).not.toThrow();
        expect(g.partition.assignedPages).toBe(2048 * MiB);
        expect(g.partition.visiblePages).toBe(2048 * MiB);
        expect(g.driver.held.size).toBeLessThanOrEqual(2048 * MiB - 800 * MiB);
      }),
      { numRuns: 150 },
    );
  });
});
