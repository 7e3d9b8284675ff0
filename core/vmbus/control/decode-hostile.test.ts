import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_SIZE_CHANNEL_MESSAGE } from './constants.js';
import { decodeChannelMessage, type ChannelMessageRejectionReason } from './decode.js';
import { encodeChannelMessage } from './encode.js';
import {
  channelMessageMinBytes,
  channelMessageSender,
  ChannelMessageType as T,
} from './message-types.js';
import type { ChannelMessage } from './messages.js';
import { anyChannelMessage, messageArbitraries } from './test-arbitraries.js';

const SENTINEL = 0xcc;

/** A view of `backing` that records every indexed read. */
function watched(backing: Uint8Array, touched: number[]): Uint8Array {
  return new Proxy(backing, {
    get(target, prop) {
      if (typeof prop === 'string' && /^\d+$/.test(prop)) touched.push(Number(prop));
      return Reflect.get(target, prop, target) as unknown;
    },
  });
}

function encoded(message: ChannelMessage): Uint8Array {
  const buffer = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
  return buffer.slice(0, encodeChannelMessage(message, buffer));
}

function reasonOf(
  bytes: Uint8Array,
  from?: 'guest' | 'host',
): ChannelMessageRejectionReason | 'accepted' {
  const r = decodeChannelMessage(bytes, 0, bytes.length, from === undefined ? {} : { from });
  return r.ok ? 'accepted' : r.reason;
}

const mutation = fc.oneof(
  fc.record({
    kind: fc.constant('flip' as const),
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), value: fc.constant(0) }),
  fc.record({
    kind: fc.constant('extend' as const),
    at: fc.nat({ max: 240 }),
    value: fc.integer({ min: 0, max: 255 }),
  }),
);

function mutate(
  bytes: Uint8Array,
  mutations: readonly { kind: string; at: number; value: number }[],
): Uint8Array {
  let out = bytes.slice();
  for (const m of mutations) {
    if (m.kind === 'flip' && out.length > 0) out[m.at % out.length] = m.value;
    if (m.kind === 'truncate') out = out.slice(0, m.at % (out.length + 1));
    if (m.kind === 'extend') {
      const longer = new Uint8Array(Math.min(out.length + m.at, 260)).fill(m.value);
      longer.set(out.subarray(0, longer.length));
      out = longer;
    }
  }
  return out;
}

describe('rule 36: hostile bytes never break the decoder', () => {
  it('never throws and never reads outside [offset, offset + length) of a larger sentinel-filled buffer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat({ max: 64 }),
        fc.nat({ max: 64 }),
        fc.integer({ min: -4, max: 4 }),
        (payload, before, after, lengthSkew) => {
          const backing = new Uint8Array(before + payload.length + after).fill(SENTINEL);
          backing.set(payload, before);
          const touched: number[] = [];
          const length = payload.length + lengthSkew;
          const result = decodeChannelMessage(watched(backing, touched), before, length);
          const lo = before;
          const hi = before + Math.max(length, 0);
          expect(touched.every((i) => i >= lo && i < hi)).toBe(true);
          if (length >= 0 && hi <= backing.length) {
            // Same answer as decoding an exact copy: the bytes around the window never matter.
            expect(result).toEqual(decodeChannelMessage(backing.slice(lo, hi), 0, length));
            // Each guest byte is fetched once, then only the copy is examined (no double fetch).
            const once =
              length <= MAX_SIZE_CHANNEL_MESSAGE ? Array.from({ length }, (_, i) => lo + i) : [];
            expect(touched).toEqual(once);
          } else {
            expect(result).toMatchObject({ ok: false, reason: 'out-of-bounds' });
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never throws on mutated valid messages, and whatever it accepts re-encodes to the same message', () => {
    fc.assert(
      fc.property(anyChannelMessage, fc.array(mutation, { maxLength: 6 }), (message, mutations) => {
        const bytes = mutate(encoded(message), mutations);
        const result = decodeChannelMessage(bytes, 0, bytes.length);
        if (!result.ok) return;
        const again = encoded(result.value);
        expect(again.length).toBeLessThanOrEqual(bytes.length);
        expect(decodeChannelMessage(again, 0, again.length)).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });

  it('copies before it validates: changing the slot afterwards does not change the decoded message', () => {
    const userDef = new Uint8Array(120).fill(7);
    const bytes = encoded({
      type: T.OFFERCHANNEL,
      offer: {
        ifType: 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
        ifInstance: 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
        chnFlags: 0,
        mmioMegabytes: 0,
        userDef,
        subChannelIndex: 0,
      },
      childRelid: 3,
      monitorId: 0,
      monitorAllocated: false,
      isDedicatedInterrupt: true,
      connectionId: 3,
    });
    const result = decodeChannelMessage(bytes, 0, bytes.length);
    bytes.fill(0xff);
    expect(result.ok && result.value.type === T.OFFERCHANNEL && result.value.offer.userDef).toEqual(
      userDef,
    );
  });
});

describe('rule 37: the decoder rejects what Linux and openvmm reject', () => {
  it('rejects message types nobody defines, and 18–20 which the model does not carry', () => {
    for (const type of [0, 18, 19, 20, 25, 29, 0x8000_0001, 0xffff_ffff]) {
      const bytes = new Uint8Array(64);
      new DataView(bytes.buffer).setUint32(0, type, true);
      expect(reasonOf(bytes)).toBe('unknown-type');
    }
  });

  it('rejects anything shorter than the header', () => {
    for (let n = 0; n < 8; n++) expect(reasonOf(new Uint8Array(n))).toBe('truncated');
  });

  for (const [name, arbitrary] of Object.entries(messageArbitraries)) {
    it(`rejects a ${name} one byte shorter than its struct`, () => {
      const [sample] = fc.sample(arbitrary, { numRuns: 1, seed: 11 });
      const min = channelMessageMinBytes(sample.type) ?? 0;
      const bytes = encoded(sample);
      expect(reasonOf(bytes.slice(0, min - 1))).toBe('truncated');
      expect(reasonOf(bytes.slice(0, Math.max(min, 8)))).not.toBe('truncated');
    });
  }

  it('rejects more than a SynIC payload (rule 10)', () => {
    const bytes = new Uint8Array(241);
    bytes[0] = T.REQUESTOFFERS;
    expect(reasonOf(bytes)).toBe('too-long');
    expect(reasonOf(bytes.subarray(0, 240))).toBe('accepted');
  });

  it('accepts bytes past the struct and ignores them (newer peers and UEFI pad)', () => {
    const bytes = new Uint8Array(240).fill(0xab);
    bytes.set(encoded({ type: T.RESCIND_CHANNELOFFER, childRelid: 9 }));
    expect(decodeChannelMessage(bytes, 0, 240)).toEqual({
      ok: true,
      value: { type: T.RESCIND_CHANNELOFFER, childRelid: 9 },
    });
  });

  it('rejects a message its sender never sends when told who sent it', () => {
    for (const [name, arbitrary] of Object.entries(messageArbitraries)) {
      const [sample] = fc.sample(arbitrary, { numRuns: 1, seed: 3 });
      const sender = channelMessageSender(sample.type);
      const other = sender === 'guest' ? 'host' : 'guest';
      expect([name, reasonOf(encoded(sample), other)]).toEqual([name, 'wrong-direction']);
      expect([name, reasonOf(encoded(sample), sender)]).toEqual([name, 'accepted']);
    }
  });

  it('rejects a GPADL_HEADER whose rangecount or range_buflen cannot describe a page', () => {
    const h = encoded({
      type: T.GPADL_HEADER,
      childRelid: 1,
      gpadl: 1,
      rangeBufLen: 16,
      rangeCount: 1,
      byteCount: 4096,
      byteOffset: 0,
      pfns: [5],
    });
    const zeroRanges = h.slice();
    zeroRanges[18] = 0;
    expect(reasonOf(zeroRanges)).toBe('gpadl-range-count');
    for (const rangeBufLen of [0, 8, 17, 23]) {
      const bad = h.slice();
      bad[16] = rangeBufLen;
      expect([rangeBufLen, reasonOf(bad)]).toEqual([rangeBufLen, 'gpadl-range-buflen']);
    }
  });

  it('reads no more GPADL_HEADER words than range_buflen holds, and whole words only', () => {
    const h = encoded({
      type: T.GPADL_HEADER,
      childRelid: 1,
      gpadl: 1,
      rangeBufLen: 24,
      rangeCount: 1,
      byteCount: 8192,
      byteOffset: 0,
      pfns: [5, 6],
    });
    const padded = new Uint8Array(235).fill(0x11);
    padded.set(h);
    const r = decodeChannelMessage(padded, 0, padded.length);
    expect(r.ok && r.value.type === T.GPADL_HEADER && r.value.pfns).toEqual([5, 6]);
    const body = encoded({ type: T.GPADL_BODY, msgNumber: 0, gpadl: 1, pfns: [1, 2] });
    const ragged = decodeChannelMessage(body, 0, body.length - 3);
    expect(ragged.ok && ragged.value.type === T.GPADL_BODY && ragged.value.pfns).toEqual([1]);
  });

  it('rejects GPADL words no guest page number can have (above 2^53 − 1)', () => {
    const body = encoded({ type: T.GPADL_BODY, msgNumber: 0, gpadl: 1, pfns: [1, 2] });
    body[16 + 8 + 7] = 0x01; // second word's top byte → ≥ 2^56
    expect(reasonOf(body)).toBe('pfn-out-of-range');
    const header = encoded({
      type: T.GPADL_HEADER,
      childRelid: 1,
      gpadl: 1,
      rangeBufLen: 16,
      rangeCount: 1,
      byteCount: 4096,
      byteOffset: 0,
      pfns: [Number.MAX_SAFE_INTEGER],
    });
    expect(reasonOf(header)).toBe('accepted');
    header[28 + 6] = 0x20; // 2^53
    expect(reasonOf(header)).toBe('pfn-out-of-range');
  });

  it('rejects an offer whose allocated monitor id is past the 128 slots of a monitor page', () => {
    const [offer] = fc.sample(messageArbitraries.OFFERCHANNEL, { numRuns: 1, seed: 5 });
    const bytes = encoded(offer);
    bytes[188] = 128;
    bytes[189] = 1;
    expect(reasonOf(bytes)).toBe('monitor-id-out-of-range');
    bytes[189] = 0; // not allocated: the id is not used
    expect(reasonOf(bytes)).toBe('accepted');
  });
});
