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
import { runCaptured } from './testing/run-captured.js';

const CAMPAIGN = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'levels',
  'campaign',
);

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
    // instances are locked, so play a copy that lets a solution replace netvsp by the plugin.
    const level = JSON.parse(
      readFileSync(path.join(CAMPAIGN, '02-two-lanes.json'), 'utf8'),
    ) as LevelFile;
    level.controls.vspInstances = true;
    const vsps = level.defaults.vsps.map((v) =>
      v.plugin === 'hyperkata.netvsp'
        ? { id: 'acme-nic', plugin: 'local.acme-nic', device: v.device }
        : v,
    );
    const nics = level.scenario.vms.flatMap((vm) =>
      vm.devices
        .filter((d) => d.class === 'network')
        .map((d) => ({ vm: vm.name, device: d.id, vsp: 'acme-nic' })),
    );
    expect(nics.length).toBeGreaterThan(0);
    expect(vsps.filter((v) => v.plugin.startsWith('hyperkata.net'))).toEqual([]);
    const solution = {
      format: 1,
      level: level.id,
      vsps,
      channels: [
        ...level.defaults.channels.filter(
          (c) => !nics.some((n) => n.vm === c.vm && n.device === c.device),
        ),
        ...nics,
      ],
    };
    writeFileSync(path.join(project, 'level.json'), JSON.stringify(level));
    writeFileSync(path.join(project, 'solution.json'), JSON.stringify(solution));

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

  it('refuses an unknown --template with exit 2, naming the templates there are', async () => {
    const r = await cli('new-plugin', 'acme-gpu', '--template', 'gpu', '--dir', dir);
    expect(r.code).toBe(EXIT_BAD_INPUT);
    expect(r.err).toMatch(/no plugin template "gpu" \(there are: .*network.*storage/);
    expect(existsSync(path.join(dir, 'acme-gpu'))).toBe(false);
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
