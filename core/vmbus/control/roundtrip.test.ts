import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_SIZE_CHANNEL_MESSAGE } from './constants.js';
import { decodeChannelMessage } from './decode.js';
import { encodeChannelMessage } from './encode.js';
import { channelMessageSender } from './message-types.js';
import { anyChannelMessage, messageArbitraries } from './test-arbitraries.js';

describe('control-message round trip', () => {
  for (const [name, arbitrary] of Object.entries(messageArbitraries)) {
    it(`decode(encode(m)) equals m for every ${name}`, () => {
      fc.assert(
        fc.property(arbitrary, (message) => {
          const buffer = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
          const size = encodeChannelMessage(message, buffer);
          const decoded = decodeChannelMessage(buffer, 0, size, {
            from: channelMessageSender(message.type),
          });
          expect(decoded).toEqual({ ok: true, value: message });
        }),
        { numRuns: 200 },
      );
    });
  }

  it('rule 10: no message encodes above the 240-byte SynIC payload', () => {
    fc.assert(
      fc.property(anyChannelMessage, (message) => {
        const roomy = new Uint8Array(1024);
        const size = encodeChannelMessage(message, roomy, 7);
        expect(size).toBeLessThanOrEqual(240);
        // Nothing outside [offset, offset + size) was touched.
        expect(roomy.subarray(0, 7).every((b) => b === 0)).toBe(true);
        expect(roomy.subarray(7 + size).every((b) => b === 0)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes at an offset and decodes from the same window of a larger buffer', () => {
    fc.assert(
      fc.property(anyChannelMessage, fc.integer({ min: 0, max: 300 }), (message, offset) => {
        const buffer = new Uint8Array(offset + MAX_SIZE_CHANNEL_MESSAGE + 17).fill(0xa5);
        const size = encodeChannelMessage(message, buffer, offset);
        expect(decodeChannelMessage(buffer, offset, size)).toEqual({ ok: true, value: message });
      }),
      { numRuns: 300 },
    );
  });

  it('re-encoding a decoded message reproduces the original bytes', () => {
    fc.assert(
      fc.property(anyChannelMessage, (message) => {
        const first = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
        const size = encodeChannelMessage(message, first);
        const decoded = decodeChannelMessage(first, 0, size);
        if (!decoded.ok) throw new Error(decoded.detail);
        const second = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
        expect(encodeChannelMessage(decoded.value, second)).toBe(size);
        expect(second).toEqual(first);
      }),
      { numRuns: 300 },
    );
  });
});
