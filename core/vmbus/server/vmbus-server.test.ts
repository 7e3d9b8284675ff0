/**
 * The VMBus server's channel life cycle as a guest drives it with control messages (rules 11–13):
 * close and reopen, GPADL teardown while a channel still uses the GPADL, relid release after a
 * rescind, and UNLOAD. The guest in these tests is a running Linux VM; the messages the test
 * posts for it are the ones Linux's hv_vmbus sends (L: drivers/hv/channel.c, channel_mgmt.c,
 * connection.c), and the answers are the ones openvmm's VMBus server gives
 * (O: vmbus_server/src/channels.rs).
 */
import { describe, expect, it } from '@jest/globals';
import { Simulation, internalsOf } from '../../simulation/simulation.js';
import { storageHost } from '../../testing/scenarios.js';
import { minimalStorvsp } from '../../vsp/testing/minimal-storvsp.js';
import { wrapVsp } from '../../vsp/testing/wrap-vsp.js';
import { guestPosts } from '../control/guest-posts.test-support.js';
import type { VspChannel, VspModule } from '../../vsp/types.js';
import { MONITOR_IDS_PER_VM, NO_MONITOR_ID } from '../monitor.js';
import { ChannelMessageType } from '../control/index.js';
import { HV_PAGE_SIZE } from '../ring/index.js';

const MS = 1_000_000;

function runningHost() {
  const { scenario, configuration } = storageHost({
    vms: [
      { name: 'db0', intensity: 1 },
      { name: 'db1', intensity: 1 },
    ],
    durationMs: 200,
  });
  const sim = Simulation.create({ scenario, configuration, vsps: [minimalStorvsp()] });
  sim.advance(40 * MS);
  return sim;
}

function partitionOf(sim: Simulation, vm: string): number {
  const pid = internalsOf(sim).vms.get(vm)?.managed.partitionId;
  if (pid === undefined) throw new Error(`no VM ${vm}`);
  return pid;
}

/** The guest's storage channel, open by now. */
function storageChannel(sim: Simulation, pid: number) {
  const ch = internalsOf(sim)
    .server.channelsOf(pid)
    .find((c) => c.spec.device === 'scsi0');
  if (ch === undefined) throw new Error('no scsi0 channel');
  return ch;
}

/** GPADLs the host holds for one channel of one partition. */
function gpadlsOf(sim: Simulation, pid: number, relid: number) {
  return internalsOf(sim)
    .gpadls.list()
    .filter((g) => g.partition === pid && g.channel === relid);
}

function ringGuestId(sim: Simulation, handle: number): number {
  const id = internalsOf(sim).gpadls.info(handle)?.guestId;
  if (id === undefined) throw new Error('ring GPADL has no guest id');
  return id;
}

describe('rules 11–13: the VMBus server follows a channel through close, teardown, release and unload', () => {
  it('rule 13: after a rescind, RELID_RELEASED frees every GPADL the channel held (pages unpinned, rule 14 cap returned)', () => {
    const sim = runningHost();
    const pid = partitionOf(sim, 'db0');
    const ch = storageChannel(sim, pid);
    expect(ch.state).toBe('open');
    const held = gpadlsOf(sim, pid, ch.relid);
    expect(held.length).toBeGreaterThan(0);
    const bytesBefore = internalsOf(sim).gpadls.bytesInUse;

    internalsOf(sim).server.rescindDevice(pid, 'scsi0', 'test: disk removed');
    sim.advance(5 * MS); // the guest answers RELID_RELEASED

    expect(gpadlsOf(sim, pid, ch.relid)).toEqual([]);
    const freed = held.reduce((a, g) => a + g.byteLength, 0);
    expect(internalsOf(sim).gpadls.bytesInUse).toBe(bytesBefore - freed);
    // the other VM's channel keeps its ring
    const other = partitionOf(sim, 'db1');
    expect(gpadlsOf(sim, other, storageChannel(sim, other).relid).length).toBeGreaterThan(0);
  });

  it('rule 13: RELID_RELEASED for a channel that is still open is refused: the channel stays open and served', () => {
    const sim = runningHost();
    const pid = partitionOf(sim, 'db0');
    const ch = storageChannel(sim, pid);
    const completed = internalsOf(sim).vms.get('db0')?.metrics.completed ?? 0;

    guestPosts(sim, pid, { type: ChannelMessageType.RELID_RELEASED, childRelid: ch.relid });
    sim.advance(20 * MS);

    expect(internalsOf(sim).server.channelMapOf(pid)?.get(ch.relid)?.state).toBe('open');
    expect(gpadlsOf(sim, pid, ch.relid).length).toBeGreaterThan(0);
    expect(internalsOf(sim).vms.get('db0')?.metrics.completed ?? 0).toBeGreaterThan(completed);
  });

  it('rule 12: a closed channel is offered again, so OPENCHANNEL opens it a second time', () => {
    const sim = runningHost();
    const pid = partitionOf(sim, 'db0');
    const ch = storageChannel(sim, pid);
    const ring = ch.ringGpadl;
    // the guest → host ring fills the first half of the ring GPADL (L: vmbus_open)
    const pages = (internalsOf(sim).gpadls.info(ring)?.byteLength ?? 0) / HV_PAGE_SIZE;

    guestPosts(sim, pid, { type: ChannelMessageType.CLOSECHANNEL, childRelid: ch.relid });
    sim.advance(2 * MS);
    expect(ch.state).toBe('closed');
    const openBefore = internalsOf(sim).server.openChannels;

    guestPosts(sim, pid, {
      type: ChannelMessageType.OPENCHANNEL,
      childRelid: ch.relid,
      openId: ch.relid,
      ringBufferGpadlHandle: ringGuestId(sim, ring),
      targetVp: 0,
      downstreamRingBufferPageOffset: pages / 2,
      userData: new Uint8Array(120),
    });
    sim.advance(2 * MS);
    expect(ch.state).toBe('open');
    expect(internalsOf(sim).server.openChannels).toBe(openBefore + 1);
  });

  it('rule 12: GPADL_TEARDOWN of the ring of an open channel waits until the channel is closed', () => {
    const sim = runningHost();
    const pid = partitionOf(sim, 'db0');
    const ch = storageChannel(sim, pid);
    const ring = ch.ringGpadl;
    const gpadl = ringGuestId(sim, ring);

    guestPosts(sim, pid, { type: ChannelMessageType.GPADL_TEARDOWN, childRelid: ch.relid, gpadl });
    sim.advance(2 * MS);
    // the VSP still reads and writes the rings: the pages stay pinned and counted
    expect(internalsOf(sim).gpadls.info(ring)).toBeDefined();

    guestPosts(sim, pid, { type: ChannelMessageType.CLOSECHANNEL, childRelid: ch.relid });
    sim.advance(2 * MS);
    expect(ch.state).toBe('closed');
    expect(internalsOf(sim).gpadls.info(ring)).toBeUndefined();
  });

  it('rule 12: GPADL_TEARDOWN names the channel: a GPADL of another channel is left alone', () => {
    const sim = runningHost();
    const pid = partitionOf(sim, 'db0');
    const ch = storageChannel(sim, pid);
    const ring = ch.ringGpadl;
    guestPosts(sim, pid, { type: ChannelMessageType.CLOSECHANNEL, childRelid: ch.relid });
    sim.advance(2 * MS);

    const otherRelid = ch.relid === 1 ? 2 : 1;
    guestPosts(sim, pid, {
      type: ChannelMessageType.GPADL_TEARDOWN,
      childRelid: otherRelid,
      gpadl: ringGuestId(sim, ring),
    });
    sim.advance(2 * MS);
    expect(internalsOf(sim).gpadls.info(ring)).toBeDefined();

    guestPosts(sim, pid, {
      type: ChannelMessageType.GPADL_TEARDOWN,
      childRelid: ch.relid,
      gpadl: ringGuestId(sim, ring),
    });
    sim.advance(2 * MS);
    expect(internalsOf(sim).gpadls.info(ring)).toBeUndefined();
  });

  it('rule 11: UNLOAD closes every channel and releases its GPADLs; nothing opens again before a new INITIATE_CONTACT', () => {
    const sim = runningHost();
    const pid = partitionOf(sim, 'db0');
    const ch = storageChannel(sim, pid);
    const pages = internalsOf(sim).gpadls.info(ch.ringGpadl)?.pages ?? 0;
    const guestId = ringGuestId(sim, ch.ringGpadl);

    guestPosts(sim, pid, { type: ChannelMessageType.UNLOAD });
    sim.advance(2 * MS);

    const open = (p: number) =>
      internalsOf(sim)
        .server.channelsOf(p)
        .filter((c) => c.state === 'open')
        .map((c) => c.relid);
    expect(open(pid)).toEqual([]);
    expect(
      internalsOf(sim)
        .gpadls.list()
        .filter((g) => g.partition === pid),
    ).toEqual([]);
    // the other VM is untouched
    const other = partitionOf(sim, 'db1');
    expect(storageChannel(sim, other).state).toBe('open');

    // a guest that has unloaded VMBus cannot open a channel without reconnecting first
    guestPosts(sim, pid, {
      type: ChannelMessageType.OPENCHANNEL,
      childRelid: ch.relid,
      openId: ch.relid,
      ringBufferGpadlHandle: guestId,
      targetVp: 0,
      downstreamRingBufferPageOffset: pages / 2,
      userData: new Uint8Array(120),
    });
    sim.advance(2 * MS);
    expect(open(pid)).toEqual([]);
  });
});

/** The minimal storage VSP, telling the test each channel it opens. */
function storvspShowing(opened: VspChannel[]): VspModule {
  return wrapVsp(minimalStorvsp(), (handlers) => ({
    onChannelOpened(channel) {
      opened.push(channel);
      handlers.onChannelOpened?.(channel);
    },
  }));
}

describe('rule 8: monitor ids come back when a channel is released', () => {
  it('rule 8: a VSP that keeps offering subchannels and withdrawing them never runs its VM out of monitor ids', () => {
    const { scenario, configuration } = storageHost({
      vms: [{ name: 'db0', intensity: 1 }],
      durationMs: 2000,
    });
    // batched signalling: the storage channels are monitored (O: use_mnf)
    const batched = {
      ...configuration,
      channels: configuration.channels?.map((c) => ({ ...c, signalling: 'batched' as const })),
    };
    const opened: VspChannel[] = [];
    const sim = Simulation.create({
      scenario,
      configuration: batched,
      vsps: [storvspShowing(opened)],
    });
    sim.advance(40 * MS);
    const pid = partitionOf(sim, 'db0');
    const primary = opened.find((c) => c.subchannelIndex === 0);
    if (primary === undefined) throw new Error('the primary storage channel did not open');
    const monitorIdOf = (c: VspChannel) =>
      internalsOf(sim).server.channelMapOf(pid)?.get(c.relid)?.monitorId;
    expect(monitorIdOf(primary)).not.toBe(NO_MONITOR_ID);

    const given: (number | undefined)[] = [];
    for (let round = 0; round < MONITOR_IDS_PER_VM + 20; round++) {
      expect(primary.offerSubchannels(1)).toBe(1);
      sim.advance(1 * MS); // the guest's storvsc opens the subchannel
      const sub = opened[opened.length - 1];
      expect(sub.subchannelIndex).toBeGreaterThan(0);
      given.push(monitorIdOf(sub));
      sub.fail('test: subchannel withdrawn');
      sim.advance(1 * MS); // rescinded; the guest answers RELID_RELEASED
      expect(internalsOf(sim).server.channelMapOf(pid)?.has(sub.relid)).toBe(false);
    }
    // O: AssignedMonitors hands out the lowest free id: the one the last subchannel gave back
    expect(given).not.toContain(NO_MONITOR_ID);
    expect(new Set(given).size).toBe(1);
    // rule 13: a withdrawn subchannel costs storvsc a lane, not the disk
    const disk = internalsOf(sim)
      .vms.get('db0')
      ?.guest?.devices.find((d) => d.spec.id === 'scsi0');
    expect(disk?.failure).toBe('');
    const before = sim.report().vms.db0?.completed ?? 0;
    sim.advance(20 * MS);
    expect(sim.report().vms.db0?.completed).toBeGreaterThan(before);
  });
});

describe('rule 15: a relid the guest released is offered again', () => {
  /**
   * A running VM whose storvsp the test drives, with the primary storage channel open. Three VPs:
   * storvsc sends each request on the channel of its VP (primary, then subchannels in open order).
   */
  function subchannelHost() {
    const { scenario, configuration } = storageHost({
      vms: [{ name: 'db0', intensity: 1, vps: 3 }],
      durationMs: 2000,
    });
    const opened: VspChannel[] = [];
    const sim = Simulation.create({ scenario, configuration, vsps: [storvspShowing(opened)] });
    sim.advance(40 * MS);
    const pid = partitionOf(sim, 'db0');
    const primary = opened.find((c) => c.subchannelIndex === 0);
    const client = internalsOf(sim).vms.get('db0')?.guest?.vmbus;
    if (primary === undefined || client === undefined || client === null)
      throw new Error('the primary storage channel did not open');
    /** Offers one subchannel; the guest's storvsc opens it. */
    const openSubchannel = () => {
      expect(primary.offerSubchannels(1)).toBe(1);
      sim.advance(1 * MS);
      return opened[opened.length - 1];
    };
    return { sim, pid, client, openSubchannel };
  }

  it('rule 15: after RELID_RELEASED the next offer takes the lowest free relid (O: AssignedChannels::allocate)', () => {
    const { sim, pid, openSubchannel } = subchannelHost();
    const first = openSubchannel();
    const second = openSubchannel();
    expect(second.relid).toBe(first.relid + 1);

    first.fail('test: subchannel withdrawn');
    sim.advance(1 * MS); // rescinded; the guest answers RELID_RELEASED
    expect(internalsOf(sim).server.channelMapOf(pid)?.has(first.relid)).toBe(false);

    const third = openSubchannel();
    expect(third.relid).toBe(first.relid);
    expect(internalsOf(sim).server.channelMapOf(pid)?.get(first.relid)?.state).toBe('open');
  });

  it('rule 15: a VSP that keeps offering subchannels and withdrawing them never runs its VM out of relids', () => {
    const { sim, openSubchannel } = subchannelHost();
    const relids = new Set<number>();
    for (let round = 0; round < 40; round++) {
      const sub = openSubchannel();
      relids.add(sub.relid);
      sub.fail('test: subchannel withdrawn');
      sim.advance(1 * MS);
    }
    // one relid, given back and offered again each round, not 40 of the 2047
    expect(relids.size).toBe(1);
  });

  it('rule 15: the guest does not take the new channel on a reused relid for the dead one, nor lose the dead one', () => {
    const { sim, client, openSubchannel } = subchannelHost();
    const old = openSubchannel();
    const oldGuest = client.channels().find((c) => c.id === old.relid);
    if (oldGuest === undefined) throw new Error('the guest did not open the subchannel');
    old.fail('test: subchannel withdrawn');
    sim.advance(1 * MS);
    expect(oldGuest.state).toBe('dead');

    const reused = openSubchannel();
    expect(reused.relid).toBe(old.relid);
    const newGuest = client.channels().find((c) => c.id === reused.relid && c.state === 'open');
    if (newGuest === undefined) throw new Error('the guest did not open the reused relid');
    expect(newGuest).not.toBe(oldGuest);
    // the dead channel stays dead and stays counted (its ring waits go into the report)
    expect(oldGuest.state).toBe('dead');
    expect(client.channels()).toContain(oldGuest);
    // the relid's event flag reaches the new channel: storvsc's I/O from VP 2 completes on it
    const [before, oldBefore] = [newGuest.received, oldGuest.received];
    sim.advance(50 * MS);
    expect(newGuest.received).toBeGreaterThan(before);
    expect(oldGuest.received).toBe(oldBefore);
  });
});
