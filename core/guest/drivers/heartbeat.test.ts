import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CostMeter } from '../../host/cpu.js';
import {
  decodeIcMessage,
  encodeIcMessage,
  IcMessageFlags,
  UTIL_FRAMEWORK_VERSIONS,
} from '../../protocols/index.js';
import type { IcMessage } from '../../protocols/index.js';
import { IncomingPacket } from '../../vmbus/ring/index.js';
import type { OutgoingPacket } from '../../vmbus/ring/index.js';
import type { GuestChannel } from '../vmbus/guest-channel.js';
import { HeartbeatIc } from './heartbeat.js';

const request = (body: IcMessage['body']): IcMessage => ({
  header: {
    pipeFlags: 1,
    pipeMessageSize: 0,
    frameworkVersion: { major: 0, minor: 0 },
    messageVersion: { major: 0, minor: 0 },
    messageSize: 0,
    status: 0,
    transactionId: 0,
    flags: IcMessageFlags.TRANSACTION | IcMessageFlags.REQUEST,
  },
  body,
});

function heartbeat() {
  const driver = new HeartbeatIc(() => undefined);
  const sent: { message: IcMessage; transId: number }[] = [];
  const channel = {
    state: 'open',
    send(p: OutgoingPacket) {
      const d = decodeIcMessage(p.payload, 0, p.payloadLength);
      if (!d.ok) throw new Error(`the guest sent a malformed message: ${d.detail}`);
      sent.push({ message: d.value, transId: p.transIdLo });
      return 'sent';
    },
  } as unknown as GuestChannel;
  const packet = new IncomingPacket();
  const meter = new CostMeter();
  const deliverBytes = (bytes: Uint8Array, transId = 0) => {
    packet.data = bytes;
    packet.payloadOffset = 0;
    packet.payloadLength = bytes.length;
    packet.transIdLo = transId;
    driver.onPacket(channel, packet, meter);
    driver.afterPacket(channel, meter);
  };
  const deliver = (m: IcMessage, transId = 0) => {
    const b = new Uint8Array(256);
    deliverBytes(b.slice(0, encodeIcMessage(m, b, 0)), transId);
  };
  return { driver, sent, deliver, deliverBytes };
}

describe('heartbeat (the guest side of the heartbeat integration service)', () => {
  it('answers NEGOTIATE with one framework and one heartbeat version, then each beat with seq_num + 1', () => {
    const h = heartbeat();
    h.deliver(
      request({
        kind: 'negotiate',
        frameworkVersions: [...UTIL_FRAMEWORK_VERSIONS],
        messageVersions: [{ major: 3, minor: 0 }],
      }),
      5,
    );
    h.deliver(request({ kind: 'heartbeat', sequenceNumber: 41n }), 6);
    expect(h.driver.phase).toBe('ready');
    expect(h.sent.map((s) => [s.transId, s.message.body])).toEqual([
      [
        5,
        {
          kind: 'negotiate',
          frameworkVersions: [{ major: 3, minor: 0 }],
          messageVersions: [{ major: 3, minor: 0 }],
        },
      ],
      [6, { kind: 'heartbeat', sequenceNumber: 42n }],
    ]);
    for (const s of h.sent)
      expect(s.message.header.flags).toBe(IcMessageFlags.TRANSACTION | IcMessageFlags.RESPONSE);
  });

  it('ignores what it cannot decode and never throws on hostile bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 80 }), { maxLength: 8 }), (messages) => {
        const h = heartbeat();
        for (const m of messages)
          expect(() => {
            h.deliverBytes(m);
          }).not.toThrow();
        expect(h.sent.length + h.driver.ignored).toBe(messages.length);
      }),
    );
  });
});
