/**
 * `hyperkata new-plugin`: what it makes is a working plugin — its own tests pass as generated,
 * run the way its author runs them (`npm test`), and the host loads it sandboxed; the network
 * template's VSP also serves a netvsc guest in a real run of a level — and what it refuses is a
 * usage mistake (exit 2, one readable line, nothing written).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { FakeVspHost } from '../plugins/sandbox/testing/fake-vsp-host.js';
import { EXIT_BAD_INPUT, EXIT_OK } from './errors.js';
import { loadPlugin } from './plugins/load-plugin.js';
import { englishEnv } from './testing/english-env.js';
import { runCaptured } from './testing/run-captured.js';

/** The parts of a level file the real-run test reads and changes. */
interface LevelFile {
  id: string;
  controls: Record<string, boolean>;
  scenario: { vms: { name: string; devices: { id: string; class: string }[] }[] };
  defaults: {
    vsps: { id: string; plugin: string; device?: string }[];
    channels: { vm: string; device: string; vsp: string }[];
  };
}

/** The parts of `hyperkata run --json` the real-run test checks. */
interface RunReport {
  faults: { plugins: unknown[] };
  metrics: {
    vms: Record<
      string,
      {
        path: Record<string, string>;
        misrouted: number;
        dropped: number;
        failed: number;
        network: { ops: number; framesDropped: number };
      }
    >;
  };
}

const REPO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

let dir: string;

function cli(...argv: string[]) {
  return runCaptured(argv);
}

/** The commands `new-plugin` printed under "Next:". */
function nextSteps(out: string): string[] {
  return out
    .slice(out.indexOf('Next:\n') + 'Next:\n'.length)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The commands of a README's `sh` block, without their comments. */
function readmeCommands(readme: string): string[] {
  const block = /```sh\n([\s\S]*?)\n```/.exec(readme)?.[1] ?? '';
  return block
    .split('\n')
    .map((l) => l.replace(/#.*$/, '').trim())
    .filter((l) => l !== '');
}

/** Runs commands one after another in one shell, as an author pasting them would. */
function shell(commands: readonly string[], cwd: string) {
  const r = spawnSync('sh', ['-e', '-c', commands.join('\n')], {
    cwd,
    env: englishEnv(),
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/**
 * Makes a project from `template`, then, for each mistake (a change to its src/index.ts), runs the
 * project's own tests on the changed VSP as `npm test` runs them: they must fail, and the test
 * named must be among those that fail.
 */
async function expectTemplateTestsCatch(
  template: 'storage' | 'network',
  mistakes: readonly (readonly [mistake: string, from: string, to: string, test: string])[],
): Promise<void> {
  const name = `mistakes-${template}`;
  const r = await cli('new-plugin', name, '--template', template, '--dir', dir);
  expect(r).toMatchObject({ code: EXIT_OK, err: '' });
  const project = path.join(dir, name);
  const source = readFileSync(path.join(project, 'src', 'index.ts'), 'utf8');
  const tests = readFileSync(path.join(project, 'test', 'index.test.ts'), 'utf8');
  for (const [mistake, from, to, failing] of mistakes) {
    expect({ mistake, found: source.includes(from) }).toEqual({ mistake, found: true });
    writeFileSync(path.join(project, 'src', 'mistake.ts'), source.replace(from, to));
    const test = path.join(project, 'test', 'mistake.test.ts');
    writeFileSync(test, tests.replace("'../src/index.js'", "'../src/mistake.js'"));
    const run = spawnSync(
      process.execPath,
      ['--import', 'hyperkata/register', '--test', '--test-timeout=30000', test],
      { cwd: project, env: englishEnv(), encoding: 'utf8', timeout: 120_000 },
    );
    const failed = [...run.stdout.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]);
    expect({
      mistake,
      status: run.status,
      caught: failed.some((t) => t.startsWith(failing)),
    }).toEqual({ mistake, status: 1, caught: true });
  }
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-new-plugin-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('hyperkata new-plugin', () => {
  it('scaffolds a plugin whose tests pass and which earns its level, with the commands it prints', async () => {
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

    // "Next:", pasted as printed from where new-plugin ran: cd, npm test, then a run of the
    // generated level in which the plugin serves db01's disk.
    const steps = nextSteps(r.out);
    // The project is in the system's temporary folder, far from here: named absolutely.
    expect(steps).toEqual([
      `cd ${project}`,
      'npm test',
      'npx hyperkata run level.json --solution solution.json --plugin src/index.ts',
    ]);
    const next = shell(steps, process.cwd());
    expect({ status: next.status, output: next.output }).toMatchObject({ status: 0 });
    // node:test's summary: every generated test ran, none failed.
    expect(next.output).toMatch(/# pass [1-9]/);
    expect(next.output).toMatch(/# fail 0/);
    expect(next.output).toContain('★★★');
    expect(next.output).toContain(
      'plugin local.acme-storvsp (src/index.ts, sandboxed): serves acme-storvsp on ssd0',
    );
  }, 300_000);

  it('its README’s commands work in the project as written, and play the plugin itself', () => {
    const project = path.join(dir, 'acme-storvsp');
    const commands = readmeCommands(readFileSync(path.join(project, 'README.md'), 'utf8'));
    const run = commands.find((c) => c.startsWith('npx hyperkata run'));
    expect(run).toBeDefined();
    const played = shell([`${run ?? ''} --json`], project);
    expect({ status: played.status, output: played.status === 0 ? '' : played.output }).toEqual({
      status: 0,
      output: '',
    });
    const report = JSON.parse(played.output) as RunReport & { stars: number };
    expect(report.stars).toBe(3);
    // The plugin served the disk: a solution without it would leave db01 unconnected.
    const solution = JSON.parse(readFileSync(path.join(project, 'solution.json'), 'utf8')) as {
      vsps: { id: string; plugin: string }[];
      channels: { vm: string; device: string; vsp: string }[];
    };
    const mine = solution.vsps.filter((v) => v.plugin === 'local.acme-storvsp').map((v) => v.id);
    expect(solution.vsps.map((v) => v.plugin)).not.toContain('hyperkata.storvsp');
    expect(solution.channels.filter((c) => mine.includes(c.vsp))).toEqual([
      { vm: 'db01', device: 'scsi0', vsp: mine[0] },
    ]);
    expect(report.metrics.vms.db01).toMatchObject({ dropped: 0, failed: 0, misrouted: 0 });
  }, 300_000);

  it('the generated plugin loads from its folder and runs in the sandbox', async () => {
    const project = path.join(dir, 'acme-storvsp');
    const vsp = await loadPlugin('src/index.ts', { cwd: project });
    expect(vsp).toMatchObject({ id: 'local.acme-storvsp', isolation: 'sandbox' });
    expect(() => vsp.create(new FakeVspHost())).not.toThrow();
  });

  it('a handler that throws names the same line of src/index.ts run with --trusted-plugin as with --plugin, a thrown string too', async () => {
    // The real command (tsx, as an author runs it), whose loader hooks see the trusted bundle.
    expect((await cli('new-plugin', 'acme-throws', '--dir', dir)).code).toBe(EXIT_OK);
    const project = path.join(dir, 'acme-throws');
    const entry = path.join(project, 'src', 'index.ts');
    const source = readFileSync(entry, 'utf8');
    const charge = /^( *)host\.cpu\.charge\(.*\);$/m.exec(source);
    expect(charge).not.toBeNull();
    /** The fault reasons of a run of the project's level with the plugin throwing `value`. */
    const faults = (value: string, flag: string): string[] => {
      writeFileSync(
        entry,
        source.replace(
          charge?.[0] ?? '',
          `${charge?.[0] ?? ''}\n${charge?.[1] ?? ''}throw ${value};`,
        ),
      );
      const r = shell(
        [`npx hyperkata run level.json --solution solution.json ${flag} src/index.ts --json`],
        project,
      );
      const report = JSON.parse(r.output.slice(0, r.output.lastIndexOf('}') + 1)) as {
        faults: { plugins: { reason: string }[] };
      };
      return report.faults.plugins.map((f) => f.reason);
    };
    const thrownAt = source.slice(0, source.indexOf(charge?.[0] ?? '')).split('\n').length + 1;
    for (const flag of ['--plugin', '--trusted-plugin']) {
      const [error] = faults("new Error('boom')", flag);
      // Each engine has its own column (V8 points at `new`, QuickJS at the constructor).
      expect(error).toMatch(
        new RegExp(
          `^onPacket threw Error: boom \\(at onPacket \\(src/index\\.ts:${String(thrownAt)}:\\d+\\)\\)$`,
        ),
      );
      // A string has no stack: the handler that threw it, where it is written.
      const [text] = faults("'boom'", flag);
      expect(text).toMatch(
        /^onPacket threw a string: "boom" \(in onPacket \(src\/index\.ts:\d+:\d+\)\)$/,
      );
    }
    writeFileSync(entry, source);
  }, 300_000);

  it('the storage template’s own tests fail for the mistakes an author makes changing it', async () => {
    await expectTemplateTestsCatch('storage', [
      [
        'every transfer sent to the disk as a read',
        "const op = cdb.kind === 'read10' || cdb.kind === 'read16' ? 'read' : 'write';",
        "const op = 'read' as 'read' | 'write';",
        'rule 3: a 4 KiB write goes to the disk',
      ],
      [
        'writes answered GOOD without reaching the disk',
        '        const tag = nextTag++;',
        "        if (op === 'write') return finish(channel, packet.transId, srb, true);\n        const tag = nextTag++;",
        'rule 3: a 4 KiB write goes to the disk',
      ],
      [
        'a disk error answered GOOD',
        "finish(channel, request.transId, request.srb, completion.status === 'ok');",
        'finish(channel, request.transId, request.srb, true);',
        'a request the disk fails completes with an error',
      ],
      [
        'the guest’s grant not checked (rule 37)',
        'if (!granted.ok || offsetBytes',
        'if (offsetBytes',
        'rule 37: a transfer larger than the pages the guest granted',
      ],
      [
        'the LUN not checked',
        '|| srb.lun !== 0 ',
        '',
        'rule 37: a request for a LUN the controller does not have',
      ],
    ]);
  }, 300_000);

  it('the network template’s own tests fail for the mistakes an author makes changing it', async () => {
    await expectTemplateTestsCatch('network', [
      [
        'a NIC failure answered SUCCESS',
        "const ok = completion.status === 'ok';",
        'const ok = true;',
        'a frame the NIC fails to send completes with FAILURE',
      ],
      [
        'no frame length checked',
        'if (bytes < ETH_HLEN || bytes > MAX_FRAME)',
        'if (bytes < 0)',
        'rule 37: a frame longer than netvsc’s largest MTU is refused',
      ],
      [
        'a frame from the wire not checked against the section it goes in',
        'if (RNDIS_DATA_HEADER + bytes > NETVSC_RECV_SECTION_SIZE) return;',
        '',
        'a frame too long for one receive section is dropped',
      ],
      [
        'data frames accepted before RNDIS INITIALIZE completed',
        "if (host.device.kind !== 'network' || !a.initialized)",
        "if (host.device.kind !== 'network')",
        'rule 19: a frame sent before RNDIS INITIALIZE completes with FAILURE',
      ],
      [
        'a GPA-direct packet’s page grant not checked (rule 37)',
        'if (!touched.ok) {',
        'if (!touched.ok && bytes < 0) {',
        'rule 37: a GPA-direct frame in a page the guest does not have',
      ],
      [
        'a receive completion freeing a section that was not lent',
        'a.receive?.lent[section] !== 1',
        'a.receive === undefined',
        'rule 37: a receive section completed twice stops that channel',
      ],
    ]);
  }, 300_000);

  it('--template network scaffolds a network VSP whose own tests pass as generated (npm test)', async () => {
    const r = await cli('new-plugin', 'acme-nic', '--template', 'network', '--dir', dir);
    expect(r).toMatchObject({ code: EXIT_OK, err: '' });
    expect(r.out).toContain('Created local.acme-nic (a network VSP)');
    const project = path.join(dir, 'acme-nic');
    const source = readFileSync(path.join(project, 'src', 'index.ts'), 'utf8');
    expect(source).toContain("id: 'local.acme-nic'");
    expect(source).toContain("deviceClass: 'network'");

    const test = spawnSync('npm', ['test'], { cwd: project, encoding: 'utf8', timeout: 240_000 });
    const output = `${test.stdout}\n${test.stderr}`;
    expect({ status: test.status, output }).toMatchObject({ status: 0 });
    expect(output).toMatch(/# pass [1-9]/);
    expect(output).toMatch(/# fail 0/);
  }, 300_000);

  it('rule 19: the generated network VSP serves a netvsc guest in a real run (level 02, sandboxed)', async () => {
    const project = path.join(dir, 'acme-nic');
    // Level 02's web01 has a synthetic NIC (eth0) served by the built-in netvsp; its VSP
    // instances are locked, so the project has a copy that lets its solution replace netvsp.
    const level = JSON.parse(readFileSync(path.join(project, 'level.json'), 'utf8')) as LevelFile;
    expect(level.controls.vspInstances).toBe(true);
    const solution = JSON.parse(readFileSync(path.join(project, 'solution.json'), 'utf8')) as {
      vsps: { id: string; plugin: string }[];
      channels: { vm: string; device: string; vsp: string }[];
    };
    expect(solution.vsps.filter((v) => v.plugin.startsWith('hyperkata.net'))).toEqual([]);
    const mine = solution.vsps.filter((v) => v.plugin === 'local.acme-nic').map((v) => v.id);
    const nics = level.scenario.vms.flatMap((vm) =>
      vm.devices.filter((d) => d.class === 'network').map((d) => ({ vm: vm.name, device: d.id })),
    );
    expect(nics.length).toBeGreaterThan(0);
    expect(solution.channels.filter((c) => mine.includes(c.vsp))).toEqual(
      nics.map((n) => ({ ...n, vsp: mine[0] })),
    );

    const r = await runCaptured(
      [
        'run',
        path.join(project, 'level.json'),
        '--solution',
        path.join(project, 'solution.json'),
        '--plugin',
        'src/index.ts', // resolved from the project folder, as `npx hyperkata run` there would
        '--json',
      ],
      { vsps: () => BUILT_IN_VSPS, loadPlugin: (spec) => loadPlugin(spec, { cwd: project }) },
    );
    expect({ code: r.code, err: r.err }).toEqual({ code: EXIT_OK, err: '' });
    const report = JSON.parse(r.out) as RunReport;
    expect(report.faults.plugins).toEqual([]);
    for (const { vm, device } of nics) {
      const m = report.metrics.vms[vm];
      expect(m.path[device]).toBe('synthetic');
      expect(m.network.ops).toBeGreaterThan(0);
      expect(m).toMatchObject({
        misrouted: 0,
        dropped: 0,
        failed: 0,
        network: { framesDropped: 0 },
      });
    }
  }, 300_000);

  it('both projects type-check as their editor sees them (npm run typecheck, as the README says), tests included', () => {
    for (const name of ['acme-storvsp', 'acme-nic']) {
      const project = path.join(dir, name);
      const command = readmeCommands(readFileSync(path.join(project, 'README.md'), 'utf8')).find(
        (c) => c.includes('typecheck'),
      );
      expect(command).toBe('npm run typecheck');
      const r = shell([command ?? ''], project);
      expect({ name, status: r.status }).toEqual({ name, status: 0 });
      expect(r.output).toMatch(/✔ [1-9]\d* file\(s\) type-check \(tsconfig\.json\)/);
    }
  }, 300_000);

  it('a type error in a plugin, which a run would not notice, fails typecheck with its file and line', async () => {
    const project = path.join(dir, 'acme-typo-vsp');
    expect((await cli('new-plugin', 'acme-typo-vsp', '--dir', dir)).code).toBe(0);
    const entry = path.join(project, 'src', 'index.ts');
    const source = readFileSync(entry, 'utf8');
    // A number where a string is declared: esbuild strips types, so the plugin still runs.
    writeFileSync(entry, `${source}\nexport const typo: string = 42;\n`);
    const r = shell(['npm run typecheck'], project);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/src\/index\.ts\(\d+,\d+\): error TS\d+: /);
    expect(r.output).toMatch(/✘ \d+ type error\(s\)/);
    // Outside a project: refused, naming what was expected.
    const none = await cli('typecheck', dir);
    expect(none.code).toBe(EXIT_BAD_INPUT);
    expect(none.err).toContain('expected a plugin project with a tsconfig.json, found none');
  }, 300_000);

  it('both READMEs send their reader to files the project has, and to no made-up web address', () => {
    for (const name of ['acme-storvsp', 'acme-nic']) {
      const project = path.join(dir, name);
      const readme = readFileSync(path.join(project, 'README.md'), 'utf8');
      expect({ name, urls: readme.match(/https?:\/\/\S+/g) ?? [] }).toEqual({ name, urls: [] });
      const named = [...readme.matchAll(/`(node_modules\/[^`\s]+)`/g)].map((m) => m[1]);
      expect(named).toContain('node_modules/hyperkata/docs/plugins.md');
      for (const file of named)
        expect({ file, exists: existsSync(path.join(project, file)) }).toEqual({
          file,
          exists: true,
        });
    }
  });

  it('refuses to make a project inside Hyperkata’s own folder, whose lint and tests would take it in', async () => {
    const r = await cli('new-plugin', 'acme-inside-vsp', '--dir', REPO);
    const made = path.join(REPO, 'acme-inside-vsp');
    const wrote = existsSync(made);
    rmSync(made, { recursive: true, force: true });
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/inside Hyperkata's own folder .*--dir /);
    expect(wrote).toBe(false);
  });

  it('refuses an unknown --template with exit 2, naming the templates there are', async () => {
    const r = await cli('new-plugin', 'acme-gpu', '--template', 'gpu', '--dir', dir);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/no plugin template "gpu" \(there are: .*network.*storage/);
    expect(existsSync(path.join(dir, 'acme-gpu'))).toBe(false);
    // A near miss is answered with the template meant.
    const typo = await cli('new-plugin', 'acme-disk', '--template', 'storge', '--dir', dir);
    expect(typo.code).toBe(EXIT_BAD_INPUT);
    expect(typo.err).toContain('no plugin template "storge" — did you mean storage? (there are: ');
  });

  it('--help lists the templates', async () => {
    const r = await cli('new-plugin', '--help');
    expect(r.code).toBe(EXIT_OK);
    expect(r.out).toMatch(/--template <class>.*network.*storage/s);
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

  it('a --dir that is a file is a usage error (exit 2) naming the folder, not an internal error', async () => {
    const notAFolder = path.join(dir, 'a-file');
    writeFileSync(notAFolder, 'not a folder');
    const r = await cli('new-plugin', 'some-vsp', '--dir', notAFolder);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/^hyperkata: .*a-file\/some-vsp: cannot be created \(ENOTDIR/);
    expect(r.err).not.toContain('    at ');
  });

  it('a missing name is a usage error (exit 2)', async () => {
    const r = await cli('new-plugin');
    expect(r.code).toBe(EXIT_BAD_INPUT);
  });
});
