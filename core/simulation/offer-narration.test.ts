/**
 * What the event log tells a student about the VMBus control path (rules 10 and 11). The host's
 * VSP registers its offer with the VMBus server when the VM starts, but OFFERCHANNEL goes to the
 * guest only after the guest made contact (INITIATE_CONTACT → VERSION_RESPONSE) and asked for the
 * offers (REQUESTOFFERS → OFFERCHANNEL ×N → ALLOFFERS_DELIVERED); O: vmbus_server channels.rs
 * `handle_request_offers`. The log used to say "channel offered" at VM start, 20 ms before the guest
 * had booted.
 */
import { describe, expect, it } from '@jest/globals';
import type { HostOs } from '../model/scenario.js';
import { storageHost, TWO_DISKS } from '../testing/scenarios.js';
import { minimalStorvsp } from '../vsp/testing/minimal-storvsp.js';
import type { NarrationLine } from './event-log.js';
import { Simulation } from './simulation.js';

/** One VM with two disks on a host of the given release; every narration line of a short run. */
function narration(hostOs: HostOs): NarrationLine[] {
  const input = storageHost({ vms: [{ name: 'vm01', disks: TWO_DISKS }], durationMs: 60 });
  const scenario = { ...input.scenario, host: { ...input.scenario.host, os: hostOs } };
  const sim = Simulation.create({ ...input, scenario, vsps: [minimalStorvsp()] });
  const lines: NarrationLine[] = [];
  sim.on((l) => lines.push(l));
  sim.runToEnd();
  return lines.filter((l) => l.source === 'vm01');
}

const timeOf = (lines: readonly NarrationLine[], id: string): number[] =>
  lines.filter((l) => l.message.id === id).map((l) => l.time);

describe('the narration of the VMBus control path (rules 10, 11)', () => {
  it('rule 11: offers are registered at VM start, offered to the guest only after it booted and asked, then opened', () => {
    const lines = narration('ws2019');
    const [booted] = timeOf(lines, 'guest.booted');
    const registered = timeOf(lines, 'channel.registered');
    const offered = timeOf(lines, 'channel.offered');
    const [delivered] = timeOf(lines, 'vmbus.offersDelivered');
    const opened = timeOf(lines, 'channel.opened');
    // Before: two "channel offered" lines at 2 ms, the guest booting at 22 ms.
    expect(registered).toHaveLength(2);
    expect(Math.max(...registered)).toBeLessThan(booted);
    // After: the OFFERCHANNELs go out after the boot, then ALLOFFERS_DELIVERED, then the opens.
    expect(offered).toHaveLength(2);
    expect(Math.min(...offered)).toBeGreaterThan(booted);
    expect(Math.max(...offered)).toBeLessThanOrEqual(delivered);
    expect(opened).toHaveLength(2);
    expect(Math.min(...opened)).toBeGreaterThanOrEqual(delivered);
    expect(lines.filter((l) => l.message.id === 'channel.offered').map((l) => l.text)).toEqual([
      expect.stringMatching(/^disk0: channel offered — storage offer from stor /),
      expect.stringMatching(/^disk1: channel offered — storage offer from stor /),
    ]);
  });

  it.each([
    ['ws2016', '4.0'],
    ['ws2019', '5.2'],
    ['ws2022', '5.3'],
  ] as const)(
    'rule 11: on a %s host the log names the VMBus version agreed (%s) and the offers delivered',
    (hostOs, version) => {
      const delivered = narration(hostOs).filter((l) => l.message.id === 'vmbus.offersDelivered');
      expect(delivered.map((l) => l.text)).toEqual([
        `VMBus connected (version ${version} agreed); 2 channel offer(s) delivered to the guest (ALLOFFERS_DELIVERED)`,
      ]);
    },
  );
});
