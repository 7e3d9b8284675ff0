/**
 * The guest's VMBus client against the host's answers (rules 11, 12): a result counts only for the
 * request the guest is waiting for. L: drivers/hv/channel_mgmt.c — vmbus_onopen_result looks up
 * the pending OPENCHANNEL by child_relid and openid, vmbus_ongpadl_created the pending GPADL_HEADER
 * by child_relid and gpadl, vmbus_onversion_response the pending INITIATE_CONTACT; an answer that
 * matches none is dropped.
 */
import { describe, expect, it } from '@jest/globals';
import { Simulation, internalsOf } from '../../simulation/simulation.js';
import { storageHost } from '../../testing/scenarios.js';
import { minimalStorvsp } from '../../vsp/testing/minimal-storvsp.js';
import { guestPosts, hostPosts } from '../../vmbus/control/guest-posts.test-support.js';
import { ChannelMessageType, splitGpadl } from '../../vmbus/control/index.js';
import { HV_PAGE_SIZE } from '../../vmbus/ring/index.js';

const MS = 1_000_000;

/** One running VM whose storvsc has its channel open. */
function runningVm() {
  const { scenario, configuration } = storageHost({
    vms: [{ name: 'db0', intensity: 1 }],
    durationMs: 200,
  });
  const sim = Simulation.create({ scenario, configuration, vsps: [minimalStorvsp()] });
  sim.advance(40 * MS);
  const rt = internalsOf(sim);
  const vm = rt.vms.get('db0');
  const pid = vm?.managed.partitionId ?? 0;
  const channel = rt.server.channelsOf(pid).find((c) => c.spec.device === 'scsi0');
  const disk = vm?.guest?.devices.find((d) => d.spec.id === 'scsi0');
  if (channel === undefined || disk === undefined) throw new Error('scsi0 is not up');
  return { sim, pid, channel, disk };
}

describe('rule 12: the guest takes an OPENCHANNEL_RESULT only for the open it is waiting for', () => {
  it('rule 12: a refused OPENCHANNEL the guest driver never sent does not cost its open disk the device', () => {
    const { sim, pid, channel, disk } = runningVm();
    expect(channel.state).toBe('open');
    const pages = (internalsOf(sim).gpadls.info(channel.ringGpadl)?.byteLength ?? 0) / HV_PAGE_SIZE;
    const completed = internalsOf(sim).vms.get('db0')?.metrics.completed ?? 0;

    // A second OPENCHANNEL for the open channel (say from a stray tool in the guest): the host
    // answers it with a failed OPENCHANNEL_RESULT for the relid storvsc's channel holds.
    guestPosts(sim, pid, {
      type: ChannelMessageType.OPENCHANNEL,
      childRelid: channel.relid,
      openId: channel.relid,
      ringBufferGpadlHandle: internalsOf(sim).gpadls.info(channel.ringGpadl)?.guestId ?? 0,
      targetVp: 0,
      downstreamRingBufferPageOffset: pages / 2,
      userData: new Uint8Array(120),
    });
    sim.advance(20 * MS);

    expect(disk.failure).toBe('');
    expect(channel.state).toBe('open');
    expect(internalsOf(sim).vms.get('db0')?.metrics.completed ?? 0).toBeGreaterThan(completed);
    expect(sim.report().vms.db0?.failed).toBe(0);
  });
});

/** The guest id (GPADL handle the guest chose) of a channel's ring GPADL. */
function ringGuestId(sim: Simulation, handle: number): number {
  const id = internalsOf(sim).gpadls.info(handle)?.guestId;
  if (id === undefined) throw new Error('ring GPADL has no guest id');
  return id;
}

describe('rule 12: the guest takes a GPADL_CREATED only for a GPADL_HEADER it is waiting for', () => {
  it('rule 12: a refused GPADL the guest driver never asked for does not cost its open disk the device', () => {
    const { sim, pid, channel, disk } = runningVm();
    const completed = internalsOf(sim).vms.get('db0')?.metrics.completed ?? 0;

    // A stray tool in the guest describes a page under the ring's GPADL id on storvsc's channel:
    // the host refuses it (the id is taken) with a GPADL_CREATED naming that relid and id.
    const [header] = splitGpadl({
      childRelid: channel.relid,
      gpadl: ringGuestId(sim, channel.ringGpadl),
      pfns: [0x100],
    });
    guestPosts(sim, pid, header);
    sim.advance(20 * MS);

    expect(disk.failure).toBe('');
    expect(channel.state).toBe('open');
    expect(internalsOf(sim).vms.get('db0')?.metrics.completed ?? 0).toBeGreaterThan(completed);
    expect(sim.report().vms.db0?.failed).toBe(0);
  });

  it('rule 12: a repeated GPADL_CREATED for the open ring does not make the guest open the channel again', () => {
    const { sim, pid, channel, disk } = runningVm();
    const opens = internalsOf(sim).server.controlMessages;
    hostPosts(sim, pid, {
      type: ChannelMessageType.GPADL_CREATED,
      childRelid: channel.relid,
      gpadl: ringGuestId(sim, channel.ringGpadl),
      creationStatus: 0,
    });
    sim.advance(20 * MS);

    // Acting on it would send a second OPENCHANNEL, which the host refuses for an open channel.
    expect(internalsOf(sim).server.controlMessages).toBe(opens);
    expect(disk.failure).toBe('');
    expect(channel.state).toBe('open');
  });
});

describe('rule 11: the guest takes a VERSION_RESPONSE only while its INITIATE_CONTACT waits', () => {
  it('rule 11: a connected guest ignores a VERSION_RESPONSE it did not ask for (no new contact, offers not requested again)', () => {
    const { sim, pid, disk } = runningVm();
    const client = internalsOf(sim).vms.get('db0')?.guest?.vmbus;
    if (client === undefined || client === null) throw new Error('db0 has no VMBus client');
    const negotiated = client.negotiated;
    const messages = internalsOf(sim).server.controlMessages;

    hostPosts(sim, pid, {
      type: ChannelMessageType.VERSION_RESPONSE,
      versionSupported: false,
      connectionState: 0,
      msgConnId: 0,
    });
    hostPosts(sim, pid, {
      type: ChannelMessageType.VERSION_RESPONSE,
      versionSupported: true,
      connectionState: 0,
      msgConnId: 0,
    });
    sim.advance(20 * MS);

    expect(client.state).toBe('connected');
    expect(client.negotiated).toBe(negotiated);
    // no INITIATE_CONTACT at a lower version, no second REQUESTOFFERS
    expect(internalsOf(sim).server.controlMessages).toBe(messages);
    expect(disk.failure).toBe('');
  });
});

describe('rule 13: the guest releases only relids it holds', () => {
  it('rule 13: a RESCIND_CHANNELOFFER for a relid the guest was never offered is ignored (no RELID_RELEASED)', () => {
    const { sim, pid, channel, disk } = runningVm();
    const messages = internalsOf(sim).server.controlMessages;
    const unknown = 2000;
    expect(internalsOf(sim).server.channelMapOf(pid)?.has(unknown)).toBe(false);

    hostPosts(sim, pid, { type: ChannelMessageType.RESCIND_CHANNELOFFER, childRelid: unknown });
    sim.advance(20 * MS);

    // L: vmbus_onoffer_rescind — relid2channel finds nothing: nothing to release
    expect(internalsOf(sim).server.controlMessages).toBe(messages);
    expect(channel.state).toBe('open');
    expect(disk.failure).toBe('');
  });
});
