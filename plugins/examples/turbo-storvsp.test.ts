/**
 * Rule 39: a VSP runs in the root, so its bugs are reachable from a guest through VMBus. The
 * example "turbo" storvsp trusts the guest's transfer length; the same hostile packet that the
 * built-in storvsp refuses (rule 37) makes turbo reach past what the guest granted. On a real host
 * that is a root compromise; here the isolation boundary refuses the access and blames the VSP.
 */
import { describe, expect, it } from '@jest/globals';
import type { VspPacket } from '../sdk/index.js';
import {
  StorageGuest,
  VspTestHarness,
  expectChannelFailed,
  expectIsolationFault,
  expectNoPluginFaults,
} from '../sdk/testing/index.js';
import type { FakeChannel } from '../sdk/testing/index.js';
import { storvspModule } from '../storvsp/storvsp.test-support.js';
import type { VspModule } from '../sdk/index.js';
import { EXAMPLE_VSPS } from './index.js';

const READ_8_BLOCKS = { kind: 'read16', lba: 0, blocks: 8, fua: false, dpo: false } as const;

function turboModule(): VspModule {
  const m = EXAMPLE_VSPS.find((v) => v.id === 'example.turbo-storvsp');
  if (m === undefined) throw new Error('turbo-storvsp is not an example VSP');
  return m;
}

function readyGuest(module: VspModule): {
  h: VspTestHarness;
  channel: FakeChannel;
  guest: StorageGuest;
} {
  const h = new VspTestHarness(module, { device: { kind: 'block', latencySteps: 1 } });
  const channel = h.openChannel({ vm: 'evil01', device: 'scsi0', guestVps: 2, diskBytes: 1 << 30 });
  const guest = new StorageGuest(h, channel);
  const state = guest.initialize();
  if (state.phase !== 'ready') throw new Error(`handshake ended in ${state.phase}`);
  return { h, channel, guest };
}

/** A 4 KiB read whose one page range the guest shrank to 1 KiB: the transfer outruns the grant. */
function readLongerThanItsRange(guest: StorageGuest): VspPacket {
  const { packet } = guest.srbPacket({ command: READ_8_BLOCKS });
  return { ...packet, ranges: [{ ...packet.ranges[0], byteCount: 1024 }] };
}

describe('a VSP bug is reachable from a guest (rule 39)', () => {
  it('rule 39: the packet the built-in storvsp refuses makes a VSP that skips validation touch memory the guest never granted', () => {
    const turbo = readyGuest(turboModule());
    turbo.h.deliver(turbo.channel, readLongerThanItsRange(turbo.guest));
    turbo.h.settle();
    const fault = expectIsolationFault(turbo.h, { kind: 'outside-packet-grant', blame: 'plugin' });
    expect(fault.channel).toBe(turbo.channel.id);

    const builtIn = readyGuest(storvspModule());
    builtIn.h.deliver(builtIn.channel, readLongerThanItsRange(builtIn.guest));
    builtIn.h.settle();
    expectChannelFailed(builtIn.channel, /data-range-too-short/);
    expect(builtIn.h.isolationFaults).toEqual([]);
    expectNoPluginFaults(builtIn.h);
  });

  it('rule 39: a well-behaved guest never triggers the bug, so the VSP looks correct', () => {
    const { h, guest } = readyGuest(turboModule());
    const { transId } = guest.executeSrb({ command: READ_8_BLOCKS });
    h.settle();
    expect(guest.completion(transId).srbStatus).toBe(0x01); // SRB_STATUS_SUCCESS
    expect(h.isolationFaults).toEqual([]);
  });
});
