/**
 * A VSP that completes a request twice, or a trans_id the guest never sent (rule 3: a completion
 * echoes the trans_id of the request it answers). The guest's driver finds no request in flight
 * for it and drops it, as Linux's storvsc does ("Incorrect transaction ID",
 * storvsc_on_channel_callback): the VM goes on, the narration says so, and the report counts it.
 */
import { describe, expect, it } from '@jest/globals';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { completingDiskWorkTwice } from '../vsp/testing/completing-twice.js';
import { wrapVsp } from '../vsp/testing/wrap-vsp.js';
import type { VspChannel, VspModule } from '../vsp/types.js';
import { vmOf } from './by-name.js';
import { Simulation } from './simulation.js';

/** The minimal storage VSP, but every disk completion goes twice (the second with trans_id + `shift`). */
function sloppy(shift: number): { module: VspModule; extra: () => number } {
  let extra = 0;
  const module = completingDiskWorkTwice(minimalStorvsp(), {
    shift,
    onExtra: () => {
      extra++;
    },
  });
  return { module, extra: () => extra };
}

function run(vsp: VspModule) {
  const sim = Simulation.create({
    ...storageHost({ vms: [{ name: 'vm01' }], durationMs: 200 }),
    vsps: [vsp],
  });
  const lines: string[] = [];
  sim.on((l) => lines.push(l.text));
  return { report: sim.runToEnd(), lines };
}

describe('completions for no request in flight (rule 3)', () => {
  it('rule 3: a VSP that completes every request twice — the guest drops each second one and goes on', () => {
    const honest = vmOf(run(minimalStorvsp()).report.vms, 'vm01');
    const twice = sloppy(0);
    const { report, lines } = run(twice.module);
    const vm = vmOf(report.vms, 'vm01');
    expect(honest.strayCompletions).toBe(0);
    expect(twice.extra()).toBeGreaterThan(100);
    expect(vm.strayCompletions).toBe(twice.extra());
    // Its I/O still completes: the first completion of each request is the real one.
    expect(vm.completed).toBeGreaterThan(0.9 * honest.completed);
    expect(vm.failed).toBe(0);
    // Narrated in Linux's words, the 1st, 10th, 100th…, not once per packet.
    const said = lines.filter((l) => l.includes('Incorrect transaction ID'));
    expect(said[0]).toMatch(
      /^storvsc on scsi0: Incorrect transaction ID 0x[0-9a-f]+ — a completion for no request in flight, dropped \(1 so far\)$/,
    );
    expect(said.map((l) => /\((\d+) so far\)/.exec(l)?.[1])).toEqual(
      ['1', '10', '100', '1000', '10000'].filter((n) => Number(n) <= vm.strayCompletions),
    );
  });

  it('rule 3: a completion whose trans_id the guest never sent is dropped, not matched to another request', () => {
    const stranger = sloppy(1_000_000);
    const { report } = run(stranger.module);
    expect(report.vms.vm01?.strayCompletions).toBe(stranger.extra());
    expect(report.vms.vm01?.failed).toBe(0);
  });
  it("rule 3: the handshake too — storvsc drops an init completion that does not echo its request's trans_id, and waits on", () => {
    // L: storvsc_on_channel_callback matches init completions by VMBUS_RQST_INIT; any other
    // trans_id is "Incorrect transaction ID". A VSP that gets it wrong never finishes rule 16.
    const shifted = (channel: VspChannel): VspChannel =>
      Object.assign(Object.create(channel) as VspChannel, {
        complete: (transId: number, payload: Uint8Array) => channel.complete(transId + 1, payload),
      });
    const echoingWrong = wrapVsp(minimalStorvsp(), (handlers) => ({
      onPacket: (channel, packet) => {
        handlers.onPacket(shifted(channel), packet);
      },
    }));
    const { report, lines } = run(echoingWrong);
    const vm = vmOf(report.vms, 'vm01');
    // BEGIN_INITIALIZATION's completion is dropped; nothing else is sent, nothing completes.
    expect(vm.strayCompletions).toBe(1);
    expect(vm.completed).toBe(0);
    expect(lines.some((l) => l.includes('storvsc ready'))).toBe(false);
    expect(lines.some((l) => /Incorrect transaction ID 0x10014\b/.test(l))).toBe(true);
    // The honest VSP's handshake goes through with the same guest.
    expect(run(minimalStorvsp()).lines.some((l) => l.includes('storvsc ready'))).toBe(true);
  });
});
