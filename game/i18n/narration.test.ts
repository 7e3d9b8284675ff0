/**
 * The event log in the player's language: every line the core can narrate has an English and a
 * Brazilian Portuguese wording, the Portuguese one keeps the line's names and numbers, and a line
 * the tables cannot say falls back to its English text.
 */
import { describe, expect, it } from '@jest/globals';
import {
  NARRATION_IDS,
  REASON_IDS,
  Simulation,
  VM_STATES,
  narrationText,
  reasonText,
} from '../../core/index.js';
import type {
  NarrationArgs,
  NarrationId,
  NarrationLine,
  NarrationMessage,
  NarrationReason,
  ReasonArgs,
  ReasonId,
  RingRejection,
} from '../../core/index.js';
import { storageHost } from '../../core/testing/scenarios.js';
import { BUILT_IN_VSPS } from '../../plugins/index.js';
import { STORVSP_ID } from '../../plugins/storvsp/index.js';
import { LANGUAGES } from './i18n.js';
import { NARRATION_TABLES, narrationIn } from './narration.js';
import { VM_STATE_PT_BR } from './narration-pt-BR.js';
import { VSP_FAILURE_SAMPLES } from '../../core/vsp/failure-reasons.test-support.js';
import { RING_REJECTION_PT_BR } from '../../levels/ring-rejections-pt-BR.js';
import { REASON_PT_BR } from './narration-reasons-pt-BR.js';

/** Parameters for one line of each id: a new core id does not compile until it has a sample here. */
const SAMPLES: { readonly [I in NarrationId]: NarrationArgs<I> } = {
  'vm.state': { vm: 'db01', state: 'Running' },
  'vm.startFailed': { vm: 'db01', reason: 'no memory' },
  'vm.actionRefused': { vm: 'db01', reason: 'cannot start a VM that is Running' },
  'vm.heartbeatOk': { vm: 'db01' },
  'vm.heartbeatLost': { vm: 'db01' },
  'vm.dynamicMemoryOff': { vm: 'db01', reason: 'minimum above startup' },
  'vm.command': { vm: 'db01', command: 'Stop-VM -Name db01 -TurnOff' },
  'vm.partitionDeleted': { vm: 'db01', partitionId: 3, freedMiB: 2048, channels: 2 },
  'vm.shutdownStuck': { vm: 'db01', afterMs: 500 },
  'vm.savingMemory': { vm: 'db01', mib: 1024 },
  'vm.saved': { vm: 'db01', freedMiB: 1032 },
  'vm.restoringMemory': { vm: 'db01', mib: 1032 },
  'guest.booted': { enlightened: true },
  'guest.devicesLate': {},
  'guest.shuttingDown': { inFlight: 4 },
  'guest.handshakeFailed': {},
  'guest.enlightenmentFailed': { reason: 'hypercall page refused' },
  'storvsc.ready': { device: 'scsi0', ide: false, major: 6, minor: 2, subchannels: 3, channels: 1 },
  'netvsc.ready': { device: 'nic0', nvsp: 0x60001, channels: 4 },
  'netvsc.vfUp': { device: 'nic0' },
  'netvsc.vfGone': { device: 'nic0' },
  'synthvid.ready': { device: 'video0', version: '3.5', width: 1024, height: 768 },
  'synthvid.stopped': { device: 'video0', reason: 'ring corrupt' },
  'synthhid.ready': { device: 'input0', product: 'Microsoft Vmbus HID-compliant Mouse' },
  'synthhid.stopped': { device: 'input0', reason: 'ring corrupt' },
  'vsc.strayCompletion': {
    driver: 'storvsc',
    device: 'scsi0',
    message: 'Incorrect transaction ID',
    transId: 0xbeef,
    count: 10,
  },
  'vsc.failed': { driver: 'storvsc', device: 'scsi0', reason: 'ring corrupt' },
  'heartbeat.ready': { framework: '3.0', service: '3.0' },
  'heartbeat.noVersion': {},
  'heartbeat.stopped': { reason: 'rescinded' },
  'balloon.ready': { major: 2, minor: 0 },
  'balloon.stopped': { reason: 'rescinded' },
  'balloon.failed': { reason: 'no version in common' },
  'ic.lost': { driver: 'heartbeat', reason: 'rescinded' },
  'tulip.up': { device: 'nic0', port: 0xec00 },
  'legacyNic.unbacked': { device: 'nic0' },
  'memory.growNotDone': { action: 'hot-add' },
  'memory.balloonRefused': { reason: 'pages not backed' },
  'memory.ballooned': { mib: '256', assignedMib: '1792' },
  'memory.unballooned': { mib: '128', assignedMib: '1920' },
  'memory.hotAddFailed': { reason: 'above maximum' },
  'memory.hotAdded': { mib: '128', backedMib: '64', installedMib: '2176' },
  'channel.registered': {
    device: 'scsi0',
    deviceClass: 'storage',
    vsp: 'storvsp-ssd0',
    classGuid: 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
    ideAccelerator: false,
  },
  'vmbus.offersDelivered': { major: 5, minor: 3, offers: 2 },
  'channel.offered': {
    device: 'disk0',
    deviceClass: 'storage',
    vsp: 'storvsp',
    classGuid: '32412632-86cb-44a2-9b5c-50d1417354f5',
    ideAccelerator: true,
  },
  'channel.opened': { device: 'scsi0', vm: 'db01', vsp: 'storvsp', relid: 14, targetVp: 2 },
  'channel.throttled': { device: 'nic0', untilNs: 1_512_500_000 },
  'channel.failed': { device: 'scsi0', reason: 'ring too small' },
  'channel.rescinded': { device: 'scsi0', reason: 'VSP stopped' },
  'channel.closed': { device: 'scsi0' },
  'vsp.createFailed': { plugin: 'my-vsp', reason: 'TypeError: x is undefined' },
  'vsp.channelStopped': { channel: 7, vm: 'evil01', device: 'scsi0', reason: 'rule 37: bad' },
  'vsp.pluginLog': { text: 'serving scsi0' },
};

const message = (id: NarrationId): NarrationMessage =>
  ({ id, args: SAMPLES[id] }) as NarrationMessage;
const say = (language: 'en' | 'pt-BR', m: NarrationMessage): string =>
  narrationIn(language, { text: narrationText(m), message: m });

/** Lines that read the same in Portuguese: a plugin's own words, and a name plus “OK”. */
const SAME_IN_BOTH: readonly NarrationId[] = ['vsp.pluginLog', 'vm.heartbeatOk'];
/** Parameters said in Portuguese words, or as Portuguese writes numbers, rather than quoted. */
const TRANSLATED_ARGS = new Set(['deviceClass', 'action', 'mib', 'assignedMib', 'installedMib']);

describe('every narration id the core has', () => {
  it.each(LANGUAGES)('has a %s wording, and the table has no id the core lacks', (language) => {
    expect(Object.keys(NARRATION_TABLES[language]).sort()).toEqual([...NARRATION_IDS].sort());
  });

  it.each(NARRATION_IDS)('%s: English is the core’s own text', (id) => {
    expect(say('en', message(id))).toBe(narrationText(message(id)));
  });

  it.each(NARRATION_IDS)('%s: Portuguese says it in other words, keeping its names', (id) => {
    const m = message(id);
    const pt = say('pt-BR', m);
    expect(pt.trim()).not.toBe('');
    if (!SAME_IN_BOTH.includes(id)) expect(pt).not.toBe(narrationText(m));
    const quoted = Object.entries(m.args).filter(
      (entry): entry is [string, string] =>
        typeof entry[1] === 'string' && !TRANSLATED_ARGS.has(entry[0]),
    );
    for (const [, value] of quoted) expect([id, pt]).toEqual([id, expect.stringContaining(value)]);
  });
});

describe('the event log in Brazilian Portuguese', () => {
  it('a VM state is said in Portuguese with Hyper-V’s own name after it, for every state', () => {
    expect(say('pt-BR', message('vm.state'))).toBe('db01 está em execução (Running)');
    for (const state of VM_STATES) {
      const line = say('pt-BR', { id: 'vm.state', args: { vm: 'web01', state } });
      expect(line).toBe(`web01 está ${VM_STATE_PT_BR[state]} (${state})`);
    }
  });

  it('storvsc’s readiness names its subchannels, and one channel is singular', () => {
    expect(say('pt-BR', message('storvsc.ready'))).toBe(
      'storvsc pronto em scsi0 (protocolo de armazenamento 6.2, canal primário, 3 subcanais pedidos)',
    );
    expect(
      say('pt-BR', {
        id: 'storvsc.ready',
        args: { device: 'ide0', ide: true, major: 6, minor: 2, subchannels: 0, channels: 1 },
      }),
    ).toBe('storvsc pronto em ide0 (acelerador IDE, protocolo de armazenamento 6.2, 1 canal)');
  });

  it('writes decimals with a comma, groups thousands with a dot and keeps a protocol reason in its English words', () => {
    // Before: "1512,5 ms" and "atribuídos 1792 MiB", thousands left ungrouped.
    expect(say('pt-BR', message('channel.throttled'))).toContain('suspenso até 1.512,5 ms');
    expect(say('pt-BR', message('memory.ballooned'))).toBe(
      'balão tomou 256 MiB (ballooned; atribuídos 1.792 MiB)',
    );
    expect(say('pt-BR', message('memory.hotAdded'))).toContain('(instalados 2.176 MiB)');
    expect(say('pt-BR', message('channel.failed'))).toBe('scsi0: canal falhou — ring too small');
  });

  it('names a channel’s device class as the inspector does', () => {
    expect(say('pt-BR', message('channel.offered'))).toBe(
      'disk0: canal ofertado — oferta de Armazenamento pelo VSP storvsp (GUID de classe 32412632-86cb-44a2-9b5c-50d1417354f5, o acelerador IDE)',
    );
  });
});

describe('a line the tables cannot say', () => {
  it('keeps its English text when it has no message or an id the game does not know', () => {
    expect(narrationIn('pt-BR', { text: 'db01 is Running' })).toBe('db01 is Running');
    const unknown = { id: 'vm.teleported', args: {} } as unknown as NarrationMessage;
    expect(narrationIn('pt-BR', { text: 'db01 teleported', message: unknown })).toBe(
      'db01 teleported',
    );
  });
});

/** Parameters for one reason of each id: a new core reason id does not compile until it has one. */
const REASON_SAMPLES: { readonly [I in ReasonId]: ReasonArgs<I> } = {
  ...VSP_FAILURE_SAMPLES,
  'ring.rejectedByHost': { problem: 'write-index-out-of-range' },
  'ring.rejected': { ring: 'host→guest', problem: 'gpa-direct-no-ranges', writing: false },
  'guest.channelRescinded': {},
  'guest.offerRescinded': {},
  'vm.noShutdownService': {},
  'vm.shutdownServiceNotReady': {},
  'vm.pausedNoShutdown': {},
  'vm.restoreNoMemory': { neededMiB: 1032, detail: 'host RAM exhausted' },
  'vm.turnedOff': {},
  'vm.actionNotAllowed': {
    action: 'start',
    state: 'Running',
    allowed: 'pause, save, stop, turn-off',
  },
  'vsp.notStarted': { reason: 'TypeError: x is undefined' },
};
const reason = (id: ReasonId): NarrationReason =>
  ({ id, args: REASON_SAMPLES[id] }) as NarrationReason;
/** A line that carries `r` as its reason. */
const stopped = (r: NarrationReason | string): NarrationMessage => ({
  id: 'vsp.channelStopped',
  args: { channel: 7, vm: 'evil01', device: 'scsi0', reason: r },
});

describe('every structured reason the core has', () => {
  it('has a Portuguese wording, and the table has no id the core lacks', () => {
    expect(Object.keys(REASON_PT_BR).sort()).toEqual([...REASON_IDS].sort());
  });

  it.each(REASON_IDS)('%s: English is the core’s words, Portuguese other words', (id) => {
    const english = reasonText(reason(id));
    expect(say('en', stopped(reason(id)))).toBe(`channel 7 (evil01/scsi0) stopped: ${english}`);
    const pt = say('pt-BR', stopped(reason(id)));
    expect(pt.startsWith('canal 7 (evil01/scsi0) parado: ')).toBe(true);
    expect(pt).not.toContain(english);
  });

  it('says every way a ring end can refuse a packet in Portuguese, keeping the field names', () => {
    for (const problem of Object.keys(RING_REJECTION_PT_BR) as RingRejection[]) {
      const english = reasonText({ id: 'ring.rejectedByHost', args: { problem } });
      expect([problem, RING_REJECTION_PT_BR[problem]]).not.toEqual([problem, english]);
      for (const field of ['write_index', 'read_index', 'offset8', 'len8', 'GPA', 'PFN'])
        if (english.includes(field))
          expect([problem, RING_REJECTION_PT_BR[problem]]).toEqual([
            problem,
            expect.stringContaining(field),
          ]);
    }
  });

  it('a refused VM action names the action and the state in Portuguese and as Hyper-V does', () => {
    expect(
      say('pt-BR', {
        id: 'vm.actionRefused',
        args: { vm: 'db01', reason: reason('vm.actionNotAllowed') },
      }),
    ).toBe(
      'db01: ação recusada — não é possível iniciar (start) uma VM que está em execução (Running) (permitido: pause, save, stop, turn-off)',
    );
  });

  it('a rescinded channel is said in Portuguese; a plugin’s free-text words stay as it wrote them', () => {
    expect(
      say('pt-BR', { id: 'heartbeat.stopped', args: { reason: reason('guest.channelRescinded') } }),
    ).toBe('serviço de heartbeat parou: o host revogou (rescind) o canal');
    expect(say('pt-BR', stopped('heartbeat messages travel in-band'))).toBe(
      'canal 7 (evil01/scsi0) parado: heartbeat messages travel in-band',
    );
  });

  it('a reason of an id the game does not know keeps its frame and falls back to its id', () => {
    const unknown = { id: 'ring.teleported', args: {} } as unknown as NarrationReason;
    expect(say('pt-BR', stopped(unknown))).toBe('canal 7 (evil01/scsi0) parado: ring.teleported');
  });
});

/** The stop and rescind lines of a storage host whose evil VM makes one hostile attack. */
function hostileStopLines(attack: string): NarrationLine[] {
  const { scenario, configuration } = storageHost({
    vms: [{ name: 'good' }, { name: 'evil' }],
    durationMs: 60,
  });
  (scenario.vms[1] as Record<string, unknown>).hostile = {
    attacks: [attack],
    ratePerSecond: 200,
    startMs: 20,
  };
  (configuration.vsps as { plugin: string }[])[0].plugin = STORVSP_ID;
  const sim = Simulation.create({ scenario, configuration, vsps: BUILT_IN_VSPS });
  const lines: NarrationLine[] = [];
  sim.on((l) => lines.push(l));
  sim.runToEnd();
  return lines.filter(
    (l) => l.message.id === 'vsp.channelStopped' || l.message.id === 'channel.rescinded',
  );
}

describe('a hostile guest’s broken ring, told in Portuguese', () => {
  it('the stop and the rescind say why in Portuguese, not in the core’s English', () => {
    const pt = hostileStopLines('ring-index-out-of-range').map((l) => narrationIn('pt-BR', l));
    expect(pt).toEqual([
      expect.stringMatching(/parado: write_index aponta para fora da área de dados do anel$/),
      'scsi0: canal revogado (rescind) — write_index aponta para fora da área de dados do anel',
    ]);
  });
});

describe('a hostile guest’s malformed packet, told in Portuguese', () => {
  it('the decoder’s sentence is said in Portuguese with its numbers; the English line is unchanged', () => {
    const lines = hostileStopLines('unknown-operation');
    expect(lines.map((l) => l.text)).toEqual([
      expect.stringMatching(
        /stopped: rule 37: unknown-type: unknown vstor operation 119 \(max 13\)$/,
      ),
      expect.stringMatching(/unknown vstor operation 119 \(max 13\)$/),
    ]);
    expect(lines.map((l) => narrationIn('pt-BR', l))).toEqual([
      expect.stringMatching(
        /parado: regra 37: unknown-type: operação vstor 119 desconhecida \(máximo 13\)$/,
      ),
      expect.stringMatching(/operação vstor 119 desconhecida \(máximo 13\)$/),
    ]);
  });
});
