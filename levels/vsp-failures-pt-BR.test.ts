/**
 * A Brazilian player reads why a VSP stopped a channel in Portuguese: level 11's diagnosis said
 * "rule 37: data-range-too-short: data_transfer_length 65536 exceeds the 4096 bytes of guest
 * memory supplied" inside a Portuguese sentence. The English stays the model's words, byte for
 * byte; a third-party plugin's own words are quoted as its words.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { checkSrbDataRange } from '../core/protocols/index.js';
import {
  checkVspFailure,
  VSP_FAILURE_IDS,
  vspFailureText,
  type VspFailureId,
  type VspFailureReason,
} from '../core/vsp/failure-reasons.js';
import { sampleFailure } from '../core/vsp/failure-reasons.test-support.js';
import { EXAMPLE_VSPS } from '../plugins/examples/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { defineVsp, toVspModule } from '../plugins/sdk/index.js';
import { parseLevel, parseSolution, playLevel } from './index.js';
import { channelStopPtBr, VSP_FAILURE_PT_BR, vspFailurePtBr } from './vsp-failures-pt-BR.js';

describe('VSP failure reasons in Portuguese', () => {
  it('the table says every id the core has, and no other', () => {
    expect(Object.keys(VSP_FAILURE_PT_BR).sort()).toEqual([...VSP_FAILURE_IDS]);
  });

  it.each(VSP_FAILURE_IDS)('%s: says it in Portuguese, with its numbers', (id: VspFailureId) => {
    const reason = sampleFailure(id);
    // The sample is what a plugin may pass: the host's check takes it as it is.
    expect(checkVspFailure(reason)).toEqual(reason);
    const english = vspFailureText(reason);
    const pt = vspFailurePtBr(reason);
    expect(pt).not.toBe(english);
    // Apart from what it quotes — a decoder's or a plugin's own words, rejection codes — Portuguese.
    const args = reason.args as Readonly<Record<string, unknown>>;
    let own = pt;
    for (const quoted of [args.detail, args.thrown, args.why, args.problem])
      if (typeof quoted === 'string') own = own.replace(quoted, '');
    own = own.replace(/\b[a-z]+(-[a-z0-9]+)+\b/g, '');
    expect(own).not.toMatch(/\b(the|of|with|before|after|without|is not|got a|exceeds)\b/);
    if (english.includes('65536')) expect(pt).toContain('65.536');
  });

  it("storvsp's data-range refusal is word for word the rule-37 check's own sentence", () => {
    const check = checkSrbDataRange(65536, 4096);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(vspFailureText(sampleFailure('storvsp.dataRangeTooShort'))).toBe(
      `rule 37: ${check.reason}: ${check.detail}`,
    );
  });

  it('refuses a structured reason a plugin got wrong, saying what is wrong', () => {
    expect(checkVspFailure({ id: 'storvsp.nope', args: {} })).toBe(
      'an unknown failure id "storvsp.nope"',
    );
    expect(checkVspFailure({ id: 'storvsp.transId', args: {} })).toBe(
      'failure storvsp.transId with a wrong or missing argument transId',
    );
    expect(checkVspFailure({ id: 'storvsp.transId', args: { transId: '7' } })).toMatch(
      /wrong or missing argument transId/,
    );
    expect(
      checkVspFailure({ id: 'packet.notInband', args: { protocol: 'smtp', kind: 'inband' } }),
    ).toMatch(/argument protocol/);
    expect(checkVspFailure({ id: 'storvsp.noRanges', args: { extra: 1 } })).toMatch(
      /unknown argument extra/,
    );
    expect(checkVspFailure(42)).toBe('a reason that is neither text nor { id, args }');
  });
});

const read = (name: string): string =>
  readFileSync(new URL(`./campaign/${name}`, import.meta.url), 'utf8');

/**
 * Level 11 with one more objective, on the hostile guest's own I/O: it fails, and says why. With
 * `attacks`, the hostile guest makes those attacks only.
 */
function hostileGuestDiagnosis(vsps = [...BUILT_IN_VSPS, ...EXAMPLE_VSPS], attacks?: string[]) {
  const raw = JSON.parse(read('11-hostile-guest.json')) as {
    objectives: unknown[];
    scenario: { vms: { hostile?: { attacks: string[] } }[] };
  };
  if (attacks !== undefined)
    for (const vm of raw.scenario.vms) if (vm.hostile !== undefined) vm.hostile.attacks = attacks;
  raw.objectives.push({
    id: 'guest13-served',
    scope: 'vm',
    vm: 'guest13',
    metric: 'dropped',
    op: '<=',
    value: 0,
    label: { en: 'guest13 loses no I/O', 'pt-BR': 'guest13 não perde E/S' },
  });
  const level = parseLevel(JSON.stringify(raw), '11-hostile-guest.json');
  const solution = parseSolution(read('11-hostile-guest.reference.solution.json'), 'reference');
  const played = playLevel({ level, solution, vsps });
  const failed = played.result.objectives.find((o) => o.id === 'guest13-served');
  return { report: played.report, why: failed?.diagnosis };
}

describe("level 11: storvsp refuses the hostile guest's packet", () => {
  it('the report records the refusal as an id and its numbers beside the English', () => {
    const { report } = hostileGuestDiagnosis();
    const stop = report.faults.plugins.find((f) => f.plugin === 'hyperkata.storvsp');
    expect(stop?.kind).toBe('guest-protocol-violation');
    expect(stop?.message).toEqual({
      id: 'storvsp.dataRangeTooShort',
      args: { dataTransferLength: 65536, rangeBytes: 4096 },
    });
    expect(stop?.reason).toBe(
      'rule 37: data-range-too-short: data_transfer_length 65536 exceeds the 4096 bytes of guest memory supplied',
    );
  });

  it('the diagnosis says it in each language, the numbers written each way', () => {
    const { why } = hostileGuestDiagnosis();
    expect(why?.cause).toBe('channel-failed');
    expect(why?.en).toContain(
      'its scsi0 channel was stopped (hyperkata.storvsp: rule 37: data-range-too-short: data_transfer_length 65536 exceeds the 4096 bytes of guest memory supplied)',
    );
    expect(why?.['pt-BR']).toContain(
      'seu canal scsi0 foi encerrado (hyperkata.storvsp: regra 37: data-range-too-short: o data_transfer_length de 65.536 bytes excede os 4.096 bytes de memória do convidado fornecidos)',
    );
  });

  it("a third-party VSP's own words are quoted as its words; its structured reason is translated", () => {
    // A storage VSP that refuses every packet: first in its own words, then by id.
    const options = {
      source: 'acme.ts',
      builtIn: false,
      isolation: 'native',
      digest: 'dev',
    } as const;
    const ownWords = toVspModule(
      defineVsp({
        id: 'acme.picky',
        sdk: '^1.2.0',
        deviceClass: 'storage',
        create: () => ({
          onPacket(channel) {
            channel.fail('no thanks');
          },
        }),
      }),
      options,
    );
    const byId = toVspModule(
      defineVsp({
        id: 'acme.strict',
        sdk: '^1.2.0',
        deviceClass: 'storage',
        create: () => ({
          onPacket(channel, packet) {
            channel.fail({ id: 'storvsp.transId', args: { transId: packet.transId } });
          },
        }),
      }),
      options,
    );
    const typo = toVspModule(
      defineVsp({
        id: 'acme.typo',
        sdk: '^1.2.0',
        deviceClass: 'storage',
        create: () => ({
          onPacket(channel) {
            // A JavaScript plugin's typo: the types would have caught it, the host does.
            channel.fail({ id: 'storvsp.nope', args: {} } as never);
          },
        }),
      }),
      options,
    );
    for (const [vsp, pt] of [
      [ownWords, /\(acme\.picky: “no thanks”, nas palavras do plugin\)/],
      [byId, /\(acme\.strict: regra 37: o trans_id \d+ não pode ser devolvido numa conclusão\)/],
      [
        typo,
        /\(acme\.typo: channel\.fail recebeu um motivo estruturado inválido \(an unknown failure id "storvsp\.nope"\)\)/,
      ],
    ] as const) {
      const raw = JSON.parse(read('11-hostile-guest.reference.solution.json')) as {
        vsps: { plugin: string }[];
      };
      for (const v of raw.vsps) if (v.plugin === 'hyperkata.storvsp') v.plugin = vsp.id;
      const level = parseLevel(read('11-hostile-guest.json'), '11-hostile-guest.json');
      const played = playLevel({
        level,
        solution: parseSolution(JSON.stringify(raw), 's.json'),
        vsps: [...BUILT_IN_VSPS, ...EXAMPLE_VSPS, vsp],
      });
      const stop = played.report.faults.plugins.find((f) => f.plugin === vsp.id);
      expect(stop?.message ?? null).toEqual(vsp === ownWords ? null : expect.anything());
      if (vsp === typo) {
        // Not the guest's fault: the plugin's misuse, said in English as the host found it.
        expect(stop?.kind).toBe('plugin-misuse');
        expect(stop?.reason).toBe('channel.fail was given an unknown failure id "storvsp.nope"');
      }
      const why = played.result.objectives.find((o) => o.diagnosis?.cause === 'channel-failed');
      expect(why?.diagnosis?.['pt-BR']).toMatch(pt);
    }
  });
});

describe("a hostile guest's malformed packet and broken ring, read in Portuguese", () => {
  it("storvsp's refusal of an unknown operation carries the decoder's sentence as an id: Portuguese with its numbers", () => {
    const { report, why } = hostileGuestDiagnosis(undefined, ['unknown-operation']);
    const stop = report.faults.plugins.find((f) => f.plugin === 'hyperkata.storvsp');
    // The English is the decoder's, byte for byte, as reports have always said it.
    expect(stop?.reason).toBe('rule 37: unknown-type: unknown vstor operation 119 (max 13)');
    expect(stop?.message).toEqual({
      id: 'storvsp.malformedRequest',
      args: {
        problem: 'unknown-type',
        detail: 'unknown vstor operation 119 (max 13)',
        said: { id: 'vstor.unknownOperation', args: { operation: 119, max: 13 } },
      },
    });
    expect(why?.en).toContain(
      '(hyperkata.storvsp: rule 37: unknown-type: unknown vstor operation 119 (max 13))',
    );
    expect(why?.['pt-BR']).toContain(
      '(hyperkata.storvsp: regra 37: unknown-type: operação vstor 119 desconhecida (máximo 13))',
    );
    expect(why?.['pt-BR']).not.toContain('unknown vstor operation');
  });

  it("a ring reader's refusal is said in Portuguese by the diagnosis too, not in the core's English", () => {
    const { report, why } = hostileGuestDiagnosis(undefined, ['ring-index-out-of-range']);
    const stop = report.faults.plugins.find((f) => f.kind === 'guest-ring-violation');
    expect(stop?.reason).toBe('write_index points outside the ring data area');
    expect(why?.['pt-BR']).toContain(
      '(hyperkata.storvsp: write_index aponta para fora da área de dados do anel)',
    );
    // A ring reason whose problem the table does not know keeps the English as written.
    expect(
      channelStopPtBr({
        reason: 'something new',
        message: { id: 'ring.rejectedByHost', args: { problem: 'teleported' } },
      }),
    ).toBe('something new');
  });

  it("a plugin's decoder refusal without its id is shown as its English; a broken id is refused", () => {
    const english = { protocol: 'nvsp', problem: 'truncated', detail: 'nvsp needs 8 bytes' };
    const plain = checkVspFailure({ id: 'message.malformed', args: english });
    expect(plain).toEqual({ id: 'message.malformed', args: english });
    expect(vspFailurePtBr(plain as VspFailureReason)).toBe(
      'mensagem NVSP malformada (truncated: nvsp needs 8 bytes)',
    );
    expect(
      checkVspFailure({
        id: 'message.malformed',
        args: { ...english, said: { id: 'truncated', args: { what: 'nvsp', need: '8' } } },
      }),
    ).toBe('failure message.malformed with a wrong or missing argument said');
  });
});

describe('a VSP that could not start, read in Portuguese', () => {
  it("the channel stop carries create's failure as an id: the diagnosis says it in Portuguese, the English is unchanged", () => {
    const broken = toVspModule(
      defineVsp({
        id: 'acme.broken',
        sdk: '^1.2.0',
        deviceClass: 'storage',
        create: () => {
          throw new TypeError('settings is undefined');
        },
      }),
      { source: 'acme.ts', builtIn: false, isolation: 'native', digest: 'dev' },
    );
    const raw = JSON.parse(read('11-hostile-guest.reference.solution.json')) as {
      vsps: { plugin: string }[];
    };
    for (const v of raw.vsps) if (v.plugin === 'hyperkata.storvsp') v.plugin = broken.id;
    const played = playLevel({
      level: parseLevel(read('11-hostile-guest.json'), '11-hostile-guest.json'),
      solution: parseSolution(JSON.stringify(raw), 's.json'),
      vsps: [...BUILT_IN_VSPS, ...EXAMPLE_VSPS, broken],
    });
    const stop = played.report.faults.plugins.find((f) => f.plugin === broken.id);
    expect(stop?.reason).toBe(
      'the VSP failed to start: create threw TypeError: settings is undefined',
    );
    expect(stop?.message).toEqual({
      id: 'vsp.notStarted',
      args: {
        reason: 'create threw TypeError: settings is undefined',
        said: {
          id: 'plugin.threw',
          args: { handler: 'create', thrown: 'TypeError: settings is undefined', where: null },
        },
      },
    });
    const why = played.result.objectives.find((o) => o.diagnosis?.cause === 'channel-failed');
    expect(why?.diagnosis?.['pt-BR']).toContain(
      '(acme.broken: o VSP não pôde iniciar: create lançou TypeError: settings is undefined)',
    );
  });
});
