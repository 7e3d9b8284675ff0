import { afterEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { PluginLimitError } from '../../core/vsp/plugin-faults.js';
import type { VspHandlers } from '../../core/vsp/types.js';
import {
  DEVICE_CLASS_GUIDS,
  IDE_ACCELERATOR_CLASS_GUID,
  PluginError,
  SDK_VERSION,
} from '../sdk/index.js';
import { createSandboxedVsp, SandboxError } from './index.js';
import type { SandboxedVspModule, SandboxedVspOptions } from './index.js';
import { Answers, replayEffects } from './outbound.js';
import { FakeVspChannel, FakeVspHost, fakePacket } from './testing/fake-vsp-host.js';
import { Op } from './wire.js';

const loaded: SandboxedVspModule[] = [];
afterEach(() => {
  for (const m of loaded.splice(0)) m.dispose();
});

/** A plugin module whose create() returns `handlers` (source text, evaluated in the sandbox). */
const plugin = (handlers: string, prelude = '', extra = '') => `
import { defineVsp } from 'hyperkata/sdk';
${prelude}
export default defineVsp({
  id: 'acme.test', sdk: '^1.0.0', deviceClass: 'storage', ${extra}
  create(host, settings) { return { ${handlers} }; },
});`;

async function load(code: string, options: Partial<SandboxedVspOptions> = {}) {
  const m = await createSandboxedVsp(code, { source: 'acme-test.js', ...options });
  loaded.push(m);
  return m;
}

async function instance(handlers: string, prelude = '', host = new FakeVspHost()) {
  const m = await load(plugin(handlers, prelude));
  return { m, host, h: m.create(host), ch: new FakeVspChannel(7, host) };
}

async function refusal(code: string, options: Partial<SandboxedVspOptions> = {}) {
  try {
    await load(code, options);
  } catch (e) {
    if (PluginError.is(e)) return e;
    throw e;
  }
  throw new Error('the plugin was accepted');
}

function thrown(f: () => void): Error {
  try {
    f();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`threw a non-Error: ${String(e)}`, { cause: e });
  }
  throw new Error('did not throw');
}

describe('loading into the sandbox', () => {
  it('reads and validates the definition inside the sandbox', async () => {
    const m = await load(
      plugin(
        'onPacket() {}',
        '',
        `description: 'echo', settings: { depth: { type: 'integer', default: 4, min: 1, max: 64, description: 'Queue depth' } },`,
      ),
    );
    expect(m).toMatchObject({ id: 'acme.test', deviceClass: 'storage', isolation: 'sandbox' });
    expect(m.description).toBe('echo');
    expect(m.checkSettings?.({ depth: 100 }, ['vsps', 0, 'settings'])[0]?.path).toEqual([
      'vsps',
      0,
      'settings',
      'depth',
    ]);
    expect(m.digest).toMatch(/^fnv1a64:[0-9a-f]{16}$/);
    expect((await load(plugin('onPacket() {}'))).digest).not.toBe(m.digest);
  });

  it('gives a plugin the SDK’s class GUIDs, the same values as on the host', async () => {
    const m = await load(`
import { defineVsp, DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID, SDK_VERSION } from 'hyperkata/sdk';
export default defineVsp({
  id: 'acme.guids', sdk: '^1.1.0', deviceClass: 'storage',
  description: [DEVICE_CLASS_GUIDS.storage, DEVICE_CLASS_GUIDS.network, IDE_ACCELERATOR_CLASS_GUID, SDK_VERSION].join(' '),
  create() { return { onPacket() {} }; },
});`);
    expect(m.description).toBe(
      [
        DEVICE_CLASS_GUIDS.storage,
        DEVICE_CLASS_GUIDS.network,
        IDE_ACCELERATOR_CLASS_GUID,
        SDK_VERSION,
      ].join(' '),
    );
  });

  it('refuses a bad definition naming the file and every field', async () => {
    const e = await refusal(
      `export default { id: 'Bad Id', sdk: '^9.0.0', deviceClass: 'printer' };`,
    );
    expect(e.issues.map((i) => i.path.join('.'))).toEqual(['id', 'sdk', 'deviceClass', 'create']);
    expect(e.message.split('\n').every((line) => line.startsWith('acme-test.js: '))).toBe(true);
    expect((await refusal('export const x = 1;')).message).toBe(
      'acme-test.js: expected a VSP definition object (the default export of defineVsp({...})), found no default export',
    );
  });

  it('reserves the hyperkata. namespace for built-ins, even sandboxed', async () => {
    const code = plugin('onPacket() {}').replace('acme.test', 'hyperkata.fake');
    expect((await refusal(code)).issues[0]?.path).toEqual(['id']);
    expect((await load(code, { builtIn: true })).id).toBe('hyperkata.fake');
  });

  it('refuses code that does not load, naming the file and where', async () => {
    expect((await refusal('export default {{;')).message).toMatch(
      /^acme-test\.js: expected a plugin module that loads in the sandbox, found SyntaxError: .* \(at acme-test\.js:1:\d+\)$/,
    );
    expect((await refusal(`import fs from 'fs'; export default fs;`)).message).toContain(
      'cannot import "fs": a sandboxed plugin can import only hyperkata/sdk',
    );
    expect((await refusal(`throw 42;`)).message).toContain('threw a non-Error value: 42');
  });

  it('stops top-level code that never ends with the load budget', async () => {
    const e = await refusal(`for (;;) {}`, { limits: { cpuBudgetToLoad: 100_000 } });
    expect(e.message).toMatch(/exceeded its CPU budget of 100,000 ticks .* in loading/);
  });
});

describe('calls across the boundary', () => {
  it('hands the plugin the packet as the host has it and carries its completion back', async () => {
    const { h, host, ch } = await instance(`
      onPacket(channel, p) {
        const info = [p.kind, p.transId, p.completionRequested, p.payload.length, JSON.stringify(p.ranges)];
        host.log(info.join('|'));
        channel.complete(p.transId, p.payload);
      },`);
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 0, max: 2 ** 40 }),
        fc.array(
          fc.record({
            byteCount: fc.nat(1 << 20),
            byteOffset: fc.nat(4095),
            pfns: fc.array(fc.nat(1 << 30), { maxLength: 6 }),
          }),
          { maxLength: 3 },
        ),
        fc.constantFrom('inband' as const, 'gpa-direct' as const),
        (payload, transId, ranges, kind) => {
          host.calls.length = 0;
          h.onPacket(
            ch,
            fakePacket({ kind, transId, payload, ranges, completionRequested: false }),
          );
          expect(host.logs.at(-1)).toBe(
            [kind, transId, false, payload.length, JSON.stringify(ranges)].join('|'),
          );
          expect(host.calls.find((c) => c[0] === 'complete')).toEqual([
            'complete',
            7,
            transId,
            [...payload],
          ]);
          return Promise.resolve();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('applies effects in the order the plugin asked for them, while the call is open', async () => {
    const { h, host, ch } = await instance(`
      onPacket(channel, p) {
        host.cpu.charge(1000);
        host.log('first');
        host.device.submit(channel, { op: 'read', offsetBytes: 4096, bytes: 512, tag: 3 });
        channel.send(Uint8Array.of(1, 2), { transId: 5, completionRequested: true });
        host.setTimer(channel, 250, 9);
        console.log('via', 'console');
        channel.fail('bad request');
      },`);
    h.onPacket(ch, fakePacket());
    expect(host.calls.map((c) => c[0])).toEqual([
      'charge',
      'log',
      'submit',
      'send',
      'setTimer',
      'log',
      'fail',
      'charge', // the sandbox's own charge for the work it measured, after the plugin's
    ]);
    expect(host.calls[2]).toEqual([
      'submit',
      7,
      { op: 'read', offsetBytes: 4096, bytes: 512, tag: 3 },
    ]);
    expect(host.logs).toEqual(['first', 'via console']);
  });

  it('carries a structured failure reason across as its id and arguments; text stays text', async () => {
    const { h, host, ch } = await instance(`
      onPacket(channel, p) {
        if (p.transId === 1) channel.fail({ id: 'storvsp.transId', args: { transId: 7 } });
        else if (p.transId === 2) channel.fail('\\u0000{"id":"storvsp.noRanges","args":{}}');
        else if (p.transId === 3) channel.fail({ id: 'storvsp.nope', args: {} });
        else channel.fail({ id: 'storvsp.transId', args: { transId: () => 7 } });
      },`);
    for (const transId of [1, 2, 3, 4]) h.onPacket(ch, fakePacket({ transId }));
    expect(host.calls.filter((c) => c[0] === 'fail').map((c) => c[2])).toEqual([
      { id: 'storvsp.transId', args: { transId: 7 } },
      // Free text that looks like the wire's marker is still the plugin's own words.
      '\ufffd{"id":"storvsp.noRanges","args":{}}',
      'an unknown failure id "storvsp.nope"',
      'failure storvsp.transId with a wrong or missing argument transId',
    ]);
  });

  it('answers touchRanges from the host, only for the packet being handled', async () => {
    const { h, host, ch } = await instance(
      `
      onPacket(channel, p) {
        const now = channel.memory.touchRanges(p, 4096, true);
        const tooMuch = channel.memory.touchRanges(p, 1 << 30, false);
        host.log([now.ok, now.value, tooMuch.ok, tooMuch.reason].join('|'));
        if (kept !== null) host.log(String(channel.memory.touchRanges(kept, 1, false).reason));
        kept = p;
      },`,
      'let kept = null;',
    );
    const ranges = [{ byteCount: 8192, byteOffset: 0, pfns: [10, 11] }];
    h.onPacket(ch, fakePacket({ kind: 'gpa-direct', ranges }));
    expect(host.logs[0]).toBe(
      'true|4096|false|a transfer of 1073741824 bytes through ranges that grant 8192',
    );
    h.onPacket(ch, fakePacket({ kind: 'gpa-direct', ranges }));
    expect(host.logs[2]).toMatch(/no longer being handled/);
  });

  it('gives a refused touchRanges its refusal as an id too, which netvsp.rangesRefused carries out as a native plugin’s does', async () => {
    const { h, host, ch } = await instance(`
      onPacket(channel, p) {
        const refused = channel.memory.touchRanges(p, 1 << 20, false);
        if (!refused.ok)
          channel.fail({
            id: 'netvsp.rangesRefused',
            args: { detail: refused.reason, said: refused.refusal },
          });
      },`);
    const ranges = [{ byteCount: 4096, byteOffset: 0, pfns: [10] }];
    h.onPacket(ch, fakePacket({ kind: 'gpa-direct', ranges }));
    expect(host.calls.filter((c) => c[0] === 'fail').map((c) => c[2])).toEqual([
      {
        id: 'netvsp.rangesRefused',
        args: {
          detail: 'a transfer of 1048576 bytes through ranges that grant 4096',
          said: {
            detail: { id: 'grant.transferTooLong', args: { bytes: 1048576, granted: 4096 } },
            invalidRanges: false,
          },
        },
      },
    ]);
  });

  it('gives a send on another channel the real answer (closed), on its own the known one', async () => {
    const host = new FakeVspHost();
    const { h, ch } = await instance(
      `
      onChannelOpened(channel) { channels.push(channel); },
      onPacket(channel, p) {
        for (const c of channels) host.log(c.id + ':' + c.complete(p.transId, new Uint8Array(0)));
      },`,
      'const channels = [];',
      host,
    );
    const other = new FakeVspChannel(8, host);
    h.onChannelOpened?.(ch);
    h.onChannelOpened?.(other);
    other.open = false;
    h.onPacket(ch, fakePacket());
    expect(host.logs).toEqual(['7:ok', '8:closed']);
  });

  it('runs an async handler’s microtasks before the call ends', async () => {
    const { h, host, ch } = await instance(`
      async onPacket(channel, p) {
        await null;
        channel.complete(p.transId, Uint8Array.of(9));
      },`);
    h.onPacket(ch, fakePacket({ transId: 4 }));
    expect(host.calls.filter((c) => c[0] === 'complete')).toEqual([['complete', 7, 4, [9]]]);
  });

  it('reads and writes the channel’s GPADLs through the host, refusals included', async () => {
    const { h, host, ch } = await instance(`
      onPacket(channel) {
        const r = channel.memory.readGpadl(1, 16, 4);
        const bad = channel.memory.readGpadl(2, 0, 4);
        const w = channel.memory.writeGpadl(1, 0, Uint8Array.of(7, 7));
        host.log([r.ok, [...r.value].join(','), bad.ok, bad.reason, w.ok, w.value, channel.memory.gpadlSize(1), channel.offerSubchannels(5)].join('|'));
      },`);
    h.onPacket(ch, fakePacket());
    expect(host.logs).toEqual([
      "true|16,17,18,19|false|GPADL 2 is not this channel's|true|2|65536|3",
    ]);
  });
});

describe('the rest of the contract', () => {
  it('writes response data into the packet’s ranges and reports memory, ranges included', async () => {
    const { h, host, ch } = await instance(`
      onPacket(channel, p) {
        const w = channel.memory.writeRanges(p, 8, Uint8Array.of(1, 2, 3));
        host.log(String(w.ok) + ':' + w.value);
        host.reportMemoryPressure(channel, { pressurePercent: 80, committedPages: 1000, availablePages: 50 });
        host.reportMemoryChange(channel, { action: 'balloon', pages: 8, tag: 2, ranges: [{ startPage: 100, pageCount: 8 }] });
        host.reportHeartbeat(channel, 41);
      },
      onHostEvent(channel, e) { host.log(JSON.stringify(e)); },`);
    h.onPacket(
      ch,
      fakePacket({ kind: 'gpa-direct', ranges: [{ byteCount: 64, byteOffset: 0, pfns: [1] }] }),
    );
    expect(host.logs[0]).toBe('true:3');
    expect(host.calls.filter((c) => c[0].startsWith('report') || c[0] === 'writeRanges')).toEqual([
      ['writeRanges', 7, 8, [1, 2, 3]],
      [
        'reportMemoryPressure',
        7,
        { pressurePercent: 80, committedPages: 1000, availablePages: 50 },
      ],
      [
        'reportMemoryChange',
        7,
        { action: 'balloon', pages: 8, tag: 2, ranges: [{ startPage: 100, pageCount: 8 }] },
      ],
      ['reportHeartbeat', 7, 41],
    ]);
    const event = {
      type: 'memory-target' as const,
      action: 'hot-add' as const,
      pages: 512,
      tag: 6,
      startPage: 4096,
      region: { startPage: 4096, pageCount: 32768 },
    };
    h.onHostEvent?.(ch, event);
    h.onHostEvent?.(ch, { type: 'timer', tag: 3 });
    expect(host.logs.slice(1).map((l) => JSON.parse(l) as unknown)).toEqual([
      event,
      { type: 'timer', tag: 3 },
    ]);
  });
});

describe('what a plugin cannot do', () => {
  it('finds no wall clock; Math.random is the same seeded stream every run', async () => {
    const code = `
      onPacket() {
        let clock;
        try { clock = typeof Date.now(); } catch (e) { clock = e.name; }
        host.log(clock + '|' + [Math.random(), Math.random()].join(','));
      },`;
    const a = await instance(code);
    const b = await instance(code);
    a.h.onPacket(a.ch, fakePacket());
    b.h.onPacket(b.ch, fakePacket());
    expect(a.host.logs[0]).toMatch(/^ReferenceError\|0\.\d+,0\.\d+$/);
    expect(b.host.logs).toEqual(a.host.logs);
  });

  it('sees only the host object’s documented members and no host function anywhere', async () => {
    const { h, host, ch } = await instance(`
      onPacket(channel) {
        const found = [];
        const seen = new Set();
        const walk = (v, depth) => {
          if (v === null || (typeof v !== 'object' && typeof v !== 'function') || seen.has(v) || depth > 6) return;
          seen.add(v);
          for (const k of Reflect.ownKeys(v)) {
            let d; try { d = Object.getOwnPropertyDescriptor(v, k); } catch { continue; }
            if (d && typeof d.value === 'function' && /hostSync|native code\\]/.test(String(d.value)) && d.value.name === 'hostSync') found.push(String(k));
            if (d && 'value' in d) walk(d.value, depth + 1);
          }
          walk(Object.getPrototypeOf(v), depth + 1);
        };
        walk(globalThis, 0); walk(host, 0); walk(channel, 0);
        host.log(JSON.stringify([found, Object.keys(host), Object.keys(channel)]));
      },`);
    h.onPacket(ch, fakePacket());
    expect(JSON.parse(host.logs[0] ?? '')).toEqual([
      [],
      [
        'instance',
        'settings',
        'device',
        'cpu',
        'setTimer',
        'reportMemoryPressure',
        'reportMemoryChange',
        'reportHeartbeat',
        'log',
      ],
      [
        'id',
        'relid',
        'vm',
        'device',
        'classGuid',
        'subchannelIndex',
        'diskBytes',
        'guestVps',
        'memory',
      ],
    ]);
  });

  it('keeps a stopped plugin stopped: every later call fails with the first reason', async () => {
    const { h, host, ch } = await instance(
      `onPacket(channel, p) { if (p.payload[0] === 1) for (;;) {} host.log('served'); },`,
    );
    h.onPacket(ch, fakePacket());
    const first = thrown(() => {
      h.onPacket(ch, fakePacket({ payload: Uint8Array.of(1) }));
    });
    expect(first).toBeInstanceOf(PluginLimitError);
    expect(
      thrown(() => {
        h.onPacket(ch, fakePacket());
      }),
    ).toBe(first);
    expect(host.logs).toEqual(['served']);
  });

  it('a plain throw in create names create and where it is written', async () => {
    const m = await load(`import { defineVsp } from 'hyperkata/sdk';
export default defineVsp({
  id: 'acme.test', sdk: '^1.0.0', deviceClass: 'storage',
  create(host) {
    throw { why: 'no start' };
  },
});`);
    expect(() => m.create(new FakeVspHost())).toThrow(
      'plugin acme.test failed in create: threw a non-Error value: {"why":"no start"} (in create (acme-test.js:4:3))',
    );
  });

  it('a plain throw fails that call only; the instance keeps serving', async () => {
    const { h, host, ch } = await instance(
      `onPacket(channel, p) { if (p.payload[0] === 1) throw null; host.log('served'); },`,
    );
    const e = thrown(() => {
      h.onPacket(ch, fakePacket({ payload: Uint8Array.of(1) }));
    });
    expect(e).toBeInstanceOf(SandboxError);
    // No stack says where: the fault names the handler that threw and where it is written.
    expect(e.message).toBe(
      'plugin acme.test failed in onPacket: threw a non-Error value: null (in onPacket (acme-test.js:6:37))',
    );
    h.onPacket(ch, fakePacket());
    expect(host.logs).toEqual(['served']);
  });
});

describe('charging the work to root CPU', () => {
  const work = `
    onPacket(channel, p) {
      let x = 0;
      for (let i = 0; i < p.payload[0] * 1000; i++) x += i;
      host.cpu.charge(100);
    },`;

  function charges(h: VspHandlers, host: FakeVspHost, sizes: number[]): number[] {
    const ch = new FakeVspChannel(1, host);
    const out: number[] = [];
    for (const n of sizes) {
      const before = host.chargedNs;
      h.onPacket(ch, fakePacket({ payload: Uint8Array.of(n) }));
      out.push(host.chargedNs - before - 100);
    }
    return out;
  }

  it('charges the same for the same work, every run', async () => {
    const sizes = [1, 50, 3, 200, 0, 120, 7, 7, 7];
    const a = await instance(work);
    const b = await instance(work);
    expect(charges(b.h, b.host, sizes)).toEqual(charges(a.h, a.host, sizes));
  });

  it('charges more for more work, and at least the crossing for none', async () => {
    const { h, host } = await instance(work);
    const [idle, busy] = [charges(h, host, [0, 0, 0, 0]), charges(h, host, [250, 250, 250, 250])];
    expect(Math.min(...idle)).toBeGreaterThan(0);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(busy)).toBeGreaterThan(10 * sum(idle));
  });
});

describe('the host never trusts an effect list', () => {
  const target = (host: FakeVspHost) => {
    const ch = new FakeVspChannel(7, host);
    return {
      pluginId: 'acme.test',
      host,
      channel: (id: number) => {
        if (id !== 7) throw new SandboxError(`channel ${id} is not one of its channels`);
        return ch;
      },
      access: () => 'refused',
    };
  };

  it('refuses unknown opcodes, bad numbers, oversized payloads and trailing words', () => {
    const host = new FakeVspHost();
    const run = (...words: number[]) =>
      thrown(() =>
        replayEffects(Float64Array.from(words), target(host), new Answers(), 'onPacket'),
      );
    expect(run(1, 99).message).toMatch(/unknown opcode 99/);
    expect(run(1, Op.Charge, Number.NaN).message).toMatch(/ns is NaN/);
    expect(run(1, Op.Complete, 7, 1, 1e9).message).toMatch(
      /passed a completion payload of 1,000,000,000 bytes/,
    );
    expect(run(1, Op.Complete, 8, 1, 0).message).toMatch(/channel 8 is not one of its channels/);
    expect(run(1, Op.Charge, 5, 5).message).toMatch(/trailing words/);
    expect(run(2, Op.Charge, 5).message).toMatch(/an opcode is missing/);
    expect(host.calls).toEqual([
      ['charge', 5],
      ['charge', 5],
    ]);
  });

  it('property: any list of words is applied or refused with a sandbox error, nothing else', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 14 }),
            fc.double(),
            fc.constantFrom(7, 0, -1, 2 ** 53, Number.POSITIVE_INFINITY),
          ),
          { maxLength: 40 },
        ),
        (words) => {
          const host = new FakeVspHost();
          try {
            replayEffects(Float64Array.from(words), target(host), new Answers(), 'onPacket');
          } catch (e) {
            expect(e instanceof SandboxError || e instanceof PluginLimitError).toBe(true);
          }
          for (const call of host.calls)
            for (const v of call.slice(1))
              if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});
