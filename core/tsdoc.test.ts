/**
 * The examples in the core's TSDoc work as written. Every `@example` on an export of
 * core/index.ts (and on the members of Simulation) is a ts code block that is, verbatim, a region
 * of a real file under docs/examples/core-api — which the type check compiles — and these tests
 * run those files and check that they print and return what the examples' comments say. The same
 * arrangement as docs/plugins.md and docs/plugins.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import {
  DEVICE_CLASS_GUIDS,
  IDE_ACCELERATOR_CLASS_GUID,
  Simulation,
  entryOf,
  vmOf,
} from './index.js';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const ENTRY = path.join(REPO, 'core', 'index.ts');
const EXAMPLES = path.join(REPO, 'docs', 'examples', 'core-api');

/**
 * Exports whose examples are fragments of a VSP (a handler body, a `host` call) rather than
 * programs: not yet regions of a compiled file. Shrink this list; do not grow it.
 */
const FRAGMENTS_NOT_YET_COMPILED = new Set([
  'DeviceClass',
  'DEVICE_CLASS_GUIDS',
  'IDE_ACCELERATOR_CLASS_GUID',
  'BlockDevicePort',
  'BlockRequest',
  'ChannelMemory',
  'DeviceCompletion',
  'FaultLocator',
  'GpaRange',
  'MemoryAccessResult',
  'MemoryChangeReport',
  'MemoryPageRange',
  'MemoryPressureReport',
  'NetworkPort',
  'SendResult',
  'VirtualDevicePort',
  'VspChannel',
  'VspDevicePort',
  'VspHandlers',
  'VspHost',
  'VspHostEvent',
  'VspModule',
  'VspPacket',
  'VspPacketKind',
]);

interface Documented {
  /** `core/index` for the file's own doc, an export's name, or `Class.member`. */
  readonly name: string;
  /** Each `@example`: the code of its ts block, or null when it has none. */
  readonly examples: readonly (string | null)[];
}

/** The `@example` blocks of a JSDoc comment's text. */
function examplesIn(jsdoc: string): (string | null)[] {
  const lines = jsdoc.split('\n').map((l) => l.replace(/^\s*(\/\*\*|\*\/|\* ?)/, ''));
  const text = lines.join('\n');
  return text
    .split(/^@example\b.*$/m)
    .slice(1)
    .map((after) => {
      const body = after.split(/^@\w+/m)[0] ?? '';
      const block = /^```ts\n([\s\S]*?)\n```/m.exec(body.trim());
      return block === null ? null : block[1];
    });
}

function docOf(node: ts.Node): string {
  return ts
    .getJSDocCommentsAndTags(node)
    .map((d) => d.getText())
    .join('\n');
}

/** The file's own doc, each export of core/index.ts, and Simulation's members, with their examples. */
function documented(): Documented[] {
  const program = ts.createProgram([ENTRY], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(ENTRY);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (source === undefined || module === undefined) throw new Error(`${ENTRY}: not a module`);
  const first = source.statements[0];
  const out: Documented[] = [{ name: 'core/index', examples: examplesIn(docOf(first)) }];
  for (const exported of checker.getExportsOfModule(module)) {
    const symbol =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    const declarations = (symbol.getDeclarations() ?? []).filter((d) => !ts.isSourceFile(d));
    out.push({
      name: exported.name,
      examples: declarations.flatMap((d) => examplesIn(docOf(d))),
    });
    for (const d of declarations) {
      if (!ts.isClassDeclaration(d)) continue;
      for (const member of d.members) {
        const name =
          member.name !== undefined && ts.isIdentifier(member.name) ? member.name.text : '';
        out.push({ name: `${exported.name}.${name}`, examples: examplesIn(docOf(member)) });
      }
    }
  }
  return out.filter((d) => d.examples.length > 0);
}

/**
 * Every `// #region name` … `// #endregion name` of the example files, dedented. An import of a
 * file outside docs/examples/core-api is shown as a reader at the repository's root writes it
 * (`./core/index.js`).
 */
function regions(): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of readdirSync(EXAMPLES).filter((f) => f.endsWith('.ts'))) {
    const lines = readFileSync(path.join(EXAMPLES, file), 'utf8').split('\n');
    lines.forEach((line, start) => {
      const name = /^\s*\/\/ #region (\S+)$/.exec(line)?.[1];
      if (name === undefined) return;
      const end = lines.findIndex((l, i) => i > start && l.trim() === `// #endregion ${name}`);
      if (end < 0) throw new Error(`${file}: region ${name} has no end`);
      const body = lines.slice(start + 1, end);
      const indent = Math.min(
        ...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
      );
      const code = body
        .map((l) => l.slice(indent))
        .join('\n')
        .replace(/from '(\.\.?\/[^']+)'/g, (whole, spec: string) => {
          const target = path.resolve(EXAMPLES, spec);
          if (target.startsWith(EXAMPLES + path.sep)) return whole;
          return `from './${path.relative(REPO, target).split(path.sep).join('/')}'`;
        });
      if (found.has(name)) throw new Error(`region ${name} is defined twice`);
      found.set(name, code);
    });
  }
  return found;
}

describe('the core’s TSDoc examples', () => {
  const docs = documented();
  const shown = regions();

  it('cover the API a library user starts from', () => {
    expect(docs.map((d) => d.name)).toEqual(
      expect.arrayContaining(['core/index', 'Simulation', 'Simulation.snapshot']),
    );
  });

  it('every example is a ts code block that is a region of docs/examples/core-api, verbatim', () => {
    const wrong: string[] = [];
    for (const { name, examples } of docs) {
      if (FRAGMENTS_NOT_YET_COMPILED.has(name)) continue;
      if (examples.length !== 1) wrong.push(`${name}: ${examples.length} examples (one expected)`);
      const code = examples.at(0);
      if (code === null || code === undefined) wrong.push(`${name}: no \`\`\`ts block`);
      else if (shown.get(name) !== code)
        wrong.push(
          `${name}: differs from docs/examples/core-api region ${name}\n--- TSDoc\n${code}\n--- region\n${shown.get(name) ?? '(none)'}`,
        );
    }
    expect(wrong).toEqual([]);
  });

  it('the list of uncompiled fragments names only exports that still have one', () => {
    const names = new Set(docs.map((d) => d.name));
    const stale = [...FRAGMENTS_NOT_YET_COMPILED].filter((n) => !names.has(n) || shown.has(n));
    expect(stale).toEqual([]);
  });
});

describe('the examples run and do what their comments say', () => {
  let printed: string[];
  beforeEach(() => {
    printed = [];
    jest.spyOn(console, 'log').mockImplementation((...args: unknown[]) => {
      printed.push(args.map(String).join(' '));
    });
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('core/index: narration while it advances in 16 ms steps, then the report’s figures and hash', async () => {
    const { scenario, configuration } = await import('../docs/examples/core-api/my-host.js');
    await import('../docs/examples/core-api/run-a-host.js');
    const whole = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 42 });
    const report = whole.runToEnd();
    const lines = whole.recent(10_000);
    expect(printed.slice(0, -1)).toEqual(
      lines.map((l) => expect.stringMatching(new RegExp(` ${l.source}: `)) as unknown),
    );
    expect(printed.at(-1)).toBe(
      `${report.vms.db01?.p99LatencyUs} ${report.host.rootCpuPercent} ${report.hash}`,
    );
    expect(report.vms.db01?.completed).toBeGreaterThan(0);
  });

  it('Simulation: narration of the first 50 ms only, then true — the same seed gives the same run', async () => {
    const { scenario, configuration } = await import('../docs/examples/core-api/my-host.js');
    await import('../docs/examples/core-api/simulation.js');
    const first50 = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 7 });
    first50.advance(50_000_000);
    const heard = first50.recent(10_000).map((l) => l.text);
    expect(heard.length).toBeGreaterThan(0);
    expect(printed).toEqual([...heard, 'true']);
  });

  it('Simulation.snapshot: LPs busy and the backlog, 0..1', async () => {
    const { scenario, configuration } = await import('../docs/examples/core-api/my-host.js');
    const { drawFrame } = await import('../docs/examples/core-api/simulation.js');
    const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
    const before = drawFrame(sim);
    expect(before).toEqual({ busy: 0, backlog: 0 });
    sim.advance(60_000_000);
    const running = drawFrame(sim);
    expect(running.busy).toBeGreaterThanOrEqual(0);
    expect(running.busy).toBeLessThanOrEqual(8);
    expect(running.backlog).toBeGreaterThanOrEqual(0);
    expect(running.backlog).toBeLessThanOrEqual(1);
  });

  it('ByName, entriesOf, valuesOf, vmOf: db01 read by name, listed, summed, and a typo named', async () => {
    const { scenario, configuration } = await import('../docs/examples/core-api/my-host.js');
    const examples = await import('../docs/examples/core-api/by-name.js');
    const report = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS }).runToEnd();
    const p99 = report.vms.db01?.p99LatencyUs;
    examples.readByName(report);
    examples.listVms(report);
    examples.knownVm(report);
    expect(printed).toEqual([String(p99), `db01 ${String(p99)}`, String(p99)]);
    expect(examples.completedOps(report)).toBe(report.vms.db01?.completed);
    expect(() => vmOf(report.vms, 'db1')).toThrow("no VM 'db1' (VMs: db01)");
  });

  it('entryOf: the VSP and the disk read by name, and a typo named', async () => {
    const { scenario, configuration } = await import('../docs/examples/core-api/my-host.js');
    const examples = await import('../docs/examples/core-api/by-name.js');
    const report = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS }).runToEnd();
    examples.knownEntries(report);
    expect(printed).toEqual([
      `${String(report.vsps['storvsp-ssd0']?.packets)} ${String(report.host.disks.ssd0?.iops)}`,
    ]);
    expect(report.vsps['storvsp-ssd0']?.packets).toBeGreaterThan(0);
    expect(() => entryOf(report.vsps, 'storvsp', 'VSP')).toThrow(
      "no VSP 'storvsp' (VSPs: storvsp-ssd0)",
    );
  });

  it('the model’s functions return what their examples’ comments show', async () => {
    const model = await import('../docs/examples/core-api/model.js');
    expect(model.bootsFromIde()).toBe(true);
    expect(model.offeredGuids()).toEqual({
      ide: IDE_ACCELERATOR_CLASS_GUID,
      scsi: DEVICE_CLASS_GUIDS.storage,
    });
    expect(model.offeredGuids().ide).toMatch(/^32412632-/);
    expect(model.offeredGuids().scsi).toMatch(/^ba6163d9-/);
    expect(model.releaseWording()).toBe(
      'Windows Server 2022 allows at most 1024 virtual processors per VM (rule 40)',
    );
    expect(model.releaseFieldLimit()).toBe(
      'at most 240 virtual processors per VM, the limit of Windows Server 2016 (rule 40)',
    );
    expect(model.memoryIssues()).toEqual([
      {
        path: ['vms', 'db01', 'memory', 'minimumMiB'],
        expected: 'at most the startup memory (2048 MiB) (rule 33)',
        found: '4096',
      },
    ]);
    const issue = model.classIssue();
    expect(issue.path).toEqual(['channels', 1, 'vsp']);
    expect(issue.expected).toMatch(
      /^a network VSP for web01\/eth0 \(class GUID f8615163-.*\(rule 11\)$/,
    );
    expect(issue.found).toMatch(/^"storvsp-ssd0", which serves storage \(class GUID ba6163d9-/);
  });
});
