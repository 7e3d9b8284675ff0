/**
 * The harness keeps the rules of the real VSP boundary (core/vsp/vsp-runtime.ts): effects apply
 * when a handler returns and are dropped if it threw; a throw loses only that channel; guest
 * memory is reachable only through the channel's GPADLs and the current packet's ranges.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { defineVsp } from '../index.js';
import type { VspChannel, VspHandlers, VspPacket } from '../index.js';
import {
  HarnessError,
  VspTestHarness,
  expectChannelFailed,
  expectChannelOpen,
  expectCompletion,
  expectCpuCharged,
  expectIsolationFault,
  expectNoPluginFaults,
  runContractSuite,
} from './index.js';

/** A VSP that echoes each request; `payload[0]` picks a misbehaviour. */
function echoVsp(closed: string[] = []) {
  let kept: { channel: VspChannel; packet: VspPacket } | undefined;
  return defineVsp({
    id: 'test.echo',
    sdk: '^1.0.0',
    deviceClass: 'storage',
    settings: {
      costNs: { type: 'integer', default: 500, min: 0, max: 10_000, description: 'CPU per packet' },
    },
    create(host, settings) {
      return {
        onPacket(channel, packet) {
          host.cpu.charge(settings.costNs);
          const op = packet.payload[0];
          if (op === 1) {
            channel.complete(packet.transId, packet.payload);
            throw new Error('boom');
          }
          if (op === 2) host.cpu.charge(-5);
          if (op === 3) channel.memory.writeRanges(packet, 0, new Uint8Array(8192));
          if (op === 4) kept = { channel, packet };
          if (op === 5 && kept !== undefined) kept.channel.memory.touchRanges(kept.packet, 1, true);
          if (op === 6) channel.memory.touchRanges(packet, 16, true);
          if (op === 7 && host.device.kind === 'block')
            host.device.submit(channel, {
              op: 'read',
              offsetBytes: 0,
              bytes: 512,
              tag: packet.transId,
            });
          if (op === 8) host.setTimer(channel, 2_500, 77);
          if (op === 9) channel.offerSubchannels(3);
          if (op === 10) channel.fail('guest sent op 10');
          if (op === 11) {
            void Promise.resolve().then(() => channel.complete(packet.transId, packet.payload));
            return;
          }
          if (op === 12 && host.device.kind === 'block')
            host.device.submit({ ...channel }, { op: 'flush', offsetBytes: 0, bytes: 0, tag: 0 });
          if (op !== 7) channel.complete(packet.transId, packet.payload);
        },
        onDeviceCompleted(channel, completion) {
          channel.complete(completion.tag, Uint8Array.of(completion.status === 'ok' ? 0 : 1));
        },
        onHostEvent(channel, event) {
          if (event.type === 'timer') channel.send(Uint8Array.of(event.tag));
        },
        onChannelClosed(_channel, reason) {
          closed.push(reason);
        },
      };
    },
  });
}

const op = (n: number) => Uint8Array.of(n, 0xaa, 0xbb);

/** This file as the harness names it (relative to where the tests run), and the first line holding `text`. */
const THIS_FILE = 'plugins/sdk/testing/harness.test.ts';
function lineOf(text: string): number {
  const lines = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
  const found = lines.findIndex((l) => l.includes(text));
  if (found < 0) throw new Error(`expected a line holding ${text}`);
  return found + 1;
}

describe('VspTestHarness', () => {
  it('delivers a copy of each packet and records the completion echoing its trans_id', () => {
    const h = new VspTestHarness(echoVsp());
    const channel = h.openChannel({ vm: 'db01' });
    const payload = op(0);
    h.deliver(channel, h.packets.inband(payload, { transId: 42 }));
    payload[1] = 0; // the guest changes its buffer afterwards: the VSP saw a copy (rule 36)
    expect([...expectCompletion(channel, 42).payload]).toEqual([0, 0xaa, 0xbb]);
    expect(channel.unanswered).toBe(0);
    expectCpuCharged(h, { handler: 'onPacket', min: 500, max: 500 });
    expectNoPluginFaults(h);
  });

  it('rule 38: a handler that throws loses its channel, its effects are dropped, other channels live', () => {
    const closed: string[] = [];
    const h = new VspTestHarness(echoVsp(closed));
    const a = h.openChannel({ vm: 'a' });
    const b = h.openChannel({ vm: 'b' });
    h.deliver(a, h.packets.inband(op(1), { transId: 1 }));
    expect(expectChannelFailed(a, 'boom').kind).toBe('plugin-threw');
    expect(a.completions).toEqual([]);
    expect(closed).toEqual(['failed']);
    expect(h.deliver(a, h.packets.inband(op(0)))).toBe(false);
    h.deliver(b, h.packets.inband(op(0), { transId: 9 }));
    expectCompletion(b, 9);
    expectChannelOpen(b);
  });

  it("records an impossible CPU charge as the plugin's fault", () => {
    const h = new VspTestHarness(echoVsp());
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(2)));
    expect(h.invalidCharges).toEqual([-5]);
    expect(channel.failure?.kind).toBe('plugin-threw');
    expect(() => {
      expectNoPluginFaults(h);
    }).toThrow(HarnessError);
  });

  it('a channel call made outside any handler is plugin misuse', async () => {
    const h = new VspTestHarness(echoVsp());
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(11)));
    await Promise.resolve();
    const fault = expectChannelFailed(channel);
    expect(fault.kind).toBe('plugin-misuse');
    // Where the plugin's stored callback made the call.
    const line = lineOf('void Promise.resolve().then(() => channel.complete(');
    expect(fault.reason).toMatch(
      new RegExp(
        `^a channel method was called outside a handler \\(at \\S+ \\(${THIS_FILE}:${String(line)}:\\d+\\)\\)$`,
      ),
    );
  });

  it('a failure names the line of the plugin’s own code that threw, in what the author reads', () => {
    const h = new VspTestHarness(echoVsp());
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(1)));
    const line = lineOf("throw new Error('boom');");
    const where = `(at onPacket (${THIS_FILE}:${String(line)}:`;
    expect(expectChannelFailed(channel).reason).toContain(`onPacket threw Error: boom ${where}`);
    // The message a failing test shows: the same place, and no machine path.
    let message = '';
    try {
      expectNoPluginFaults(h);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(where);
    expect(message).not.toContain(fileURLToPath(import.meta.url));
    expect(message).not.toMatch(/file:|data:/);
  });

  it('a thrown value that is not an Error names the plugin, the handler, the packet and the plugin’s file', () => {
    // No stack to read: the harness still says whose handler, on what, and where the plugin is.
    const throwing = defineVsp({
      id: 'test.throws-values',
      sdk: '^1.0.0',
      deviceClass: 'storage',
      create: () => ({
        onPacket(_channel, packet) {
          const thrown: unknown[] = ['boom', { code: 42 }, undefined];
          throw thrown[packet.payload[0]];
        },
      }),
    });
    const defined = lineOf("id: 'test.throws-values',") - 1; // the defineVsp( line
    const h = new VspTestHarness(throwing);
    const what = [
      'a string: "boom"',
      'a non-Error value: {"code":42}',
      'a non-Error value: undefined',
    ];
    for (const [i, thrown] of what.entries()) {
      const channel = h.openChannel({ vm: 'db01', device: 'scsi0' });
      h.deliver(channel, h.packets.inband(Uint8Array.of(i, 0), { transId: 7 + i }));
      const site = `${THIS_FILE.replace(/\./g, '\\.')}:${String(defined)}:\\d+`;
      const packet = `packet trans_id ${String(7 + i)} \\(inband, 2 bytes\\)`;
      expect(expectChannelFailed(channel).reason).toMatch(
        new RegExp(
          `^onPacket threw ${thrown.replace(/[(){}]/g, '\\$&')} \\(in onPacket of the VSP defined at ${site}; only an Error has a stack: throw new Error\\(…\\) to get the line\\) — test\\.throws-values, handling ${packet} on channel ${String(channel.id)} \\(db01/scsi0\\)$`,
        ),
      );
    }
    // What a failing test shows: the same, through the assertion the author called.
    expect(() => {
      expectNoPluginFaults(h);
    }).toThrow(
      /onPacket threw a string: "boom" \(in onPacket of the VSP defined at .*test\.throws-values, handling packet trans_id 7/,
    );
  });

  it('a handler that throws an Error names the plugin and the device completion it was handling', () => {
    const h = new VspTestHarness(echoVsp(), { device: { kind: 'block', latencySteps: 1 } });
    const channel = h.openChannel({ vm: 'db01', device: 'scsi0' });
    h.deliver(channel, h.packets.inband(op(7), { transId: 5 }));
    // The read the VSP submitted completes; onDeviceCompleted echoes it… and we make it throw.
    channel.complete = () => {
      throw new Error('complete failed');
    };
    h.settle();
    expect(expectChannelFailed(channel).reason).toMatch(
      /^onDeviceCompleted threw Error: complete failed \(at .*\) — test\.echo, handling device completion tag 5 \(ok, 512 bytes\) on channel 1 \(db01\/scsi0\)$/,
    );
  });

  it('rule 3: a completion with the wrong trans_id is named where the test waits for the right one', () => {
    const offByOne = defineVsp({
      id: 'test.off-by-one',
      sdk: '^1.0.0',
      deviceClass: 'storage',
      create: () => ({
        onPacket(channel, packet) {
          channel.complete(packet.transId + 1000, packet.payload);
        },
      }),
    });
    const h = new VspTestHarness(offByOne);
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(0), { transId: 5 }));
    expect(channel.strayCompletions).toEqual([1005]);
    expect(() => expectCompletion(channel, 5)).toThrow(
      "channel 1: expected one completion for trans_id 5, found 0 (completions: [1005]): the VSP completed trans_id 1005, which no request in flight carries (a completion must echo its request's trans_id, rule 3)",
    );
  });

  it('refuses a payload larger than the sandbox lets through, in the sandbox’s words', () => {
    // Natively nothing stops a 1 MiB completion; the sandbox does, so the plugin's own tests
    // must fail before a level does.
    const sizes = defineVsp({
      id: 'test.sizes',
      sdk: '^1.0.0',
      deviceClass: 'storage',
      create: () => ({
        onPacket(channel, packet) {
          const bytes = packet.payload[0] * 1024 + packet.payload[1];
          if (packet.payload[2] === 0) channel.complete(packet.transId, new Uint8Array(bytes));
          else if (packet.payload[2] === 1) channel.send(new Uint8Array(bytes));
          else channel.memory.writeRanges(packet, 0, new Uint8Array(bytes));
        },
      }),
    });
    const h = new VspTestHarness(sizes);
    const at = (kib: number, extra: number, call: number) => {
      const channel = h.openChannel();
      h.deliver(
        channel,
        h.packets.gpaDirect(Uint8Array.of(kib, extra, call), [h.memory.allocate(1 << 17)]),
      );
      return channel;
    };
    for (const call of [0, 1, 2]) expectChannelOpen(at(64, 0, call)); // 64 KiB: allowed
    const what = ['channel.complete: payload', 'channel.send: payload', 'memory.writeRanges: data'];
    const lines = [
      'if (packet.payload[2] === 0) channel.complete(',
      'else if (packet.payload[2] === 1) channel.send(',
      'else channel.memory.writeRanges(packet, 0,',
    ].map(lineOf);
    for (const call of [0, 1, 2])
      expect(expectChannelFailed(at(64, 1, call))).toMatchObject({
        kind: 'plugin-threw',
        // …and where the plugin made the call, as the sandbox says it.
        reason: expect.stringMatching(
          new RegExp(
            `^onPacket threw RangeError: ${what[call]} of 65537 bytes is larger than the sandbox allows \\(65536 bytes\\) \\(at onPacket \\(${THIS_FILE}:${String(lines[call])}:\\d+\\)\\) — test\\.sizes, handling packet trans_id \\d+ \\(gpa-direct, 3 bytes, 1 page range\\) on channel \\d+ \\(vm1/dev0\\)$`,
          ),
        ) as unknown,
      });
  });

  it('channel.fail stops the channel as a guest violation, after the handler returns', () => {
    const h = new VspTestHarness(echoVsp());
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(10), { transId: 3 }));
    expect(expectChannelFailed(channel, 'op 10').kind).toBe('guest-protocol-violation');
    expect(channel.completions).toEqual([]); // the completion after fail() is dropped
    expectNoPluginFaults(h);
  });

  describe('guest memory (rule 36)', () => {
    it("a write past the packet's ranges is refused and blamed on the plugin", () => {
      const h = new VspTestHarness(echoVsp());
      const channel = h.openChannel();
      h.deliver(channel, h.packets.gpaDirect(op(3), [h.memory.allocate(4096)]));
      expectIsolationFault(h, { kind: 'outside-packet-grant', blame: 'plugin' });
    });

    it("ranges used after their packet's handler returned are refused (grant expired)", () => {
      const h = new VspTestHarness(echoVsp());
      const channel = h.openChannel();
      h.deliver(channel, h.packets.gpaDirect(op(4), [h.memory.allocate(4096)]));
      h.deliver(channel, h.packets.inband(op(5)));
      expectIsolationFault(h, { kind: 'grant-expired', blame: 'plugin' });
    });

    it('a guest range outside its memory is refused and blamed on the guest', () => {
      const h = new VspTestHarness(echoVsp(), { guestPages: 64 });
      const channel = h.openChannel();
      h.deliver(
        channel,
        h.packets.gpaDirect(op(6), [{ byteCount: 16, byteOffset: 0, pfns: [64] }]),
      );
      expectIsolationFault(h, { kind: 'pfn-outside-guest', blame: 'guest' });
      expectNoPluginFaults(h);
    });

    it('a GPADL is reachable from its own channel only', () => {
      const h = new VspTestHarness(echoVsp());
      const a = h.openChannel();
      const b = h.openChannel();
      const { handle, range } = h.memory.createGpadl(a.id, 8192);
      h.memory.write(range, 100, Uint8Array.of(9, 8, 7));
      const read = a.memory.readGpadl(handle, 100, 3);
      expect(read.ok && [...read.value]).toEqual([9, 8, 7]);
      expect(b.memory.readGpadl(handle, 0, 1).ok).toBe(false);
      expect(a.memory.readGpadl(handle, 8190, 4).ok).toBe(false);
      expect(h.isolationFaults.map((f) => f.kind)).toEqual([
        'gpadl-of-other-channel',
        'offset-outside-gpadl',
      ]);
    });
  });

  it('the fake disk answers after its latency and fails the requests the test picks', () => {
    const h = new VspTestHarness(echoVsp(), {
      device: { kind: 'block', latencySteps: 3, fail: (_r, i) => i === 1 },
    });
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(7), { transId: 1 }));
    h.deliver(channel, h.packets.inband(op(7), { transId: 2 }));
    expect(h.deviceRequests.map((r) => r.block?.op)).toEqual(['read', 'read']);
    h.advance(2);
    expect(channel.completions).toEqual([]);
    h.advance(1);
    expect(channel.completions.map((c) => [c.transId, c.payload[0]])).toEqual([
      [1, 0],
      [2, 1],
    ]);
  });

  it("refuses a device request for a channel that is not the VSP's own", () => {
    const h = new VspTestHarness(echoVsp());
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(12)));
    expectChannelFailed(channel, 'does not belong');
  });

  it('fires a timer after its delay in steps, on the fake clock', () => {
    const h = new VspTestHarness(echoVsp(), { stepNs: 1000 });
    const channel = h.openChannel();
    h.deliver(channel, h.packets.inband(op(8)));
    expect(h.hostReports).toEqual([{ type: 'timer', channel: channel.id, delayNs: 2500, tag: 77 }]);
    h.advance(2);
    expect(channel.sent).toEqual([]);
    h.advance(1);
    expect(channel.sent.map((s) => s.payload[0])).toEqual([77]);
  });

  it('opens the subchannels a VSP offered, numbered from 1', () => {
    const h = new VspTestHarness(echoVsp(), { maxSubchannels: 2 });
    const primary = h.openChannel({ vm: 'db01', guestVps: 8 });
    h.deliver(primary, h.packets.inband(op(9)));
    expect(primary.subchannelsOffered).toBe(2);
    const subs = h.openSubchannels(primary);
    expect(subs.map((s) => [s.vm, s.subchannelIndex, s.guestVps])).toEqual([
      ['db01', 1, 8],
      ['db01', 2, 8],
    ]);
    expect(h.openSubchannels(primary)).toEqual([]);
  });

  it('a VSP whose create throws fails every channel at open, blamed on the plugin', () => {
    const broken = defineVsp({
      id: 'test.broken',
      sdk: '^1.0.0',
      deviceClass: 'storage',
      create() {
        throw new TypeError('no');
      },
    });
    const h = new VspTestHarness(broken);
    const line = lineOf("throw new TypeError('no');");
    expect(h.createFailure).toMatch(
      new RegExp(
        `^create threw TypeError: no \\(at create \\(${THIS_FILE}:${String(line)}:\\d+\\)\\)$`,
      ),
    );
    expect(expectChannelFailed(h.openChannel()).kind).toBe('plugin-threw');
  });

  it('a VSP whose create returns no onPacket fails to start, saying so, as in the sandbox', () => {
    const typo = defineVsp({
      id: 'test.typo',
      sdk: '^1.0.0',
      deviceClass: 'storage',
      // A JavaScript plugin's typo, which no type checker caught.
      create: () => ({ onpacket() {} }) as unknown as VspHandlers,
    });
    const h = new VspTestHarness(typo);
    expect(h.createFailure).toBe(
      'create threw TypeError: create() must return handlers with an onPacket function',
    );
    const report = runContractSuite(typo, { runs: 2 });
    expect(report.checks.find((c) => c.name === 'starts')?.passed).toBe(false);
  });

  it('refuses the reserved hyperkata. namespace for a plugin written outside Hyperkata, as --plugin does', () => {
    // A plugin project's file, as Node names it: defineVsp is called from outside this clone.
    const make = vm.runInThisContext(
      "(defineVsp, create) => defineVsp({ id: 'hyperkata.mine', sdk: '^1.0.0', deviceClass: 'storage', create })",
      { filename: path.join(tmpdir(), 'my-disk', 'src', 'index.js') },
    ) as (define: typeof defineVsp, create: () => VspHandlers) => ReturnType<typeof defineVsp>;
    const create = () => ({ onPacket() {} });
    // (Placed at the first frame under the folder the tests run in: here, the line that made it.)
    expect(() => new VspTestHarness(make(defineVsp, create))).toThrow(
      /^VspTestHarness\("hyperkata\.mine"\)( \([^)]*\))?: id: expected an id outside the reserved "hyperkata\." namespace \(it belongs to the built-in VSPs\): one of yours, e\.g\. "local\.mine", found "hyperkata\.mine"$/,
    );
    // Hyperkata's own built-ins and tests are defined inside it, and keep the namespace.
    const inside = defineVsp({
      id: 'hyperkata.mine',
      sdk: '^1.0.0',
      deviceClass: 'storage',
      create,
    });
    expect(new VspTestHarness(inside).module.id).toBe('hyperkata.mine');
  });

  it('names where a refused definition’s defineVsp( is written, as a thrown string’s fault does', () => {
    // A JavaScript plugin that lacks its deviceClass, which no type checker caught.
    const lacking = defineVsp({
      id: 'test.lacking',
      sdk: '^1.0.0',
      create: () => ({ onPacket() {} }),
    } as unknown as Parameters<typeof defineVsp>[0]);
    expect(() => new VspTestHarness(lacking)).toThrow(
      /^VspTestHarness\("test\.lacking"\) \(plugins\/sdk\/testing\/harness\.test\.ts:\d+:\d+\): deviceClass: expected one of "storage"/,
    );
  });

  it('says what it expected when given no definition: a module without a default export, a number', () => {
    // What `import vsp from './index.js'` gives a JavaScript test when index.js has no default export.
    const given = [
      [
        undefined,
        /found undefined \(does the plugin module have a default export\? `export default defineVsp\(\{\.\.\.\}\)`\)$/,
      ],
      [42, /found a number$/],
      [
        () => echoVsp(),
        /found a function \(pass the definition defineVsp returns, not a function that makes one\)$/,
      ],
    ] as const;
    for (const [value, found] of given) {
      const make = () => new VspTestHarness(value as never);
      expect(make).toThrow(HarnessError);
      expect(make).toThrow(
        /^VspTestHarness: expected a VSP definition \(what defineVsp\(\{\.\.\.\}\) returns, a plugin module's default export\) or a VspModule, /,
      );
      expect(make).toThrow(found);
    }
    // A bad definition is named by its id, not by a label the author never wrote.
    const future = { ...echoVsp(), sdk: '^9.0.0' };
    expect(() => new VspTestHarness(future)).toThrow(
      /^VspTestHarness\("test\.echo"\): sdk: expected a range that includes this host's SDK/,
    );
  });

  it("refuses settings outside the plugin's bounds, naming the field", () => {
    expect(() => new VspTestHarness(echoVsp(), { settings: { costNs: -1 } })).toThrow(
      /settings\.costNs: expected an integer from 0 to 10000/,
    );
  });

  it('types the settings of a defineVsp definition, so an editor flags a misspelt name or a wrong type', () => {
    // The type checker (npm run typecheck, an author's editor) refuses these; at run time the
    // harness still refuses them with a HarnessError naming the field.
    // @ts-expect-error -- costNS is not one of echoVsp's settings (costNs)
    expect(() => new VspTestHarness(echoVsp(), { settings: { costNS: 100 } })).toThrow(
      /settings\.costNS: expected one of the plugin's settings \(costNs\) \(did you mean "costNs"\?\), found "costNS"/,
    );
    // @ts-expect-error -- costNs is an integer setting, not a string
    expect(() => new VspTestHarness(echoVsp(), { settings: { costNs: '100' } })).toThrow(
      /settings\.costNs: expected an integer/,
    );
    // A module's settings are not known to the type checker: any name type-checks.
    const module = new VspTestHarness(echoVsp()).module;
    expect(() => new VspTestHarness(module, { settings: { costNS: 100 } })).toThrow(HarnessError);
  });
});
