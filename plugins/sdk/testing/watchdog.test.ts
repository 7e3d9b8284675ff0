/**
 * The harness's watchdog: a plugin handler that never returns ends its author's test run within
 * seconds, with the handler, the line it loops at, the packet and channel, and the test that
 * called it — where it used to hang `node --test` for good. Run as an author runs their tests:
 * node:test in a child process, the plugin's TypeScript loaded through hyperkata/register.
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
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-harness-watchdog-'));
  mkdirSync(path.join(dir, 'src'));
  mkdirSync(path.join(dir, 'test'));
  // As in a project new-plugin makes: its TypeScript is ES modules.
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A storage VSP whose `create` runs `inCreate` and whose onPacket runs `inPacket`. */
function plugin(name: string, inCreate: string, inPacket: string): void {
  writeFileSync(
    path.join(dir, 'src', `${name}.ts`),
    `import { defineVsp } from ${JSON.stringify(path.join(REPO, 'plugins/sdk/index.ts'))};

export default defineVsp({
  id: 'acme.${name}',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create() {
    ${inCreate}
    return {
      onPacket(channel, packet) {
        ${inPacket}
        channel.complete(packet.transId, new Uint8Array(0));
      },
    };
  },
});
`,
  );
}

/** `node --test` of a test file that sends three packets, as a plugin project's npm test runs it. */
function runTests(name: string) {
  const test = path.join(dir, 'test', `${name}.test.ts`);
  writeFileSync(
    test,
    `import { it } from 'node:test';
import { VspTestHarness } from ${JSON.stringify(path.join(REPO, 'plugins/sdk/testing/index.ts'))};
import vsp from '../src/${name}.js';

it('answers three packets', () => {
  const h = new VspTestHarness(vsp);
  const channel = h.openChannel({ vm: 'db01', device: 'scsi0' });
  for (let i = 0; i < 3; i++) h.deliver(channel, h.packets.inband(new Uint8Array(8)));
});
`,
  );
  // The runner's own worker id would turn the watchdog off, as under Jest it is.
  const env: NodeJS.ProcessEnv = { ...process.env, HYPERKATA_HARNESS_TIMEOUT: '1' };
  delete env.JEST_WORKER_ID;
  const started = performance.now();
  const r = spawnSync(
    process.execPath,
    ['--import', path.join(REPO, 'bin/register.js'), '--test', test],
    { cwd: dir, env, encoding: 'utf8', timeout: 60_000 },
  );
  return {
    status: r.status,
    output: `${r.stdout}\n${r.stderr}`,
    seconds: (performance.now() - started) / 1000,
  };
}

describe('VspTestHarness’s watchdog', () => {
  it('a handler that never returns ends the test run, naming the handler, its line, the packet and the test', () => {
    plugin('loops', '', 'if (packet.transId === 2) while (true) {}');
    const r = runTests('loops');
    expect(r.status).toBe(1);
    expect(r.seconds).toBeLessThan(30);
    const said = r.output.replace(/^# /gm, '');
    expect(said).toContain('VspTestHarness: onPacket did not return in 1 s — an infinite loop?');
    expect(said).toMatch(/^ {2}at onPacket \(src\/loops\.ts:11:\d+\)$/m);
    expect(said).toContain(
      'acme.loops, handling packet trans_id 2 (inband, 8 bytes) on channel 1 (db01/scsi0)',
    );
    expect(said).toContain('in the test at test/loops.test.ts:8');
  }, 90_000);

  it('a create that never returns is stopped the same way', () => {
    plugin('create-loops', 'while (true) {}', '');
    const r = runTests('create-loops');
    expect(r.status).toBe(1);
    const said = r.output.replace(/^# /gm, '');
    expect(said).toContain('VspTestHarness: create did not return in 1 s — an infinite loop?');
    expect(said).toMatch(/^ {2}at create \(src\/create-loops\.ts:8:\d+\)$/m);
    expect(said).toContain('in the test at test/create-loops.test.ts:6');
  }, 90_000);

  it('a plugin whose calls return runs its tests as before', () => {
    plugin('returns', '', '');
    const r = runTests('returns');
    expect({ status: r.status, pass: /# pass 1/.test(r.output) }).toEqual({
      status: 0,
      pass: true,
    });
  }, 90_000);
});
