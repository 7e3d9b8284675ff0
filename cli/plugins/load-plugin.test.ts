import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { minimalStorvsp } from '../../core/vsp/testing/minimal-storvsp.js';
import { fixtureLevel } from '../../levels/testing/fixture-level.js';
import { PluginError } from '../../plugins/sdk/index.js';
import { expectChannelFailed, VspTestHarness } from '../../plugins/sdk/testing/index.js';
import {
  FakeVspChannel,
  FakeVspHost,
  fakePacket,
} from '../../plugins/sandbox/testing/fake-vsp-host.js';
import type { CliEnv } from '../env.js';
import { runCli } from '../program.js';
import { FIXTURE_PLUGIN, wrappedFixtureSource } from '../testing/fixture-plugin.js';
import { loadPlugin } from './load-plugin.js';

let dir: string;
const file = (name: string, text?: string): string => {
  const p = path.join(dir, name);
  if (text !== undefined) {
    mkdirSync(path.dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return p;
};

const ECHO = `
import { defineVsp } from 'hyperkata/sdk';
import { tag } from './tag.js';
export default defineVsp({
  id: 'acme.echo',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create(host) {
    return {
      onPacket(channel, packet) {
        host.log(tag(packet.transId));
        channel.complete(packet.transId, packet.payload);
      },
    };
  },
});`;

const THROWS = `
import { defineVsp } from 'hyperkata/sdk';
export default defineVsp({
  id: 'acme.throws',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create() {
    return {
      onPacket() {
        throw new Error('thrown here');
      },
    };
  },
});`;

/** A plugin of two files; hyperkata/protocols is bundled in ahead of its code: thousands of lines. */
const MAPPED_HELPER = `export function fail(what: string): never {\n  throw new Error(what);\n}\n`;
const MAPPED = `import { defineVsp } from 'hyperkata/sdk';
import { decodeVstorRequest } from 'hyperkata/protocols';
import { fail } from './helper.js';
export default defineVsp({
  id: 'acme.mapped',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create() {
    return {
      onPacket(channel, packet) {
        if (packet.transId === 1) fail('from the helper');
        if (!decodeVstorRequest(packet.payload, 0, packet.payload.length).ok)
          throw new Error('from the entry');
      },
    };
  },
});`;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hyperkata-plugins-'));
  file('mapped/helper.ts', MAPPED_HELPER);
  file('mapped/index.ts', MAPPED);
  file('echo/tag.ts', `export const tag = (n: number): string => 'echo ' + n;`);
  file('echo/index.ts', ECHO);
  // An installed npm package: its own modules, an entry named by package.json.
  file(
    'node_modules/acme-vsp/package.json',
    JSON.stringify({ name: 'acme-vsp', version: '1.0.0', type: 'module', main: 'dist/index.js' }),
  );
  file('node_modules/acme-vsp/dist/tag.js', `export const tag = (n) => 'package ' + n;`);
  file('node_modules/acme-vsp/dist/index.js', ECHO.replace("'./tag.js'", "'./tag.js'"));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(spec: string, options: { trusted?: boolean } = {}): Promise<PluginError> {
  try {
    await loadPlugin(spec, { cwd: dir, ...options });
  } catch (e) {
    if (PluginError.is(e)) return e;
    throw e;
  }
  throw new Error(`${spec} was accepted`);
}

function serve(module: Awaited<ReturnType<typeof loadPlugin>>): string[] {
  const host = new FakeVspHost();
  const handlers = module.create(host);
  const channel = new FakeVspChannel(3, host);
  handlers.onPacket(channel, fakePacket({ transId: 12, payload: Uint8Array.of(1, 2) }));
  return [...host.logs, JSON.stringify(host.calls.find((c) => c[0] === 'complete'))];
}

describe('loading a third-party plugin', () => {
  it('bundles a .ts file with its own modules and runs it sandboxed', async () => {
    const m = await loadPlugin('echo/index.ts', { cwd: dir });
    expect(m).toMatchObject({ id: 'acme.echo', isolation: 'sandbox' });
    expect(m.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(serve(m)).toEqual(['echo 12', '["complete",3,12,[1,2]]']);
  });

  it('loads a path written with ./ or ../, as typed in a shell, and names it in stack frames', async () => {
    for (const [spec, cwd] of [
      ['./echo/index.ts', dir],
      ['../echo/index.ts', path.join(dir, 'node_modules')],
    ] as const) {
      const m = await loadPlugin(spec, { cwd });
      expect(m).toMatchObject({ id: 'acme.echo', isolation: 'sandbox' });
      expect(serve(m)).toEqual(['echo 12', '["complete",3,12,[1,2]]']);
    }
    file('dot/throws.ts', THROWS);
    const m = await loadPlugin('./dot/throws.ts', { cwd: dir });
    const host = new FakeVspHost();
    const handlers = m.create(host);
    expect(() => {
      handlers.onPacket(new FakeVspChannel(3, host), fakePacket({}));
    }).toThrow(/thrown here \(at onPacket \(\.\/dot\/throws\.ts:\d+:\d+\)\)/);
  });

  it('names the plugin’s own file and line, not the bundle’s, when it throws', async () => {
    const m = await loadPlugin('mapped/index.ts', { cwd: dir });
    const host = new FakeVspHost();
    const handlers = m.create(host);
    const channel = new FakeVspChannel(3, host);
    expect(() => {
      handlers.onPacket(channel, fakePacket({ transId: 2 }));
    }).toThrow(/from the entry \(at onPacket \(mapped\/index\.ts:13:\d+\)\)/);
    expect(() => {
      handlers.onPacket(channel, fakePacket({ transId: 1 }));
    }).toThrow(/from the helper \(at fail \(mapped\/helper\.ts:2:\d+\)\)/);
  });

  it('trusted, names the same file and line as the sandbox, in the same words, where the author reads it', async () => {
    /** The fault the SDK harness records when the plugin gets a packet with `transId`. */
    const faultOf = async (trusted: boolean, transId: number): Promise<string> => {
      const h = new VspTestHarness(await loadPlugin('mapped/index.ts', { cwd: dir, trusted }));
      const channel = h.openChannel({ vm: 'db01' });
      h.deliver(channel, h.packets.inband(new Uint8Array(4), { transId }));
      return expectChannelFailed(channel).reason;
    };
    // The harness adds whose handler it was and the packet it was handling.
    const packet = (transId: number) =>
      ` — acme\\.mapped, handling packet trans_id ${String(transId)} \\(inband, 4 bytes\\) on channel 1 \\(db01/dev0\\)$`;
    const cases = [
      [
        2,
        new RegExp(
          `^onPacket threw Error: from the entry \\(at onPacket \\(mapped/index\\.ts:13:\\d+\\)\\)${packet(2)}`,
        ),
      ],
      [
        1,
        new RegExp(
          `^onPacket threw Error: from the helper \\(at fail \\(mapped/helper\\.ts:2:\\d+\\)\\)${packet(1)}`,
        ),
      ],
    ] as const;
    for (const [transId, expected] of cases) {
      const native = await faultOf(true, transId);
      const sandboxed = await faultOf(false, transId);
      expect(native).toMatch(expected);
      // Each engine has its own column (V8 points at \`new\`, QuickJS at the constructor).
      const line = (reason: string) => reason.replace(/:\d+\)\)/, '))');
      expect(line(native)).toBe(line(sandboxed));
    }
  });

  it('trusted, locates a throw in create, and a thrown non-Error by the handler that threw it', async () => {
    const source = `import { defineVsp } from 'hyperkata/sdk';
export default defineVsp({
  id: 'acme.values',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  settings: { startFails: { type: 'boolean', default: false, description: 'create throws' } },
  create(host, settings) {
    if (settings.startFails) throw new TypeError('cannot start');
    return {
      onPacket() {
        throw 'not an Error';
      },
    };
  },
});`;
    file('native/values.ts', source);
    const lineOf = (text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;
    const m = await loadPlugin('native/values.ts', { cwd: dir, trusted: true });
    const h = new VspTestHarness(m);
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(new Uint8Array(4)));
    // A string carries no stack: the handler is named, where it is written.
    const thrown = expectChannelFailed(channel).reason;
    expect(thrown).toBe(
      `onPacket threw a string: "not an Error" (in onPacket (native/values.ts:${String(lineOf('onPacket() {'))}:7)) — acme.values, handling packet trans_id 1 (inband, 4 bytes) on channel 1 (vm1/dev0)`,
    );
    const failed = new VspTestHarness(m, { settings: { startFails: true } }).createFailure ?? '';
    expect(failed).toMatch(
      new RegExp(
        `^create threw TypeError: cannot start \\(at create \\(native/values\\.ts:${String(lineOf("throw new TypeError('cannot start')"))}:\\d+\\)\\)$`,
      ),
    );
    // What the author reads names their file as they typed it: no machine path, no data: URL.
    for (const text of [thrown, failed]) {
      expect(text).not.toContain(dir);
      expect(text).not.toMatch(/data:|file:/);
    }
  });

  // Where the budget runs out is deterministic but depends on how many ticks each call costs.
  // Inside a call, QuickJS's stack names the callee and the plugin's calling line; at the loop's
  // own back edge it names only the plugin's function, at its first line. Either way the author
  // reads their own file and function, never the sandbox's.
  it('names the plugin file and function it was looping in when its CPU budget ran out (and the line, inside a call)', async () => {
    file(
      'loops.ts',
      `import { defineVsp } from 'hyperkata/sdk';
import { decodeVstorRequest } from 'hyperkata/protocols';
export default defineVsp({
  id: 'acme.loops',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  create: () => ({
    onPacket(channel, packet) {
      for (let i = 0; ; i++) if (decodeVstorRequest(packet.payload, 0, i % 4).ok) return;
    },
  }),
});`,
    );
    const m = await loadPlugin('loops.ts', { cwd: dir });
    const host = new FakeVspHost();
    const handlers = m.create(host);
    expect(() => {
      handlers.onPacket(new FakeVspChannel(3, host), fakePacket({}));
    }).toThrow(
      /exceeded its CPU budget of [\d,]+ ticks .* in onPacket \(at (.*\(hyperkata\/core\/protocols\/.*, at onPacket \(loops\.ts:9:\d+\)|onPacket \(loops\.ts:8:5\))\)$/,
    );
  });

  it('names the plugin’s own line when it reaches for the wall clock', async () => {
    file('clock.ts', THROWS.replace("throw new Error('thrown here');", 'return void Date.now();'));
    const m = await loadPlugin('clock.ts', { cwd: dir });
    const host = new FakeVspHost();
    const handlers = m.create(host);
    expect(() => {
      handlers.onPacket(new FakeVspChannel(3, host), fakePacket({}));
    }).toThrow(
      /Date is not available in a sandboxed plugin.* \(at onPacket \(clock\.ts:\d+:\d+\)\)/,
    );
  });

  it('loads a plugin project’s folder through the entry its package.json names', async () => {
    file(
      'project/package.json',
      JSON.stringify({ name: 'echo', type: 'module', main: 'src/index.ts' }),
    );
    file('project/src/tag.ts', `export const tag = (n: number): string => 'project ' + n;`);
    file('project/src/index.ts', ECHO);
    for (const [spec, cwd] of [
      ['./project', dir],
      ['.', path.join(dir, 'project')],
    ] as const) {
      const m = await loadPlugin(spec, { cwd });
      expect(serve(m)).toEqual(['project 12', '["complete",3,12,[1,2]]']);
    }
    file('bare/notes.md', 'no package.json here');
    expect((await refusal('./bare')).message).toBe(
      './bare: expected a plugin file (.ts, .mts, .js or .mjs), or a folder whose package.json names one in "main", found a folder without one',
    );
  });

  it('says what is wrong with a package.json that names no plugin file it can load', async () => {
    const expected =
      'expected a plugin file (.ts, .mts, .js or .mjs), or a folder whose package.json names one in "main"';
    file('no-entry/package.json', JSON.stringify({ name: 'no-entry', main: 'src/index.ts' }));
    expect((await refusal('./no-entry')).message).toBe(
      `./no-entry: ${expected}, found a package.json whose "main" is "src/index.ts", and there is no such file`,
    );
    file('not-json/package.json', '{ "name": "not-json", ');
    expect((await refusal('./not-json')).message).toMatch(
      /^\.\/not-json: .*, found a package\.json that is not JSON \(.+\)$/,
    );
    file('no-main/package.json', JSON.stringify({ name: 'no-main' }));
    expect((await refusal('./no-main')).message).toBe(
      `./no-main: ${expected}, found a package.json without "main"`,
    );
    file('json-main/package.json', JSON.stringify({ name: 'json-main', main: 'index.json' }));
    file('json-main/index.json', '{}');
    expect((await refusal('./json-main')).message).toBe(
      `./json-main: ${expected}, found a package.json whose "main" is "index.json", which is not a .ts, .mts, .js or .mjs file`,
    );
    // An installed package whose entry is missing: not "cannot resolve acme-gone".
    file(
      'node_modules/acme-gone/package.json',
      JSON.stringify({ name: 'acme-gone', main: 'dist/index.js' }),
    );
    expect((await refusal('acme-gone')).message).toBe(
      `acme-gone: expected an npm package whose package.json names its plugin file in "main", found ${path.join(dir, 'node_modules', 'acme-gone', 'package.json')} whose "main" is "dist/index.js", and there is no such file`,
    );
  });

  it('loads an installed npm package by name', async () => {
    const m = await loadPlugin('acme-vsp', { cwd: path.join(dir, 'echo') });
    expect(m.isolation).toBe('sandbox');
    expect(serve(m)).toEqual(['package 12', '["complete",3,12,[1,2]]']);
  });

  it('runs natively only when trusted', async () => {
    const m = await loadPlugin('echo/index.ts', { cwd: dir, trusted: true });
    expect(m.isolation).toBe('native');
    expect(serve(m)).toEqual(['echo 12', '["complete",3,12,[1,2]]']);
  });

  it('trusted, refuses a module that throws as it loads or imports a host-side SDK export, as the sandbox does', async () => {
    const trusted = async (spec: string): Promise<string> => {
      try {
        await loadPlugin(spec, { cwd: dir, trusted: true });
      } catch (e) {
        if (PluginError.is(e)) return e.message;
        throw e;
      }
      throw new Error(`${spec} was accepted`);
    };
    file('throws-at-load.ts', `throw new RangeError('not today');\nexport default {};`);
    // Located as the sandbox locates it: the file as typed, its line (columns are each engine's).
    expect(await trusted('throws-at-load.ts')).toMatch(
      /^throws-at-load\.ts: expected a plugin module that loads, found RangeError: not today \(at <anonymous> \(throws-at-load\.ts:1:\d+\)\)$/,
    );
    file(
      'host-side-trusted.ts',
      `import { defineVsp, checkDefinition } from 'hyperkata/sdk';\nexport default defineVsp(checkDefinition as never);`,
    );
    // Where the import is written, as the sandbox says it (below).
    expect(await trusted('host-side-trusted.ts')).toMatch(
      /^host-side-trusted\.ts:1:21: expected imports that hyperkata\/sdk has inside the sandbox: .*, found an import of checkDefinition from hyperkata\/sdk$/,
    );
  });

  it('refuses what it cannot load, naming what the user typed and what is wrong', async () => {
    expect((await refusal('missing.ts')).message).toBe(
      'missing.ts: expected a plugin file (.ts, .mts, .js or .mjs), found no such file',
    );
    file('notes.txt', 'hello');
    expect((await refusal('./notes.txt')).message).toBe(
      './notes.txt: expected a .ts, .mts, .js or .mjs file, found a .txt',
    );
    expect((await refusal('not-installed')).message).toMatch(
      /^not-installed: expected an npm package installed here \(npm install not-installed\)/,
    );
  });

  it('refuses a bad definition naming the file and each field', async () => {
    file(
      'bad.ts',
      `export default { id: 'hyperkata.mine', sdk: '^2.0.0', deviceClass: 'storage', create: 5 };`,
    );
    const e = await refusal('bad.ts');
    expect(e.issues.map((i) => i.path.join('.'))).toEqual(['id', 'sdk', 'create']);
    // Each where it is written in the file: line and column, 1-based, as an editor counts.
    expect(e.issues.map((i) => i.at)).toEqual(['bad.ts:1:18', 'bad.ts:1:40', 'bad.ts:1:79']);
    expect(e.message).toMatch(
      /^bad\.ts:1:18: id: expected an id outside the reserved "hyperkata\." namespace/,
    );
  });

  it('says where in the source each refused field is written, sandboxed or trusted, from a file or a package', async () => {
    const source = `import { defineVsp } from 'hyperkata/sdk';

/** A request in flight. */
interface InFlight {
  readonly id: number;
}

export default defineVsp({
  id: 'hyperkata.mine',
  sdk: '^2.0.0',
  deviceClass: 'disk' as 'storage',
  settings: {
    depth: { type: 'integer', default: 99, min: 1, max: 8, description: 'queue depth' },
  },
  create() {
    const inFlight = new Map<number, InFlight>();
    return { onPacket: () => void inFlight.clear() };
  },
});`;
    file('fields/src/index.ts', source);
    const at = (text: string): string => {
      const lines = source.split('\n');
      const line = lines.findIndex((l) => l.includes(text));
      return `${String(line + 1)}:${String(lines[line].indexOf(text) + 1)}`;
    };
    const expected = [
      `fields/src/index.ts:${at("id: 'hyperkata.mine'")}: id: expected an id outside the reserved "hyperkata." namespace (it belongs to the built-in VSPs): one of yours, e.g. "local.mine", found "hyperkata.mine"`,
      `fields/src/index.ts:${at("sdk: '^2.0.0'")}: sdk: expected a range that includes this host's SDK`,
      `fields/src/index.ts:${at("deviceClass: 'disk'")}: deviceClass: expected one of "storage",`,
      `fields/src/index.ts:${at('default: 99')}: settings.depth.default: expected a number from 1 to 8, found 99`,
    ];
    for (const trusted of [false, true]) {
      const lines = (await refusal('fields/src/index.ts', { trusted })).message.split('\n');
      expect(lines).toHaveLength(expected.length);
      expected.forEach((start, i) => {
        expect(lines[i]?.startsWith(start)).toBe(true);
      });
    }
    // A package: named as typed, with the file in it where the field is.
    file(
      'node_modules/acme-fields/package.json',
      JSON.stringify({ name: 'acme-fields', type: 'module', main: 'src/index.ts' }),
    );
    file('node_modules/acme-fields/src/index.ts', source);
    expect((await refusal('acme-fields')).message.split('\n')[0]).toMatch(
      new RegExp(
        `^acme-fields \\(node_modules/acme-fields/src/index\\.ts:${at("id: 'hyperkata.mine'")}\\): id: expected an id outside`,
      ),
    );
    // A field the definition lacks: where the definition starts, sandboxed or trusted.
    const lacking = source.replace("  deviceClass: 'disk' as 'storage',\n", '');
    file('fields/lacking.ts', lacking);
    for (const trusted of [false, true])
      expect((await refusal('fields/lacking.ts', { trusted })).message.split('\n')).toContain(
        `fields/lacking.ts:${at('defineVsp({')}: deviceClass: expected one of "storage", "network", "video", "input", "dynamic-memory", "heartbeat", found nothing`,
      );
    // A default export that is not a definition: where the module exports it.
    file('fields/number.ts', `export const n = 1;\nexport default 42;\n`);
    expect((await refusal('fields/number.ts')).message).toBe(
      'fields/number.ts:2:1: expected a VSP definition object (the default export of defineVsp({...})), found number',
    );
  });

  it('refuses code that does not compile or needs Node, naming file and line', async () => {
    file('syntax.ts', 'export default {{;');
    expect((await refusal('syntax.ts')).message).toMatch(
      /^syntax\.ts:1:\d+: expected plugin source that compiles and bundles, found /,
    );
    // In a folder: the file named from where the user typed it, the column counted from 1.
    file('deep/src/index.ts', 'export default {\n  id: 1 +;\n};\n');
    expect((await refusal('deep/src/index.ts')).message).toBe(
      'deep/src/index.ts:2:10: expected plugin source that compiles and bundles, found Unexpected ";"',
    );
    file('node.ts', `import { readFileSync } from 'node:fs';\nexport default readFileSync;`);
    expect((await refusal('node.ts')).message).toBe(
      'node.ts:1:30: expected code that needs no Node or browser module (a sandboxed plugin has none), found Could not resolve "node:fs"',
    );
    // Any of Node's modules, not only the best known ones.
    file(
      'node-more.ts',
      `import { EventEmitter } from 'node:events';\nimport { inspect } from 'util';\nimport { pipeline } from 'stream/promises';\nexport default [EventEmitter, inspect, pipeline];`,
    );
    expect((await refusal('node-more.ts')).issues.map((i) => [i.expected, i.at, i.found])).toEqual(
      ['node:events', 'util', 'stream/promises'].map((name, i) => [
        'code that needs no Node or browser module (a sandboxed plugin has none)',
        expect.stringMatching(new RegExp(`^node-more\\.ts:${String(i + 1)}:\\d+$`)),
        `Could not resolve "${name}"`,
      ]),
    );
  });

  it('refuses an import of a host-side SDK export, which its native tests import fine', async () => {
    file(
      'host-side.ts',
      `import { defineVsp, PLUGIN_ID_PATTERN } from 'hyperkata/sdk';
export default defineVsp({
  id: 'acme.host-side',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  description: String(PLUGIN_ID_PATTERN),
  create: () => ({ onPacket() {} }),
});`,
    );
    // Named where it is imported — line 1, column 21 — sandboxed (the sandbox finds it only as
    // the module links) and trusted alike: the author fixes the import.
    for (const trusted of [false, true])
      expect((await refusal('host-side.ts', { trusted })).message).toBe(
        'host-side.ts:1:21: expected imports that hyperkata/sdk has inside the sandbox: defineVsp, SDK_VERSION, DEVICE_CLASS_GUIDS and IDE_ACCELERATOR_CLASS_GUID, and any of its types (the rest of the SDK is for hosts), found an import of PLUGIN_ID_PATTERN from hyperkata/sdk',
      );
    // What the sandbox's hyperkata/sdk does have loads.
    file(
      'sdk-version.ts',
      `import { defineVsp, SDK_VERSION } from 'hyperkata/sdk';
export default defineVsp({
  id: 'acme.sdk-version',
  sdk: '^1.0.0',
  deviceClass: 'storage',
  description: SDK_VERSION,
  create: () => ({ onPacket() {} }),
});`,
    );
    expect(await loadPlugin('sdk-version.ts', { cwd: dir })).toMatchObject({
      id: 'acme.sdk-version',
    });
  });
});

describe('hyperkata run --plugin', () => {
  /** A campaign holding the fixture level, and a solution that routes db01's disk to `stor`. */
  /**
   * A plugin file: the fixture's storage VSP (id test.minimal-storage), whose `create` runs `body`
   * with `host` and `inner` (the fixture's own handlers) in scope and returns its handlers.
   */
  const fixtureWrapped = (name: string, body: string): string =>
    file(name, wrappedFixtureSource(body));
  const fixtureCampaign = (name: string): { levels: string; solution: string } => {
    file(`${name}/01-test-first-partition.json`, JSON.stringify({ ...fixtureLevel(), number: 1 }));
    const solution = file(
      `${name}.solution.json`,
      JSON.stringify({
        format: 1,
        level: 'test-first-partition',
        channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }],
      }),
    );
    return { levels: path.join(dir, name), solution };
  };

  /** A CLI environment on that campaign that keeps what the command prints. */
  const capturing = (levels: string): { env: CliEnv; io: { out: string; err: string } } => {
    const io = { out: '', err: '' };
    const env: CliEnv = {
      out: (t) => (io.out += t),
      err: (t) => (io.err += t),
      interactive: false,
      vsps: () => [minimalStorvsp()],
      loadPlugin: (spec) => loadPlugin(spec, { cwd: dir }),
      campaignDir: levels,
    };
    return { env, io };
  };

  /** The test fixture as a plugin file, under the id the fixture level's configuration names. */
  const fixtureAsMinimal = (name: string): string =>
    file(
      name,
      `import def from ${JSON.stringify(FIXTURE_PLUGIN)};\nexport default { ...def, id: 'test.minimal-storage' };`,
    );

  it('run --json gives a plugin that does not load a line a grader can read: its file, and each issue and where it is', async () => {
    const { levels, solution } = fixtureCampaign('refused-plugin');
    const plugin = file(
      'refused-plugin.ts',
      `import { defineVsp } from 'hyperkata/sdk';\nexport default defineVsp({\n  id: 'acme.refused',\n  sdk: '^1.0.0',\n  deviceClass: 'storge',\n  create: () => ({ onPacket() {} }),\n});\n`,
    );
    const { env, io } = capturing(levels);
    const code = await runCli(
      ['run', 'test-first-partition', '--solution', solution, '--plugin', plugin, '--json'],
      env,
    );
    expect(code).toBe(2);
    expect(JSON.parse(io.out)).toEqual({
      level: 'test-first-partition',
      solution,
      error: {
        message: expect.stringContaining('deviceClass: expected one of "storage"') as unknown,
        file: plugin,
        issues: [
          {
            path: 'deviceClass',
            expected: expect.stringContaining('(did you mean "storage"?)') as unknown,
            found: '"storge"',
            at: expect.stringMatching(/refused-plugin\.ts:5:3$/) as unknown,
          },
        ],
      },
    });
  });

  it('validate --json prints a line per file when a --plugin does not load, with the plugin’s problem', async () => {
    const { levels, solution } = fixtureCampaign('unloadable-plugin');
    const plugin = file('unloadable.ts', 'export default {{;\n');
    const { env, io } = capturing(levels);
    const code = await runCli(['validate', '--json', solution, '--plugin', plugin], env);
    expect(code).toBe(2);
    expect(
      io.out
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as unknown),
    ).toEqual([
      {
        file: solution,
        kind: 'solution',
        ok: false,
        level: null,
        errors: [
          {
            file: plugin,
            path: null,
            message: expect.stringContaining('expected plugin source that compiles') as unknown,
            expected: 'plugin source that compiles and bundles',
            found: expect.any(String) as unknown,
            at: expect.stringMatching(/unloadable\.ts:1:\d+$/) as unknown,
          },
        ],
      },
    ]);
    // The words on stderr, as without --json.
    expect(io.err).toContain('expected plugin source that compiles and bundles');
  });

  it('plays a level with a plugin file in the sandbox in place of the built-in', async () => {
    const { levels, solution } = fixtureCampaign('campaign');
    const plugin = fixtureAsMinimal('as-minimal.ts');
    const { env, io } = capturing(levels);
    const code = await runCli(
      [
        'run',
        'test-first-partition',
        '--solution',
        solution,
        '--plugin',
        plugin,
        '--json',
        '--replay-out',
        file('replay.json'),
      ],
      env,
    );
    expect(io.err).toBe('');
    expect(code).toBe(0);
    const json = JSON.parse(io.out) as { faults: { plugins: unknown[] }; stars: number };
    expect(json.faults.plugins).toEqual([]);
    // The replay names the code that ran: the bundled plugin, not the built-in.
    const replay = JSON.parse(readFileSync(file('replay.json'), 'utf8')) as {
      plugins: { id: string; digest: string }[];
    };
    expect(replay.plugins).toEqual([
      { id: 'test.minimal-storage', digest: expect.stringMatching(/^sha256:/) as unknown },
    ]);
    const bad = await runCli(['run', 'test-first-partition', '--plugin', 'missing.ts'], env);
    expect(bad).toBe(2);
    expect(io.err).toContain('missing.ts: expected a plugin file');
  });

  it('run --log prints the narration as it happens, a plugin’s host.log lines included', async () => {
    const { levels, solution } = fixtureCampaign('campaign-log');
    const plugin = fixtureWrapped(
      'logs.ts',
      `
    return { ...inner, onChannelOpened(channel) { host.log('hello from the plugin'); inner.onChannelOpened?.(channel); } };
`,
    );
    const run = async (...extra: string[]) => {
      const { env, io } = capturing(levels);
      const argv = ['run', 'test-first-partition', '--solution', solution, '--plugin', plugin];
      const code = await runCli([...argv, ...extra], env);
      return { code, err: io.err };
    };
    const quiet = await run();
    expect(quiet.code).toBe(0);
    expect(quiet.err).not.toContain('hello from the plugin');
    const only = await run('--log', 'stor');
    expect(only.code).toBe(0);
    // simulated time, the VSP instance, its line — and only lines that mention the instance
    expect(only.err).toMatch(/^ +\d+\.\d{3} ms {2}stor: hello from the plugin$/m);
    expect(only.err).toMatch(/db01: scsi0: channel opened — db01\/scsi0 ↔ stor /);
    const lines = only.err.trimEnd().split('\n');
    expect(lines.every((l) => l.includes('stor'))).toBe(true);
    const all = await run('--log');
    expect(all.err).toContain('stor: hello from the plugin');
    expect(all.err).toMatch(/ms {2}VMMS: /);
  });

  it('a trusted plugin’s fault names its file and line in the run summary and --json', async () => {
    const { levels, solution } = fixtureCampaign('campaign-native-fault');
    const plugin = fixtureWrapped(
      'native-throws.ts',
      `
    let served = 0;
    return {
      ...inner,
      onPacket(channel, packet) {
        if (++served === 30) throw new Error('thrown in the run');
        inner.onPacket(channel, packet);
      },
    };
`,
    );
    const line = readFileSync(plugin, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes("throw new Error('thrown in the run')"));
    const { env, io } = capturing(levels);
    // --trusted-plugin: loaded natively, by the name the user typed from `dir`.
    const trusted: CliEnv = {
      ...env,
      loadPlugin: (spec, native) =>
        loadPlugin(spec, { cwd: dir, ...(native === true ? { trusted: native } : {}) }),
    };
    const argv = ['run', 'test-first-partition', '--solution', solution];
    const plugins = ['--trusted-plugin', 'native-throws.ts'];
    // The lost channel fails the level's "no I/O lost" objective: exit code 1.
    expect(await runCli([...argv, ...plugins], trusted)).toBe(1);
    expect(io.out).toContain(
      'plugin test.minimal-storage (native-throws.ts, trusted: native, not sandboxed): serves',
    );
    const where = `(at onPacket (native-throws.ts:${String(line + 1)}:`;
    expect(io.out).toMatch(
      /^ {2}faults: test\.minimal-storage on db01\/scsi0: onPacket threw Error: thrown in the run \(at onPacket/m,
    );
    expect(io.out).toContain(where);
    io.out = '';
    expect(await runCli([...argv, ...plugins, '--json'], trusted)).toBe(1);
    const json = JSON.parse(io.out) as {
      solution: string;
      faults: { plugins: { reason: string }[] };
    };
    expect(json.faults.plugins.map((f) => f.reason)).toEqual([
      expect.stringContaining(`onPacket threw Error: thrown in the run ${where}`),
    ]);
    // The solution is named as it was typed (here a full path); nothing else names the plugin's
    // place on this machine.
    expect(json.solution).toBe(solution);
    const { solution: _typed, ...graded } = json;
    expect(JSON.stringify(graded)).not.toContain(dir);
    expect(io.out).not.toMatch(/data:|file:/);
    // A replay is checked where plugins run sandboxed: one of a trusted run could not be.
    io.err = '';
    const replay = path.join(dir, 'trusted.replay.json');
    expect(await runCli([...argv, ...plugins, '--replay-out', replay], trusted)).toBe(2);
    expect(io.err).toContain(
      '--replay-out: expected plugins that run sandboxed (--plugin), found --trusted-plugin',
    );
    expect(existsSync(replay)).toBe(false);
  });

  it('a trusted plugin’s payload over 64 KiB fails its channel in the sandbox’s words, as under --plugin', async () => {
    const { levels, solution } = fixtureCampaign('campaign-oversize');
    const { env, io } = capturing(levels);
    const trusted: CliEnv = {
      ...env,
      loadPlugin: (spec, native) =>
        loadPlugin(spec, { cwd: dir, ...(native === true ? { trusted: native } : {}) }),
    };
    const argv = ['run', 'test-first-partition', '--solution', solution, '--json'];
    /** The fault reasons of a run with the plugin under `flag`, columns left out (each engine has its own). */
    const reasons = async (flag: string, plugin: string): Promise<string[]> => {
      io.out = '';
      expect(await runCli([...argv, flag, plugin], trusted)).toBe(1);
      const json = JSON.parse(io.out) as { faults: { plugins: { reason: string }[] } };
      return json.faults.plugins.map((f) => f.reason.replace(/:\d+\)\)$/, '))'));
    };
    const calls = {
      'channel.complete: payload': 'channel.complete(packet.transId, new Uint8Array(65537))',
      'memory.writeGpadl: data': 'channel.memory.writeGpadl(1, 0, new Uint8Array(65537))',
    };
    for (const [what, call] of Object.entries(calls)) {
      const name = `oversize-${what.split(':')[0].replace('.', '-')}.ts`;
      fixtureWrapped(name, `    return { ...inner, onPacket(channel, packet) { ${call}; } };\n`);
      const sandboxed = await reasons('--plugin', name);
      expect(sandboxed).toEqual([
        expect.stringMatching(
          new RegExp(
            `^onPacket threw RangeError: ${what} of 65537 bytes is larger than the sandbox allows \\(65536 bytes\\) \\(at onPacket \\(${name}:\\d+\\)\\)$`,
          ),
        ),
      ]);
      expect(await reasons('--trusted-plugin', name)).toEqual(sandboxed);
    }
  });

  it('the summary shows the guest memory a plugin was refused, not only --json', async () => {
    const { levels, solution } = fixtureCampaign('campaign-isolation');
    const plugin = fixtureWrapped(
      'reaches.ts',
      `
    let first = true;
    return {
      ...inner,
      onPacket(channel, packet) {
        if (first) channel.memory.writeGpadl(77, 0, new Uint8Array(8)); // no such GPADL
        first = false;
        inner.onPacket(channel, packet);
      },
    };
`,
    );
    const { env, io } = capturing(levels);
    const argv = ['run', 'test-first-partition', '--solution', solution, '--plugin', plugin];
    expect(await runCli(argv, env)).toBe(0);
    expect(io.out).toMatch(
      /^ {2}memory refused: test\.minimal-storage on db01: unknown-gpadl \(.*77.*\)$/m,
    );
    // The same mistake on every packet: one line, how many times — not the same line over again.
    const every = fixtureWrapped(
      'reaches-always.ts',
      `
    return {
      ...inner,
      onPacket(channel, packet) {
        channel.memory.writeGpadl(77, 0, new Uint8Array(8)); // no such GPADL
        inner.onPacket(channel, packet);
      },
    };
`,
    );
    io.out = '';
    expect(await runCli([...argv.slice(0, -1), every], env)).toBe(0);
    const refused = io.out.split('\n').filter((l) => l.includes('memory refused'));
    expect(refused).toEqual([
      expect.stringMatching(
        /^ {2}memory refused: test\.minimal-storage on db01: unknown-gpadl \(.*77.*\) ×[\d,]+$/,
      ),
    ]);
    expect(io.out).not.toContain('… and');
  });

  it('the summary says when a plugin completed requests twice and the guest dropped the extras', async () => {
    const { levels, solution } = fixtureCampaign('campaign-stray');
    const plugin = fixtureWrapped(
      'twice.ts',
      `
    // The same channel, but each completion is sent twice.
    const twice = (channel) =>
      Object.assign(Object.create(channel), {
        complete(transId, payload) {
          channel.complete(transId, payload);
          channel.complete(transId, payload);
        },
      });
    return { ...inner, onDeviceCompleted: (channel, c) => inner.onDeviceCompleted(twice(channel), c) };
`,
    );
    const { env, io } = capturing(levels);
    const argv = ['run', 'test-first-partition', '--solution', solution, '--plugin', plugin];
    expect(await runCli(argv, env)).toBe(0);
    expect(io.out).toMatch(
      /^ {2}stray completions: db01 dropped \d+ \(a trans_id of no request in flight: the VSP completed twice, or a request it never received\)$/m,
    );
  });

  it('the report names each plugin and what it served, and says when no VSP instance used it', async () => {
    const { levels, solution } = fixtureCampaign('campaign-usage');
    const plugin = fixtureAsMinimal('as-minimal-3.ts');
    const { env, io } = capturing(levels);
    // acme.echo is loaded too, but the level has no instance of it.
    const argv = ['run', 'test-first-partition', '--solution', solution];
    const plugins = ['--plugin', plugin, '--plugin', 'echo/index.ts'];
    expect(await runCli([...argv, ...plugins], env)).toBe(0);
    expect(io.out).toContain(
      `plugin test.minimal-storage (${plugin}, sandboxed): serves stor on ssd0`,
    );
    expect(io.out).toMatch(
      /plugin acme\.echo \(echo\/index\.ts, sandboxed\): not used — no VSP instance of this run names it/,
    );
    expect(io.err).toBe('');

    io.out = '';
    expect(await runCli([...argv, ...plugins, '--json'], env)).toBe(0);
    const json = JSON.parse(io.out) as { plugins: unknown[] };
    expect(json.plugins).toEqual([
      {
        id: 'test.minimal-storage',
        source: plugin,
        isolation: 'sandbox',
        digest: expect.stringMatching(/^sha256:/) as unknown,
        instances: [{ id: 'stor', device: 'ssd0' }],
      },
      {
        id: 'acme.echo',
        source: 'echo/index.ts',
        isolation: 'sandbox',
        digest: expect.stringMatching(/^sha256:/) as unknown,
        instances: [],
      },
    ]);
    expect(io.err).toMatch(/^hyperkata: warning: plugin acme\.echo .*not used/);
  });

  it('validate takes --plugin, and checks a solution against the level file given with it', async () => {
    const levels = path.join(dir, 'campaign-validate');
    file(
      'campaign-validate/01-test-first-partition.json',
      JSON.stringify({ ...fixtureLevel(), number: 1 }),
    );
    // A copy of the campaign level (same id) that lets a solution change the VSP instances, and a
    // solution in which acme.echo serves the disk: what an author playing their plugin writes.
    const copy = file(
      'custom/level.json',
      JSON.stringify({ ...fixtureLevel(), controls: { routing: true, vspInstances: true } }),
    );
    const solution = file(
      'custom/solution.json',
      JSON.stringify({
        format: 1,
        level: 'test-first-partition',
        vsps: [{ id: 'echo', plugin: 'acme.echo', device: 'ssd0' }],
        channels: [{ vm: 'db01', device: 'scsi0', vsp: 'echo' }],
      }),
    );
    const { env, io } = capturing(levels);
    expect(await runCli(['validate', copy, solution], env)).toBe(2);
    expect(io.err).toContain(
      'vsps[0].plugin: expected the id of a loaded VSP plugin (test.minimal-storage), found "acme.echo"',
    );

    io.out = '';
    io.err = '';
    expect(await runCli(['validate', copy, solution, '--plugin', 'echo/index.ts'], env)).toBe(0);
    expect(io.err).toBe('');
    expect(io.out).toContain(
      `✔ ${solution}: a valid solution (checked against test-first-partition in ${copy})`,
    );

    // A plugin of the wrong device class on the disk: the message says the plugin's class.
    file(
      'netecho/index.ts',
      ECHO.replace("'acme.echo'", "'acme.netecho'").replace("'storage'", "'network'"),
    );
    file('netecho/tag.ts', `export const tag = (n: number): string => 'net ' + n;`);
    const wrong = file(
      'custom/wrong-class.json',
      readFileSync(solution, 'utf8').replace('"acme.echo"', '"acme.netecho"'),
    );
    io.err = '';
    expect(await runCli(['validate', copy, wrong, '--plugin', 'netecho/index.ts'], env)).toBe(2);
    expect(io.err).toContain(
      'vsps[0].device: expected one of the host\'s nics (none): acme.netecho is a network VSP, found "ssd0", a disk, which a network VSP cannot drive',
    );
  });

  it('a solution naming a plugin no --plugin loaded says which mistake it was and what to type', async () => {
    const levels = path.join(dir, 'campaign-unloaded');
    file(
      'campaign-unloaded/01-test-first-partition.json',
      JSON.stringify({ ...fixtureLevel(), number: 1 }),
    );
    const level = file(
      'unloaded/level.json',
      JSON.stringify({ ...fixtureLevel(), controls: { routing: true, vspInstances: true } }),
    );
    const solution = file(
      'unloaded/solution.json',
      JSON.stringify({
        format: 1,
        level: 'test-first-partition',
        vsps: [{ id: 'mine', plugin: 'local.my-disk', device: 'ssd0' }],
        channels: [{ vm: 'db01', device: 'scsi0', vsp: 'mine' }],
      }),
    );
    const { env, io } = capturing(levels);
    // The tutorial's command without its --plugin: the id is no built-in's, so it needs a file.
    expect(await runCli(['run', level, '--solution', solution], env)).toBe(2);
    expect(io.err).toContain(
      'found "local.my-disk" — no --plugin was given, and no built-in has that id: load the plugin whose defineVsp has it with --plugin FILE (its .ts file, or its project folder)',
    );
    // A plugin given, but its defineVsp has another id (changed in one place only).
    const other = fixtureAsMinimal('unloaded/other.ts');
    for (const command of [
      ['run', level, '--solution', solution, '--plugin', other],
      ['validate', level, solution, '--plugin', other],
    ]) {
      io.err = '';
      expect(await runCli(command, env)).toBe(2);
      expect(io.err).toContain(
        `found "local.my-disk" — none of the plugins given (${other}) has that id: the id in a plugin's defineVsp and the solution's "plugin" must be the same`,
      );
    }
  });

  it('verify and replay take --plugin too, repeatable; a replay refuses to run without its plugin', async () => {
    const levels = path.join(dir, 'campaign-verify');
    const reference = {
      format: 1,
      level: 'test-first-partition',
      channels: [{ vm: 'db01', device: 'scsi0', vsp: 'stor' }],
    };
    file(
      'campaign-verify/01-test-first-partition.json',
      JSON.stringify({ ...fixtureLevel(), number: 1 }),
    );
    file(
      'campaign-verify/01-test-first-partition.reference.solution.json',
      JSON.stringify(reference),
    );
    file(
      'campaign-verify/01-test-first-partition.naive.solution.json',
      JSON.stringify({ format: 1, level: 'test-first-partition' }),
    );
    const solution = file('campaign-verify/01-test-first-partition.reference.solution.json');
    const plugin = fixtureAsMinimal('as-minimal-2.ts');
    const loaded: string[] = [];
    const { env: plain, io } = capturing(levels);
    const env: CliEnv = {
      ...plain,
      loadPlugin: async (spec) => {
        const m = await loadPlugin(spec, { cwd: dir });
        loaded.push(`${spec} → ${m.id} (${m.isolation})`);
        return m;
      },
    };
    const verify = await runCli(
      ['verify', '--plugin', plugin, '--plugin', 'echo/index.ts', '--json'],
      env,
    );
    expect(io.err).toBe('');
    expect(verify).toBe(0);
    expect(loaded).toEqual([
      `${plugin} → test.minimal-storage (sandbox)`,
      'echo/index.ts → acme.echo (sandbox)',
    ]);
    const verdict = JSON.parse(io.out) as { levels: { reference: { stars: number } }[] };
    expect(verdict.levels.map((l) => l.reference.stars)).toEqual([3]);

    const replayFile = file('replay-2.json');
    const run = ['run', 'test-first-partition', '--solution', solution, '--json'];
    expect(await runCli([...run, '--plugin', plugin, '--replay-out', replayFile], env)).toBe(0);
    io.out = '';
    expect(await runCli(['replay', replayFile, '--plugin', plugin, '--json'], env)).toBe(0);
    expect(JSON.parse(io.out)).toMatchObject({ same: true });
    // Without the plugin, the built-in of the same id is not the code the replay ran.
    io.err = '';
    expect(await runCli(['replay', replayFile], env)).toBe(2);
    expect(io.err).toMatch(/plugin test\.minimal-storage is not the code the replay ran/);
    expect(io.err).not.toMatch(/\n\s+at /);
  });
});
