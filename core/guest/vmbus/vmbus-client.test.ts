/**
 * The guest's VMBus client against the host's answers (rule 12): an OPENCHANNEL_RESULT counts only
 * for the open the guest is waiting for (L: drivers/hv/channel_mgmt.c vmbus_onopen_result looks up
 * the pending OPENCHANNEL by child_relid and openid and drops a result that matches none).
 */
import { describe, expect, it } from '@jest/globals';
import { Simulation, internalsOf } from '../../simulation/simulation.js';
import { storageHost } from '../../testing/scenarios.js';
import { minimalStorvsp } from '../../vsp/testing/minimal-storvsp.js';
import { guestPosts } from '../../vmbus/control/guest-posts.test-support.js';
import { ChannelMessageType } from '../../vmbus/control/index.js';
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
