/**
 * A VSP that never answers storvsc's handshake (rule 16). Linux's storvsc waits 5 s for each
 * initialisation step (L: storvsc_execute_vstor_op, `wait_for_completion_timeout(…, 5*HZ)`), then
 * storvsc_probe fails with -ETIMEDOUT and the disk never appears; an unanswered
 * CREATE_SUB_CHANNELS costs only the subchannels (handle_multichannel_storage, 10 s). The model
 * does the same: the device fails with a reason the report and the narration give.
 */
import { describe, expect, it } from '@jest/globals';
import { NS_PER_S } from '../engine/index.js';
import { VstorOperation } from '../protocols/index.js';
import { storageHost } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import { wrapVsp } from '../vsp/testing/wrap-vsp.js';
import type { VspModule } from '../vsp/types.js';
import { vmOf } from './by-name.js';
import type { NarrationLine } from './event-log.js';
import { internalsOf, Simulation } from './simulation.js';

/** The minimal storage VSP, except that it never answers the requests `ignore` picks. */
function ignoring(
  ignore: (operation: number) => boolean,
  inner: VspModule = minimalStorvsp(),
): VspModule {
  return wrapVsp(inner, (handlers) => ({
    onPacket: (channel, packet) => {
      if (packet.payload.length > 0 && ignore(packet.payload[0])) return;
      handlers.onPacket(channel, packet);
    },
  }));
}

function run(vsp: VspModule, durationMs: number, vps = 2) {
  const sim = Simulation.create({
    ...storageHost({ vms: [{ name: 'vm01', kind: 'idle', vps }], durationMs }),
    vsps: [vsp],
  });
  const lines: NarrationLine[] = [];
  sim.on((l) => lines.push(l));
  const report = sim.runToEnd();
  const timeouts = internalsOf(sim)
    .engine.eventCounts()
    .filter((e) => e.name.includes('init-timeout'));
  return { report, lines, timeouts };
}

const BEGIN_TIMED_OUT = 'BEGIN_INITIALIZATION: no answer from the host in 5 s (-ETIMEDOUT)';

describe('a VSP that never answers the storage handshake (rule 16)', () => {
  it('rule 16: storvsc waits 5 s for BEGIN_INITIALIZATION, then gives up — the disk never appears and the report says why', () => {
    const silent = ignoring(() => true);
    const { report, lines } = run(silent, 6000);
    const vm = vmOf(report.vms, 'vm01');
    expect(vm.path).toEqual({ scsi0: 'synthetic' });
    expect(vm.deviceFailures).toEqual({ scsi0: BEGIN_TIMED_OUT });
    expect(vm.completed).toBe(0);
    // No plugin fault: answering nothing breaks no VMBus rule the host checks.
    expect(report.faults.plugins).toEqual([]);
    const failed = lines.find((l) => l.text === `storvsc on scsi0 failed: ${BEGIN_TIMED_OUT}`);
    expect(failed).toBeDefined();
    // 5 s after the request went out: the guest booted and opened the channel well before 1 s.
    expect(failed?.time).toBeGreaterThan(5 * NS_PER_S);
    expect(failed?.time).toBeLessThan(6 * NS_PER_S);
    // Not before the 5 s are up.
    expect(vmOf(run(silent, 4900).report.vms, 'vm01').deviceFailures).toEqual({});
  });

  it('rule 16: the timeout is per step — a host that stops answering at QUERY_PROPERTIES fails that step', () => {
    const { report } = run(
      ignoring((op) => op === VstorOperation.QUERY_PROPERTIES),
      6000,
    );
    expect(vmOf(report.vms, 'vm01').deviceFailures).toEqual({
      scsi0: 'QUERY_PROPERTIES: no answer from the host in 5 s (-ETIMEDOUT)',
    });
  });

  it('rule 16: an unanswered CREATE_SUB_CHANNELS costs only the subchannels — after 10 s the primary channel works alone', () => {
    const { report, lines } = run(
      ignoring(
        (op) => op === VstorOperation.CREATE_SUB_CHANNELS,
        minimalStorvsp({ maxSubchannels: 2 }),
      ),
      10_300,
      8,
    );
    const vm = vmOf(report.vms, 'vm01');
    expect(vm.deviceFailures).toEqual({});
    const ready = lines.find((l) => l.text.startsWith('storvsc ready on scsi0'));
    expect(ready?.text).toMatch(/\(storage protocol 6\.2, 1 channel\(s\)\)$/);
    expect(ready?.time).toBeGreaterThan(10 * NS_PER_S);
    expect(ready?.time).toBeLessThan(10.3 * NS_PER_S);
    // The host that answers it: two subchannels asked for, at once.
    const honest = run(minimalStorvsp({ maxSubchannels: 2 }), 50, 8).lines;
    expect(honest.find((l) => l.text.startsWith('storvsc ready on scsi0'))?.text).toMatch(
      /primary channel, 2 subchannel\(s\) requested\)$/,
    );
  });

  it('rule 16: a handshake the host answers leaves no timeout to fire — the timer is cancelled, not ignored', () => {
    const { report, timeouts } = run(minimalStorvsp({ maxSubchannels: 2 }), 11_000, 8);
    expect(vmOf(report.vms, 'vm01').deviceFailures).toEqual({});
    expect(timeouts).toEqual([]);
  });
});
