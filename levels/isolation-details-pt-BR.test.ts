/**
 * A Brazilian player reads why a VSP's memory access was refused in Portuguese: level 11's
 * diagnosis said "(outside-packet-grant: a transfer of 65536 bytes through ranges that grant
 * 4096)" inside a Portuguese sentence. The English stays the model's words, byte for byte.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { GpadlTable } from '../core/memory/gpadl-table.js';
import {
  ISOLATION_DETAIL_TEXT,
  isolationDetailText,
  memoryRefusalText,
  type IsolationDetail,
  type IsolationDetailId,
} from '../core/memory/isolation-details.js';
import { IsolationFaultLog } from '../core/memory/isolation-fault-log.js';
import { MemoryManager } from '../core/memory/memory-manager.js';
import { mibToPages } from '../core/memory/units.js';
import { checkVspFailure, vspFailure, vspFailureText } from '../core/vsp/failure-reasons.js';
import { EXAMPLE_VSPS } from '../plugins/examples/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { parseLevel, parseSolution, playLevel } from './index.js';
import { isolationDetailPtBr, memoryRefusalPtBr } from './isolation-details-pt-BR.js';
import { vspFailurePtBr } from './vsp-failures-pt-BR.js';

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

describe("netvsp's refused page ranges, in each language", () => {
  /** A channel's memory port on a 64 MiB guest (partition 1). */
  function port() {
    const memory = new MemoryManager({ memoryMiB: 4096, os: 'ws2019', rootReserveMiB: 512 });
    const faults = new IsolationFaultLog({ now: 0 });
    memory.createPartition({ partition: 1, startupPages: mibToPages(64) });
    const gpadls = new GpadlTable(memory, faults);
    return {
      memory,
      port: gpadls.portFor({ partition: 1, channel: 9, actor: 'hyperkata.netvsp' }),
    };
  }

  it("the guest's invalid ranges: the English netvsp always quoted, and the same in Portuguese", () => {
    const refused = port().port.checkTransfer([{ byteOffset: 0, byteCount: 0, pfns: [300] }], 1600);
    if (typeof refused === 'number' || !('refusal' in refused)) throw new Error('not refused');
    expect(refused.detail).toBe("the guest's page ranges are invalid: range 0: byte count 0");
    expect(memoryRefusalText(refused.refusal)).toBe(refused.detail);
    const reason = vspFailure('netvsp.rangesRefused', {
      detail: refused.detail,
      said: refused.refusal,
    });
    expect(checkVspFailure(reason)).toEqual(reason);
    expect(vspFailureText(reason)).toBe(
      "SEND_RNDIS_PKT page ranges refused: the guest's page ranges are invalid: range 0: byte count 0",
    );
    expect(vspFailurePtBr(reason)).toBe(
      'intervalos de páginas do SEND_RNDIS_PKT recusados: os intervalos de páginas do convidado são inválidos: intervalo 0: contagem de bytes 0',
    );
  });

  it('a partition without memory, and a transfer longer than the ranges, each in Portuguese with its numbers', () => {
    const { memory, port: p } = port();
    const tooLong = p.checkTransfer([{ byteOffset: 0, byteCount: 4096, pfns: [300] }], 65536);
    if (typeof tooLong === 'number' || 'refusal' in tooLong) throw new Error('not a fault');
    expect(memoryRefusalPtBr({ detail: tooLong.message, invalidRanges: false })).toBe(
      'uma transferência de 65.536 bytes por intervalos que concedem 4.096',
    );
    memory.destroyPartition(1);
    const gone = p.checkTransfer([{ byteOffset: 0, byteCount: 1, pfns: [300] }], 1);
    if (typeof gone === 'number' || !('refusal' in gone)) throw new Error('not refused');
    expect(gone.detail).toBe('partition 1 has no memory');
    expect(memoryRefusalPtBr(gone.refusal)).toBe('a partição 1 não tem memória');
  });

  it('a refusal a plugin passes back is checked', () => {
    const said = { detail: { id: 'range.byteCount', args: { range: 0 } }, invalidRanges: true };
    expect(checkVspFailure({ id: 'netvsp.rangesRefused', args: { detail: 'x', said } })).toBe(
      'failure netvsp.rangesRefused with a wrong or missing argument said',
    );
    expect(checkVspFailure({ id: 'netvsp.rangesRefused', args: { detail: 'x' } })).toEqual({
      id: 'netvsp.rangesRefused',
      args: { detail: 'x' },
    });
  });
});
