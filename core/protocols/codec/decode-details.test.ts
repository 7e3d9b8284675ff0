/**
 * A decoder's refusal carries its sentence twice: the English `detail` logs, reports and plugins
 * have always read, byte for byte, and the same sentence as an id and its numbers, for the
 * player's language.
 */
import { describe, expect, it } from '@jest/globals';
import {
  checkSrbDataRange,
  decodeNvspMessage,
  decodeRndisMessage,
  decodeVstorRequest,
} from '../index.js';
import {
  checkDecodeDetail,
  DECODE_DETAIL_IDS,
  decodeDetailText,
  type DecodeDetailId,
} from './decode-details.js';
import { DECODE_DETAIL_SAMPLES, sampleDetail } from './decode-details.test-support.js';
import { rejected } from './result.js';
import type { CheckResult, DecodeResult } from './result.js';

describe('decoder details', () => {
  it.each(DECODE_DETAIL_IDS)('%s: the English the decoders always wrote', (id: DecodeDetailId) => {
    expect(decodeDetailText(sampleDetail(id))).toBe(DECODE_DETAIL_SAMPLES[id].en);
  });

  it("a real decoder's detail is its message's English", () => {
    const cases: [DecodeResult<unknown> | CheckResult, string, string][] = [
      [
        decodeVstorRequest(new Uint8Array(8), 0, 8),
        'truncated',
        'vstor_packet header needs 12 bytes, 8 available',
      ],
      [
        decodeVstorRequest(Uint8Array.of(119, 0, 0, 0, ...new Array<number>(20).fill(0)), 0, 24),
        'vstor.unknownOperation',
        'unknown vstor operation 119 (max 13)',
      ],
      [
        decodeNvspMessage(Uint8Array.of(255, 0, 0, 0, ...new Array<number>(36).fill(0)), 0, 40),
        'type.unknown',
        'unknown NVSP message type 255',
      ],
      [
        decodeRndisMessage(new Uint8Array(64), 0, 4),
        'truncated',
        'rndis header needs 8 bytes, 4 available',
      ],
      [
        decodeNvspMessage(new Uint8Array(8), 4, 8),
        'span.outside',
        'window [4, +8) is not inside 8 bytes',
      ],
      [
        checkSrbDataRange(65536, 4096),
        'storage.dataRangeTooShort',
        DECODE_DETAIL_SAMPLES['storage.dataRangeTooShort'].en,
      ],
    ];
    for (const [result, id, en] of cases) {
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.message.id).toBe(id);
      expect(result.detail).toBe(en);
      expect(decodeDetailText(result.message)).toBe(en);
    }
  });

  it("a plugin's own decoder that still passes its sentence (the form before ids) keeps working: its words, in every language", () => {
    const long = 'x'.repeat(500);
    const said = rejected('reserved-value', 'flags 3 is not 0 or 1');
    expect(said).toEqual({
      ok: false,
      reason: 'reserved-value',
      detail: 'flags 3 is not 0 or 1',
      message: { id: 'text', args: { text: 'flags 3 is not 0 or 1' } },
    });
    // A detail the host will take back from the plugin (checked, like any other), cut to size.
    const cut = rejected('truncated', long);
    expect(cut.detail).toBe(long);
    expect(checkDecodeDetail(cut.message)).toEqual({
      id: 'text',
      args: { text: long.slice(0, 200) },
    });
  });

  it('takes a detail a plugin passes back only when it is one', () => {
    for (const id of DECODE_DETAIL_IDS)
      expect(checkDecodeDetail(sampleDetail(id))).toEqual(sampleDetail(id));
    expect(checkDecodeDetail({ id: 'nope', args: {} })).toBeNull();
    expect(
      checkDecodeDetail({ id: 'truncated', args: { what: 'x', need: '8', have: 1 } }),
    ).toBeNull();
    expect(checkDecodeDetail({ id: 'truncated', args: { what: 'x', need: 8 } })).toBeNull();
    expect(
      checkDecodeDetail({ id: 'truncated', args: { what: 'x', need: 8, have: 1, extra: 1 } }),
    ).toBeNull();
    expect(
      checkDecodeDetail({ id: 'type.unknown', args: { protocol: 'smtp', code: '9' } }),
    ).toBeNull();
    expect(
      checkDecodeDetail({
        id: 'field.exceeds',
        args: { field: 'f', value: 1, limit: null, what: 'message' },
      }),
    ).not.toBeNull();
    expect(checkDecodeDetail('truncated')).toBeNull();
  });
});
