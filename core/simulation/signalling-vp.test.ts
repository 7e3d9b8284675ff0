/**
 * Which guest VP signals the host (rule 4). The guest's write decides that the host must be
 * signalled, so the CPU that wrote the packet makes HvCallSignalEvent and pays for it
 * (L: drivers/hv/ring_buffer.c `hv_signal_on_write` → channel.c `vmbus_setevent`, on the writing
 * CPU). The channel's target VP is only where the host's interrupts for the channel land (rule 12,
 * OPENCHANNEL). storvsc picks a channel per issuing CPU (L: storvsc_drv.c `storvsc_do_io`), so with
 * fewer channels than VPs most requests are written by a VP that is not the channel's target.
 */
import { describe, expect, it } from '@jest/globals';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import type { NarrationLine } from './event-log.js';
import { internalsOf, Simulation } from './simulation.js';

/** A 4-VP VM with one disk: (4 − 1) / 4 = 0 subchannels (rule 16), so one channel for 4 VPs. */
function run() {
  const sim = Simulation.create({
    ...storageHost({ vms: [{ name: 'vm01', vps: 4 }], durationMs: 100 }),
    vsps: [minimalStorvsp()],
  });
  const rt = internalsOf(sim);
  const lines: NarrationLine[] = [];
  sim.on((l) => lines.push(l));
  // Every HvCallSignalEvent the guest makes, by the VP index it is made from.
  const signalsByVp = [0, 0, 0, 0];
  const io = rt.io;
  const signalEvent = io.signalEvent.bind(io);
  io.signalEvent = (partitionId, vpIndex, connectionId, flag, meter) => {
    if (partitionId === rt.vms.get('vm01')?.managed.partitionId) signalsByVp[vpIndex]++;
    return signalEvent(partitionId, vpIndex, connectionId, flag, meter);
  };
  const report = sim.runToEnd();
  const opened = lines.find((l) => l.message.id === 'channel.opened');
  const targetVp = opened?.message.id === 'channel.opened' ? opened.message.args.targetVp : -1;
  return { report, signalsByVp, targetVp };
}

describe('the VP that signals the host (rule 4)', () => {
  it('rule 4: HvCallSignalEvent comes from the VP that wrote the request, not only from the channel’s target VP', () => {
    const { report, signalsByVp, targetVp } = run();
    expect(targetVp).toBe(0);
    // Before the fix every signal was made "from" the target VP: [283, 0, 0, 0] in this run.
    // Now each VP that issues I/O signals for its own writes: [76, 67, 71, 69]. The hypercalls'
    // CPU was already charged to the issuing VP, and the counts are per partition, so the
    // report is the same (290 hypercalls, CPU 8.1 %, same hash): only the calling VP was wrong.
    for (const [vp, n] of signalsByVp.entries()) expect([vp, n > 0]).toEqual([vp, true]);
    expect(report.vms.vm01?.completed).toBeGreaterThan(100);
  });
});
