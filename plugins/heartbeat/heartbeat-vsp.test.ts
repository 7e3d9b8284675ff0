import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decodeIcMessage,
  encodeIcMessage,
  heartbeatResponse,
  IcMessageFlags,
  negotiateIcVersions,
} from '../../core/protocols/index.js';
import type { IcMessage } from '../../core/protocols/index.js';
import { HEARTBEAT_PERIOD_NS } from '../../core/root/vmms.js';
import { BUILT_IN_VSPS } from '../index.js';
import { FakeChannel, fakeVsp, hostEvent, inband } from '../testing/fake-vsp-host.js';

const module = BUILT_IN_VSPS.find((m) => m.id === 'hyperkata.heartbeat');
if (module === undefined) throw new Error('heartbeat is not a built-in');

function decode(bytes: Uint8Array): IcMessage {
  const d = decodeIcMessage(bytes, 0, bytes.length);
  if (!d.ok) throw new Error(d.detail);
  return d.value;
}

function encode(m: IcMessage): Uint8Array {
  const b = new Uint8Array(512);
  return b.slice(0, encodeIcMessage(m, b, 0));
}

/** A channel whose guest has answered the host's NEGOTIATE the way Linux does. */
function negotiated() {
  const { handlers, record } = fakeVsp(module as NonNullable<typeof module>);
  const channel = new FakeChannel(3, 'web01', 'heartbeat');
  handlers.onChannelOpened?.(channel);
  const [offer] = channel.takeSent();
  const request = decode(offer.payload);
  handlers.onPacket(channel, inband(encode(negotiateIcVersions(request).response), offer.transId));
  return { handlers, record, channel, request };
}

describe('hyperkata.heartbeat (host side of the heartbeat integration service)', () => {
  it('negotiates IC framework and heartbeat versions, then beats every HEARTBEAT_PERIOD_NS', () => {
    const { channel, record, request } = negotiated();
    expect(request.body.kind).toBe('negotiate');
    expect(request.header.flags).toBe(IcMessageFlags.TRANSACTION | IcMessageFlags.REQUEST);
    const [first] = channel.takeSent();
    const beat = decode(first.payload);
    expect(beat.body).toEqual({ kind: 'heartbeat', sequenceNumber: 0n });
    // Linux picks 3.0 of both and the host speaks it from then on.
    expect(beat.header.frameworkVersion).toEqual({ major: 3, minor: 0 });
    expect(beat.header.messageVersion).toEqual({ major: 3, minor: 0 });
    expect(record.timers.map((t) => t.delayNs)).toEqual([HEARTBEAT_PERIOD_NS]);
  });

  it('tells VMMS the guest is alive only for an answer carrying seq_num + 1', () => {
    const { handlers, channel, record } = negotiated();
    const [first] = channel.takeSent();
    const request = decode(first.payload);
    const stale: IcMessage = {
      ...heartbeatResponse(request),
      body: { kind: 'heartbeat', sequenceNumber: 7n },
    };
    handlers.onPacket(channel, inband(encode(stale), first.transId));
    expect(record.heartbeats).toEqual([]);
    handlers.onPacket(channel, inband(encode(heartbeatResponse(request)), first.transId));
    expect(record.heartbeats.map((h) => h.sequence)).toEqual([1]);
    // the timer fires: the next request carries the next sequence number
    hostEvent(handlers, channel, { type: 'timer', tag: record.timers[0].tag });
    const next = decode(channel.takeSent()[0].payload);
    expect(next.body).toEqual({ kind: 'heartbeat', sequenceNumber: 1n });
    expect(channel.failure).toBeNull();
  });

  it('does not beat a guest that has no version in common', () => {
    const { handlers, record } = fakeVsp(module);
    const channel = new FakeChannel(3, 'old01', 'heartbeat');
    handlers.onChannelOpened?.(channel);
    const request = decode(channel.takeSent()[0].payload);
    const none = negotiateIcVersions(request, [{ major: 9, minor: 0 }]).response;
    handlers.onPacket(channel, inband(encode(none)));
    expect(channel.sent).toEqual([]);
    expect(record.timers).toEqual([]);
  });

  it('rule 38: stops the channel on a malformed message, a non-response or a non-in-band packet', () => {
    const { handlers, channel } = negotiated();
    handlers.onPacket(channel, inband(new Uint8Array([1, 2, 3])));
    expect(channel.failure).toMatch(/malformed IC message/);
    const second = negotiated();
    const request = decode(second.channel.takeSent()[0].payload);
    second.handlers.onPacket(second.channel, inband(encode(request))); // echoes a request
    expect(second.channel.failure).toMatch(/not a transaction response/);
    const third = negotiated();
    third.handlers.onPacket(third.channel, { ...inband(new Uint8Array(68)), kind: 'completion' });
    expect(third.channel.failure).toMatch(/in-band/);
  });

  it('rules 36–38: hostile bytes never throw, never touch guest memory and never count as a beat', () => {
    const { channel: refChannel } = negotiated();
    const valid = encode(heartbeatResponse(decode(refChannel.takeSent()[0].payload)));
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 120 }),
      fc
        .tuple(fc.nat({ max: valid.length - 1 }), fc.integer({ min: 0, max: 255 }))
        .filter(([at, value]) => valid[at] !== value)
        .map(([at, value]) => {
          const b = valid.slice();
          b[at] = value;
          return b;
        }),
    );
    fc.assert(
      fc.property(fc.array(payload, { minLength: 1, maxLength: 8 }), (payloads) => {
        const { handlers, channel, record } = negotiated();
        channel.takeSent();
        for (const p of payloads) {
          expect(() => {
            handlers.onPacket(channel, inband(p));
          }).not.toThrow();
        }
        expect(channel.memoryAccesses).toBe(0);
        // A beat counts only when the bytes are a well-formed response with seq_num + 1.
        for (const h of record.heartbeats) expect(h.sequence).toBe(1);
        if (channel.failure === null)
          for (const p of payloads) {
            const d = decodeIcMessage(p, 0, p.length);
            expect(d.ok).toBe(true);
          }
      }),
    );
  });
});
