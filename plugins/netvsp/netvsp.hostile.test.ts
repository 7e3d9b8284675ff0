/**
 * A hostile guest against netvsp (rules 36–38): malformed NVSP and RNDIS, section indices and
 * lengths out of range, GPADL handles of other channels, forged trans_ids and page lists. netvsp
 * must never throw, never touch memory the channel was not granted, and answer each message either
 * with a protocol status or by stopping that channel — while other guests' adapters keep working.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  NETVSC_INVALID_SECTION_INDEX,
  NvspStatus,
  RndisChannelType,
} from '../../core/protocols/index.js';
import { netvspModule } from './netvsp.js';
import { FakeChannel, GUEST_PAGES, packetOf } from './testing/fake-host.js';
import type { SentPacket } from './testing/fake-host.js';
import {
  decodeSent,
  nvsp,
  readyGuest,
  RECEIVE_BYTES,
  RECEIVE_GPADL,
  SEND_BYTES,
  SEND_GPADL,
  SEND_SECTION,
} from './testing/guest.js';
import type { ScriptedGuest } from './testing/guest.js';

const SEND_SECTIONS = Math.floor(SEND_BYTES / SEND_SECTION);
const RUNS = { numRuns: 150 };

/** A second VM's adapter on the same netvsp instance: its GPADLs must stay out of reach. */
function neighbour(g: ScriptedGuest): { channel: FakeChannel; snapshot: () => string } {
  const channel = new FakeChannel(50, 'vm2', 'eth0', 0, 2);
  const recv = new Uint8Array(RECEIVE_BYTES).fill(0xa5);
  const send = new Uint8Array(SEND_BYTES).fill(0x5a);
  channel.memory.gpadls.set(0x1000, recv);
  channel.memory.gpadls.set(0x1001, send);
  g.vsp.handlers.onChannelOpened?.(channel);
  return {
    channel,
    snapshot: () => `${recv.every((b) => b === 0xa5)}/${send.every((b) => b === 0x5a)}`,
  };
}

/** Every packet netvsp sent is one the core could write: a known kind with NVSP inside. */
function wellFormed(sent: readonly SentPacket[]): boolean {
  return sent.every((p) => {
    if (p.type === 'transfer-pages')
      return p.ranges.every((r) => r.byteOffset + r.byteCount <= RECEIVE_BYTES);
    return decodeSent(p) !== null;
  });
}

const packetKind = fc.constantFrom('inband' as const, 'gpa-direct' as const, 'completion' as const);
const range = fc.record({
  byteCount: fc.integer({ min: 0, max: 0x1_0000 }),
  byteOffset: fc.integer({ min: 0, max: 4095 }),
  pfns: fc.array(fc.oneof(fc.integer({ min: 0, max: GUEST_PAGES + 10 }), fc.constant(-1)), {
    maxLength: 4,
  }),
});

describe('netvsp under a hostile guest (rules 36–38)', () => {
  it('rules 37–38: arbitrary bytes as any packet never throw; netvsp answers or stops only that channel', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 96 }),
        packetKind,
        fc.oneof(fc.nat(), fc.constant(-1), fc.constant(0x1_0000_0001)),
        fc.boolean(),
        fc.array(range, { maxLength: 3 }),
        (payload, kind, transId, completionRequested, ranges) => {
          const g = readyGuest(netvspModule());
          const other = neighbour(g);
          const before = other.snapshot();
          expect(() => {
            g.vsp.handlers.onPacket(
              g.primary,
              packetOf(kind, payload, { transId, completionRequested, ranges }),
            );
          }).not.toThrow();
          expect(wellFormed(g.primary.take())).toBe(true);
          expect(other.channel.failed).toBeNull();
          expect(other.snapshot()).toBe(before);
        },
      ),
      RUNS,
    );
  });

  it('rule 37: a send section index or size outside the send buffer stops the channel; a good one is used', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(0xffff_fffe)),
        fc.integer({ min: 0, max: 20_000 }),
        (section, size) => {
          const g = readyGuest(netvspModule());
          g.nvsp({
            kind: 'sendRndisPacket',
            channelType: RndisChannelType.DATA,
            sendBufferSectionIndex: section,
            sendBufferSectionSize: size,
          });
          const outside = section >= SEND_SECTIONS || size > SEND_SECTION;
          expect(g.primary.failed !== null).toBe(outside);
          // Whatever went to the wire stayed inside the named section.
          for (const t of g.vsp.port.transmits) expect(t.bytes).toBeLessThanOrEqual(SEND_SECTION);
        },
      ),
      RUNS,
    );
  });

  it("rule 36: buffers named by another channel's or an unknown GPADL handle are refused and never read", () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.constantFrom(0x1000, 0x1001), fc.nat()),
        fc.boolean(),
        (handle, receive) => {
          const g = readyGuest(netvspModule());
          const other = neighbour(g);
          const fresh = new FakeChannel(60, 'vm3', 'eth1', 0, 2);
          g.vsp.handlers.onChannelOpened?.(fresh);
          g.vsp.handlers.onPacket(
            fresh,
            packetOf(
              'inband',
              nvsp({ kind: 'init', minProtocolVersion: 0x60001, maxProtocolVersion: 0x60001 }),
            ),
          );
          fresh.take();
          g.vsp.handlers.onPacket(
            fresh,
            packetOf(
              'inband',
              nvsp(
                receive
                  ? { kind: 'sendReceiveBuffer', gpadlHandle: handle, id: 0xcafe }
                  : { kind: 'sendSendBuffer', gpadlHandle: handle, id: 0 },
              ),
            ),
          );
          const [answer] = fresh.take();
          expect(decodeSent(answer)).toMatchObject({ status: NvspStatus.FAILURE });
          expect(other.snapshot()).toBe('true/true');
          // The frame-received path has nowhere to write: dropped, not written elsewhere.
          g.vsp.handlers.onHostEvent?.(fresh, { type: 'frame-received', bytes: 100, tag: 1 });
          expect(fresh.take()).toEqual([]);
          expect(other.snapshot()).toBe('true/true');
        },
      ),
      RUNS,
    );
  });

  it('rule 37: completions of transfer pages never lent (forged trans_ids) stop the channel; real ones do not', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 200 }), (forged) => {
        const g = readyGuest(netvspModule());
        g.vsp.handlers.onHostEvent?.(g.primary, { type: 'frame-received', bytes: 300, tag: 3 });
        const [lent] = g.primary.take();
        g.vsp.handlers.onPacket(
          g.primary,
          packetOf('completion', nvsp({ kind: 'sendRndisPacketComplete', status: 1 }), {
            transId: forged,
            completionRequested: false,
          }),
        );
        expect(g.primary.failed !== null).toBe(forged !== lent.transId);
      }),
      RUNS,
    );
  });

  it('rules 36–37: hostile RNDIS content in a valid section is answered, never trusted: frames on the wire stay within the section', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: SEND_SECTIONS - 1 }),
        fc.uint8Array({ minLength: 8, maxLength: 200 }),
        fc.integer({ min: 8, max: SEND_SECTION }),
        fc.constantFrom(RndisChannelType.DATA, RndisChannelType.CONTROL),
        (section, bytes, declared, channelType) => {
          const g = readyGuest(netvspModule());
          const send = g.primary.memory.gpadls.get(SEND_GPADL) ?? new Uint8Array(0);
          send.set(bytes, section * SEND_SECTION);
          const answered = g.nvsp(
            {
              kind: 'sendRndisPacket',
              channelType,
              sendBufferSectionIndex: section,
              sendBufferSectionSize: declared,
            },
            { transId: 77 },
          );
          expect(g.primary.failed).toBeNull();
          for (const t of g.vsp.port.transmits) {
            expect(t.bytes).toBeGreaterThanOrEqual(14);
            expect(t.bytes).toBeLessThanOrEqual(declared);
          }
          if (g.vsp.port.transmits.length === 0) {
            const statuses = answered
              .filter((p) => p.type === 'completion')
              .map((p) => decodeSent(p));
            expect(statuses.length).toBe(1);
            expect([
              NvspStatus.SUCCESS,
              NvspStatus.FAILURE,
              NvspStatus.INVALID_RNDIS_PACKET,
            ]).toContain(statuses[0] !== null && 'status' in statuses[0] ? statuses[0].status : -1);
          }
        },
      ),
      RUNS,
    );
  });

  it('rule 37: GPA-direct sends with page ranges outside the guest stop the channel', () => {
    const g = readyGuest(netvspModule());
    g.vsp.handlers.onPacket(
      g.primary,
      packetOf(
        'gpa-direct',
        nvsp({
          kind: 'sendRndisPacket',
          channelType: RndisChannelType.DATA,
          sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
          sendBufferSectionSize: 0,
        }),
        { ranges: [{ byteCount: 1600, byteOffset: 0, pfns: [GUEST_PAGES + 1] }] },
      ),
    );
    expect(g.primary.failed).toMatch(/page ranges refused/);
    expect(g.vsp.port.transmits).toEqual([]);
  });

  it('rule 37: requests that are not transactional, host-only messages and setup on a subchannel stop the channel', () => {
    const a = readyGuest(netvspModule());
    a.nvsp({ kind: 'sendSendBuffer', gpadlHandle: SEND_GPADL, id: 0 }, { completion: false });
    expect(a.primary.failed).toMatch(/not transactional/);

    const b = readyGuest(netvspModule());
    b.nvsp({ kind: 'sendVfAssociation', allocated: true, serial: 1 });
    expect(b.primary.failed).toMatch(/host's NVSP message/);

    const c = readyGuest(netvspModule(), { guestVps: 4 });
    c.nvsp({ kind: 'subchannelRequest', operation: 1, numSubChannels: 1 });
    const sub = c.openSubchannel(1);
    c.nvsp({ kind: 'sendReceiveBuffer', gpadlHandle: RECEIVE_GPADL, id: 0xcafe }, { channel: sub });
    expect(sub.failed).toMatch(/subchannel/);
    expect(c.primary.failed).toBeNull();
  });

  it('rule 38: a stopped channel does not stop other guests: their frames still flow', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 4, maxLength: 64 }), (garbage) => {
        const g = readyGuest(netvspModule());
        const other = readyGuest(netvspModule(), { sameVspAs: g, vm: 'vm2' });
        // A message type no NVSP version defines.
        garbage.set([0xff, 0xff, 0x00, 0x00], 0);
        g.vsp.handlers.onPacket(g.primary, packetOf('inband', garbage));
        expect(g.primary.failed).toMatch(/malformed NVSP/);
        g.vsp.handlers.onHostEvent?.(other.primary, { type: 'frame-received', bytes: 500, tag: 9 });
        const [lent] = other.primary.take();
        expect(lent.type).toBe('transfer-pages');
        const frame = other.receive(lent);
        expect(frame?.kind).toBe('packet');
        expect(other.primary.failed).toBeNull();
      }),
      { numRuns: 25 },
    );
  });
});
