/**
 * Rule 16 through the harness: BEGIN_INIT → QUERY_PROTOCOL_VERSION (6.2, 6.0, 5.1) →
 * QUERY_PROPERTIES → END_INIT → CREATE_SUB_CHANNELS with (vCPUs − 1) / 4, and subchannels that
 * take I/O directly.
 */
import { describe, expect, it } from '@jest/globals';
import {
  VstorNtStatus,
  decodeVstorHostMessage,
  REQUEST_COMPLETION_FLAG as FLAGS,
} from '../../core/protocols/index.js';
import {
  StorageGuest,
  VspTestHarness,
  expectChannelOpen,
  expectNoPluginFaults,
} from '../sdk/testing/index.js';
import { IDE_ACCELERATOR_CLASS_GUID } from '../sdk/index.js';
import { readyGuest, storvspModule } from './storvsp.test-support.js';

const READ = { kind: 'read16', lba: 0, blocks: 8, fua: false, dpo: false } as const;

function fresh(settings: Record<string, string | number> = {}, guestVps = 2) {
  const h = new VspTestHarness(storvspModule(), { settings });
  const channel = h.openChannel({ vm: 'db01', device: 'scsi0', guestVps });
  return { h, channel, guest: new StorageGuest(h, channel) };
}

/** The NTSTATUS of each completion, in order. */
function statuses(payloads: readonly { payload: Uint8Array }[]): number[] {
  return payloads.map((c) => {
    const m = decodeVstorHostMessage(c.payload, 0, c.payload.length, { completes: 'none' });
    return m.ok ? m.value.status : -1;
  });
}

describe('storvsp: rule 16 (storage init)', () => {
  it('rule 16: a Linux guest negotiates 6.2 and the channel becomes ready', () => {
    const { h, channel, guest } = fresh();
    const state = guest.initialize();
    expect(state.phase).toBe('ready');
    expect(state.protocolVersion).toBe(0x0602);
    // BEGIN, VERSION, PROPERTIES, END: four completions, all SUCCESS, each echoing its trans_id.
    expect(statuses(channel.completions)).toEqual([0, 0, 0, 0]);
    expect(channel.completions.map((c) => c.transId)).toEqual([1, 2, 3, 4]);
    expectNoPluginFaults(h);
  });

  it.each([
    ['6.0', 0x0600, 1],
    ['5.1', 0x0501, 2],
  ])(
    'rule 16: a host capped at %s answers REVISION_MISMATCH and the guest falls back',
    (max, version, refusals) => {
      const { channel, guest } = fresh({ maxProtocolVersion: max });
      const state = guest.initialize();
      expect(state.phase).toBe('ready');
      expect(state.protocolVersion).toBe(version);
      const s = statuses(channel.completions);
      expect(s.filter((x) => x === VstorNtStatus.REVISION_MISMATCH)).toHaveLength(refusals);
      expectChannelOpen(channel);
    },
  );

  it('rule 16: a host older than 5.1 leaves storvsc without a version; the channel stays open', () => {
    const { channel, guest } = fresh({ maxProtocolVersion: '4.2' });
    const state = guest.initialize();
    expect(state.phase).toBe('failed');
    expect(state.failure).toBe('Obsolete Hyper-V version');
    expectChannelOpen(channel);
  });

  it.each([1, 4, 5, 8, 9, 16, 64])(
    'rule 16: with %i vCPUs the host offers (vCPUs − 1) / 4 subchannels and the guest takes them',
    (vps) => {
      const { channel, guest } = fresh({}, vps);
      const state = guest.initialize();
      const expected = Math.floor((vps - 1) / 4);
      expect(state.properties?.maxChannelCount).toBe(expected);
      expect(state.subChannelsRequested).toBe(expected);
      expect(channel.subchannelsOffered).toBe(expected);
    },
  );

  it('rule 16: the maxSubchannels setting overrides the vCPU rule', () => {
    const { channel, guest } = fresh({ maxSubchannels: 2 }, 16);
    guest.initialize();
    expect(channel.subchannelsOffered).toBe(2);
  });

  it('rule 16: the IDE accelerator (HV_IDE_GUID) runs the same handshake but is offered no subchannels', () => {
    // O: storvsp `build_ide` gives the IDE accelerator `max_sub_channel_count` 0.
    const h = new VspTestHarness(storvspModule(), { settings: {} });
    const channel = h.openChannel({
      vm: 'old01',
      device: 'disk0',
      guestVps: 16,
      classGuid: IDE_ACCELERATOR_CLASS_GUID,
    });
    const guest = new StorageGuest(h, channel);
    const state = guest.initialize();
    expect(state.phase).toBe('ready');
    expect(state.protocolVersion).toBe(0x0602);
    expect(state.properties?.maxChannelCount).toBe(0);
    expect(channel.subchannelsOffered).toBe(0);
    const { transId } = guest.executeSrb({ command: READ });
    h.settle();
    expect(guest.completion(transId).srbStatus).toBe(0x01);
    expectChannelOpen(channel);
    expectNoPluginFaults(h);
  });

  it('rule 16: multi-channel is offered only from protocol 5.1 on', () => {
    const { h, guest } = fresh({}, 16);
    guest.request({ kind: 'beginInitialization', flags: FLAGS });
    guest.request({ kind: 'queryProtocolVersion', flags: FLAGS, majorMinor: 0x0402, revision: 0 });
    const id = guest.request({ kind: 'queryProperties', flags: FLAGS });
    const payload = h.completionFor(guest.channel, id) ?? new Uint8Array(0);
    const m = decodeVstorHostMessage(payload, 0, payload.length, {
      completes: 'channelProperties',
    });
    const properties =
      m.ok && m.value.kind === 'completeIo' && m.value.result.kind === 'channelProperties'
        ? m.value.result.properties
        : undefined;
    // 4.2 is below 5.1: no multi-channel flag, no subchannels (O: storvsp QUERY_PROPERTIES).
    expect(properties).toEqual({ maxChannelCount: 0, flags: 0, maxTransferBytes: 0x40000 });
  });

  it('rule 16: requests out of order are completed with INVALID_DEVICE_STATE, channel open', () => {
    const { h, channel, guest } = fresh();
    const end = guest.request({ kind: 'endInitialization', flags: FLAGS });
    const io = guest.executeSrb({ command: READ }).transId;
    h.settle();
    expect(guest.status(end)).toBe(VstorNtStatus.INVALID_DEVICE_STATE);
    expect(guest.status(io)).toBe(VstorNtStatus.INVALID_DEVICE_STATE);
    expect(h.deviceRequests).toHaveLength(0);
    expectChannelOpen(channel);
  });

  it('rule 16: more subchannels than offered is INVALID_PARAMETER; asking twice offers no more', () => {
    const { h, channel, guest } = readyGuest({ guestVps: 8 });
    expect(channel.subchannelsOffered).toBe(1);
    const tooMany = guest.request({ kind: 'createSubChannels', flags: FLAGS, subChannelCount: 5 });
    const again = guest.request({ kind: 'createSubChannels', flags: FLAGS, subChannelCount: 1 });
    h.settle();
    expect(guest.status(tooMany)).toBe(VstorNtStatus.INVALID_PARAMETER);
    expect(guest.status(again)).toBe(VstorNtStatus.SUCCESS);
    expect(channel.subchannelsOffered).toBe(1);
  });

  it('rule 16: subchannels accept I/O directly once the primary is ready', () => {
    const { h, channel, guest } = readyGuest({ guestVps: 16 });
    const subs = h.openSubchannels(channel);
    expect(subs.map((s) => s.subchannelIndex)).toEqual([1, 2, 3]);
    for (const sub of subs) {
      const g = new StorageGuest(h, sub);
      g.protocolVersion = guest.protocolVersion;
      const { transId } = g.executeSrb({ command: READ });
      h.settle();
      expect(g.completion(transId).srbStatus).toBe(0x01);
    }
    expect(h.deviceRequests.map((r) => r.channel)).toEqual(subs.map((s) => s.id));
  });

  it('rule 16: a subchannel does not run the handshake and takes no I/O before the primary is ready', () => {
    const h = new VspTestHarness(storvspModule());
    h.openChannel({ vm: 'db01', device: 'scsi0', guestVps: 8 });
    const sub = h.openChannel({ vm: 'db01', device: 'scsi0', guestVps: 8, subchannelIndex: 1 });
    const g = new StorageGuest(h, sub);
    const begin = g.request({ kind: 'beginInitialization', flags: FLAGS });
    const io = g.executeSrb({ command: READ }).transId;
    expect(g.status(begin)).toBe(VstorNtStatus.INVALID_DEVICE_STATE);
    expect(g.status(io)).toBe(VstorNtStatus.INVALID_DEVICE_STATE);
  });

  it('rule 16: a reopened primary starts the handshake over', () => {
    const { h, channel } = readyGuest();
    h.close(channel);
    const again = h.openChannel({ vm: 'db01', device: 'scsi0', guestVps: 2 });
    const g = new StorageGuest(h, again);
    const early = g.executeSrb({ command: READ }).transId;
    expect(g.status(early)).toBe(VstorNtStatus.INVALID_DEVICE_STATE);
    expect(g.initialize().phase).toBe('ready');
  });

  it('rule 16: a restarted VM (a new primary channel) is offered its subchannels again', () => {
    const { h, channel } = readyGuest({ guestVps: 8 });
    h.close(channel);
    const again = h.openChannel({ vm: 'db01', device: 'scsi0', guestVps: 8 });
    new StorageGuest(h, again).initialize();
    expect(again.subchannelsOffered).toBe(1);
  });

  it('rule 16: resets are no-ops completed with SUCCESS (O: "have always been no-ops")', () => {
    const { guest } = readyGuest();
    const ids = [
      guest.request({ kind: 'resetLun', flags: FLAGS }),
      guest.request({ kind: 'resetAdapter', flags: FLAGS }),
      guest.request({ kind: 'resetBus', flags: FLAGS, pathId: 0 }),
    ];
    expect(ids.map((id) => guest.status(id))).toEqual([0, 0, 0]);
  });
});
