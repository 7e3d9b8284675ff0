/**
 * `node --import hyperkata/register`, as a plugin project's `npm test` runs its TypeScript: a
 * source that does not compile is named with its file, line and column and what esbuild found
 * there — as `hyperkata run --plugin` names it — not with esbuild's stack trace.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-register-'));
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, 'test'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `node --import <hyperkata/register> --test test/<name>.test.ts`, from the project's folder. */
function nodeTest(name: string, source: string) {
  writeFileSync(path.join(dir, 'src', `${name}.ts`), source);
  writeFileSync(
    path.join(dir, 'test', `${name}.test.ts`),
    `import { it } from 'node:test';\nimport plugin from '../src/${name}.js';\nit('loads', () => void plugin);\n`,
  );
  const run = spawnSync(
    process.execPath,
    ['--import', path.join(REPO, 'bin/register.js'), '--test', `test/${name}.test.ts`],
    { cwd: dir, encoding: 'utf8', timeout: 60_000 },
  );
  return { status: run.status, out: run.stdout + run.stderr };
}

describe('hyperkata/register', () => {
  it('names a syntax error in a plugin’s source by file, line and column (from 1), with no esbuild stack', () => {
    const { status, out } = nodeTest(
      'broken',
      `const ok = 1;\nexport default { id: 'acme.broken', ok: ok + };\n`,
    );
    expect(status).not.toBe(0);
    expect(out).toContain(
      'src/broken.ts:2:46: expected TypeScript that compiles, found Unexpected "}"',
    );
    expect(out).not.toContain('esbuild/lib/main.js');
    expect(out).not.toContain('TransformError');
  });

  it('leaves a source that compiles, and an error thrown as it runs, as they are', () => {
    expect(nodeTest('fine', 'export default 1;\n').status).toBe(0);
    const thrown = nodeTest('throws', `throw new RangeError('not today');\nexport default 1;\n`);
    expect(thrown.status).not.toBe(0);
    expect(thrown.out).toMatch(/RangeError: not today\n.*src\/throws\.ts:1/);
  });
});
