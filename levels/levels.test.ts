import { describe, expect, it } from '@jest/globals';
import { ConfigurationError, formatPath } from '../core/index.js';
import type { VspChannel, VspModule } from '../core/index.js';
import { VstorOperation } from '../core/protocols/index.js';
import { completingDiskWorkTwice } from '../core/vsp/testing/completing-twice.js';
import { minimalStorvsp } from '../core/vsp/testing/minimal-storvsp.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import {
  FileFormatError,
  LevelSchema,
  MAX_JSON_DEPTH,
  parseLevel,
  parseSolution,
  playLevel,
  resolveConfiguration,
  runJson,
  startLevel,
} from './index.js';
import type { SolutionInput } from './index.js';
import { fixtureLevel } from './testing/fixture-level.js';

const level = LevelSchema.parse(fixtureLevel());
const vsps = [minimalStorvsp()];
const connected: SolutionInput = {
  format: 1,
  level: level.id,
  channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }],
};

/**
 * The fixture's storage VSP with its handling of EXECUTE_SRB (the guest's reads and writes)
 * replaced by `onSrb`; the initialisation handshake still goes to the real one.
 */
function storvspTaking(onSrb: (channel: VspChannel) => void): VspModule {
  const inner = minimalStorvsp();
  return {
    ...inner,
    create(host) {
      const handlers = inner.create(host);
      return {
        ...handlers,
        onPacket(channel, packet) {
          const { buffer, byteOffset } = packet.payload;
          const op = new DataView(buffer, byteOffset).getUint32(0, true);
          if (op === VstorOperation.EXECUTE_SRB) onSrb(channel);
          else handlers.onPacket(channel, packet);
        },
      };
    },
  };
}

function refusal(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (e) {
    if (ConfigurationError.is(e)) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('reading files a person wrote', () => {
  it('names the line and column of a JSON syntax error, and says when the file is cut short', () => {
    const text = JSON.stringify(connected, null, 2);
    const cut = refusal(() => parseSolution(text.slice(0, 40), 'broken.solution.json'));
    expect(cut.message).toMatch(
      /^broken\.solution\.json: line \d+, column \d+: expected valid JSON: .* \(\w+\), found the end of the file/,
    );
    const bad = refusal(() => parseSolution('{\n  "format": 1,\n  "level": x\n}', 'bad.json'));
    expect(bad.message).toContain(
      'bad.json: line 3, column 12: expected valid JSON: a value — text in double quotes, a number, true, false, null, {…} or […] (InvalidSymbol), found "x"',
    );
  });

  it("says what the JSON syntax needed in words a student knows, not only the parser's code", () => {
    const e = refusal(() => parseSolution('{\n  "format": 1\n  "level": "x"\n}', 's.json'));
    expect(e.message).toBe(
      's.json: line 3, column 3: expected valid JSON: a comma between two entries (CommaExpected), found "\\"level\\""',
    );
  });

  it('a missing value before the closing brace of a file is not taken for a file cut short', () => {
    const e = refusal(() => parseSolution('{"format": 1, "level": }', 's.json'));
    expect(e.message).toBe(
      's.json: line 1, column 24: expected valid JSON: a value after the key or the comma (ValueExpected), found "}"',
    );
  });

  it('reads comments and trailing commas, as docs/levels.md says', () => {
    const text = `{
      // the reference: one channel
      "format": 1,
      "level": "${level.id}", /* the fixture */
      "channels": [{ "vm": "db01", "device": "scsi0", "vsp": "stor", },],
    }`;
    expect(parseSolution(text, 's.json')).toEqual(
      parseSolution(JSON.stringify(connected), 's.json'),
    );
  });

  it('a double quote inside a comment does not hide nesting that is too deep', () => {
    const deep = `// a "quote\n{"format":1,\n"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const e = refusal(() => parseSolution(deep, 'deep.solution.json'));
    expect(e.message).toContain('expected at most 64 levels of nested arrays and objects');
  });

  it('names the JSON path, what was found and what was expected', () => {
    const e = refusal(() =>
      parseSolution(JSON.stringify({ ...connected, host: { rootVps: 'two' } }), 's.json'),
    );
    expect(e.message).toBe('s.json: host.rootVps: expected a number, found "two"');
  });

  it('refuses unknown fields (a typo is not silently ignored)', () => {
    const e = refusal(() => parseSolution(JSON.stringify({ ...connected, chanels: [] }), 's.json'));
    // "channels" is there already: the typo is a second list, not a misspelling of the first.
    expect(e.issues[0]?.expected).toBe('no unknown fields (remove "chanels")');
    const { channels, ...rest } = connected;
    const misspelt = refusal(() =>
      parseSolution(JSON.stringify({ ...rest, chanels: channels }), 's.json'),
    );
    expect(misspelt.issues[0]?.expected).toBe(
      'no unknown fields (remove "chanels": did you mean "channels"?)',
    );
  });

  it('a misspelt value of a level is answered with the value it is a near miss of', () => {
    const raw = fixtureLevel();
    const [first] = raw.objectives;
    const wrong = { ...raw, objectives: [{ ...first, metric: 'iopz' }] };
    const e = refusal(() => parseLevel(JSON.stringify(wrong), 'l.json'));
    expect(e.message).toMatch(/ \(did you mean "iops"\?\), found "iopz"$/);
  });

  it('a metric of the other scope says which scope it belongs to', () => {
    const raw = fixtureLevel();
    const [first] = raw.objectives;
    const wrong = { ...raw, objectives: [{ ...first, metric: 'rootCpuPercent' }] };
    const e = refusal(() => parseLevel(JSON.stringify(wrong), 'l.json'));
    expect(e.message).toMatch(
      /^l\.json: objectives\[0\]\.metric: expected one of "iops", .*"completed" \(rootCpuPercent is a host metric: give this objective "scope": "host" and no "vm"\), found "rootCpuPercent"$/,
    );
  });

  it('refuses a level without its Portuguese text', () => {
    const raw = fixtureLevel();
    const broken = { ...raw, title: { en: 'Only English' } };
    const e = refusal(() => parseLevel(JSON.stringify(broken), 'levels/x.json'));
    expect(e.issues.map((i) => formatPath(i.path))).toContain('title.pt-BR');
  });

  it('refuses JSON nested too deep with its line and column, instead of overflowing the stack', () => {
    // The outer object is level 1, so the 64th `[` (column 4 + 64) is one level too many.
    const deep = `{"format":1,\n"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const e = refusal(() => parseSolution(deep, 'deep.solution.json'));
    expect(e).toBeInstanceOf(FileFormatError);
    expect(e.message).toBe(
      `deep.solution.json: line 2, column ${4 + MAX_JSON_DEPTH}: expected at most ${MAX_JSON_DEPTH} levels of nested arrays and objects, found deeper nesting`,
    );
  });

  it('reads a file that starts with a UTF-8 byte order mark, as some Windows editors save it', () => {
    const text = JSON.stringify(connected, null, 2);
    expect(parseSolution('\uFEFF' + text, 'bom.solution.json')).toEqual(
      parseSolution(text, 's.json'),
    );
    const bad = refusal(() => parseSolution('\uFEFF{\n  "level": x\n}', 'bom.json'));
    expect(bad.message).toContain('bom.json: line 2, column 12: expected valid JSON');
  });

  it('refuses a key written twice in one object, naming where the second one is', () => {
    // Parsers keep the last of two equal keys: the first value would be lost without a word.
    const memory = '      "memory": { "startupMiB": 2048, "dynamic": true, "startupMiB": 4096 }';
    const text = [
      '{',
      '  "format": 1,',
      `  "level": "${level.id}",`,
      '  "vms": {',
      '    "db01": {',
      memory,
      '    }',
      '  },',
      '  "format": 1',
      '}',
    ].join('\n');
    const e = refusal(() => parseSolution(text, 'twice.solution.json'));
    expect(e).toBeInstanceOf(FileFormatError);
    const second = memory.lastIndexOf('"startupMiB"') + 1;
    expect(e.message.split('\n')).toEqual([
      `twice.solution.json: line 6, column ${second} (in vms.db01.memory): expected each key at most once in an object, found a second "startupMiB"`,
      'twice.solution.json: line 9, column 3 (in the top-level object): expected each key at most once in an object, found a second "format"',
    ]);
  });

  it('takes the same key in different objects', () => {
    const channel = { vm: 'db01', device: 'scsi0', vsp: 'stor' };
    const solution = { ...connected, channels: [channel, { ...channel, device: 'scsi1' }] };
    expect(parseSolution(JSON.stringify(solution), 's.json').channels).toHaveLength(2);
  });

  it('refuses a file too large to be a level before parsing it', () => {
    const e = refusal(() => parseLevel(' '.repeat(3 * 1024 * 1024), 'huge.json'));
    expect(e).toBeInstanceOf(FileFormatError);
    expect(e.message).toContain('expected a file of at most 2 MB, found 3.0 MB');
  });
});

describe('resolving a solution against its level', () => {
  it('applies what the controls allow', () => {
    const config = resolveConfiguration(
      level,
      parseSolution(JSON.stringify({ ...connected, host: { rootVps: 2 } }), 's.json'),
    );
    expect(config.host.rootVps).toBe(2);
    expect(config.channels).toHaveLength(1);
  });

  it('refuses a change to a locked control, naming the field', () => {
    const e = refusal(() =>
      resolveConfiguration(
        level,
        parseSolution(JSON.stringify({ ...connected, host: { scheduler: 'core' } }), 's.json'),
        's.json',
      ),
    );
    expect(e.message).toBe(
      's.json: host.scheduler: expected no change: this level does not let you change the scheduler type, found "core" (the level\'s is "classic")',
    );
  });

  it('a locked list says what the solution changed in it: the VSP instances added, removed or changed', () => {
    const locked = (vsps: unknown) =>
      refusal(() =>
        resolveConfiguration(
          level,
          parseSolution(JSON.stringify({ ...connected, vsps }), 's.json'),
          's.json',
        ),
      ).message;
    const stor = { id: 'stor', plugin: 'test.minimal-storage', device: 'ssd0' };
    expect(locked([stor, { id: 'net0', plugin: 'hyperkata.netvsp' }])).toBe(
      's.json: vsps: expected no change: this level does not let you change VSP instances or the plugins serving them, found a change that adds net0',
    );
    expect(locked([])).toMatch(/, found a change that removes stor$/);
    expect(locked([{ ...stor, plugin: 'acme.storage' }])).toMatch(
      /, found a change that changes stor$/,
    );
  });

  it('refuses a solution written for another level, or for a VM the level lacks', () => {
    const e = refusal(() =>
      resolveConfiguration(
        level,
        parseSolution(
          JSON.stringify({ ...connected, level: 'other', vms: { ghost: {} } }),
          's.json',
        ),
        's.json',
      ),
    );
    expect(e.issues.map((i) => formatPath(i.path)).sort()).toEqual(['level', 'vms.ghost']);
  });
});

describe('a solution naming a VM after a property every object has', () => {
  it.each(['constructor', 'toString', 'hasOwnProperty'])(
    'vms.%s is a VM the level lacks, refused naming it (not a crash)',
    (name) => {
      const text = `{"format":1,"level":"${level.id}","vms":{"${name}":{"processor":{"count":4}}}}`;
      const e = refusal(() => resolveConfiguration(level, parseSolution(text, 's.json'), 's.json'));
      expect(e.message).toBe(
        `s.json: vms.${name}: expected one of the level's VMs (db01), found "${name}"`,
      );
    },
  );
  it('vms.__proto__ is refused where it is written, not dropped', () => {
    // A JSON parser assigning obj["__proto__"] sets the prototype: the VM would vanish unseen.
    const text = `{"format":1,"level":"${level.id}",\n"vms":{"db01":{},"__proto__":{"processor":{"count":4}}}}`;
    const e = refusal(() => parseSolution(text, 's.json'));
    expect(e).toBeInstanceOf(FileFormatError);
    const column = text.split('\n')[1].indexOf('"__proto__"') + 1;
    expect(e.message).toBe(
      `s.json: line 2, column ${column} (in vms): expected a key other than __proto__ (it is reserved in JavaScript), found "__proto__"`,
    );
  });

  it('__proto__ anywhere in a level file is refused too', () => {
    const raw = JSON.stringify(fixtureLevel()).replace('{', '{"__proto__":{},');
    const e = refusal(() => parseLevel(raw, 'l.json'));
    expect(e.message).toContain(
      'l.json: line 1, column 2 (in the top-level object): expected a key other than __proto__',
    );
  });
});

describe('a level whose parts contradict each other: errors name the level file and the path in it', () => {
  const broken = (mutate: (l: ReturnType<typeof fixtureLevel>) => void) => {
    const raw = fixtureLevel();
    mutate(raw);
    return LevelSchema.parse(raw);
  };
  const startRefused = (options: Parameters<typeof startLevel>[0]) =>
    refusal(() => startLevel(options)).message;

  it('a scenario problem is located under scenario', () => {
    const twoVms = broken((l) => {
      l.scenario.vms.push({ ...l.scenario.vms[0] });
    });
    expect(
      startRefused({ level: twoVms, solution: null, vsps, sources: { level: 'l.json' } }),
    ).toBe('l.json: scenario.vms[1].name: expected a name used once, found "db01"');
  });

  it("a defaults problem is the level's, under defaults, even when a solution is played", () => {
    const tooManyRootVps = broken((l) => {
      l.defaults.host.rootVps = 64;
      l.controls.rootVps = false;
    });
    const sources = { level: 'l.json', solution: 's.json' };
    for (const solution of [null, parseSolution(JSON.stringify(connected), 's.json')]) {
      expect(startRefused({ level: tooManyRootVps, solution, vsps, sources })).toMatch(
        /^l\.json: defaults\.host\.rootVps: expected at most 8 /,
      );
    }
  });

  it('an objective about a VM the scenario lacks, and a naive failure naming no objective', () => {
    const dangling = broken((l) => {
      l.objectives = l.objectives.map((o) =>
        o.scope === 'vm' && o.vm === 'db01' ? { ...o, vm: 'db99' } : o,
      );
      l.naiveFails = ['no-such-objective'];
    });
    expect(
      startRefused({ level: dangling, solution: null, vsps, sources: { level: 'l.json' } }),
    ).toBe(
      [
        `l.json: objectives[0].vm: expected "*" or one of the scenario's VMs (db01), found "db99"`,
        `l.json: naiveFails[0]: expected the id of one of the level's objectives (no-drops, fast), found "no-such-objective"`,
      ].join('\n'),
    );
  });

  it('an objective about a near miss of one of two VMs names the one meant', () => {
    const typo = broken((l) => {
      const [db01] = l.scenario.vms;
      l.scenario.vms.push({ ...db01, name: 'web01' });
      l.defaults.vms.web01 = { ...l.defaults.vms.db01 };
      l.objectives = l.objectives.map((o) => (o.scope === 'vm' ? { ...o, vm: 'db1' } : o));
    });
    expect(
      startRefused({ level: typo, solution: null, vsps, sources: { level: 'l.json' } }),
    ).toContain(
      `l.json: objectives[0].vm: expected "*" or one of the scenario's VMs (db01, web01) — did you mean db01?, found "db1"`,
    );
  });

  it("settings for a misspelt VM in the level's defaults name the VM meant", () => {
    const typo = broken((l) => {
      const [db01] = l.scenario.vms;
      l.scenario.vms.push({ ...db01, name: 'web01' });
      const settings = l.defaults.vms.db01;
      l.defaults.vms = { db1: settings, web01: settings };
    });
    expect(
      startRefused({ level: typo, solution: null, vsps, sources: { level: 'l.json' } }),
    ).toContain(
      `l.json: defaults.vms.db1: expected one of the scenario's VMs (db01, web01) — did you mean db01?, found "db1"`,
    );
  });

  it('two objectives with one id, and objectives no run can meet, are refused where they are written', () => {
    const unreachable = broken((l) => {
      const [first, second] = l.objectives;
      l.objectives = [
        first,
        { ...second, id: first.id },
        {
          id: 'root-negative',
          scope: 'host',
          metric: 'rootCpuPercent',
          op: '<=',
          value: -5,
          label: first.label,
        },
        {
          id: 'over-full',
          scope: 'vm',
          vm: '*',
          metric: 'cpuPercent',
          op: '>=',
          value: 150,
          label: first.label,
        },
      ];
    });
    expect(
      startRefused({ level: unreachable, solution: null, vsps, sources: { level: 'l.json' } }),
    ).toBe(
      [
        `l.json: objectives[1].id: expected an id no other objective has, found "no-drops"`,
        `l.json: objectives[2].value: expected a value ≥ 0 (rootCpuPercent is never negative, so "<= -5" cannot be met), found -5`,
        `l.json: objectives[3].value: expected a value ≤ 100 (cpuPercent is a percentage, so ">= 150" cannot be met), found 150`,
      ].join('\n'),
    );
  });

  it('the level and the solution can sit inside a larger file (a replay), at the paths given', () => {
    const twoVms = broken((l) => {
      l.scenario.vms.push({ ...l.scenario.vms[0] });
    });
    const at = {
      level: 'r.json',
      solution: 'r.json',
      levelPath: ['level'],
      solutionPath: ['solution'],
    };
    expect(startRefused({ level: twoVms, solution: null, vsps, sources: at })).toBe(
      'r.json: level.scenario.vms[1].name: expected a name used once, found "db01"',
    );
    const locked = parseSolution(
      JSON.stringify({ ...connected, host: { scheduler: 'core' } }),
      'x',
    );
    expect(startRefused({ level, solution: locked, vsps, sources: at })).toMatch(
      /^r\.json: solution\.host\.scheduler: expected no change/,
    );
  });
});

describe('playing and scoring', () => {
  it('a connected disk meets the objectives; the unconnected default loses every request', () => {
    const good = playLevel({
      level,
      solution: parseSolution(JSON.stringify(connected), 's.json'),
      vsps,
    });
    expect(good.result.objectives.every((o) => o.met)).toBe(true);
    expect(good.result.stars).toBeGreaterThanOrEqual(2);
    const naive = playLevel({ level, solution: null, vsps });
    const drops = naive.result.objectives.find((o) => o.id === 'no-drops');
    expect(drops?.met).toBe(false);
    expect(naive.result.stars).toBe(0);
    expect(drops?.diagnosis?.en).toMatch(
      /^db01: dropped operations [\d,]+ — needed ≤ 0: scsi0 is connected to nothing/,
    );
    expect(drops?.diagnosis?.['pt-BR']).toMatch(
      /^db01: operações perdidas [\d.]+ — precisava ≤ 0: /,
    );
    expect(drops?.diagnosis?.['pt-BR']).toContain('não está ligado a nada');
    expect(drops?.diagnosis?.control).toBe('routing');
  });

  it('rule 33: a VM that did not start meets no objective about it, and the diagnosis says why', () => {
    // db01 boots first with 3000 MiB of startup memory; db02's 3000 MiB no longer fit in 4 GiB.
    const raw = fixtureLevel();
    const db01 = raw.scenario.vms[0];
    raw.scenario.host.memoryMiB = 4096;
    raw.scenario.vms = [db01, { ...db01, name: 'db02', startAtMs: 5 }];
    const memory = { dynamic: true, startupMiB: 3000, minimumMiB: 512, maximumMiB: 3000 } as const;
    const settings = { integrationComponents: true, processor: { count: 2 }, memory };
    raw.defaults.vms = { db01: settings, db02: settings };
    raw.defaults.vsps = [...(raw.defaults.vsps ?? []), { id: 'dm', plugin: 'hyperkata.dynmem' }];
    raw.defaults.channels = [
      { vm: 'db01', device: 'scsi0', vsp: 'stor' },
      { vm: 'db02', device: 'scsi0', vsp: 'stor' },
    ];
    raw.objectives = raw.objectives.map((o) => (o.scope === 'vm' ? { ...o, vm: '*' } : o));
    const played = playLevel({
      level: LevelSchema.parse(raw),
      solution: null,
      vsps: [...vsps, ...BUILT_IN_VSPS],
    });
    expect(played.report.vms.db02?.failure).toMatch(/^not enough host memory/);
    for (const o of played.result.objectives) {
      expect(o).toMatchObject({ met: false, vm: 'db02' });
      expect(o.diagnosis?.en).toContain('the VM did not start (not enough host memory');
    }
  });

  it('a problem in an entry the solution kept from the level says it comes from the level', () => {
    // The level routes db01's disk; the solution turns its integration components off and keeps
    // the level's routes: the kept route no longer fits, and it is in the level, not the solution.
    const raw = fixtureLevel();
    raw.controls = { ...raw.controls, integrationComponents: true };
    raw.defaults.channels = [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }];
    const routed = LevelSchema.parse(raw);
    const text = JSON.stringify({
      format: 1,
      level: routed.id,
      vms: { db01: { integrationComponents: false } },
    });
    const e = refusal(() =>
      playLevel({
        level: routed,
        solution: parseSolution(text, 'mine.solution.json'),
        vsps,
        sources: { level: 'level.json', solution: 'mine.solution.json' },
      }),
    );
    expect(e.message).toMatch(
      /^mine\.solution\.json: channels\[0\]\.vsp: expected a VM with integration/,
    );
    expect(e.message).toContain(
      `channels[0] is not in this solution: it is the level's defaults.channels[0], kept because the solution has no "channels"`,
    );
    // With its own channels the solution's own entry is named, with no such note.
    const own = JSON.stringify({
      format: 1,
      level: routed.id,
      vms: { db01: { integrationComponents: false } },
      channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }],
    });
    const e2 = refusal(() =>
      playLevel({ level: routed, solution: parseSolution(own, 'own.solution.json'), vsps }),
    );
    expect(e2.message).toMatch(/channels\[0\]\.vsp: expected a VM with integration/);
    expect(e2.message).not.toContain('defaults');
  });

  it('a VSP that refuses a stock guest’s valid requests is blamed, not the guest', () => {
    // The fixture's storage VSP, except that it calls every EXECUTE_SRB a protocol violation.
    const picky = storvspTaking((channel) => {
      channel.fail('malformed SRB');
    });
    const solution = parseSolution(JSON.stringify(connected), 's.json');
    const played = playLevel({ level, solution, vsps: [picky] });
    expect(played.report.faults.plugins[0]?.kind).toBe('guest-protocol-violation');
    const failed = played.result.objectives.find((o) => !o.met);
    expect(failed?.diagnosis?.cause).toBe('channel-failed');
    expect(failed?.diagnosis?.en).toContain(
      "though db01's guest runs stock integration components that speak the protocol correctly",
    );
    expect(failed?.diagnosis?.en).toContain("Try: check the VSP's protocol checks");
    expect(failed?.diagnosis?.['pt-BR']).toContain('revisar as verificações de protocolo do VSP');
  });

  it('a VM whose I/O never comes back meets no latency objective, and the diagnosis says so', () => {
    // The fixture's storage VSP, except that it takes every EXECUTE_SRB and never completes it:
    // storvsc comes up, the application's reads and writes go out, nothing returns.
    const silent = storvspTaking(() => undefined);
    const solution = parseSolution(JSON.stringify(connected), 's.json');
    const played = playLevel({ level, solution, vsps: [silent] });
    expect(played.report.vms.db01?.completed).toBe(0);
    expect(played.report.vms.db01?.dropped).toBe(0); // stuck, not dropped
    const latency = played.result.objectives.find((o) => o.id === 'fast');
    expect(latency).toMatchObject({ met: false });
    expect(latency?.diagnosis?.cause).toBe('nothing-completed');
    expect(latency?.diagnosis?.en).toContain('nothing came back');
    expect(latency?.diagnosis?.['pt-BR']).toContain('nada voltou');
    expect(played.result.stars).toBe(0);
  });

  it('an objective can ask that a VSP complete each request once; the diagnosis names the VSP', () => {
    // A classroom check: "each request completed exactly once" (rule 3).
    const raw = fixtureLevel();
    raw.objectives = [
      ...raw.objectives,
      {
        id: 'once',
        scope: 'vm',
        vm: 'db01',
        metric: 'strayCompletions',
        op: '<=',
        value: 0,
        label: { en: 'Each request completed once', 'pt-BR': 'Cada pedido concluído uma vez' },
      },
    ];
    const strict = LevelSchema.parse(raw);
    const solution = parseSolution(JSON.stringify(connected), 's.json');
    const once = (played: ReturnType<typeof playLevel>) =>
      played.result.objectives.find((o) => o.id === 'once');
    expect(once(playLevel({ level: strict, solution, vsps }))?.met).toBe(true);
    // The fixture's VSP, except that every disk completion is sent twice.
    const twice = completingDiskWorkTwice(minimalStorvsp());
    const sloppy = once(playLevel({ level: strict, solution, vsps: [twice] }));
    expect(sloppy).toMatchObject({ met: false });
    expect(sloppy?.value).toBeGreaterThan(0);
    expect(sloppy?.diagnosis?.cause).toBe('stray-completions');
    expect(sloppy?.diagnosis?.en).toContain('stor sent');
    expect(sloppy?.diagnosis?.en).toContain('a request completed twice');
    expect(sloppy?.diagnosis?.['pt-BR']).toContain('concluído duas vezes');
  });

  it('prints a JSON report other tools can rely on, the same in two runs', () => {
    const solution = parseSolution(JSON.stringify(connected), 's.json');
    const a = runJson(
      playLevel({ level, solution, vsps }).result,
      playLevel({ level, solution, vsps }).report,
    );
    const b = runJson(
      playLevel({ level, solution, vsps }).result,
      playLevel({ level, solution, vsps }).report,
    );
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(Object.keys(a)).toEqual([
      'level',
      'seed',
      'stars',
      'scores',
      'objectives',
      'faults',
      'metrics',
      'hash',
    ]);
    expect(Object.keys(a.scores)).toEqual(['throughput', 'p99LatencyUs', 'rootCpuPercent', 'cost']);
    // Each objective says what it measures and in the level's words, so a grader's spreadsheet
    // needs no level file beside it to say which objective a student missed.
    expect(a.objectives[0]).toMatchObject({
      id: 'no-drops',
      metric: 'dropped',
      label: { en: 'No I/O lost', 'pt-BR': 'Nenhuma E/S perdida' },
    });
    expect(a.metrics.vms.db01).toMatchObject({
      iops: expect.any(Number),
      p99LatencyUs: expect.any(Number),
      ringFullPercent: expect.any(Number),
    });
  });
});
