/**
 * The network class's part of the SDK contract suite (plugins/sdk/testing): netvsc's setup
 * (rule 19: NVSP INIT, NDIS config and version, receive and send buffer GPADLs, RNDIS init and
 * packet filter), the traffic a Linux or Windows guest sends, and NVSP/RNDIS packets mutated the
 * way a hostile guest would (rule 37: message types, section indices and sizes, GPADL handles,
 * channel types, page lists, trans_ids). Any network VSP can be checked with it.
 */
import fc from 'fast-check';
import {
  encodeNvspMessage,
  encodeRndisMessage,
  NdisPacketType,
  NETVSC_INVALID_SECTION_INDEX,
  NETVSC_RECEIVE_BUFFER_ID,
  NvspDataPath,
  NvspMessageType,
  NvspProtocolVersion,
  NvspStatus,
  RndisChannelType,
  RndisOid,
} from '../../../core/protocols/index.js';
import type { NvspMessage, RndisMessage } from '../../../core/protocols/index.js';
import type { GpaRange, VspPacket, VspPacketKind } from '../../sdk/index.js';
import type { ContractProfile, FakeChannel, VspTestHarness } from '../../sdk/testing/index.js';
import { HarnessError, hostileRange, hostileTransId } from '../../sdk/testing/index.js';

/** Small buffers so hostile runs stay cheap: 64 receive sections, 16 send sections. */
const RECEIVE_BYTES = 28 * 4096;
const SEND_BYTES = 24 * 4096;
const SEND_SECTION = 6144;

interface Buffers {
  readonly receive: { readonly handle: number; readonly range: GpaRange };
  readonly send: { readonly handle: number; readonly range: GpaRange };
  nextSection: number;
}

function nvsp(m: NvspMessage): Uint8Array {
  const b = new Uint8Array(256);
  return b.slice(0, encodeNvspMessage(m, b, 0));
}

/** Completes every transfer-page packet the VSP lent on `channel` (netvsc's receive path). */
function completeTransferPages(h: VspTestHarness, channel: FakeChannel, from: number): void {
  const lent = channel.sent.slice(from).filter((s) => s.type === 'transfer-pages');
  for (const s of lent)
    h.deliver(
      channel,
      h.packets.completion(
        nvsp({ kind: 'sendRndisPacketComplete', status: NvspStatus.SUCCESS }),
        s.transId,
      ),
    );
}

/**
 * The network contract profile.
 *
 * @example
 * ```ts
 * import { runContractSuite } from 'hyperkata/sdk/testing';
 * const report = runContractSuite(myNetworkVsp, { profile: networkContractProfile() });
 * ```
 */
export function networkContractProfile(): ContractProfile {
  const buffers = new WeakMap<FakeChannel, Buffers>();
  const buffersOf = (channel: FakeChannel): Buffers => {
    const b = buffers.get(channel);
    if (b === undefined) throw new HarnessError('the network setup did not run on this channel');
    return b;
  };
  /** An RNDIS message in the next send section, and the SEND_RNDIS_PKT naming it. */
  const rndisPacket = (
    h: VspTestHarness,
    channel: FakeChannel,
    m: RndisMessage,
    channelType: number,
  ): VspPacket => {
    const b = buffersOf(channel);
    const section = b.nextSection;
    b.nextSection = (b.nextSection + 1) % Math.floor(SEND_BYTES / SEND_SECTION);
    const bytes = new Uint8Array(SEND_SECTION);
    const length = encodeRndisMessage(m, bytes, 0);
    h.memory.write(b.send.range, section * SEND_SECTION, bytes.subarray(0, length));
    return h.packets.inband(
      nvsp({
        kind: 'sendRndisPacket',
        channelType,
        sendBufferSectionIndex: section,
        sendBufferSectionSize: length,
      }),
    );
  };
  return {
    name: 'network',
    deviceClass: 'network',
    harness: { device: { kind: 'network', latencySteps: 2 } },
    channel: { guestVps: 4, device: 'eth0' },
    prepare(h, channel) {
      const b: Buffers = {
        receive: h.memory.createGpadl(channel.id, RECEIVE_BYTES),
        send: h.memory.createGpadl(channel.id, SEND_BYTES),
        nextSection: 0,
      };
      buffers.set(channel, b);
      const v = NvspProtocolVersion.V61;
      const steps: VspPacket[] = [
        h.packets.inband(nvsp({ kind: 'init', minProtocolVersion: v, maxProtocolVersion: v })),
        h.packets.inband(
          nvsp({
            kind: 'sendNdisConfig',
            mtu: 1514,
            capabilities: {
              vmq: false,
              chimney: false,
              sriov: true,
              ieee8021q: true,
              correlationId: false,
              teaming: true,
              virtualSubnetId: false,
              rsc: true,
            },
          }),
          { completionRequested: false },
        ),
        h.packets.inband(
          nvsp({ kind: 'sendNdisVersion', ndisMajorVersion: 6, ndisMinorVersion: 30 }),
          {
            completionRequested: false,
          },
        ),
        h.packets.inband(
          nvsp({
            kind: 'sendReceiveBuffer',
            gpadlHandle: b.receive.handle,
            id: NETVSC_RECEIVE_BUFFER_ID,
          }),
        ),
        h.packets.inband(nvsp({ kind: 'sendSendBuffer', gpadlHandle: b.send.handle, id: 0 })),
      ];
      for (const p of steps) h.deliver(channel, p);
      const before = channel.sent.length;
      h.deliver(
        channel,
        rndisPacket(
          h,
          channel,
          {
            kind: 'initializeRequest',
            requestId: 1,
            majorVersion: 1,
            minorVersion: 0,
            maxTransferSize: 0x4000,
          },
          RndisChannelType.CONTROL,
        ),
      );
      h.deliver(
        channel,
        rndisPacket(
          h,
          channel,
          {
            kind: 'setRequest',
            requestId: 2,
            oid: RndisOid.GEN_CURRENT_PACKET_FILTER,
            info: Uint8Array.of(NdisPacketType.DIRECTED | NdisPacketType.BROADCAST, 0, 0, 0),
            deviceVcHandle: 0,
          },
          RndisChannelType.CONTROL,
        ),
      );
      h.settle();
      completeTransferPages(h, channel, before);
      if (channel.state !== 'open')
        throw new HarnessError(
          `the network setup (rule 19) failed: ${channel.failure?.reason ?? ''}`,
        );
    },
    validRequests(h, channel) {
      const frame = (bytes: number): RndisMessage => ({
        kind: 'packet',
        data: new Uint8Array(bytes),
        perPacketInfo: [],
        vcHandle: 0,
      });
      const gpa = h.memory.allocate(44 + 1514);
      return [
        rndisPacket(h, channel, frame(60), RndisChannelType.DATA),
        rndisPacket(h, channel, frame(1514), RndisChannelType.DATA),
        rndisPacket(
          h,
          channel,
          {
            kind: 'queryRequest',
            requestId: 3,
            oid: RndisOid.IEEE_802_3_PERMANENT_ADDRESS,
            info: new Uint8Array(0),
            deviceVcHandle: 0,
          },
          RndisChannelType.CONTROL,
        ),
        rndisPacket(
          h,
          channel,
          {
            kind: 'queryRequest',
            requestId: 4,
            oid: 0x7777,
            info: new Uint8Array(0),
            deviceVcHandle: 0,
          },
          RndisChannelType.CONTROL,
        ),
        // A frame whose section is not free any more: its pages go in the packet (GPA-direct).
        h.packets.gpaDirect(
          nvsp({
            kind: 'sendRndisPacket',
            channelType: RndisChannelType.DATA,
            sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
            sendBufferSectionSize: 0,
          }),
          [gpa],
        ),
        h.packets.inband(nvsp({ kind: 'switchDataPath', activeDataPath: NvspDataPath.SYNTHETIC })),
      ];
    },
    hostilePackets: hostileNetworkPacket,
  };
}

/** Raw NVSP bodies: a defined or undefined type, then fields with hostile values. */
function nvspBody(): fc.Arbitrary<Uint8Array> {
  const type = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<number>(...Object.values(NvspMessageType)) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 300 }) },
    { weight: 1, arbitrary: fc.constant(0xffff_ffff) },
  );
  const field = fc.oneof(
    fc.integer({ min: 0, max: 40 }),
    fc.constantFrom(
      0,
      1,
      2,
      3,
      4,
      NETVSC_INVALID_SECTION_INDEX,
      0xffff_fffe,
      SEND_SECTION,
      SEND_SECTION + 1,
    ),
    fc.integer({ min: 0, max: 0xffff_ffff }),
  );
  return fc
    .record({
      type,
      fields: fc.array(field, { minLength: 3, maxLength: 3 }),
      length: fc.oneof(
        { weight: 6, arbitrary: fc.constant(40) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: 120 }) },
      ),
    })
    .map(({ type: t, fields, length }) => {
      const b = new Uint8Array(Math.max(40, length));
      const v = new DataView(b.buffer);
      v.setUint32(0, t >>> 0, true);
      fields.forEach((f, i) => {
        v.setUint32(4 + 4 * i, f >>> 0, true);
      });
      return b.slice(0, length);
    });
}

/**
 * Network packets a hostile guest could send: NVSP messages of every type with hostile section
 * indices, sizes, GPADL handles and channel types; transfer-page completions with forged
 * trans_ids; GPA-direct sends over hostile page lists.
 *
 * @example
 * ```ts
 * fc.sample(hostileNetworkPacket(4096), 3);
 * ```
 */
export function hostileNetworkPacket(guestPages: number): fc.Arbitrary<VspPacket> {
  return fc
    .record({
      body: nvspBody(),
      kind: fc.oneof(
        { weight: 6, arbitrary: fc.constant<VspPacketKind>('inband') },
        { weight: 2, arbitrary: fc.constant<VspPacketKind>('gpa-direct') },
        { weight: 2, arbitrary: fc.constant<VspPacketKind>('completion') },
      ),
      transId: hostileTransId(),
      completionRequested: fc.oneof(
        { weight: 6, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      ranges: fc.array(hostileRange(guestPages), { maxLength: 3 }),
    })
    .map(({ body, kind, transId, completionRequested, ranges }) => ({
      kind,
      transId,
      completionRequested: kind === 'completion' ? false : completionRequested,
      payload: body,
      ranges: kind === 'gpa-direct' ? ranges : [],
    }));
}
