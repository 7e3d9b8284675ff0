/**
 * A teacher pipes the CLI into a script or `head`, which may stop reading before the CLI is done
 * writing: the command must not die with Node's EPIPE stack trace, and its exit code still counts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { englishEnv } from './testing/english-env.js';

const BIN = fileURLToPath(new URL('../bin/hyperkata.js', import.meta.url));
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-pipes-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Runs `hyperkata ARGS | true`: `true` exits at once without reading, so every write the CLI makes
 * to stdout finds the pipe closed. Returns the CLI's own exit code and stderr.
 */
function intoClosedPipe(...args: string[]): { code: string; err: string } {
  const err = path.join(dir, 'err.txt');
  const code = path.join(dir, 'code.txt');
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
  const r = spawnSync('sh', ['-c', `(${quoted} 2>'${err}'; echo $? >'${code}') | true`], {
    env: englishEnv(),
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status).toBe(0);
  return { code: readFileSync(code, 'utf8').trim(), err: readFileSync(err, 'utf8') };
}

describe('output piped to a reader that stops early', () => {
  it('levels: no EPIPE stack trace, exit 0', () => {
    expect(intoClosedPipe('levels')).toEqual({ code: '0', err: '' });
  }, 60_000);

  it('validate --json: the exit code still says a file was refused, and stderr still says why', () => {
    const absent = path.join(dir, 'absent.solution.json');
    expect(intoClosedPipe('validate', '--json', absent)).toEqual({
      code: '2',
      err: `✘ ${absent}: no such file\n`,
    });
  }, 60_000);
});
