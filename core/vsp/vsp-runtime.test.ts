/**
 * Rule 38 at the VSP boundary: a channel that stops — the VSP found the guest's packet bad, or
 * the plugin threw — is reported to the plugin with `onChannelClosed(channel, 'failed')`, so a
 * VSP serving many VMs can drop that channel's state.
 */
import { describe, expect, it } from '@jest/globals';
import { entryOf } from '../simulation/by-name.js';
import { Simulation } from '../simulation/simulation.js';
import { storageHost } from '../testing/scenarios.js';
import { MINIMAL_STORVSP_ID, minimalStorvsp } from './testing/minimal-storvsp.js';
import type { VspCallName, VspModule } from './types.js';

function stoppingVsp(how: 'fail' | 'throw', closed: string[], chargeNs = 0): VspModule {
  return {
    id: MINIMAL_STORVSP_ID,
    deviceClass: 'storage',
    isolation: 'native',
    digest: 'stopping',
    create: (host) => ({
      onPacket(channel) {
        if (chargeNs > 0) host.cpu.charge(chargeNs);
        if (how === 'throw') throw new Error('boom');
        channel.fail('refused on purpose');
      },
      onChannelClosed(_channel, reason) {
        closed.push(reason);
      },
    }),
  };
}

describe('VspRuntime', () => {
  it.each(['fail', 'throw'] as const)(
    'rule 38: tells the plugin its channel failed (%s)',
    (how) => {
      const closed: string[] = [];
      const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 50 });
      const sim = Simulation.create({
        scenario,
        configuration,
        vsps: [stoppingVsp(how, closed)],
      });
      const report = sim.runToEnd();
      expect(closed).toEqual(['failed']);
      expect(report.faults.plugins.length).toBe(1);
    },
  );

  it('a completion no ring of the guest could hold is blamed on the plugin, not on the guest', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 50 });
    const huge: VspModule = {
      ...stoppingVsp('fail', []),
      create: () => ({
        onPacket(channel, packet) {
          channel.complete(packet.transId, new Uint8Array(1 << 20));
        },
      }),
    };
    const report = Simulation.create({ scenario, configuration, vsps: [huge] }).runToEnd();
    expect(report.faults.plugins.map((f) => [f.kind, f.reason])).toEqual([
      [
        'plugin-misuse',
        expect.stringMatching(/^sent a completion of 1048576 bytes: more than .* ring .* can hold/),
      ],
    ]);
  });

  it('a handler that throws has still spent the CPU it charged: the root VP pays for it', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 50 });
    const run = (chargeNs: number) =>
      Simulation.create({
        scenario,
        configuration,
        vsps: [stoppingVsp('throw', [], chargeNs)],
      }).runToEnd();
    const cheap = run(0);
    const costly = run(3_000_000);
    expect(costly.faults.plugins.at(0)?.reason).toBe('onPacket threw Error: boom');
    // 3 ms more of root CPU in a 50 ms run on 2 root VPs, and the VSP's own figure shows it.
    expect(
      entryOf(costly.vsps, 'stor', 'VSP').cpuMs - entryOf(cheap.vsps, 'stor', 'VSP').cpuMs,
    ).toBeCloseTo(3, 3);
    expect(costly.host.rootCpuPercent).toBeGreaterThan(cheap.host.rootCpuPercent + 2);
  });

  it('a natively loaded module locates its fault only when a call failed, never per packet', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 50 });
    const asked: unknown[] = [];
    let packets = 0;
    const module: VspModule = {
      ...stoppingVsp('throw', []),
      // What a native loader injects: here, one place for whatever was thrown.
      locateFault: (thrown, handler) => {
        asked.push(handler);
        return thrown instanceof Error ? 'at onPacket (src/index.ts:12:5)' : undefined;
      },
      create: (host) => {
        const inner = minimalStorvsp().create(host);
        return {
          ...inner,
          onPacket(channel, packet) {
            if (++packets === 40) throw new Error('boom');
            inner.onPacket(channel, packet);
          },
        };
      },
    };
    const report = Simulation.create({ scenario, configuration, vsps: [module] }).runToEnd();
    expect(packets).toBe(40);
    expect(asked).toHaveLength(1);
    expect(typeof asked[0]).toBe('function'); // the handler that threw
    expect(report.faults.plugins.map((f) => f.reason)).toEqual([
      'onPacket threw Error: boom (at onPacket (src/index.ts:12:5))',
    ]);
  });

  it('tells a module’s observer each call into its code as it starts and ends, one that throws too', () => {
    const { scenario, configuration } = storageHost({ vms: [{ name: 'db01' }], durationMs: 50 });
    const seen: string[] = [];
    let depth = 0;
    const module: VspModule = {
      ...stoppingVsp('throw', []),
      observer: {
        enter(call: VspCallName, channel) {
          depth++;
          seen.push(channel === null ? call : `${call} ${channel.vm}/${channel.device}`);
        },
        exit() {
          depth--;
          seen.push('exit');
        },
      },
    };
    Simulation.create({ scenario, configuration, vsps: [module] }).runToEnd();
    // create, the channel opened (a handler it need not have), the first packet (which
    // throws), then the plugin told its channel failed.
    expect(seen).toEqual([
      'create',
      'exit',
      'onChannelOpened db01/scsi0',
      'exit',
      'onPacket db01/scsi0',
      'exit',
      'onChannelClosed db01/scsi0',
      'exit',
    ]);
    expect(depth).toBe(0);
  });
});
