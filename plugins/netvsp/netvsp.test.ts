import { describe, expect, it } from '@jest/globals';
import {
  decodeRndisMessage,
  NETVSC_INVALID_SECTION_INDEX,
  NETVSC_RECEIVE_BUFFER_ID,
  NvspProtocolVersion,
  NvspStatus,
  RndisChannelType,
  RndisOid,
  RndisStatus,
  VRSS_SEND_TAB_SIZE,
} from '../../core/protocols/index.js';
import { clientFrameTag } from '../../core/guest/drivers/netvsc-frame.js';
import type { NetvspStats } from './adapter.js';
import { netvspModule } from './netvsp.js';
import { packetOf } from './testing/fake-host.js';
import {
  decodeSent,
  nvsp,
  readyGuest,
  RECEIVE_BYTES,
  RECEIVE_GPADL,
  scriptedGuest,
  SEND_GPADL,
} from './testing/guest.js';

function observed(): { module: ReturnType<typeof netvspModule>; stats: () => NetvspStats } {
  const seen: NetvspStats[] = [];
  const module = netvspModule({ observe: (s) => seen.push(s) });
  return {
    module,
    stats: () => {
      if (seen.length === 0) throw new Error('no instance');
      return seen[seen.length - 1];
    },
  };
}

describe('netvsp setup (rule 19)', () => {
  it('rule 19: agrees NVSP INIT, then takes the receive buffer in 1728-byte sections and the send buffer in 6144-byte ones', () => {
    const g = scriptedGuest(netvspModule());
    const v = NvspProtocolVersion.V61;
    const init = g.nvsp(
      { kind: 'init', minProtocolVersion: v, maxProtocolVersion: v },
      { transId: 7 },
    );
    expect(init).toHaveLength(1);
    expect(init[0].type).toBe('completion');
    expect(init[0].transId).toBe(7);
    expect(decodeSent(init[0])).toMatchObject({ kind: 'initComplete', status: NvspStatus.SUCCESS });

    const recv = g.nvsp({ kind: 'sendReceiveBuffer', gpadlHandle: RECEIVE_GPADL, id: 0xcafe });
    const recvDone = decodeSent(recv[0]);
    expect(recvDone).toMatchObject({
      kind: 'sendReceiveBufferComplete',
      status: NvspStatus.SUCCESS,
    });
    if (recvDone?.kind !== 'sendReceiveBufferComplete') throw new Error('unreachable');
    expect(recvDone.sections).toEqual([
      {
        offset: 0,
        subAllocationSize: 1728,
        numSubAllocations: Math.floor(RECEIVE_BYTES / 1728),
        endOffset: Math.floor(RECEIVE_BYTES / 1728) * 1728,
      },
    ]);

    const send = g.nvsp({ kind: 'sendSendBuffer', gpadlHandle: SEND_GPADL, id: 0 });
    expect(decodeSent(send[0])).toMatchObject({
      kind: 'sendSendBufferComplete',
      status: NvspStatus.SUCCESS,
      sectionSize: 6144,
    });
  });

  it('rule 19: refuses an NVSP version it does not know, so netvsc can fall back to an older one', () => {
    const g = scriptedGuest(netvspModule());
    const refused = g.nvsp({
      kind: 'init',
      minProtocolVersion: 0x70000,
      maxProtocolVersion: 0x70000,
    });
    expect(decodeSent(refused[0])).toMatchObject({ status: NvspStatus.FAILURE });
    const v5 = NvspProtocolVersion.V5;
    const agreed = g.nvsp({ kind: 'init', minProtocolVersion: v5, maxProtocolVersion: v5 });
    expect(decodeSent(agreed[0])).toMatchObject({ status: NvspStatus.SUCCESS });
    expect(g.primary.failed).toBeNull();
  });

  it('rule 19: answers RNDIS INITIALIZE and queries through the receive buffer, with a Hyper-V MAC', () => {
    const g = readyGuest(netvspModule());
    const reply = g.rndis({
      kind: 'queryRequest',
      requestId: 9,
      oid: RndisOid.IEEE_802_3_PERMANENT_ADDRESS,
      info: new Uint8Array(0),
      deviceVcHandle: 0,
    });
    expect(decodeSent(reply[0])).toMatchObject({
      kind: 'sendRndisPacketComplete',
      status: NvspStatus.SUCCESS,
    });
    const lent = reply.find((p) => p.type === 'transfer-pages');
    expect(lent?.pageSetId).toBe(NETVSC_RECEIVE_BUFFER_ID);
    if (lent === undefined) throw new Error('no answer');
    const answer = g.receive(lent);
    expect(answer).toMatchObject({
      kind: 'queryComplete',
      requestId: 9,
      status: RndisStatus.SUCCESS,
    });
    if (answer?.kind !== 'queryComplete') throw new Error('unreachable');
    // WS: Hyper-V's MAC pool uses the OUI 00-15-5D.
    expect([...answer.info.slice(0, 3)]).toEqual([0x00, 0x15, 0x5d]);
  });
});

describe('netvsp data path (rule 19)', () => {
  it('rule 19: a frame from the wire is copied into a free receive section and lent with a transfer-page packet; the completion gives it back', () => {
    const { module, stats } = observed();
    const g = readyGuest(module);
    const completionsBefore = stats().receiveCompletions;
    g.vsp.handlers.onHostEvent?.(g.primary, { type: 'frame-received', bytes: 714, tag: 0x1234 });
    const sent = g.primary.take();
    expect(sent).toHaveLength(1);
    const tp = sent[0];
    expect(tp.type).toBe('transfer-pages');
    expect(tp.pageSetId).toBe(NETVSC_RECEIVE_BUFFER_ID);
    expect(tp.ranges).toHaveLength(1);
    const range = tp.ranges[0];
    expect(range.byteOffset % 1728).toBe(0);
    expect(range.byteOffset + range.byteCount).toBeLessThanOrEqual(RECEIVE_BYTES);
    expect(stats().receiveSectionsInUse).toBe(1);

    const buffer = g.primary.memory.gpadls.get(RECEIVE_GPADL) ?? new Uint8Array(0);
    const message = decodeRndisMessage(buffer, range.byteOffset, range.byteCount);
    expect(message.ok).toBe(true);
    if (!message.ok || message.value.kind !== 'packet') throw new Error('not a packet');
    expect(message.value.data.length).toBe(714);
    expect(clientFrameTag(message.value.data, 0, message.value.data.length)).toBe(0x1234);

    g.receive(tp);
    expect(stats().receiveSectionsInUse).toBe(0);
    expect(stats().receiveCompletions).toBe(completionsBefore + 1);
    expect(g.primary.failed).toBeNull();
  });

  it('rule 19: with every receive section lent, frames are dropped and counted until the guest completes one', () => {
    const { module, stats } = observed();
    const g = readyGuest(module);
    const sections = Math.floor(RECEIVE_BYTES / 1728);
    for (let i = 0; i < sections + 5; i++)
      g.vsp.handlers.onHostEvent?.(g.primary, { type: 'frame-received', bytes: 1514, tag: i });
    const lent = g.primary.take();
    expect(lent).toHaveLength(sections);
    expect(stats().dropsNoSection).toBe(5);
    g.receive(lent[0]);
    g.vsp.handlers.onHostEvent?.(g.primary, { type: 'frame-received', bytes: 1514, tag: 99 });
    expect(g.primary.take()).toHaveLength(1);
  });

  it('rule 19: a frame in a send section goes on the wire; the completion (freeing the section) waits for the NIC', () => {
    const { module, stats } = observed();
    const g = readyGuest(module);
    const frame = new Uint8Array(1514);
    const sent = g.rndis(
      { kind: 'packet', data: frame, perPacketInfo: [], vcHandle: 0 },
      { section: 3, channelType: RndisChannelType.DATA, transId: 42 },
    );
    expect(sent).toHaveLength(0);
    expect(g.vsp.port.transmits).toHaveLength(1);
    const tx = g.vsp.port.transmits[0];
    expect(tx.bytes).toBe(1514);
    g.vsp.handlers.onDeviceCompleted?.(g.primary, { tag: tx.tag, status: 'ok', bytes: 1514 });
    const done = g.primary.take();
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ type: 'completion', transId: 42 });
    expect(decodeSent(done[0])).toMatchObject({ status: NvspStatus.SUCCESS });
    expect(stats().framesTransmitted).toBe(1);
    expect(stats().sectionTransmits).toBe(1);
  });

  it('rule 19: with no section free the guest sends GPA-direct; netvsp checks the pages and sends the frame', () => {
    const { module, stats } = observed();
    const g = readyGuest(module);
    g.vsp.handlers.onPacket(
      g.primary,
      packetOf(
        'gpa-direct',
        nvsp({
          kind: 'sendRndisPacket',
          channelType: RndisChannelType.DATA,
          sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
          sendBufferSectionSize: 0,
        }),
        { transId: 5, ranges: [{ byteCount: 44 + 1514, byteOffset: 0, pfns: [0x5000] }] },
      ),
    );
    expect(g.vsp.port.transmits.map((t) => t.bytes)).toEqual([1514]);
    expect(stats().gpaDirectTransmits).toBe(1);
    expect(g.primary.failed).toBeNull();
  });

  it('rule 19: vRSS offers the subchannels asked for, up to the queues and the guest VPs, and spreads transmits with a send table', () => {
    const g = readyGuest(netvspModule(), { guestVps: 4 });
    const reply = g.nvsp({ kind: 'subchannelRequest', operation: 1, numSubChannels: 7 });
    expect(g.primary.subchannelsOffered).toBe(3);
    const done = reply.find((p) => p.type === 'completion');
    expect(done && decodeSent(done)).toMatchObject({
      kind: 'subchannelComplete',
      status: NvspStatus.SUCCESS,
      numSubChannels: 3,
    });
    const table = reply.map(decodeSent).find((m) => m?.kind === 'sendIndirectionTable');
    if (table?.kind !== 'sendIndirectionTable') throw new Error('no send table');
    expect(table.table).toHaveLength(VRSS_SEND_TAB_SIZE);
    expect(new Set(table.table)).toEqual(new Set([0, 1, 2, 3]));

    const capped = readyGuest(netvspModule(), { guestVps: 16, settings: { maxQueues: 2 } });
    capped.nvsp({ kind: 'subchannelRequest', operation: 1, numSubChannels: 7 });
    expect(capped.primary.subchannelsOffered).toBe(1);
  });

  it('rule 19: frames may arrive on a subchannel; the transfer pages go out on that channel', () => {
    const g = readyGuest(netvspModule(), { guestVps: 4 });
    g.nvsp({ kind: 'subchannelRequest', operation: 1, numSubChannels: 1 });
    const sub = g.openSubchannel(1);
    g.vsp.handlers.onHostEvent?.(sub, { type: 'frame-received', bytes: 100, tag: 7 });
    const lent = sub.take();
    expect(lent.map((p) => p.type)).toEqual(['transfer-pages']);
    // The completion must come back on the channel that lent the section.
    g.vsp.handlers.onPacket(
      g.primary,
      packetOf('completion', nvsp({ kind: 'sendRndisPacketComplete', status: 1 }), {
        transId: lent[0].transId,
        completionRequested: false,
      }),
    );
    expect(g.primary.failed).not.toBeNull();
  });
});

describe('netvsp and SR-IOV (rule 20)', () => {
  it('rule 20: offers the VF once the buffers are up when the NIC has SR-IOV and the guest announced it', () => {
    const { module, stats } = observed();
    const g = readyGuest(module, { sriov: true });
    expect(stats().vfOffered).toBe(1);
    expect(g.vsp.port.assigned).toEqual([g.primary]);
    const reply = g.nvsp({ kind: 'switchDataPath', activeDataPath: 1 });
    expect(decodeSent(reply[0])).toMatchObject({ kind: 'switchDataPath', activeDataPath: 1 });
    expect(stats().dataPathSwitches).toBe(1);
  });

  it('rule 20: no VF without an SR-IOV NIC, or when the setting turns it off', () => {
    const plain = observed();
    readyGuest(plain.module, { sriov: false });
    expect(plain.stats().vfOffered).toBe(0);
    const off = observed();
    const g = readyGuest(off.module, { sriov: true, settings: { sriov: false } });
    expect(off.stats().vfOffered).toBe(0);
    expect(g.vsp.port.assigned).toEqual([]);
  });
});

describe('netvsp answers RNDIS queries it knows', () => {
  it('reports its vRSS receive queues in the RSS capabilities (bounded by the guest VPs)', () => {
    const g = readyGuest(netvspModule(), { guestVps: 6 });
    const info = new Uint8Array(18);
    info[0] = 0x88;
    info[1] = 2;
    info[2] = 18;
    const reply = g.rndis({
      kind: 'queryRequest',
      requestId: 3,
      oid: RndisOid.GEN_RECEIVE_SCALE_CAPABILITIES,
      info,
      deviceVcHandle: 0,
    });
    const lent = reply.find((p) => p.type === 'transfer-pages');
    if (lent === undefined) throw new Error('no answer');
    const answer = g.receive(lent);
    if (answer?.kind !== 'queryComplete') throw new Error('not a query answer');
    expect(new DataView(answer.info.buffer, answer.info.byteOffset).getUint32(12, true)).toBe(6);
  });

  it('says NOT_SUPPORTED for an OID it does not know', () => {
    const g = readyGuest(netvspModule());
    const reply = g.rndis({
      kind: 'queryRequest',
      requestId: 4,
      oid: 0x7777,
      info: new Uint8Array(0),
      deviceVcHandle: 0,
    });
    const lent = reply.find((p) => p.type === 'transfer-pages');
    if (lent === undefined) throw new Error('no answer');
    expect(g.receive(lent)).toMatchObject({ status: RndisStatus.NOT_SUPPORTED });
  });

  it('refuses an RNDIS control message sent GPA-direct (it cannot read page ranges) without stopping the channel', () => {
    const { module, stats } = observed();
    const g = readyGuest(module);
    g.vsp.handlers.onPacket(
      g.primary,
      packetOf(
        'gpa-direct',
        nvsp({
          kind: 'sendRndisPacket',
          channelType: RndisChannelType.CONTROL,
          sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
          sendBufferSectionSize: 0,
        }),
        { transId: 8, ranges: [{ byteCount: 64, byteOffset: 0, pfns: [0x5000] }] },
      ),
    );
    expect(decodeSent(g.primary.take()[0])).toMatchObject({
      status: NvspStatus.INVALID_RNDIS_PACKET,
    });
    expect(stats().invalidRndis).toBe(1);
    expect(g.primary.failed).toBeNull();
  });
});
