/**
 * docs/levels.md is a tutorial whose files and claims are checked here: its level and solution
 * files are extracted, validated and run through the real CLI, and the results it describes —
 * three stars for the reference, the naive solution's lost I/O, the error for a misspelt workload —
 * must hold.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { processEnv } from '../cli/env.js';
import { runCaptured } from '../cli/testing/run-captured.js';

const doc = readFileSync(
  path.join(path.dirname(fileURLToPath(import.meta.url)), 'levels.md'),
  'utf8',
);
let dir: string;

/** Each `<!-- file: NAME -->` marker followed by a fenced block. */
function docFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const m of doc.matchAll(/<!-- file: (\S+) -->\s*```\w*\n([\s\S]*?)```/g))
    files.set(m[1], m[2]);
  return files;
}

function cli(...argv: string[]) {
  // The summaries are checked in English: the runner's own LANG must not pick pt-BR.
  return runCaptured(argv, { ...processEnv(), locale: {} });
}
const at = (name: string) => path.join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-doc-levels-'));
  for (const [name, text] of docFiles()) {
    mkdirSync(path.dirname(at(name)), { recursive: true });
    writeFileSync(at(name), text);
  }
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('docs/levels.md', () => {
  const level = 'my-levels/two-tenants.json';
  const reference = 'my-levels/two-tenants.reference.solution.json';
  const naive = 'my-levels/two-tenants.naive.solution.json';

  it('holds the worked example: a level, its reference and its naive solution', () => {
    expect([...docFiles().keys()].sort()).toEqual([level, naive, reference].sort());
  });

  it('its files validate', async () => {
    const r = await cli('validate', at(level), at(reference), at(naive));
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });

  it('the reference solution earns three stars', async () => {
    const r = await cli('run', at(level), '--solution', at(reference), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ level: 'two-tenants', stars: 3 });
  });

  it('verify checks the level with the solutions beside it, as the page says', async () => {
    const r = await cli('verify', at(level));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(
      /^✔ two-tenants +reference ★★★ +naive fails no-lost-io +deterministic\n$/,
    );
  });

  it('the naive solution loses files01’s I/O, as the page says', async () => {
    const r = await cli('run', at(level), '--solution', at(naive));
    expect(r.code).toBe(1);
    expect(r.out).toContain('☆☆☆');
    expect(r.out).toContain('✘ no VM loses I/O (files01)');
    expect(r.out).toContain('scsi0 is connected to nothing, so its I/O is lost');
  });

  it('a misspelt workload kind gives the error the page shows', async () => {
    const shown = /^✘ .*$/m.exec(doc.slice(doc.indexOf('<!-- error:')))?.[0];
    if (shown === undefined) throw new Error('the page shows no error message');
    const broken = at('my-levels/broken.json');
    writeFileSync(
      broken,
      readFileSync(at(level), 'utf8').replace('"kind": "file"', '"kind": "fileserver"'),
    );
    const r = await cli('validate', broken);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(shown.replace(level, broken));
  });
});
