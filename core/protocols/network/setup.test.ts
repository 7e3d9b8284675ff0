import { describe, expect, it } from '@jest/globals';
import {
  NETVSC_DEFAULT_RX,
  NETVSC_DEFAULT_TX,
  NETVSC_INVALID_SECTION_INDEX,
  NETVSC_NVSP_VERSION_PREFERENCE,
  NvspProtocolVersion,
  VRSS_CHANNEL_DEFAULT,
  VRSS_CHANNEL_MAX,
  netvscNdisVersion,
} from './constants.js';
import {
  checkReceiveBufferComplete,
  checkSendBufferSection,
  netvscChannelCount,
  netvscReceiveBufferLayout,
  netvscSendBufferLayout,
  receiveBufferSectionFor,
} from './buffers.js';
import { netvscSetupSequence, netvscSubchannelRequest } from './setup.js';

describe('rule 19: synthetic network setup and defaults', () => {
  it('rule 19: the send buffer is 1 MiB cut into 6144-byte sections', () => {
    // NETVSC_DEFAULT_TX = 1 MiB / 6144 = 170; 170 × 6144 = 1 044 480 = 255 pages exactly.
    expect(NETVSC_DEFAULT_TX).toBe(170);
    expect(netvscSendBufferLayout()).toEqual({
      bufferBytes: 1_044_480,
      sectionSize: 6144,
      sectionCount: 170,
    });
  });

  it('rule 19: the receive buffer is 16 MiB cut into 1728-byte sections', () => {
    // NETVSC_DEFAULT_RX = 16 MiB / 1728 = 9709; 9709 × 1728 = 16 777 152 rounds up to 16 MiB.
    expect(NETVSC_DEFAULT_RX).toBe(9709);
    expect(netvscReceiveBufferLayout()).toEqual({
      bufferBytes: 16 * 1024 * 1024,
      sectionSize: 1728,
      sectionCount: 9709,
    });
    // Hosts speaking NVSP ≤ 2 take at most 15 MiB.
    expect(netvscReceiveBufferLayout({ protocolVersion: NvspProtocolVersion.V2 }).bufferBytes).toBe(
      15 * 1024 * 1024,
    );
  });

  it('rule 19: vRSS defaults to 8 channels and never exceeds 64', () => {
    expect(VRSS_CHANNEL_DEFAULT).toBe(8);
    expect(VRSS_CHANNEL_MAX).toBe(64);
    expect(netvscChannelCount({ onlineCpus: 32, hostReceiveQueues: 64 })).toBe(8);
    expect(netvscChannelCount({ onlineCpus: 4, hostReceiveQueues: 64 })).toBe(4);
    expect(netvscChannelCount({ onlineCpus: 128, hostReceiveQueues: 128, requested: 128 })).toBe(
      64,
    );
    expect(netvscSubchannelRequest(8)).toEqual({
      kind: 'subchannelRequest',
      operation: 1,
      numSubChannels: 7,
    });
  });

  it('rule 19: setup runs INIT → NDIS config → NDIS version → receive buffer → send buffer', () => {
    const steps = netvscSetupSequence({
      protocolVersion: NvspProtocolVersion.V61,
      mtu: 1500,
      receiveBufferGpadl: 0x10,
      sendBufferGpadl: 0x11,
    });
    expect(steps.map((s) => s.message.kind)).toEqual([
      'init',
      'sendNdisConfig',
      'sendNdisVersion',
      'sendReceiveBuffer',
      'sendSendBuffer',
    ]);
    expect(steps.map((s) => s.expectsCompletion)).toEqual([true, false, false, true, true]);
    expect(steps[1].message).toMatchObject({
      mtu: 1514,
      capabilities: { sriov: true, ieee8021q: true, teaming: true, rsc: true },
    });
    expect(steps[2].message).toEqual({
      kind: 'sendNdisVersion',
      ndisMajorVersion: 6,
      ndisMinorVersion: 30,
    });
    expect(steps[3].message).toEqual({ kind: 'sendReceiveBuffer', gpadlHandle: 0x10, id: 0xcafe });
    // NVSP 1 has no NDIS config message.
    const v1 = netvscSetupSequence({
      protocolVersion: NvspProtocolVersion.V1,
      mtu: 1500,
      receiveBufferGpadl: 1,
      sendBufferGpadl: 2,
    });
    expect(v1.map((s) => s.message.kind)).not.toContain('sendNdisConfig');
    expect(netvscNdisVersion(NvspProtocolVersion.V4)).toEqual({ major: 6, minor: 1 });
  });

  it('negotiates the newest NVSP version first', () => {
    expect(NETVSC_NVSP_VERSION_PREFERENCE).toEqual([
      0x60001, 0x60000, 0x50000, 0x40000, 0x30002, 0x2,
    ]);
  });

  it('rule 19: a send section must exist and hold the data, unless the data came GPA-direct', () => {
    const layout = netvscSendBufferLayout();
    const send = (index: number, size: number) =>
      checkSendBufferSection(
        {
          kind: 'sendRndisPacket',
          channelType: 0,
          sendBufferSectionIndex: index,
          sendBufferSectionSize: size,
        },
        layout,
      );
    expect(send(169, 6144).ok).toBe(true);
    expect(send(170, 60)).toMatchObject({ ok: false, reason: 'offset-out-of-range' });
    expect(send(0, 6145)).toMatchObject({ ok: false, reason: 'length-out-of-range' });
    expect(send(NETVSC_INVALID_SECTION_INDEX, 0).ok).toBe(true);
  });

  it('netvsc accepts one receive section at offset 0 that fits its buffer', () => {
    const bytes = 16 * 1024 * 1024;
    const ok = {
      kind: 'sendReceiveBufferComplete' as const,
      status: 1,
      sections: [receiveBufferSectionFor(bytes, 1728)],
    };
    expect(checkReceiveBufferComplete(ok, bytes).ok).toBe(true);
    expect(checkReceiveBufferComplete({ ...ok, sections: [] }, bytes)).toMatchObject({ ok: false });
    const tooMany = {
      ...ok,
      sections: [{ offset: 0, subAllocationSize: 1728, numSubAllocations: 9710, endOffset: 0 }],
    };
    expect(checkReceiveBufferComplete(tooMany, bytes)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
  });
});
