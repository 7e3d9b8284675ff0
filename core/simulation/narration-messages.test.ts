/**
 * Each narration line carries a stable message id and its parameters beside its English text, so
 * the game can say it in the player's language; the English text stays what the CLI's --log, the
 * replays and the event-log hash have always had.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { configuration, scenario } from '../../docs/examples/core-api/my-host.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { NARRATION_IDS, Simulation, narrationText } from '../index.js';
import type { NarrationLine } from '../index.js';
import { narrate } from './narration-messages.js';

function linesOfARun(): readonly NarrationLine[] {
  const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS, seed: 42 });
  const heard: NarrationLine[] = [];
  sim.on((line) => heard.push(line));
  sim.runToEnd();
  return heard;
}

describe('narration lines carry a message id and parameters', () => {
  const lines = linesOfARun();

  it('a VM starting is told as vm.state with the VM and Hyper-V’s state name', () => {
    const running = lines.find((l) => l.text === 'db01 is Running');
    expect(running?.source).toBe('VMMS');
    expect(running?.message).toEqual({ id: 'vm.state', args: { vm: 'db01', state: 'Running' } });
  });

  it('every line’s English text is its message in English, and every id is a known one', () => {
    expect(lines.length).toBeGreaterThan(5);
    const wrong = lines.filter(
      (l) => !NARRATION_IDS.includes(l.message.id) || narrationText(l.message) !== l.text,
    );
    expect(wrong).toEqual([]);
  });

  it('the guest, its channels and its drivers speak with ids too, not only VMMS', () => {
    const ids = new Set(lines.map((l) => l.message.id));
    for (const id of [
      'vm.state',
      'guest.booted',
      'channel.offered',
      'channel.opened',
      'storvsc.ready',
    ] as const)
      expect([id, ids.has(id)]).toEqual([id, true]);
  });

  it('a line’s message is frozen like the line: no listener can change what another reads', () => {
    const line = lines[0];
    expect(Object.isFrozen(line.message)).toBe(true);
    expect(Object.isFrozen(line.message.args)).toBe(true);
  });
});

describe('the English text of each id is the words the core always logged', () => {
  it.each([
    [narrate('vm.state', { vm: 'db01', state: 'Starting' }), 'db01 is Starting'],
    [narrate('vm.heartbeatLost', { vm: 'web01' }), 'web01: heartbeat lost'],
    [
      narrate('storvsc.ready', {
        device: 'scsi0',
        ide: false,
        major: 6,
        minor: 2,
        subchannels: 3,
        channels: 1,
      }),
      'storvsc ready on scsi0 (storage protocol 6.2, primary channel, 3 subchannel(s) requested)',
    ],
    [
      narrate('storvsc.ready', {
        device: 'ide0',
        ide: true,
        major: 6,
        minor: 2,
        subchannels: 0,
        channels: 1,
      }),
      'storvsc ready on ide0 (IDE accelerator, storage protocol 6.2, 1 channel(s))',
    ],
    [
      narrate('vsc.strayCompletion', {
        driver: 'netvsc',
        device: 'nic0',
        message: 'Invalid transaction ID',
        transId: -1,
        count: 10,
      }),
      'netvsc on nic0: Invalid transaction ID beyond 2^53 — a completion for no request in flight, dropped (10 so far)',
    ],
    [
      narrate('channel.throttled', { device: 'nic0', untilNs: 12_345_678 }),
      'nic0: channel throttled — guest flooded unnecessary interrupts; suspended until 12.3 ms',
    ],
    [
      narrate('netvsc.ready', { device: 'nic0', nvsp: 0x60001, channels: 4 }),
      'netvsc ready on nic0 (NVSP 0x60001, 4 channel(s))',
    ],
    [
      narrate('guest.booted', { enlightened: false }),
      'booted (no integration components: emulated devices only)',
    ],
  ])('%j', (message, text) => {
    expect(narrationText(message)).toBe(text);
  });
});

describe('the public NarrationLine documents its message', () => {
  it('core/index.ts exports NarrationLine, whose `message` field has TSDoc naming the ids and the English text', () => {
    const index = readFileSync(fileURLToPath(new URL('../index.ts', import.meta.url)), 'utf8');
    expect(index).toMatch(
      /export type \{[^}]*\bNarrationLine\b[^}]*\} from '\.\/simulation\/event-log\.js'/,
    );
    const file = fileURLToPath(new URL('./event-log.ts', import.meta.url));
    const source = ts.createSourceFile(
      file,
      readFileSync(file, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
    );
    const line = source.statements.find(
      (s): s is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(s) && s.name.text === 'NarrationLine',
    );
    const message = line?.members.find(
      (m) => m.name !== undefined && ts.isIdentifier(m.name) && m.name.text === 'message',
    );
    const doc =
      message === undefined
        ? ''
        : ts
            .getJSDocCommentsAndTags(message)
            .map((d) => d.getText())
            .join('\n');
    expect(doc).toContain('NARRATION_IDS');
    expect(doc).toContain('`text` is this');
  });
});
