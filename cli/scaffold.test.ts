/**
 * `hyperkata new-plugin`: what it makes is a working plugin — its own tests pass as generated,
 * run the way its author runs them (`npm test`), and the host loads it sandboxed — and what it
 * refuses is a usage mistake (exit 2, one readable line, nothing written).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FakeVspHost } from '../plugins/sandbox/testing/fake-vsp-host.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './errors.js';
import { loadPlugin } from './plugins/load-plugin.js';
import { runCaptured } from './testing/run-captured.js';

let dir: string;

function cli(...argv: string[]) {
  return runCaptured(argv);
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-new-plugin-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('hyperkata new-plugin', () => {
  it('scaffolds a plugin whose own tests pass as generated (npm test)', async () => {
    const r = await cli('new-plugin', 'acme-storvsp', '--dir', dir);
    expect(r).toMatchObject({ code: EXIT_OK, err: '' });
    expect(r.out).toContain('Created local.acme-storvsp');
    const project = path.join(dir, 'acme-storvsp');
    const pkg = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as {
      name: string;
      scripts: { test: string };
    };
    expect(pkg.name).toBe('acme-storvsp');
    expect(readFileSync(path.join(project, 'src', 'index.ts'), 'utf8')).toContain(
      "id: 'local.acme-storvsp'",
    );

    const test = spawnSync('npm', ['test'], { cwd: project, encoding: 'utf8', timeout: 240_000 });
    const output = `${test.stdout}\n${test.stderr}`;
    expect({ status: test.status, output }).toMatchObject({ status: 0 });
    // node:test's summary: every generated test ran, none failed.
    expect(output).toMatch(/# pass [1-9]/);
    expect(output).toMatch(/# fail 0/);
  }, 300_000);

  it('the generated plugin loads from its folder and runs in the sandbox', async () => {
    const project = path.join(dir, 'acme-storvsp');
    const vsp = await loadPlugin('src/index.ts', { cwd: project });
    expect(vsp).toMatchObject({ id: 'local.acme-storvsp', isolation: 'sandbox' });
    expect(() => vsp.create(new FakeVspHost())).not.toThrow();
  });

  it.each([
    ['Acme', 'not a plugin name'],
    ['../escape', 'not a plugin name'],
    ['my_vsp', 'not a plugin name'],
    ['9lives', 'not a plugin name'],
    ['hyperkata-storvsp', 'belong to the built-ins'],
  ])('refuses the name %j with exit 2 and writes nothing', async (name, why) => {
    const before = readdirSync(dir);
    const r = await cli('new-plugin', name, '--dir', dir);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toContain(why);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace for a user's mistake
    expect(readdirSync(dir)).toEqual(before);
  });

  it('refuses a reserved or malformed --id with exit 2', async () => {
    for (const id of ['hyperkata.storvsp', 'no-namespace']) {
      const r = await cli('new-plugin', 'other-vsp', '--dir', dir, '--id', id);
      expect(r.code).toBe(EXIT_BAD_INPUT);
      expect(r.err).toContain(id);
    }
    expect(existsSync(path.join(dir, 'other-vsp'))).toBe(false);
  });

  it('refuses a folder that already exists with exit 2 and leaves it untouched', async () => {
    mkdirSync(path.join(dir, 'taken'));
    const r = await cli('new-plugin', 'taken', '--dir', dir);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/^hyperkata: .*taken already exists/);
    expect(readdirSync(path.join(dir, 'taken'))).toEqual([]);
  });

  it('a missing name is a usage error (exit 2)', async () => {
    const r = await cli('new-plugin');
    expect(r.code).toBe(EXIT_BAD_INPUT);
  });
});
