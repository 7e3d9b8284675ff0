/**
 * `run --trusted-plugin`'s watchdog: a trusted plugin runs natively, where nothing interrupts a
 * handler that never returns, so the run is played in a worker thread and stopped from this one
 * when a call into the plugin has not returned in --plugin-timeout seconds. A plugin that
 * returns sees the run it saw in one thread, word for word.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixtureLevel } from '../../levels/testing/fixture-level.js';
import type { CliEnv } from '../env.js';
import { defaultVsps } from '../env.js';
import { EXIT_BAD_INPUT } from '../errors.js';
import { loadPlugin } from '../plugins/load-plugin.js';
import { runCli } from '../program.js';
import { CallMarkerWriter, newCallMarker, readCallMarker } from './call-marker.js';
import { englishEnv } from '../testing/english-env.js';
import { wrappedFixtureSource } from '../testing/fixture-plugin.js';

let dir: string;
let solution: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-watchdog-'));
  const levels = path.join(dir, 'levels');
  mkdirSync(levels);
  writeFileSync(
    path.join(levels, '01-test-first-partition.json'),
    JSON.stringify({ ...fixtureLevel(), number: 1 }),
  );
  solution = path.join(dir, 'solution.json');
  writeFileSync(
    solution,
    JSON.stringify({
      format: 1,
      level: 'test-first-partition',
      channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }],
    }),
  );
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * A plugin file in `dir`: the fixture's storage VSP, under the id the fixture level names, whose
 * `create` runs `body` with `host` and `inner` (the fixture's own handlers) and returns handlers.
 */
function plugin(name: string, body: string, top = ''): string {
  writeFileSync(path.join(dir, name), wrappedFixtureSource(body, top));
  return name;
}

/** `hyperkata run` of the fixture level, as the command runs it (watched) or in this thread. */
async function run(
  args: readonly string[],
  how: { watched: boolean; interactive?: boolean },
): Promise<{ code: number; out: string; err: string; seconds: number }> {
  const io = { out: '', err: '' };
  const env: CliEnv = {
    out: (t) => (io.out += t),
    err: (t) => (io.err += t),
    interactive: how.interactive ?? false,
    vsps: defaultVsps,
    loadPlugin: (spec, trusted) =>
      loadPlugin(spec, { cwd: dir, ...(trusted === true ? { trusted } : {}) }),
    campaignDir: path.join(dir, 'levels'),
    ...(how.watched ? { trustedWorker: { cwd: dir } } : {}),
  };
  const start = performance.now();
  const code = await runCli(['run', 'test-first-partition', '--solution', solution, ...args], env);
  return { code, ...io, seconds: (performance.now() - start) / 1000 };
}

const HINT =
  ' in 1 s — an infinite loop? Run it with --plugin to have the sandbox stop it and see the run go on (or give it longer with --plugin-timeout)';

describe('run --trusted-plugin, watched', () => {
  it('stops a handler that never returns within seconds, naming the file, the plugin, the handler and the channel; the progress bar cleared first', async () => {
    const loops = plugin(
      'loops.ts',
      `    let packets = 0;
    return { ...inner, onPacket(channel, packet) {
      if (++packets === 300) while (true) {}
      inner.onPacket(channel, packet);
    } };`,
    );
    const r = await run(['--trusted-plugin', loops, '--plugin-timeout', '1'], {
      watched: true,
      interactive: true,
    });
    expect(r.code).toBe(EXIT_BAD_INPUT);
    const [bar, message] = r.err.split('\r' + ' '.repeat(90) + '\r');
    expect(bar).toMatch(/^(\r {2}\[#+ *\] \d+% of \d+ ms simulated)+$/);
    expect(message).toBe(
      `hyperkata: trusted plugin test.minimal-storage (loops.ts) did not return from onPacket on db01/scsi0${HINT}\n`,
    );
    expect(r.out).toBe('');
    // A second to notice, and the worker's start: nowhere near a hang.
    expect(r.seconds).toBeLessThan(20);
    // --json: a grader's line for the run, as for any refused one.
    const json = await run(['--trusted-plugin', loops, '--plugin-timeout', '1', '--json'], {
      watched: true,
    });
    expect(json.code).toBe(EXIT_BAD_INPUT);
    expect(JSON.parse(json.out)).toEqual({
      level: 'test-first-partition',
      solution,
      error: { message: expect.stringContaining('did not return from onPacket on db01/scsi0') },
    });
  }, 60_000);

  it('stops a create or a module’s top-level code that never returns', async () => {
    const create = plugin('create-loops.ts', '    while (true) {}\n    return inner;');
    const r = await run(['--trusted-plugin', create, '--plugin-timeout', '1'], { watched: true });
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toBe(
      `hyperkata: trusted plugin test.minimal-storage (create-loops.ts) did not return from create${HINT}\n`,
    );
    const top = plugin('top-loops.ts', '    return inner;', 'while (true) {}');
    const t = await run(['--trusted-plugin', top, '--plugin-timeout', '1'], { watched: true });
    expect(t.code).toBe(EXIT_BAD_INPUT);
    expect(t.err).toBe(
      `hyperkata: trusted plugin top-loops.ts did not finish loading (its top-level code)${HINT}\n`,
    );
  }, 60_000);

  it('a plugin that returns gets the same progress, narration, report and exit code as in one thread', async () => {
    const logs = plugin(
      'returns.ts',
      `    let packets = 0;
    return { ...inner, onPacket(channel, packet) {
      if (++packets % 500 === 1) host.log('packet ' + packets);
      inner.onPacket(channel, packet);
    } };`,
    );
    for (const extra of [[], ['--json'], ['--log', 'stor']]) {
      const args = ['--trusted-plugin', logs, ...extra];
      const watched = await run(args, { watched: true, interactive: true });
      const here = await run(args, { watched: false, interactive: true });
      expect({ code: watched.code, out: watched.out, err: watched.err }).toEqual({
        code: here.code,
        out: here.out,
        err: here.err,
      });
      expect(watched.code).toBe(0);
    }
  }, 120_000);

  it('--plugin-timeout takes a number of seconds above 0, and only with --trusted-plugin', async () => {
    const ok = plugin('ok.ts', '    return inner;');
    for (const bad of ['0', '-1', 'abc', '1e3', '', '86401']) {
      const r = await run(['--trusted-plugin', ok, '--plugin-timeout', bad], { watched: true });
      expect(r.code).toBe(EXIT_BAD_INPUT);
      expect(r.err).toContain(
        `option '--plugin-timeout <seconds>' argument '${bad}' is invalid. expected a number of seconds above 0`,
      );
    }
    const alone = await run(['--plugin-timeout', '5'], { watched: true });
    expect(alone.code).toBe(EXIT_BAD_INPUT);
    expect(alone.err).toBe(
      'hyperkata: --plugin-timeout: expected --trusted-plugin, whose calls it limits, found none (a --plugin is stopped by the sandbox)\n',
    );
  });
});

/** {@link run}, or `'still running'` when it has not ended in `seconds` (its worker left going). */
function runWithin(
  seconds: number,
  args: readonly string[],
): Promise<Awaited<ReturnType<typeof run>> | 'still running'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>((resolve) => {
    timer = setTimeout(() => {
      resolve('still running');
    }, seconds * 1000);
  });
  return Promise.race([run(args, { watched: true }), late]).finally(() => {
    clearTimeout(timer);
  });
}

describe('run --trusted-plugin, what a plugin leaves running or throws outside any call', () => {
  // A plugin that keeps a timer: in its module's top-level code and in create.
  const INTERVALS = [
    '    setInterval(() => {}, 50);\n    return inner;',
    'setInterval(() => {}, 1000);',
  ] as const;

  it('a plugin that leaves timers running ends with its run, with the output and exit code of one that does not', async () => {
    const plain = plugin('plain.ts', '    return inner;');
    const ticking = plugin('ticking.ts', ...INTERVALS);
    for (const extra of [[], ['--json']]) {
      const expected = await run(['--trusted-plugin', plain, ...extra], { watched: true });
      const r = await runWithin(30, ['--trusted-plugin', ticking, ...extra]);
      expect(r).not.toBe('still running');
      if (r === 'still running') return;
      // The same run: the same report, but for the plugin's file name and digest.
      const same = (text: string): string =>
        text.replaceAll(plain, ticking).replace(/sha256:[0-9a-f]+/g, 'sha256:…');
      expect({ code: r.code, out: same(r.out), err: r.err }).toEqual({
        code: expected.code,
        out: same(expected.out),
        err: expected.err,
      });
      expect(r.code).toBe(0);
    }
  }, 120_000);

  it('the hyperkata command exits when the run is over, whatever timers the plugin left', () => {
    const ticking = plugin('ticking-command.ts', ...INTERVALS);
    const r = spawnSync(
      process.execPath,
      [
        path.join(process.cwd(), 'bin', 'hyperkata.js'),
        'run',
        path.join(dir, 'levels', '01-test-first-partition.json'),
        '--solution',
        solution,
        '--trusted-plugin',
        ticking,
      ],
      { cwd: dir, env: englishEnv(), encoding: 'utf8', timeout: 60_000 },
    );
    // Killed by the timeout, it would have no status and a signal.
    expect({ status: r.status, signal: r.signal, stderr: r.stderr }).toEqual({
      status: 0,
      signal: null,
      stderr: '',
    });
    expect(r.stdout).toContain(`plugin test.minimal-storage (${ticking}, trusted: native`);
  }, 90_000);

  const STOPPED =
    ': the run was stopped — a trusted plugin catches what its own timers and promises throw';

  it.each([
    [
      'a promise its module left rejected',
      'reject-top.ts',
      '    return inner;',
      "Promise.reject(new Error('x'));",
      /^hyperkata: trusted plugin (test\.minimal-storage \()?reject-top\.ts\)? left a promise rejected with Error: x and no handler, outside any call of the host \(at .*reject-top\.ts:\d+:\d+\)\): the run was stopped/,
    ],
    [
      'a timer of create’s that throws',
      'timer-throws.ts',
      "    setTimeout(() => { throw new TypeError('late'); }, 0);\n    return inner;",
      '',
      /^hyperkata: trusted plugin test\.minimal-storage \(timer-throws\.ts\) threw TypeError: late in a callback of its own \(a timer's\?\), outside any call of the host \(at .*timer-throws\.ts:\d+:\d+\)\): the run was stopped/,
    ],
    [
      'a string a handler’s promise rejected with',
      'handler-rejects.ts',
      "    return { ...inner, onChannelOpened(channel) { void Promise.reject('nope'); inner.onChannelOpened?.(channel); } };",
      '',
      /^hyperkata: trusted plugin test\.minimal-storage \(handler-rejects\.ts\) left a promise rejected with a string: "nope" and no handler, outside any call of the host: /,
    ],
  ])(
    '%s is the plugin’s fault: exit 2, the plugin and what it threw named, no stack trace, no report',
    async (_what, name, body, top, message) => {
      const file = plugin(name, body, top);
      const r = await runWithin(30, ['--trusted-plugin', file]);
      expect(r).not.toBe('still running');
      if (r === 'still running') return;
      expect({ code: r.code, out: r.out }).toEqual({ code: EXIT_BAD_INPUT, out: '' });
      expect(r.err).toMatch(message);
      expect(r.err).toContain(`${STOPPED}\n`);
      expect(r.err).not.toContain('internal error');
      expect(r.err).not.toMatch(/\n\s+at /);
      expect(r.err.split('\n')).toHaveLength(2); // one line
      // --json: the grader's line of a refused run, and no report before it.
      const json = await run(['--trusted-plugin', file, '--json'], { watched: true });
      expect(json.code).toBe(EXIT_BAD_INPUT);
      expect(JSON.parse(json.out)).toEqual({
        level: 'test-first-partition',
        solution,
        error: { message: expect.stringContaining(STOPPED) },
      });
    },
    60_000,
  );
});

describe('the call marker', () => {
  it('shows the innermost call in progress, the outer one again when it returns, none after', () => {
    const marker = newCallMarker();
    const named: string[] = [];
    const writer = new CallMarkerWriter(marker, (c) => named.push(`${String(c.id)} ${c.vm}`));
    expect(readCallMarker(marker)).toBeNull();
    const observer = writer.observer(1);
    const channel = { id: 7, vm: 'db01', device: 'scsi0' } as Parameters<typeof observer.enter>[1];
    observer.enter('onPacket', channel);
    const outer = readCallMarker(marker);
    expect(outer).toMatchObject({ plugin: 1, call: 'onPacket', channel: 7 });
    writer.enter(0, 'loading', -1);
    expect(readCallMarker(marker)).toMatchObject({ plugin: 0, call: 'loading', channel: -1 });
    writer.exit();
    const again = readCallMarker(marker);
    expect(again).toMatchObject({ plugin: 1, call: 'onPacket', channel: 7 });
    // The same call, but not the same moment: a watcher does not count the time from before.
    expect(again?.seq).not.toBe(outer?.seq);
    observer.exit();
    expect(readCallMarker(marker)).toBeNull();
    observer.enter('onDeviceCompleted', channel);
    expect(named).toEqual(['7 db01']);
  });
});
