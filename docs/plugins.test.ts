/**
 * docs/plugins.md works as written. Its code samples are regions of real files under
 * docs/examples/tiny-storvsp (the type check compiles them); this test checks that each sample in
 * the doc is exactly its file's region, then follows the tutorial: `hyperkata new-plugin`, the
 * doc's files copied in, `npm test` (the plugin's own node:test tests), and the doc's
 * `hyperkata run ... --plugin` playing level 10 with the plugin in the sandbox.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishEnv } from '../cli/testing/english-env.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const DOC = readFileSync(path.join(REPO, 'docs', 'plugins.md'), 'utf8');
const EXAMPLE = path.join(REPO, 'docs', 'examples', 'tiny-storvsp');

interface Sample {
  readonly ref: string | undefined;
  readonly lang: string;
  readonly code: string;
}

/** Every fenced block of the doc, with the `<!-- example: file#region -->` marker before it. */
function samples(markdown: string): Sample[] {
  const out: Sample[] = [];
  const fence = /(?:<!-- example: (\S+) -->\s*\n)?```(\w*)\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(fence)) out.push({ ref: m[1], lang: m[2], code: m[3] });
  return out;
}

/** A file, or the lines between `// #region name` and `// #endregion name`, dedented. */
function region(ref: string): string {
  const hash = ref.indexOf('#');
  const file = hash < 0 ? ref : ref.slice(0, hash);
  const name = ref.slice(hash + 1);
  const text = readFileSync(path.join(REPO, file), 'utf8');
  if (hash < 0) return text.replace(/\n+$/, '');
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `// #region ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
  if (start < 0 || end < 0) throw new Error(`${file} has no region ${name}`);
  const body = lines.slice(start + 1, end).filter((l) => !/^\s*\/\/ #(end)?region /.test(l));
  const indent = Math.min(
    ...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
  );
  return body.map((l) => l.slice(indent)).join('\n');
}

/** The doc's shell commands, one per line. */
function commands(): string[] {
  return samples(DOC)
    .filter((s) => s.lang === 'sh')
    .flatMap((s) => s.code.split('\n'))
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** Runs a doc command in `cwd`: `npx hyperkata …` is the linked package's bin, as npx finds it. */
function sh(command: string, cwd: string): { status: number | null; output: string } {
  const [tool = '', ...args] = command.split(/\s+/);
  const argv =
    tool === 'npx' && args[0] === 'hyperkata'
      ? [path.join(cwd, 'node_modules', '.bin', 'hyperkata'), ...args.slice(1)]
      : [tool, ...args];
  const r = spawnSync(argv[0] ?? '', argv.slice(1), {
    cwd,
    env: englishEnv(),
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-tutorial-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/plugins.md', () => {
  it('every code sample is a real file (or a region of one) under docs/examples, verbatim', () => {
    const code = samples(DOC).filter((s) => s.lang !== 'sh');
    expect(code.length).toBeGreaterThanOrEqual(8);
    for (const s of code) {
      expect({ sample: s.code.slice(0, 60), ref: s.ref }).toEqual({
        sample: s.code.slice(0, 60),
        ref: expect.stringMatching(/^docs\/examples\//) as unknown,
      });
      expect(s.code).toBe(region(s.ref ?? ''));
    }
  });

  it('the whole of src/index.ts is in the doc, so the doc writes the VSP entirely', () => {
    const shown = samples(DOC)
      .filter((s) => s.ref?.startsWith('docs/examples/tiny-storvsp/src/index.ts#') === true)
      .map((s) => s.code.split('\n').map((l) => l.trim()))
      .flat();
    const source = readFileSync(path.join(EXAMPLE, 'src', 'index.ts'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('// #'));
    // The file's header comment aside, every line of the plugin appears in the tutorial.
    const body = source.slice(source.findIndex((l) => l.startsWith('import')));
    expect(body.filter((l) => !shown.includes(l))).toEqual([]);
  });

  it('the tutorial works: new-plugin, the doc’s files, npm test, then run --plugin earns the level', () => {
    const steps = commands();
    expect(steps).toEqual([
      'npx hyperkata new-plugin tiny-storvsp --dir ..',
      'cd ../tiny-storvsp',
      'npm test',
      'npx hyperkata run 10-two-disks --solution solution.json --plugin src/index.ts',
      'npx hyperkata run 10-two-disks --solution solution.json --plugin src/index.ts --log tiny-ssd1',
    ]);
    // Step 1, from a clone of Hyperkata: a folder inside `dir` stands for it, so `..` is `dir`
    // (the clone's own `npx hyperkata` is this repository's bin).
    const clone = path.join(dir, 'hyperkata');
    mkdirSync(clone);
    const args = (steps[0] ?? '').split(/\s+/).slice(2); // after `npx hyperkata`
    const made = spawnSync(process.execPath, [path.join(REPO, 'bin', 'hyperkata.js'), ...args], {
      cwd: clone,
      env: englishEnv(),
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect({ status: made.status, err: made.stderr }).toEqual({ status: 0, err: '' });
    const project = path.resolve(clone, (steps[1] ?? '').replace(/^cd /, ''));
    expect(project).toBe(path.join(dir, 'tiny-storvsp'));
    // Steps 2–4: the doc's files replace the generated ones.
    for (const f of ['src/index.ts', 'test/index.test.ts', 'solution.json'])
      copyFileSync(path.join(EXAMPLE, f), path.join(project, f));

    const test = sh(steps[2] ?? '', project);
    expect(test).toMatchObject({ status: 0 });
    expect(test.output).toMatch(/# pass 5\b/);
    expect(test.output).toMatch(/# fail 0\b/);

    const run = sh(`${steps[3] ?? ''} --json`, project);
    expect({ status: run.status, output: run.status === 0 ? '' : run.output }).toEqual({
      status: 0,
      output: '',
    });
    const report = JSON.parse(run.output) as {
      stars: number;
      faults: { plugins: unknown[] };
    };
    expect(report.stars).toBe(3);
    expect(report.faults.plugins).toEqual([]);

    // Step 5: --log prints, on stderr, the narration lines the doc shows.
    const [, , ...logArgs] = (steps[4] ?? '').split(/\s+/);
    const logged = spawnSync(path.join(project, 'node_modules', '.bin', 'hyperkata'), logArgs, {
      cwd: project,
      env: englishEnv(),
      encoding: 'utf8',
      timeout: 240_000,
    });
    expect(logged.status).toBe(0);
    expect(logged.stderr).toBe(readFileSync(path.join(EXAMPLE, 'log.txt'), 'utf8'));

    // The settings paragraph: the refusal it quotes is what the host says of that value.
    const quoted = /`(solution\.json: vsps\[1\]\.settings\.requestNs: [^`]*)`/.exec(DOC)?.[1];
    expect(quoted).toMatch(/found -5$/);
    const solution = readFileSync(path.join(project, 'solution.json'), 'utf8');
    expect(solution).toContain('"settings": { "requestNs": 1500 }');
    writeFileSync(
      path.join(project, 'solution.json'),
      solution.replace('"requestNs": 1500', '"requestNs": -5'),
    );
    const refused = sh('npx hyperkata validate solution.json --plugin src/index.ts', project);
    expect(refused.status).toBe(2);
    expect(refused.output).toContain(`✘ ${quoted ?? ''}\n`);
  }, 300_000);
});
