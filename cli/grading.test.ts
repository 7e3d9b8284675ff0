/**
 * A teacher grading a class with the CLI: a level of her own, a folder of students' solutions,
 * one `hyperkata run --json` per student into a spreadsheet. Every student gets a row, the refused
 * ones too, and each problem names the file, the place in it and what was expected.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { minimalStorvsp } from '../core/vsp/testing/minimal-storvsp.js';
import { fixtureLevel } from '../levels/testing/fixture-level.js';
import { runCaptured } from './testing/run-captured.js';

let dir: string;
const file = (name: string) => path.join(dir, name);
const levelFile = () => file('my-level.json');

function cli(...argv: string[]) {
  // An empty campaign: the teacher's level is a file of her own.
  return runCaptured(argv, { vsps: () => [minimalStorvsp()], campaignDir: dir });
}

const right = {
  format: 1,
  level: 'test-first-partition',
  channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }],
};

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-grading-'));
  writeFileSync(levelFile(), JSON.stringify(fixtureLevel(), null, 2));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('run --json for a solution it refuses (exit 2)', () => {
  it('prints a JSON line naming the solution and every problem, so the student still gets a row', async () => {
    const typo = file('typo.solution.json');
    writeFileSync(
      typo,
      JSON.stringify({ ...right, channels: [{ vm: 'db1', device: 'scsi0', vsp: 'stor' }] }),
    );
    const r = await cli('run', levelFile(), '--solution', typo, '--json');
    expect(r.code).toBe(2);
    // The level's id, as the lines of the students whose solutions ran give it: one key to group by.
    expect(JSON.parse(r.out)).toEqual({
      level: 'test-first-partition',
      solution: typo,
      error: {
        message: expect.stringContaining('channels[0].vm') as unknown,
        file: typo,
        issues: [
          {
            path: 'channels[0].vm',
            expected: expect.stringContaining('VM') as unknown,
            found: '"db1"',
          },
        ],
      },
    });
    // The words stay on stderr, as without --json.
    expect(r.err).toContain(`${typo}: channels[0].vm`);
  });

  it('a file refused before it is parsed (too large, missing) gets its line too', async () => {
    const r = await cli('run', levelFile(), '--solution', file('absent.solution.json'), '--json');
    expect(r.code).toBe(2);
    const json = JSON.parse(r.out) as { solution: string; error: { message: string } };
    expect(json.solution).toBe(file('absent.solution.json'));
    expect(json.error.message).toContain('absent.solution.json: no such file');
  });

  it('without --json, stdout stays empty', async () => {
    const r = await cli('run', levelFile(), '--solution', file('absent.solution.json'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
  });
});

describe('validate, the teacher’s level given with the class’s solutions', () => {
  it('refuses a solution written for another level, naming its level field and the level given', async () => {
    const other = file('other-level.solution.json');
    writeFileSync(other, JSON.stringify({ format: 1, level: '03-legacy-guest' }));
    const good = file('good.solution.json');
    writeFileSync(good, JSON.stringify(right));
    const r = await cli('validate', levelFile(), good, other);
    expect(r.code).toBe(2);
    expect(r.out).toContain(`✔ ${good}: a valid solution (checked against test-first-partition`);
    expect(r.err).toBe(
      `✘ ${other}: level: expected the id of a level given with it (test-first-partition), found "03-legacy-guest"\n`,
    );
  });
});

describe('validate --json, piped into a teacher’s script', () => {
  /** stdout as the script reads it: one JSON value per line, nothing else. */
  const lines = (out: string) =>
    out
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  it('prints one line per file with kind and ok, and exits 0 when every file is valid', async () => {
    const good = file('json-good.solution.json');
    writeFileSync(good, JSON.stringify(right));
    const r = await cli('validate', '--json', levelFile(), good);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(lines(r.out)).toEqual([
      { file: levelFile(), kind: 'level', ok: true, level: 'test-first-partition', errors: [] },
      {
        file: good,
        kind: 'solution',
        ok: true,
        level: 'test-first-partition',
        checkedAgainst: levelFile(),
        errors: [],
      },
    ]);
  });

  it('a refused file gets its line with each error’s file, JSON path, message and expected; exit 2', async () => {
    const typo = file('json-typo.solution.json');
    writeFileSync(
      typo,
      JSON.stringify({ ...right, channels: [{ vm: 'db1', device: 'scsi0', vsp: 'stor' }] }),
    );
    const cut = file('json-cut.json');
    writeFileSync(cut, '{\n  "format": 1,\n');
    const missing = file('json-absent.solution.json');
    const r = await cli('validate', '--json', levelFile(), typo, cut, missing);
    expect(r.code).toBe(2);
    const [level, student, truncated, absent] = lines(r.out);
    expect(level).toMatchObject({ kind: 'level', ok: true });
    expect(student).toEqual({
      file: typo,
      kind: 'solution',
      ok: false,
      level: 'test-first-partition',
      checkedAgainst: levelFile(),
      errors: [
        {
          file: typo,
          path: 'channels[0].vm',
          message: `${typo}: channels[0].vm: expected the name of a VM in the scenario (db01), found "db1"`,
          expected: 'the name of a VM in the scenario (db01)',
          found: '"db1"',
        },
      ],
    });
    // Unreadable as JSON: no kind yet, and the place is the line and column.
    expect(truncated).toMatchObject({
      file: cut,
      kind: null,
      ok: false,
      level: null,
      errors: [
        { file: cut, path: 'line 3, column 1', expected: expect.stringContaining('valid JSON') },
      ],
    });
    // A file that is not there: its name says it is a solution; the error is the whole file's.
    expect(absent).toEqual({
      file: missing,
      kind: 'solution',
      ok: false,
      level: null,
      errors: [
        {
          file: missing,
          path: null,
          message: `${missing}: no such file`,
          expected: null,
          found: null,
        },
      ],
    });
    // The words still go to stderr, one ✘ line per problem, as without --json.
    expect(r.err.split('\n').filter((l) => l.startsWith('✘ '))).toHaveLength(3);
  });

  it('an error in the level a solution is checked against names the level file', async () => {
    const level = fixtureLevel();
    const broken = file('json-broken-level.json');
    writeFileSync(broken, JSON.stringify({ ...level, naiveFails: ['no-such-objective'] }));
    const solution = file('json-for-broken.solution.json');
    writeFileSync(solution, JSON.stringify(right));
    const r = await cli('validate', '--json', broken, solution);
    expect(r.code).toBe(2);
    const [, student] = lines(r.out);
    expect(student).toMatchObject({
      file: solution,
      ok: false,
      errors: [{ file: broken, path: 'naiveFails[0]' }],
    });
  });
});

describe('verify, the teacher’s own level files', () => {
  const naive = { format: 1, level: 'test-first-partition' };
  beforeAll(() => {
    writeFileSync(file('my-level.reference.solution.json'), JSON.stringify(right));
    writeFileSync(file('my-level.naive.solution.json'), JSON.stringify(naive));
  });

  it('checks a level file with its reference and naive solutions beside it', async () => {
    const r = await cli('verify', levelFile(), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({
      levels: [{ id: 'test-first-partition', reference: { stars: 3 }, deterministic: true }],
    });
  });

  it('says which objective the reference misses and by how much', async () => {
    const level = fixtureLevel();
    const impossible = file('impossible.json');
    writeFileSync(
      impossible,
      JSON.stringify({
        ...level,
        objectives: level.objectives.map((o) =>
          o.id === 'no-drops' ? { ...o, metric: 'iops', op: '>=', value: 1e9 } : o,
        ),
      }),
    );
    writeFileSync(file('impossible.reference.solution.json'), JSON.stringify(right));
    writeFileSync(file('impossible.naive.solution.json'), JSON.stringify(naive));
    const r = await cli('verify', impossible);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^✘ test-first-partition +reference ☆☆☆/);
    expect(r.out).toMatch(
      /\n {4}reference misses no-drops \(db01\): throughput [\d,]+ ops\/s — needed ≥ 1,000,000,000 ops\/s\n/,
    );
  });

  it('a level file without its solutions beside it is a usage error naming the file it looked for', async () => {
    const alone = file('alone.json');
    writeFileSync(alone, JSON.stringify(fixtureLevel()));
    const r = await cli('verify', alone);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `hyperkata: ${alone}: expected its reference solution beside it in ${file('alone.reference.solution.json')}, found no such file\n`,
    );
  });
});

describe('a student’s typo in a VM name', () => {
  it('lists the VMs the student could have meant, in a channel and in an emulated route', async () => {
    const typo = file('vm-typo.solution.json');
    writeFileSync(
      typo,
      JSON.stringify({
        ...right,
        channels: [{ vm: 'db1', device: 'scsi0', vsp: 'stor' }],
        emulated: [{ vm: 'db1', device: 'scsi0', backing: 'ssd0' }],
      }),
    );
    const r = await cli('validate', levelFile(), typo);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      `${typo}: channels[0].vm: expected the name of a VM in the scenario (db01), found "db1"`,
    );
    expect(r.err).toContain(
      `${typo}: emulated[0].vm: expected the name of a VM in the scenario (db01), found "db1"`,
    );
  });
});
