import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decodeSynthhidMessage,
  encodeSynthhidMessage,
  HYPERV_MOUSE_PRODUCT_ID,
  HYPERV_MOUSE_VENDOR_ID,
  SYNTHHID_INPUT_VERSION,
} from '../../core/protocols/index.js';
import type { SynthhidMessage } from '../../core/protocols/index.js';
import { createVsp, fakeChannel, packet } from '../synthvid/fake-vsp.test-support.js';
import type { FakeChannel, FakeVsp } from '../synthvid/fake-vsp.test-support.js';
import { MOUSE_REPORT_BYTES, MOUSE_REPORT_DESCRIPTOR, synthhidVsp } from './index.js';

function bytes(m: SynthhidMessage): Uint8Array {
  const out = new Uint8Array(256);
  return out.slice(0, encodeSynthhidMessage(m, out, 0));
}

function replies(channel: FakeChannel): SynthhidMessage[] {
  return channel.sent.map((s) => {
    const r = decodeSynthhidMessage(s.payload, 0, s.payload.length);
    if (!r.ok) throw new Error(r.detail);
    return r.value;
  });
}

const REQUEST = bytes({ kind: 'protocolRequest', version: SYNTHHID_INPUT_VERSION });
const ACK = bytes({ kind: 'initialDeviceInfoAck' });

function open(): { vsp: FakeVsp; channel: FakeChannel } {
  const vsp = createVsp(synthhidVsp);
  const channel = fakeChannel();
  vsp.handlers.onChannelOpened?.(channel);
  return { vsp, channel };
}

const mouse = (vsp: FakeVsp, channel: FakeChannel, tag: number): void => {
  vsp.handlers.onHostEvent?.(channel, { type: 'input', kind: 'pointer', tag });
};

describe('synthhid VSP (hyperkata.synthhid)', () => {
  it("answers hid-hyperv's protocol request with approval and the device description", () => {
    const { vsp, channel } = open();
    vsp.handlers.onPacket(channel, packet(REQUEST, { transId: 1, completionRequested: true }));
    const [response, info] = replies(channel);
    expect(response).toEqual({
      kind: 'protocolResponse',
      version: SYNTHHID_INPUT_VERSION,
      approved: true,
    });
    expect(info).toMatchObject({
      kind: 'initialDeviceInfo',
      vendorId: HYPERV_MOUSE_VENDOR_ID,
      productId: HYPERV_MOUSE_PRODUCT_ID,
    });
    if (info.kind === 'initialDeviceInfo')
      expect(Array.from(info.reportDescriptor)).toEqual(Array.from(MOUSE_REPORT_DESCRIPTOR));
  });

  it('does not approve another protocol version, and describes no device', () => {
    const { vsp, channel } = open();
    vsp.handlers.onPacket(
      channel,
      packet(bytes({ kind: 'protocolRequest', version: 0x0001_0000 })),
    );
    expect(replies(channel)).toEqual([
      { kind: 'protocolResponse', version: 0x0001_0000, approved: false },
    ]);
  });

  it('turns each console event into one input report the guest must complete; early events wait for the ack', () => {
    const { vsp, channel } = open();
    mouse(vsp, channel, 1); // before the guest is ready
    vsp.handlers.onPacket(channel, packet(REQUEST));
    expect(replies(channel).map((m) => m.kind)).toEqual(['protocolResponse', 'initialDeviceInfo']);
    vsp.handlers.onPacket(channel, packet(ACK));
    mouse(vsp, channel, 2);
    mouse(vsp, channel, 3);
    const reports = channel.sent.slice(2);
    expect(reports).toHaveLength(3);
    for (const r of reports) {
      expect(r.completionRequested).toBe(true);
      const m = decodeSynthhidMessage(r.payload, 0, r.payload.length);
      expect(m.ok && m.value.kind === 'inputReport' && m.value.report.length).toBe(
        MOUSE_REPORT_BYTES,
      );
    }
    expect(new Set(reports.map((r) => r.transId)).size).toBe(3);
    for (const r of reports)
      vsp.handlers.onPacket(
        channel,
        packet(new Uint8Array(0), { kind: 'completion', transId: r.transId }),
      );
    expect(channel.failure).toBeNull();
  });

  it.each<[string, readonly Uint8Array[]]>([
    ['an acknowledgement before any device info', [ACK]],
    ['a second protocol request', [REQUEST, REQUEST]],
    ['a host message from the guest', [bytes({ kind: 'inputReport', report: new Uint8Array(6) })]],
    ['truncated bytes', [REQUEST.subarray(0, 10)]],
  ])('rules 37–38: %s stops the channel', (_what, payloads) => {
    const { vsp, channel } = open();
    for (const p of payloads) vsp.handlers.onPacket(channel, packet(p));
    expect(channel.failure).not.toBeNull();
  });

  it('rules 36–38: hostile bytes, packet kinds and events never make it throw, reply nonsense or touch guest memory', () => {
    const hostile = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc.constantFrom(REQUEST, ACK).chain((b) =>
        fc.tuple(fc.nat({ max: b.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
          const c = b.slice();
          c[at] = v;
          return c;
        }),
      ),
      fc.constantFrom(REQUEST, ACK),
    );
    const step = fc.oneof(
      fc.record({
        payload: hostile,
        kind: fc.constantFrom('inband' as const, 'completion' as const, 'gpa-direct' as const),
        transId: fc.integer({ min: -1, max: 0xffff }),
        completionRequested: fc.boolean(),
      }),
      fc.constant('event' as const),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 30 }), (steps) => {
        const { vsp, channel } = open();
        for (const s of steps) {
          expect(() => {
            if (s === 'event') mouse(vsp, channel, 1);
            else vsp.handlers.onPacket(channel, packet(s.payload, s));
          }).not.toThrow();
        }
        expect(() => replies(channel)).not.toThrow();
        expect(channel.memoryAccesses).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
