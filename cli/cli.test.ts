import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { minimalStorvsp } from '../core/vsp/testing/minimal-storvsp.js';
import { fixtureLevel } from '../levels/testing/fixture-level.js';
import { DEVICE_CLASS_GUIDS } from '../core/index.js';
import { processEnv } from './env.js';
import { runCaptured } from './testing/run-captured.js';

let dir: string;
const file = (name: string) => path.join(dir, name);
const reference = {
  format: 1,
  level: 'test-first-partition',
  channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }],
};
const naive = { format: 1, level: 'test-first-partition' };

function cli(...argv: string[]) {
  return runCaptured(argv, { vsps: () => [minimalStorvsp()], campaignDir: dir });
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-cli-'));
  writeFileSync(
    file('01-test-first-partition.json'),
    JSON.stringify({ ...fixtureLevel(), number: 1 }, null, 2),
  );
  writeFileSync(file('01-test-first-partition.reference.solution.json'), JSON.stringify(reference));
  writeFileSync(file('01-test-first-partition.naive.solution.json'), JSON.stringify(naive));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('hyperkata CLI', () => {
  it('levels lists the campaign with the concepts each level teaches', async () => {
    const r = await cli('levels', '--json');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as { levels: { id: string; concepts: { rules: number[] }[] }[] };
    expect(json.levels[0]?.id).toBe('test-first-partition');
    expect(json.levels[0]?.concepts[0]?.rules).toEqual([10, 11, 12]);
  });

  it('run exits 0 when every objective is met and prints the JSON report', async () => {
    const r = await cli(
      'run',
      'test-first-partition',
      '--solution',
      file('01-test-first-partition.reference.solution.json'),
      '--json',
    );
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    // The solution graded, so a class's reports collected one per line say whose each is.
    expect(json.solution).toBe(file('01-test-first-partition.reference.solution.json'));
    expect(Object.keys(json)).toEqual([
      'level',
      'solution',
      'seed',
      'stars',
      'scores',
      'objectives',
      'faults',
      'metrics',
      'hash',
    ]);
  });

  it('run exits 1 when an objective is missed and explains why, in the chosen language', async () => {
    const r = await cli(
      'run',
      '1',
      '--solution',
      file('01-test-first-partition.naive.solution.json'),
      '--lang',
      'pt-BR',
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('✘ Nenhuma E/S perdida (db01)');
    expect(r.out).toContain('não está ligado a nada');
  });

  it('run and replay give the same hash; a tampered replay is caught', async () => {
    const replayFile = file('run.replay.json');
    const run = await cli(
      'run',
      'test-first-partition',
      '--solution',
      file('01-test-first-partition.reference.solution.json'),
      '--json',
      '--replay-out',
      replayFile,
    );
    const hash = (JSON.parse(run.out) as { hash: string }).hash;
    const ok = await cli('replay', replayFile, '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ expected: hash, actual: hash, same: true });
    const tampered = JSON.parse((await import('node:fs')).readFileSync(replayFile, 'utf8')) as {
      seed: number;
    };
    tampered.seed += 1;
    writeFileSync(replayFile, JSON.stringify(tampered));
    expect((await cli('replay', replayFile)).code).toBe(1);
  });

  describe('a replay file edited after the run', () => {
    let original: Record<string, unknown>;
    const replayWith = async (changes: Record<string, unknown>) => {
      const edited = file('edited.replay.json');
      writeFileSync(edited, JSON.stringify({ ...original, ...changes }));
      return cli('replay', edited);
    };
    beforeAll(async () => {
      const out = file('original.replay.json');
      await cli(
        'run',
        'test-first-partition',
        '--solution',
        file('01-test-first-partition.reference.solution.json'),
        '--replay-out',
        out,
      );
      original = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    });

    it('claiming other stars than the run earns is not a reproduction (exit 1)', async () => {
      const stars = original.stars as number;
      const r = await replayWith({ stars: stars === 3 ? 1 : 3 });
      expect(r.code).toBe(1);
      expect(r.out).toMatch(/^✘ test-first-partition: .*earned \d star\(s\), the replay claims \d/);
    });

    it('a seed outside 0…2^32−1 is refused naming the field, not run as another seed', async () => {
      const r = await replayWith({ seed: (original.seed as number) + 2 ** 32 });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/edited\.replay\.json: seed: expected a number ≤ 4294967295/);
    });

    it("a solution change the level locks is refused at the solution's path in the replay", async () => {
      const solution = original.solution as Record<string, unknown>;
      const r = await replayWith({ solution: { ...solution, host: { scheduler: 'core' } } });
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/edited\.replay\.json: solution\.host\.scheduler: expected no change/);
    });
  });

  it('--replay-out to a folder that does not exist exits 2 naming the file', async () => {
    const out = path.join(dir, 'no-such-folder', 'r.json');
    const r = await cli('run', 'test-first-partition', '--replay-out', out);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^hyperkata: .*no-such-folder\/r\.json: cannot be written/);
    expect(r.err).not.toContain('    at ');
  });

  it('verify checks reference, naive and determinism', async () => {
    const r = await cli('verify', '--json');
    const json = JSON.parse(r.out) as {
      levels: {
        id: string;
        reference: { stars: number };
        naive: { failedObjectives: string[] };
        deterministic: boolean;
      }[];
    };
    expect(json.levels[0]?.naive.failedObjectives).toContain('no-drops');
    expect(json.levels[0]?.deterministic).toBe(true);
  });

  it('unknown level and usage mistakes exit 2 without a stack trace', async () => {
    const r = await cli('run', 'no-such-level');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^hyperkata: no level "no-such-level" in the campaign/);
    expect(r.err).not.toContain('    at ');
    expect(r.err).not.toContain('did you mean');
    // Part of one level's name: that level is named, not run.
    const part = await cli('run', 'first-part');
    expect(part.code).toBe(2);
    expect(part.err).toMatch(
      /^hyperkata: no level "first-part" in the campaign — did you mean test-first-partition\?/,
    );
    expect((await cli('run', '1', '--seed', 'x')).code).toBe(2);
    // Number('') is 0 and Number('0x10') is 16: a seed is written in decimal digits.
    for (const seed of ['', '0x10', '1e3', ' 7', '-0']) {
      const r = await cli('run', '1', '--seed', seed);
      expect(r.code).toBe(2);
      expect(r.err).toContain('--seed: expected an integer from 0 to 4294967295');
    }
    for (const command of ['run', 'levels'])
      expect((await cli(command, ...(command === 'run' ? ['1'] : []), '--lang', 'fr')).code).toBe(
        2,
      );
    expect((await cli('frobnicate')).code).toBe(2);
  });
});

describe('a solution the host refuses before the run', () => {
  it('rule 11: run and validate exit 2 when a VSC is wired to a VSP of another class, naming the solution file, the field and both class GUIDs', async () => {
    const crossWired = file('cross-wired.solution.json');
    writeFileSync(
      crossWired,
      JSON.stringify({
        format: 1,
        level: '02-two-lanes',
        channels: [
          { vm: 'web01', device: 'scsi0', vsp: 'storvsp-ssd0' },
          { vm: 'web01', device: 'eth0', vsp: 'storvsp-ssd0' },
        ],
      }),
    );
    const message = new RegExp(
      `cross-wired\\.solution\\.json: channels\\[1\\]\\.vsp: expected a network VSP for web01/eth0 \\(class GUID ${DEVICE_CLASS_GUIDS.network}\\).*found "storvsp-ssd0", which serves storage \\(class GUID ${DEVICE_CLASS_GUIDS.storage}\\)`,
    );
    const run = await runCaptured(['run', '02', '--solution', crossWired], {
      ...processEnv(),
      locale: {},
    });
    expect(run.code).toBe(2);
    expect(run.out).toBe('');
    expect(run.err).toMatch(new RegExp(`^hyperkata: \\S*${message.source}`));
    expect(run.err).not.toContain('    at ');
    const validate = await runCaptured(['validate', crossWired], processEnv());
    expect(validate.code).toBe(2);
    expect(validate.err).toMatch(message);
  });
});

describe('a corpus of broken files: exit 2, naming the file and the path', () => {
  const level = fixtureLevel();
  const cases: [string, unknown, RegExp][] = [
    [
      'wrong-type.json',
      { ...level, scenario: { ...level.scenario, durationMs: 'long' } },
      /wrong-type\.json: scenario\.durationMs: expected a number, found "long"/,
    ],
    [
      'missing-field.json',
      { ...level, objectives: undefined },
      /missing-field\.json: objectives: expected an array, found nothing/,
    ],
    [
      'out-of-range.json',
      { ...level, defaults: { ...level.defaults, host: { scheduler: 'classic', rootVps: 0 } } },
      /out-of-range\.json: defaults\.host\.rootVps: expected a number ≥ 1, found 0/,
    ],
    [
      'duplicate-vm.json',
      {
        ...level,
        scenario: { ...level.scenario, vms: [...level.scenario.vms, ...level.scenario.vms] },
      },
      /duplicate-vm\.json: scenario\.vms\[1\]\.name: expected a name used once, found "db01"/,
    ],
    [
      'bad-defaults.json',
      { ...level, defaults: { ...level.defaults, host: { scheduler: 'classic', rootVps: 9 } } },
      /bad-defaults\.json: defaults\.host\.rootVps: expected at most 8 \(one root VP per logical processor/,
    ],
    [
      'unknown-vm.solution.json',
      { ...reference, vms: { db99: { integrationComponents: true } } },
      /unknown-vm\.solution\.json: vms\.db99: expected one of the level's VMs \(db01\)/,
    ],
    [
      'missing-vsp.solution.json',
      { ...reference, channels: [{ vm: 'db01', device: 'scsi0', vsp: 'nope' }] },
      /missing-vsp\.solution\.json: channels\[0\]\.vsp: expected one of the configured VSP instances \(stor\), found "nope"/,
    ],
  ];
  it.each(cases)('%s', async (name, content, message) => {
    writeFileSync(file(name), JSON.stringify(content));
    const r = await cli('validate', file(name));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });

  it('a solution whose level field is a path is checked on its own: the path is never opened', async () => {
    // A file graders validate must not make the CLI read (or block on) a path it names.
    writeFileSync(file('not-a-level.json'), '{ broken');
    const sneaky = file('sneaky.solution.json');
    writeFileSync(sneaky, JSON.stringify({ format: 1, level: file('not-a-level.json') }));
    const r = await cli('validate', sneaky);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('its level is not in the campaign: checked on its own');
  });

  it('a device or a folder given as a file is refused without reading it', async () => {
    const device = await cli('validate', '/dev/null');
    expect(device.code).toBe(2);
    expect(device.err).toContain('/dev/null: expected a regular file, found a device');
    const folder = await cli('run', dir + '/');
    expect(folder.code).toBe(2);
    expect(folder.err).toMatch(/: expected a regular file, found a folder/);
  });

  it('truncated JSON names the line and column', async () => {
    writeFileSync(file('truncated.json'), JSON.stringify(level, null, 2).slice(0, 500));
    const r = await cli('validate', file('truncated.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/truncated\.json: line \d+, column \d+: expected valid JSON/);
  });

  it('a 50 MB file is refused before it is read', async () => {
    writeFileSync(file('huge.json'), Buffer.alloc(50 * 1024 * 1024, 32));
    const r = await cli('validate', file('huge.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('huge.json: expected a file of at most 2 MB, found 50.0 MB');
  });

  it('valid files pass', async () => {
    const r = await cli(
      'validate',
      file('01-test-first-partition.json'),
      file('01-test-first-partition.reference.solution.json'),
    );
    expect(r.code).toBe(0);
    // Against the level given with it (the campaign's, here).
    expect(r.out).toContain(
      `a valid solution (checked against test-first-partition in ${file('01-test-first-partition.json')})`,
    );
  });
});

describe('the language of the words: --lang, else LC_ALL, LC_MESSAGES or LANG', () => {
  const levels = (locale: Record<string, string>, ...argv: string[]) =>
    runCaptured(['levels', ...argv], { vsps: () => [minimalStorvsp()], campaignDir: dir, locale });
  const titleOf = (out: string) => (out.includes('Primeira partição') ? 'pt-BR' : 'en');

  it('a Brazilian locale (pt_BR.UTF-8) gives pt-BR without --lang; --lang still wins', async () => {
    const r = await levels({ LANG: 'pt_BR.UTF-8' });
    expect(r.code).toBe(0);
    expect(r.out).toContain(' Primeira partição\n');
    // The words around the level's own text follow too.
    expect(r.out).toContain('(regras 10, 11, 12)');
    expect(titleOf((await levels({ LANG: 'pt_BR.UTF-8' }, '--lang', 'en')).out)).toBe('en');
    expect(titleOf((await levels({ LANG: 'en_US.UTF-8' }, '--lang', 'pt-BR')).out)).toBe('pt-BR');
  });

  it('POSIX precedence: LC_ALL over LC_MESSAGES over LANG; an empty one counts as unset', async () => {
    const cases: [Record<string, string>, string][] = [
      [{}, 'en'],
      [{ LANG: 'pt_BR' }, 'pt-BR'],
      [{ LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'en_US.UTF-8' }, 'pt-BR'],
      [{ LC_MESSAGES: 'C', LANG: 'pt_BR.UTF-8' }, 'en'],
      [{ LC_ALL: 'C', LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'pt_BR.UTF-8' }, 'en'],
      [{ LC_ALL: 'pt_BR.UTF-8', LC_MESSAGES: 'en_US.UTF-8' }, 'pt-BR'],
      [{ LC_ALL: '', LANG: 'pt_BR.UTF-8' }, 'pt-BR'],
      [{ LANG: 'fr_FR.UTF-8' }, 'en'],
    ];
    for (const [locale, lang] of cases)
      expect([locale, titleOf((await levels(locale)).out)]).toEqual([locale, lang]);
  });

  it('run summarises in the locale’s language; its --json is the same in any locale', async () => {
    const naive = file('01-test-first-partition.naive.solution.json');
    const pt = await runCaptured(['run', '1', '--solution', naive], {
      vsps: () => [minimalStorvsp()],
      campaignDir: dir,
      locale: { LC_ALL: 'pt_BR.UTF-8' },
    });
    expect(pt.code).toBe(1);
    expect(pt.out).toContain('✘ Nenhuma E/S perdida (db01)');
    const json = (locale: Record<string, string>) =>
      runCaptured(['run', '1', '--solution', naive, '--json'], {
        vsps: () => [minimalStorvsp()],
        campaignDir: dir,
        locale,
      });
    expect((await json({ LANG: 'pt_BR.UTF-8' })).out).toBe((await json({})).out);
  });

  it('the test runner’s own locale changes nothing: commands read only the locale they are given', async () => {
    const saved = process.env.LC_ALL;
    process.env.LC_ALL = 'pt_BR.UTF-8';
    try {
      expect(titleOf((await levels({})).out)).toBe('en');
    } finally {
      if (saved === undefined) delete process.env.LC_ALL;
      else process.env.LC_ALL = saved;
    }
  });
});
