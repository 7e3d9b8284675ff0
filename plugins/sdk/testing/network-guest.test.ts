/**
 * NetworkGuest plays netvsc against a network VSP (rule 19). Checked against the built-in netvsp:
 * the setup a Linux guest runs completes, frames go out from send sections and GPA-direct, frames
 * from the wire come back through the receive buffer, and a VSP that accepts no version is named.
 */
import { describe, expect, it } from '@jest/globals';
import {
  NETVSC_RECEIVE_BUFFER_ID,
  NETVSC_RECV_SECTION_SIZE,
  NETVSC_SEND_SECTION_SIZE,
  NvspProtocolVersion,
  NvspStatus,
  RNDIS_HEADER_SIZE,
  RNDIS_PACKET_SIZE,
  RndisChannelType,
} from '../../../core/protocols/index.js';
import { netvspDefinition } from '../../netvsp/index.js';
import type { NetvspStats } from '../../netvsp/index.js';
import { defineVsp } from '../index.js';
import {
  HarnessError,
  NetworkGuest,
  VspTestHarness,
  expectChannelFailed,
  expectChannelOpen,
  expectNoPluginFaults,
} from './index.js';

function ready() {
  const stats: NetvspStats[] = [];
  const h = new VspTestHarness(netvspDefinition({ observe: (s) => stats.push(s) }));
  const guest = new NetworkGuest(h, h.openChannel({ device: 'eth0', guestVps: 2 }));
  const setup = guest.initialize();
  return { h, guest, setup, stats: stats[0] };
}

describe('NetworkGuest', () => {
  it('rule 19: runs netvsc’s setup against netvsp to a working adapter', () => {
    const { h, setup } = ready();
    expect(setup).toMatchObject({
      protocolVersion: NvspProtocolVersion.V61,
      receiveSectionSize: NETVSC_RECV_SECTION_SIZE,
      receiveSectionCount: Math.floor((28 * 4096) / NETVSC_RECV_SECTION_SIZE),
      sendSectionSize: NETVSC_SEND_SECTION_SIZE,
      linkUp: true,
    });
    expect(setup.mac).toHaveLength(6);
    expectNoPluginFaults(h);
  });

  it('rule 19: frames leave from a send section and GPA-direct, each completed by trans_id', () => {
    const { h, guest, stats } = ready();
    const section = guest.transmit(1514);
    const direct = guest.transmit(1514, { gpaDirect: true });
    h.settle();
    expect([guest.sendStatus(section), guest.sendStatus(direct)]).toEqual([
      NvspStatus.SUCCESS,
      NvspStatus.SUCCESS,
    ]);
    expect(h.deviceRequests.map((r) => r.transmitBytes)).toEqual([1514, 1514]);
    expect(stats).toMatchObject({ sectionTransmits: 1, gpaDirectTransmits: 1 });
  });

  it('rule 19: connect() stops before RNDIS INITIALIZE, where netvsp answers a frame FAILURE and sends nothing', () => {
    const h = new VspTestHarness(netvspDefinition());
    const guest = new NetworkGuest(h, h.openChannel({ device: 'eth0' }));
    const nvsp = guest.connect();
    expect(nvsp).toEqual({
      protocolVersion: NvspProtocolVersion.V61,
      receiveSectionSize: NETVSC_RECV_SECTION_SIZE,
      receiveSectionCount: Math.floor((28 * 4096) / NETVSC_RECV_SECTION_SIZE),
      sendSectionSize: NETVSC_SEND_SECTION_SIZE,
    });
    const section = guest.transmit(1514);
    const direct = guest.transmit(1514, { gpaDirect: true });
    h.settle();
    expect([guest.sendStatus(section), guest.sendStatus(direct)]).toEqual([
      NvspStatus.FAILURE,
      NvspStatus.FAILURE,
    ]);
    expect(h.deviceRequests).toEqual([]);
    expectChannelOpen(guest.channel); // the guest is early, not hostile: it may init and retry
    expectNoPluginFaults(h);
  });

  it('rule 37: a GPA-direct frame in a page the guest does not have stops netvsp’s channel, and nothing is sent', () => {
    const { h, guest } = ready();
    const byteCount = RNDIS_HEADER_SIZE + RNDIS_PACKET_SIZE + 1514;
    guest.transmit(1514, {
      gpaDirect: true,
      ranges: [{ pfns: [2 ** 40], byteOffset: 0, byteCount }],
    });
    h.settle();
    expectChannelFailed(guest.channel, 'SEND_RNDIS_PKT page ranges refused');
    expect(h.deviceRequests).toEqual([]);
    expect(h.isolationFaults.map((f) => f.kind)).toEqual(['pfn-outside-guest']);
  });

  it('rule 19: a frame from the wire is read from the receive buffer and its section returned', () => {
    const { h, guest, stats } = ready();
    h.hostEvent(guest.channel, { type: 'frame-received', bytes: 714, tag: 42 });
    const received = guest.receive();
    expect(received).toHaveLength(1);
    const rx = received[0];
    expect(rx).toMatchObject({
      pageSetId: NETVSC_RECEIVE_BUFFER_ID,
      channelType: RndisChannelType.DATA,
    });
    const frame = rx.messages[0];
    expect(frame.kind === 'packet' ? frame.data.length : -1).toBe(714);
    expect(stats.receiveSectionsInUse).toBe(0); // the guest completed it
  });

  it('names a VSP that accepts no NVSP version', () => {
    const refuses = defineVsp({
      id: 'test.refuses',
      sdk: '^1.0.0',
      deviceClass: 'network',
      create: () => ({
        onPacket(channel, packet) {
          const answer = new Uint8Array(40);
          answer.set([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, NvspStatus.FAILURE]);
          channel.complete(packet.transId, answer);
        },
      }),
    });
    const h = new VspTestHarness(refuses);
    const guest = new NetworkGuest(h, h.openChannel());
    expect(() => guest.initialize()).toThrow(HarnessError);
    expect(() => guest.initialize()).toThrow(/accepted no NVSP version/);
  });

  it('rule 36: names the guest memory a VSP was refused when netvsc’s request fails because of it', () => {
    // netvsp with one bug: it reads each send section 16 MiB past where it is.
    const netvsp = netvspDefinition();
    const offByMiles = defineVsp({
      ...netvsp,
      id: 'test.off-by-miles',
      create(host, settings) {
        const handlers = netvsp.create(host, settings);
        return {
          onPacket: (channel, packet) => {
            handlers.onPacket(channel, packet);
          },
          onDeviceCompleted: (channel, completion) => {
            handlers.onDeviceCompleted?.(channel, completion);
          },
          onHostEvent: (channel, event) => {
            handlers.onHostEvent?.(channel, event);
          },
          onChannelOpened(channel) {
            const memory = channel.memory as { readGpadl: typeof channel.memory.readGpadl };
            const read = memory.readGpadl;
            memory.readGpadl = (gpadl, offset, length) => read(gpadl, offset + (1 << 24), length);
            handlers.onChannelOpened?.(channel);
          },
        };
      },
    });
    const h = new VspTestHarness(offByMiles);
    const guest = new NetworkGuest(h, h.openChannel());
    expect(() => guest.initialize()).toThrow(
      /^RNDIS initializeRequest: SEND_RNDIS_PKT completed with status 2 \(FAILURE\); the VSP was refused guest memory: offset-outside-gpadl \(read of \d+ bytes at 167\d+ in GPADL \d+ of \d+ bytes\)$/,
    );
  });
});
