/**
 * The examples in the core's TSDoc work as written. Every `@example` on an export of
 * core/index.ts (and on the members of Simulation) is a ts code block that is, verbatim, a region
 * of a real file under docs/examples/core-api — which the type check and the linter check — and
 * these tests run those files and check that they print and return what the examples' comments
 * say. The VSP types' examples are handler fragments: vsp.ts gives each a small plugin around it,
 * and the SDK's harness runs those plugins here. The same
 * arrangement as docs/plugins.md and docs/plugins.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { VspTestHarness } from '../plugins/sdk/testing/index.js';
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

  it('Simulation.manage: Suspend-VM is accepted once, refused on a paused VM', async () => {
    const { scenario, configuration } = await import('../docs/examples/core-api/my-host.js');
    const { pauseTwice } = await import('../docs/examples/core-api/simulation.js');
    const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
    expect(pauseTwice(sim)).toEqual([true, false]);
    expect(sim.snapshot().vms.db01?.state).toBe('Paused');
    expect(sim.recent(1)[0]?.text).toBe(
      'db01: cannot pause a VM that is Paused (allowed: resume, save, stop, turn-off)',
    );
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
        reason: { id: 'memory.minimumAboveStartup', args: { startupMiB: 2048, minimumMiB: 4096 } },
      },
    ]);
    expect(model.heldFromTheStart()).toBe(4096);
    expect(model.nearMisses()).toEqual(['weight', undefined]);
    expect(model.generation1Limit()).toBe(1048576);
    const issue = model.classIssue();
    expect(issue.path).toEqual(['channels', 1, 'vsp']);
    expect(issue.expected).toMatch(
      /^a network VSP for web01\/eth0 \(class GUID f8615163-.*\(rule 11\)$/,
    );
    expect(issue.found).toMatch(/^"storvsp-ssd0", which serves storage \(class GUID ba6163d9-/);
  });
});

describe('the VSP types’ examples run in the SDK’s harness', () => {
  const request = (): Uint8Array => new Uint8Array(8);

  it('BlockDevicePort, DeviceCompletion: a write reaches the disk; its completion answers the guest', async () => {
    const { writesToDisk } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(writesToDisk, { device: { kind: 'block', latencySteps: 1 } });
    const channel = h.openChannel();
    const packet = h.packets.inband(request());
    h.deliver(channel, packet);
    expect(h.deviceRequests.map((r) => r.block)).toEqual([
      { op: 'write', offsetBytes: 0, bytes: 4096, tag: 1 },
    ]);
    expect(h.completionFor(channel, packet.transId)).toBeUndefined(); // the disk is not done yet
    h.settle();
    expect(h.completionFor(channel, packet.transId)?.[0]).toBe(1);
  });

  it('ChannelMemory, GpaRange, BlockRequest: a read into granted pages; none without them', async () => {
    const { readsFromDisk } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(readsFromDisk, { device: { kind: 'block', latencySteps: 1 } });
    const channel = h.openChannel();
    const ungranted = h.packets.inband(request());
    h.deliver(channel, ungranted);
    expect(h.completionFor(channel, ungranted.transId)?.[0]).toBe(4); // refused at once
    expect(h.deviceRequests).toEqual([]);
    const granted = h.packets.gpaDirect(request(), [{ byteOffset: 0, byteCount: 4096, pfns: [5] }]);
    h.deliver(channel, granted);
    expect(h.logs).toContain('4096 bytes at offset 0 of page 5');
    expect(h.deviceRequests.map((r) => r.block)).toEqual([
      { op: 'read', offsetBytes: 8 * 512, bytes: 4096, tag: 1 },
    ]);
    h.settle();
    expect(h.completionFor(channel, granted.transId)?.[0]).toBe(1);
  });

  it('DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID, VspPacket: SCSI or IDE, and a malformed request', async () => {
    const { answersAtOnce } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(answersAtOnce);
    const scsi = h.openChannel({ device: 'scsi0', guestVps: 8 });
    h.openChannel({ device: 'ide0', guestVps: 8, classGuid: IDE_ACCELERATOR_CLASS_GUID });
    expect(h.logs).toEqual([
      'scsi0: synthetic SCSI',
      'scsi0: up to 1 subchannel(s)',
      'ide0: up to 0 subchannel(s)',
    ]);
    h.deliver(scsi, h.packets.inband(Uint8Array.of(1, 2)));
    expect(scsi.state).toBe('failed');
    expect(scsi.failure?.reason).toMatch(/^malformed storage request: /);
  });

  it('VspFailureReason: a packet that is not in-band stops the channel, said by id in English', async () => {
    const { inbandOnly } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(inbandOnly);
    const channel = h.openChannel({ device: 'video0' });
    const ok = h.packets.inband(request());
    h.deliver(channel, ok);
    expect(h.completionFor(channel, ok.transId)).toBeDefined();
    h.deliver(
      channel,
      h.packets.gpaDirect(request(), [{ byteOffset: 0, byteCount: 8, pfns: [5] }]),
    );
    expect(channel.failure?.kind).toBe('guest-protocol-violation');
    expect(channel.failure?.reason).toBe(
      'synthvid carries in-band messages only, got a gpa-direct packet',
    );
  });

  it('VspChannel, SendResult: a request that asks for no completion loses its channel', async () => {
    const { forgetsClosed } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(forgetsClosed);
    const channel = h.openChannel({ vm: 'db01', device: 'scsi0' });
    const answered = h.packets.inband(request());
    h.deliver(channel, answered);
    expect(h.completionFor(channel, answered.transId)).toBeDefined();
    expect(h.logs).toEqual(['db01/scsi0 (subchannel 0)']);
    h.deliver(channel, h.packets.inband(request(), { completionRequested: false }));
    expect(channel.failure?.reason).toBe('storage requests must ask for a completion');
  });

  it('VspPacketKind, NetworkPort: the guest’s completion frees a section and is not answered', async () => {
    const { sendsFrames } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(sendsFrames);
    const channel = h.openChannel();
    h.deliver(channel, h.packets.completion(request(), 77));
    h.deliver(channel, h.packets.inband(request(), { transId: 78 }));
    expect(channel.completions.map((c) => c.transId)).toEqual([78]);
    expect(channel.state).toBe('open');
  });

  it('VirtualDevicePort, VspDevicePort, VspHandlers: a flush per request on a disk', async () => {
    const { anyDevice, smallest } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(anyDevice, { device: { kind: 'block', latencySteps: 1 } });
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(request(), { transId: 3 }));
    expect(h.deviceRequests.map((r) => r.block)).toEqual([
      { op: 'flush', offsetBytes: 0, bytes: 0, tag: 3 },
    ]);
    const virtual = new VspTestHarness(anyDevice, { device: { kind: 'virtual' } });
    expect(virtual.logs).toEqual([`serving ${virtual.host.device.id}`]);
    const small = new VspTestHarness(smallest);
    const closing = small.openChannel({ vm: 'web01', device: 'scsi1' });
    small.close(closing);
    expect(small.logs).toEqual(['web01/scsi1 closed']);
  });

  it('VspHost: each request charges the root the setting’s nanoseconds', async () => {
    const { chargesCpu } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(chargesCpu, { settings: { requestNs: 3_500 } });
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(request()));
    h.deliver(channel, h.packets.inband(request()));
    expect(h.cpuChargedNs).toBe(7_000);
    expect(h.logs[0]).toBe(`${h.host.instance} serves ${h.host.device.id}`);
  });

  it('MemoryPressureReport, VspHostEvent, MemoryPageRange, MemoryChangeReport: what the host hears', async () => {
    const { memoryAndTimers } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(memoryAndTimers);
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(request()));
    h.hostEvent(channel, { type: 'timer', tag: 5 });
    h.hostEvent(channel, { type: 'memory-target', action: 'balloon', pages: 512, tag: 9 });
    expect(h.hostReports).toEqual([
      expect.objectContaining({
        type: 'memory-pressure',
        pressurePercent: 80,
        committedPages: 262_144,
      }),
      expect.objectContaining({ type: 'heartbeat', sequence: 5 }),
      expect.objectContaining({ type: 'timer', tag: 6 }),
      expect.objectContaining({ type: 'memory-change', action: 'balloon', pages: 512, tag: 9 }),
    ]);
  });

  it('MemoryAccessResult: a read outside what the guest shared fails the channel with its reason', async () => {
    const { readsSendBuffer } = await import('../docs/examples/core-api/vsp.js');
    const h = new VspTestHarness(readsSendBuffer);
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(request()));
    expect(channel.state).toBe('failed');
    expect(channel.failure?.reason).toMatch(/gpadl/i);
  });

  it('DeviceClass, VspModule, FaultLocator: a plugin file’s default export, as a host builds it', async () => {
    const examples = await import('../docs/examples/core-api/vsp.js');
    expect(examples.default).toMatchObject({ id: 'acme.my-nic', deviceClass: 'network' });
    const h = new VspTestHarness(examples.default);
    expect(h.logs).toEqual([`${h.host.instance} serves ${h.host.device.id}`]);
    const handlers = examples.hostSide(h.host);
    expect(typeof handlers.onPacket).toBe('function');
    const thrown = new Error('boom');
    thrown.stack = 'Error: boom\n    at onPacket (my-vsp.ts:12:5)\n    at deliver (host.ts:1:1)';
    expect(examples.locateFault(thrown, undefined)).toBe('    at onPacket (my-vsp.ts:12:5)');
    expect(examples.locateFault('a string', undefined)).toBeUndefined();
  });
});
