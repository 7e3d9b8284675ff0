/**
 * Rule 37 (what a correct parser rejects) and rule 38 (a bad packet stops that channel; the host
 * and the other VMs keep running), each rejection by name, then hostile guests by property.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { VmscsiRequestOffset, VSTOR_PACKET_HEADER_SIZE } from '../../core/protocols/index.js';
import type { VspPacket } from '../sdk/index.js';
import {
  expectChannelFailed,
  expectChannelOpen,
  expectNoPluginFaults,
  hostilePacket,
  hostileStoragePacket,
} from '../sdk/testing/index.js';
import type { FakeChannel, StorageGuest, VspTestHarness } from '../sdk/testing/index.js';
import { readyGuest, secondGuest } from './storvsp.test-support.js';

const READ = { kind: 'read16', lba: 0, blocks: 8, fua: false, dpo: false } as const;
const SRB = VSTOR_PACKET_HEADER_SIZE;

/** A well-formed 4 KiB read, then `change` applied to the packet the guest sends. */
function readWith(guest: StorageGuest, change: (p: VspPacket) => Partial<VspPacket>): VspPacket {
  const { packet } = guest.srbPacket({ command: READ });
  return { ...packet, ...change(packet) };
}

function withByte(payload: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = payload.slice();
  copy[offset] = value;
  return copy;
}

const REJECTIONS: [string, RegExp, (g: StorageGuest) => VspPacket][] = [
  [
    'a completion sent by the guest',
    /unexpected-packet-type/,
    (g) => readWith(g, () => ({ kind: 'completion' })),
  ],
  [
    'a request that is not transactional',
    /not-transactional/,
    (g) => readWith(g, () => ({ completionRequested: false })),
  ],
  [
    'an unknown operation',
    /unknown-type/,
    (g) => readWith(g, (p) => ({ payload: withByte(p.payload, 0, 0x63) })),
  ],
  [
    'an operation a guest may not send (COMPLETE_IO)',
    /unsupported-type/,
    (g) => readWith(g, (p) => ({ payload: withByte(p.payload, 0, 1) })),
  ],
  [
    'a GPA-direct packet with no ranges',
    /GPA-direct packet with no ranges/,
    (g) => readWith(g, () => ({ ranges: [] })),
  ],
  [
    'a data range shorter than the transfer',
    /data-range-too-short/,
    (g) => readWith(g, (p) => ({ ranges: [{ ...p.ranges[0], byteCount: 4095 }] })),
  ],
  [
    'an in-band request with a data transfer (no memory supplied)',
    /data-range-too-short/,
    (g) => readWith(g, () => ({ kind: 'inband', ranges: [] })),
  ],
  [
    'more than one data range',
    /count-out-of-range/,
    (g) => readWith(g, (p) => ({ ranges: [p.ranges[0], p.ranges[0]] })),
  ],
  [
    'a malformed page range (offset past the page)',
    /malformed page range/,
    (g) => readWith(g, (p) => ({ ranges: [{ ...p.ranges[0], byteOffset: 4096 }] })),
  ],
  [
    'a page range with fewer pages than its bytes span',
    /malformed page range/,
    (g) =>
      readWith(g, (p) => ({
        ranges: [{ ...p.ranges[0], byteOffset: 8, pfns: p.ranges[0].pfns.slice(0, 1) }],
      })),
  ],
  [
    'a truncated EXECUTE_SRB',
    /truncated/,
    (g) => readWith(g, (p) => ({ payload: p.payload.slice(0, 40) })),
  ],
  [
    'a CDB length past the 16-byte CDB',
    /cdb_length/,
    (g) =>
      readWith(g, (p) => ({
        payload: withByte(p.payload, SRB + VmscsiRequestOffset.CDB_LENGTH, 17),
      })),
  ],
  [
    'a direction the protocol does not define',
    /data_in/,
    (g) =>
      readWith(g, (p) => ({ payload: withByte(p.payload, SRB + VmscsiRequestOffset.DATA_IN, 7) })),
  ],
  ['a trans_id the host cannot echo', /trans_id/, (g) => readWith(g, () => ({ transId: -1 }))],
];

describe('storvsp: rule 37 rejections stop the channel (rule 38)', () => {
  it.each(REJECTIONS)('rule 37: rejects %s', (_name, reason, build) => {
    const { h, channel, guest } = readyGuest();
    const victim = secondGuest(h, 'web01');
    const before = channel.completionCount;
    h.deliver(channel, build(guest));
    h.settle();
    expectChannelFailed(channel, reason);
    expect(channel.completionCount).toBe(before); // nothing answered for a violation
    expect(h.deviceRequests).toHaveLength(0);
    expectNoPluginFaults(h);
    // rule 38: the other VM's disk keeps working.
    const { transId } = victim.guest.executeSrb({ command: READ });
    h.settle();
    expect(victim.guest.completion(transId).srbStatus).toBe(0x01);
    expectChannelOpen(victim.channel);
  });

  it('rule 37: a well-formed read with the same packet shape is accepted (the cases above can pass)', () => {
    const { h, channel, guest } = readyGuest();
    const packet = readWith(guest, () => ({}));
    h.deliver(channel, packet);
    h.settle();
    expect(guest.completion(packet.transId).srbStatus).toBe(0x01);
  });
});

// ── Hostile guests, by property ───────────────────────────────────────────────────────────────

const PAGES = 4096;

/** What rule 37 says about a packet's descriptor and range, decided independently of storvsp. */
function mustFail(p: VspPacket): boolean {
  if (p.kind === 'completion' || !p.completionRequested) return true;
  if (!Number.isSafeInteger(p.transId) || p.transId < 0) return true;
  if (p.kind === 'gpa-direct' && p.ranges.length === 0) return true;
  const op =
    p.payload.length >= 4
      ? new DataView(p.payload.buffer, p.payload.byteOffset).getUint32(0, true)
      : -1;
  if (op === 3 && p.payload.length >= 64) {
    const dtl = new DataView(p.payload.buffer, p.payload.byteOffset).getUint32(SRB + 12, true);
    const ranges = p.kind === 'gpa-direct' ? p.ranges : [];
    if (ranges.length > 1) return true;
    const bytes = ranges.length === 1 ? ranges[0].byteCount : 0;
    if (dtl > bytes) return true;
  }
  return false;
}

/** A well-formed EXECUTE_SRB whose one range is sound and fits its transfer: storvsp must answer. */
function mustAnswer(p: VspPacket): boolean {
  if (mustFail(p) || p.payload.length !== 64) return false;
  const v = new DataView(p.payload.buffer, p.payload.byteOffset);
  if (v.getUint32(0, true) !== 3) return false;
  const cdbLength = p.payload[SRB + VmscsiRequestOffset.CDB_LENGTH];
  const senseLength = p.payload[SRB + VmscsiRequestOffset.SENSE_INFO_LENGTH];
  const dataIn = p.payload[SRB + VmscsiRequestOffset.DATA_IN];
  if (cdbLength > 16 || senseLength > 20 || dataIn > 2) return false;
  return p.ranges.every(
    (r) =>
      r.byteCount > 0 &&
      r.byteOffset >= 0 &&
      r.byteOffset < 4096 &&
      r.pfns.length >= Math.ceil((r.byteOffset + r.byteCount) / 4096) &&
      r.pfns.every((pfn) => Number.isSafeInteger(pfn) && pfn >= 0),
  );
}

function deliverAll(h: VspTestHarness, channel: FakeChannel, packets: readonly VspPacket[]): void {
  for (const p of packets) h.deliver(channel, p);
  h.settle();
}

describe('storvsp: hostile guests (rules 36–38)', () => {
  const storagePackets = fc.array(hostileStoragePacket(PAGES), { minLength: 1, maxLength: 6 });
  const anyPackets = fc.array(hostilePacket(PAGES), { minLength: 1, maxLength: 6 });

  it.each([
    [
      'malformed storage requests (operations, lengths, CDBs, LUNs, page lists, trans_ids)',
      storagePackets,
    ],
    ['packets with every descriptor field hostile', anyPackets],
  ])(
    'rule 38: %s never throw out of storvsp, never touch unsanctioned memory, each answered or the channel stopped',
    (_n, packets) => {
      fc.assert(
        fc.property(packets, (list) => {
          const { h, channel } = readyGuest({ guestPages: PAGES });
          const victim = secondGuest(h, 'web01');
          deliverAll(h, channel, list);
          expectNoPluginFaults(h); // no throw, no plugin-blamed isolation fault, no bad charge
          if (channel.state === 'open') expect(channel.unanswered).toBe(0);
          expect(channel.strayCompletions).toEqual([]);
          expectChannelOpen(victim.channel);
        }),
        { numRuns: 300 },
      );
    },
  );

  it('rule 37: a packet rule 37 rejects stops the channel unanswered; sound requests before it are answered', () => {
    fc.assert(
      fc.property(storagePackets, (list) => {
        const { h, channel } = readyGuest({ guestPages: PAGES });
        const firstBad = list.findIndex(mustFail);
        for (let i = 0; i < list.length; i++) {
          const open = channel.state === 'open';
          const before = channel.completionCount;
          h.deliver(channel, list[i]);
          h.settle();
          if (!open) continue;
          if (i === firstBad) {
            expect(channel.state).toBe('failed');
            expect(channel.completionCount).toBe(before);
          }
          if (mustAnswer(list[i]) && (firstBad < 0 || i < firstBad)) {
            expect(channel.state).toBe('open');
            expect(channel.completions.some((c) => c.transId === list[i].transId)).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("rule 36: only the guest's own bad page lists are refused by the isolation boundary", () => {
    fc.assert(
      fc.property(storagePackets, (list) => {
        const { h, channel } = readyGuest({ guestPages: PAGES });
        deliverAll(h, channel, list);
        for (const f of h.isolationFaults) expect(f.blame).toBe('guest');
      }),
      { numRuns: 200 },
    );
  });
});
