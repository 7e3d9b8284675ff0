/**
 * A Brazilian player reads why a VSP's memory access was refused in Portuguese: level 11's
 * diagnosis said "(outside-packet-grant: a transfer of 65536 bytes through ranges that grant
 * 4096)" inside a Portuguese sentence. The English stays the model's words, byte for byte.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import {
  ISOLATION_DETAIL_TEXT,
  isolationDetailText,
  type IsolationDetail,
  type IsolationDetailId,
} from '../core/memory/isolation-details.js';
import { EXAMPLE_VSPS } from '../plugins/examples/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { parseLevel, parseSolution, playLevel } from './index.js';
import { isolationDetailPtBr } from './isolation-details-pt-BR.js';

/** Each id with arguments: every number 65536 (a size pt-BR writes "65.536"), verb "write". */
function sample(id: IsolationDetailId): IsolationDetail {
  const source = ISOLATION_DETAIL_TEXT[id].toString();
  const names = [...source.matchAll(/a\.(\w+)/g)].map((m) => m[1]);
  const args = Object.fromEntries(names.map((k) => [k, k === 'verb' ? 'write' : 65536]));
  return { id, args } as unknown as IsolationDetail;
}

describe('isolation details in Portuguese', () => {
  it.each(Object.keys(ISOLATION_DETAIL_TEXT) as IsolationDetailId[])(
    '%s: says it in Portuguese, with its numbers',
    (id) => {
      const d = sample(id);
      const pt = isolationDetailPtBr(d);
      expect(pt).not.toBe(isolationDetailText(d));
      expect(pt).not.toMatch(/\b(of|the|bytes at|belongs|after|through|no live|must be)\b/);
      if (isolationDetailText(d).includes('65536')) expect(pt).toMatch(/65\.?536/);
      if (isolationDetailText(d).startsWith('write')) expect(pt).toMatch(/^escrita/);
    },
  );

  it("level 11: the turbo VSP's refused transfer, in each language", () => {
    const read = (name: string): string =>
      readFileSync(new URL(`./campaign/${name}`, import.meta.url), 'utf8');
    const level = parseLevel(read('11-hostile-guest.json'), '11-hostile-guest.json');
    const solution = parseSolution(read('11-hostile-guest.naive.solution.json'), 'naive');
    const { result, report } = playLevel({
      level,
      solution,
      vsps: [...BUILT_IN_VSPS, ...EXAMPLE_VSPS],
    });
    const fault = report.faults.isolation.at(0);
    expect(fault?.message.id).toBe('grant.transferTooLong');
    expect(fault?.detail).toBe(fault === undefined ? '' : isolationDetailText(fault.message));
    const why = result.objectives.find((o) => o.diagnosis?.cause === 'isolation')?.diagnosis;
    expect(why?.en).toContain(
      '(outside-packet-grant: a transfer of 65536 bytes through ranges that grant 4096)',
    );
    expect(why?.['pt-BR']).toContain(
      '(outside-packet-grant: uma transferência de 65.536 bytes por intervalos que concedem 4.096)',
    );
  });
});
