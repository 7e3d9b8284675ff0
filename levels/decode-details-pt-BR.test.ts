/**
 * A Brazilian player reads a decoder's refusal in Portuguese ("vstor_packet header precisa de
 * 65.536 bytes, há 8 disponíveis"), the protocols' structure and field names as the headers write
 * them, the numbers written the pt-BR way.
 */
import { describe, expect, it } from '@jest/globals';
import {
  DECODE_DETAIL_IDS,
  decodeDetailText,
  type DecodeDetailId,
} from '../core/protocols/codec/decode-details.js';
import { sampleDetail } from '../core/protocols/codec/decode-details.test-support.js';
import { DECODE_DETAIL_PT_BR, decodeDetailPtBr } from './decode-details-pt-BR.js';

describe("decoders' details in Portuguese", () => {
  it('the table says every id the core has, and no other', () => {
    expect(Object.keys(DECODE_DETAIL_PT_BR).sort()).toEqual([...DECODE_DETAIL_IDS]);
  });

  it.each(DECODE_DETAIL_IDS)(
    '%s: says it in Portuguese, with its numbers',
    (id: DecodeDetailId) => {
      const detail = sampleDetail(id);
      const english = decodeDetailText(detail);
      const pt = decodeDetailPtBr(detail);
      expect(pt).not.toBe(english);
      // Apart from the names it quotes (structures, fields, codes) — Portuguese.
      const args = detail.args as Readonly<Record<string, unknown>>;
      let own = pt;
      for (const quoted of [args.what, args.field, args.expected, args.text])
        if (typeof quoted === 'string') own = own.replace(quoted, '');
      expect(own).not.toMatch(
        /\b(the|of|with|needs|available|unknown|exceeds|outside|below|not|is|does|fit|runs|past|left|bytes in|only|used|beyond)\b/,
      );
      if (english.includes('65536')) expect(pt).toContain('65.536');
    },
  );
});
