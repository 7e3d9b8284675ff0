/**
 * One netvsp instance at work: the host side of NVSP and RNDIS for every adapter routed to it
 * (rule 19), the SR-IOV offer (rule 20), and the checks of the security boundary (rules 36–38):
 * every guest message is decoded from the runtime's private copy, every offset, length and section
 * index is bounded, GPADLs are looked up only through the channel's own memory port, and a guest
 * that breaks the protocol loses its channel — never the host. Malformed RNDIS content inside a
 * well-formed request is answered with NVSP_STAT_INVALID_RNDIS_PACKET instead.
 */
import { decoderRefusal, vspFailure } from '../../core/vsp/failure-reasons.js';
import {
  decodeNvspMessage,
  decodeRndisMessage,
  encodeNvspMessage,
  encodeRndisMessage,
  ETH_HLEN,
  NETVSC_INVALID_SECTION_INDEX,
  NETVSC_MTU,
  NETVSC_NVSP_VERSION_PREFERENCE,
  NETVSC_RECEIVE_BUFFER_SIZE,
  NETVSC_RECEIVE_BUFFER_SIZE_LEGACY,
  NETVSC_RECV_SECTION_SIZE,
  NETVSC_SEND_BUFFER_SIZE,
  NETVSC_SEND_SECTION_SIZE,
  NETVSC_MTU_MIN,
  NvspProtocolVersion,
  NvspStatus,
  receiveBufferSectionFor,
  RNDIS_HEADER_SIZE,
  RNDIS_PACKET_SIZE,
  RndisChannelType,
  RndisMessageType,
  checkSendBufferSection,
  VRSS_CHANNEL_MAX,
  VRSS_SEND_TAB_SIZE,
} from '../../core/protocols/index.js';
import type { NvspMessage, RndisMessage } from '../../core/protocols/index.js';
import {
  adapterMac,
  writeClientFrameHeader,
  writeRndisPacketHeader,
} from '../../core/guest/drivers/netvsc-frame.js';
import type {
  DeviceCompletion,
  VspChannel,
  VspFailureReason,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspPacket,
} from '../sdk/index.js';
import { NetvspAdapter } from './adapter.js';
import type { NetvspStats } from './adapter.js';
import { ReceiveBuffer } from './buffers.js';
import {
  NETVSP_CONTROL_NS,
  NETVSP_COPY_NS_PER_BYTE,
  NETVSP_RX_COMPLETION_NS,
  NETVSP_RX_PACKET_NS,
  NETVSP_TX_COMPLETION_NS,
  NETVSP_TX_PACKET_NS,
} from './costs.js';
import { answerRndisControl } from './rndis-control.js';

/** The settings netvsp reads (see NETVSP_SETTINGS). */
export interface NetvspSettings {
  readonly sriov: boolean;
  readonly maxQueues: number;
}

type Decoded<K extends NvspMessage['kind']> = Extract<NvspMessage, { kind: K }>;

/** The largest frame a guest may hand over (its MTU limit plus the Ethernet header). */
const MAX_FRAME = NETVSC_MTU + ETH_HLEN;
const RNDIS_PACKET_HEADER = RNDIS_HEADER_SIZE + RNDIS_PACKET_SIZE;
/** Bytes of a guest's RNDIS message netvsp always copies: the headers and small requests. */
const RNDIS_COPY_BYTES = 256;

export class NetvspInstance implements VspHandlers {
  private readonly adapters = new Map<VspChannel, NetvspAdapter>();
  private readonly primaries: NetvspAdapter[] = [];
  private readonly nvspOut = new Uint8Array(256);
  private readonly rndisOut = new Uint8Array(NETVSC_RECV_SECTION_SIZE);
  /** The private copy of a send section's RNDIS message (rule 36). */
  private readonly rndisIn = new Uint8Array(NETVSC_SEND_SECTION_SIZE);
  private nextAdapter = 0;

  constructor(
    private readonly host: VspHost,
    private readonly settings: NetvspSettings,
    readonly stats: NetvspStats,
  ) {}

  // ── Channels ────────────────────────────────────────────────────────────────────────────────

  onChannelOpened(channel: VspChannel): void {
    if (channel.subchannelIndex === 0) {
      const adapter = new NetvspAdapter(channel, this.nextAdapter++);
      this.primaries.push(adapter);
      this.adapters.set(channel, adapter);
      return;
    }
    const adapter = this.primaries.find(
      (a) => a.primary.vm === channel.vm && a.primary.device === channel.device,
    );
    if (adapter === undefined) {
      this.violation(channel, vspFailure('netvsp.subchannelWithoutPrimary', {}));
      return;
    }
    adapter.channels.push(channel);
    this.adapters.set(channel, adapter);
  }

  onChannelClosed(channel: VspChannel): void {
    const adapter = this.adapters.get(channel);
    if (adapter === undefined) return;
    this.adapters.delete(channel);
    if (channel !== adapter.primary) {
      const before = adapter.receive?.inUse ?? 0;
      adapter.forget(channel);
      this.stats.receiveSectionsInUse -= before - (adapter.receive?.inUse ?? 0);
      return;
    }
    this.stats.receiveSectionsInUse -= adapter.receive?.inUse ?? 0;
    for (const c of adapter.channels) this.adapters.delete(c);
    const i = this.primaries.indexOf(adapter);
    if (i >= 0) this.primaries.splice(i, 1);
  }

  /** Rule 38: the guest broke the protocol — its channel stops, the host goes on. */
  private violation(channel: VspChannel, reason: VspFailureReason): void {
    this.stats.protocolViolations++;
    channel.fail(reason);
  }

  // ── Packets from the guest ──────────────────────────────────────────────────────────────────

  onPacket(channel: VspChannel, packet: VspPacket): void {
    const adapter = this.adapters.get(channel);
    if (adapter === undefined) {
      this.violation(channel, vspFailure('netvsp.unservedChannel', {}));
      return;
    }
    if (packet.transId < 0) {
      this.violation(channel, vspFailure('netvsp.transIdTooLarge', {}));
      return;
    }
    if (packet.kind === 'completion') {
      this.onGuestCompletion(adapter, channel, packet);
      return;
    }
    const decoded = decodeNvspMessage(packet.payload, 0, packet.payload.length);
    if (!decoded.ok) {
      this.violation(
        channel,
        vspFailure('message.malformed', { protocol: 'nvsp', ...decoderRefusal(decoded) }),
      );
      return;
    }
    const m = decoded.value;
    if (packet.kind === 'gpa-direct' && m.kind !== 'sendRndisPacket') {
      this.violation(channel, vspFailure('netvsp.gpaDirect', { message: m.kind }));
      return;
    }
    if (m.kind === 'sendRndisPacket') {
      this.onSendRndisPacket(adapter, channel, packet, m);
      return;
    }
    this.host.cpu.charge(NETVSP_CONTROL_NS);
    this.stats.controlMessages++;
    this.onSetupMessage(adapter, channel, packet, m);
  }

  private onSetupMessage(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: NvspMessage,
  ): void {
    // Rule 3: a packet that asks for a completion gets one, even for messages NVSP defines no
    // answer to (the completion echoes the message).
    const echo =
      packet.completionRequested &&
      (m.kind === 'sendNdisConfig' ||
        m.kind === 'sendNdisVersion' ||
        m.kind === 'revokeReceiveBuffer' ||
        m.kind === 'revokeSendBuffer');
    this.onSetupRequest(adapter, channel, packet, m);
    if (echo && this.adapters.has(channel)) this.complete(channel, packet.transId, m);
  }

  private onSetupRequest(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: NvspMessage,
  ): void {
    switch (m.kind) {
      case 'init':
        this.onInit(adapter, channel, packet, m);
        return;
      case 'sendNdisConfig':
        if (adapter.protocolVersion < NvspProtocolVersion.V2) {
          this.violation(channel, vspFailure('netvsp.ndisConfigBeforeV2', {}));
          return;
        }
        adapter.frameLimit = Math.min(MAX_FRAME, Math.max(NETVSC_MTU_MIN + ETH_HLEN, m.mtu));
        adapter.guestSriov = m.capabilities.sriov;
        return;
      case 'sendNdisVersion':
        if (adapter.protocolVersion === 0) {
          this.violation(channel, vspFailure('netvsp.ndisVersionBeforeInit', {}));
          return;
        }
        adapter.ndisVersion = ((m.ndisMajorVersion & 0xffff) << 16) | (m.ndisMinorVersion & 0xffff);
        return;
      case 'sendReceiveBuffer':
        this.onReceiveBuffer(adapter, channel, packet, m);
        return;
      case 'sendSendBuffer':
        this.onSendBuffer(adapter, channel, packet, m);
        return;
      case 'revokeReceiveBuffer':
        if (!this.onPrimary(adapter, channel, 'REVOKE_RECV_BUF')) return;
        this.stats.receiveSectionsInUse -= adapter.receive?.inUse ?? 0;
        adapter.receive = null;
        return;
      case 'revokeSendBuffer':
        if (!this.onPrimary(adapter, channel, 'REVOKE_SEND_BUF')) return;
        adapter.send = null;
        return;
      case 'switchDataPath':
        // Rule 20: the guest moved its data path to the VF or back; the synthetic path stays.
        adapter.dataPath = m.activeDataPath === 1 ? 'vf' : 'synthetic';
        this.stats.dataPathSwitches++;
        if (packet.completionRequested) this.complete(channel, packet.transId, m);
        return;
      case 'subchannelRequest':
        this.onSubchannelRequest(adapter, channel, packet, m);
        return;
      default:
        this.violation(
          channel,
          vspFailure('message.fromHost', { protocol: 'nvsp', message: m.kind }),
        );
    }
  }

  private onPrimary(adapter: NetvspAdapter, channel: VspChannel, what: string): boolean {
    if (channel === adapter.primary) return true;
    this.violation(channel, vspFailure('netvsp.onSubchannel', { message: what }));
    return false;
  }

  /** Rule 37: requests the host answers must ask for a completion. */
  private transactional(channel: VspChannel, packet: VspPacket, what: string): boolean {
    if (packet.completionRequested) return true;
    this.violation(channel, vspFailure('netvsp.notTransactional', { message: what }));
    return false;
  }

  private complete(channel: VspChannel, transId: number, m: NvspMessage): void {
    const n = encodeNvspMessage(m, this.nvspOut, 0);
    channel.complete(transId, this.nvspOut.subarray(0, n));
  }

  private sendUnsolicited(channel: VspChannel, m: NvspMessage): void {
    const n = encodeNvspMessage(m, this.nvspOut, 0);
    channel.send(this.nvspOut.subarray(0, n), { transId: 0 });
  }

  private onInit(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: Decoded<'init'>,
  ): void {
    if (!this.onPrimary(adapter, channel, 'NVSP INIT')) return;
    if (!this.transactional(channel, packet, 'NVSP INIT')) return;
    if (adapter.protocolVersion !== 0) {
      this.violation(channel, vspFailure('netvsp.initTwice', {}));
      return;
    }
    // The newest version the host knows inside [min, max].
    const agreed = NETVSC_NVSP_VERSION_PREFERENCE.find(
      (v) => v >= m.minProtocolVersion && v <= m.maxProtocolVersion,
    );
    if (agreed !== undefined) adapter.protocolVersion = agreed;
    this.complete(channel, packet.transId, {
      kind: 'initComplete',
      negotiatedProtocolVersion: 0,
      maxMdlChainLength: 0,
      status: agreed === undefined ? NvspStatus.FAILURE : NvspStatus.SUCCESS,
    });
  }

  private onReceiveBuffer(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: Decoded<'sendReceiveBuffer'>,
  ): void {
    if (!this.onPrimary(adapter, channel, 'SEND_RECV_BUF')) return;
    if (!this.transactional(channel, packet, 'SEND_RECV_BUF')) return;
    const refuse = (): void => {
      this.complete(channel, packet.transId, {
        kind: 'sendReceiveBufferComplete',
        status: NvspStatus.FAILURE,
        sections: [],
      });
    };
    if (adapter.protocolVersion === 0 || adapter.receive !== null) {
      refuse();
      return;
    }
    // The GPADL must be one the guest created on this channel (the port refuses any other).
    const bytes = channel.memory.gpadlSize(m.gpadlHandle);
    const limit =
      adapter.protocolVersion <= NvspProtocolVersion.V2
        ? NETVSC_RECEIVE_BUFFER_SIZE_LEGACY
        : NETVSC_RECEIVE_BUFFER_SIZE;
    if (bytes === undefined || bytes < NETVSC_RECV_SECTION_SIZE || bytes > limit) {
      refuse();
      return;
    }
    // estimate: the sub-allocation size is the host's choice and Hyper-V publishes none. Linux
    // sizes its buffer in 1728-byte units (L: hyperv_net.h NETVSC_RECV_SECTION_SIZE) and we answer
    // the same; openvmm's netvsp answers 256 + MTU + 36 bytes instead (O: netvsp buffers.rs
    // `sub_allocation_size_for_mtu`, 1806 for 1514-byte frames).
    adapter.receive = new ReceiveBuffer(m.gpadlHandle, bytes, NETVSC_RECV_SECTION_SIZE, m.id);
    this.complete(channel, packet.transId, {
      kind: 'sendReceiveBufferComplete',
      status: NvspStatus.SUCCESS,
      sections: [receiveBufferSectionFor(bytes, NETVSC_RECV_SECTION_SIZE)],
    });
  }

  private onSendBuffer(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: Decoded<'sendSendBuffer'>,
  ): void {
    if (!this.onPrimary(adapter, channel, 'SEND_SEND_BUF')) return;
    if (!this.transactional(channel, packet, 'SEND_SEND_BUF')) return;
    const bytes = channel.memory.gpadlSize(m.gpadlHandle);
    const ok =
      adapter.protocolVersion !== 0 &&
      adapter.send === null &&
      bytes !== undefined &&
      bytes >= NETVSC_SEND_SECTION_SIZE &&
      bytes <= NETVSC_SEND_BUFFER_SIZE;
    // estimate: "the VSP gets to choose the sections size" (L: hyperv_net.h) and Hyper-V does not
    // publish its choice; we answer the 6144 bytes netvsc sizes its buffer by (NETVSC_SEND_SECTION_SIZE).
    if (ok) {
      adapter.send = {
        gpadl: m.gpadlHandle,
        bufferBytes: bytes,
        sectionSize: NETVSC_SEND_SECTION_SIZE,
        sectionCount: Math.floor(bytes / NETVSC_SEND_SECTION_SIZE),
      };
    }
    this.complete(channel, packet.transId, {
      kind: 'sendSendBufferComplete',
      status: ok ? NvspStatus.SUCCESS : NvspStatus.FAILURE,
      sectionSize: ok ? NETVSC_SEND_SECTION_SIZE : 0,
    });
    if (ok) this.offerVirtualFunction(adapter, channel);
  }

  /** Rule 20: a NIC with SR-IOV gives the VM a VF; netvsp tells the guest to look for it. */
  private offerVirtualFunction(adapter: NetvspAdapter, channel: VspChannel): void {
    const device = this.host.device;
    if (
      !this.settings.sriov ||
      adapter.vfOffered ||
      !adapter.guestSriov ||
      adapter.protocolVersion < NvspProtocolVersion.V5 ||
      device.kind !== 'network' ||
      !device.sriov ||
      !device.assignVirtualFunction(channel)
    ) {
      return;
    }
    adapter.vfOffered = true;
    this.stats.vfOffered++;
    this.sendUnsolicited(channel, {
      kind: 'sendVfAssociation',
      allocated: true,
      serial: adapter.index + 1,
    });
  }

  /** vRSS (rule 19): as many subchannels as asked, up to the queues this host offers. */
  private onSubchannelRequest(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: Decoded<'subchannelRequest'>,
  ): void {
    if (!this.onPrimary(adapter, channel, 'NVSP SUBCHANNEL')) return;
    if (!this.transactional(channel, packet, 'NVSP SUBCHANNEL')) return;
    if (adapter.protocolVersion < NvspProtocolVersion.V5) {
      this.violation(channel, vspFailure('netvsp.subchannelBeforeV5', {}));
      return;
    }
    const limit = this.receiveQueues(channel) - 1;
    const want = Math.min(m.numSubChannels, limit);
    const offered =
      want > adapter.subchannels ? channel.offerSubchannels(want - adapter.subchannels) : 0;
    adapter.subchannels += offered;
    this.stats.subchannelsOffered += offered;
    this.complete(channel, packet.transId, {
      kind: 'subchannelComplete',
      status: NvspStatus.SUCCESS,
      numSubChannels: adapter.subchannels,
    });
    // The send indirection table spreads the guest's transmits over the channels.
    const table: number[] = [];
    for (let i = 0; i < VRSS_SEND_TAB_SIZE; i++) table.push(i % (adapter.subchannels + 1));
    this.sendUnsolicited(channel, { kind: 'sendIndirectionTable', table });
  }

  /** vRSS receive queues for this guest: the setting, at most 64 and the guest's VP count. */
  private receiveQueues(channel: VspChannel): number {
    return Math.max(
      1,
      Math.min(this.settings.maxQueues, VRSS_CHANNEL_MAX, Math.max(1, channel.guestVps)),
    );
  }

  // ── Transmit: SEND_RNDIS_PKT ────────────────────────────────────────────────────────────────

  private onSendRndisPacket(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: Decoded<'sendRndisPacket'>,
  ): void {
    this.host.cpu.charge(NETVSP_TX_PACKET_NS);
    if (!this.transactional(channel, packet, 'SEND_RNDIS_PKT')) return;
    if (m.sendBufferSectionIndex === NETVSC_INVALID_SECTION_INDEX) {
      this.onGpaDirect(adapter, channel, packet, m);
      return;
    }
    const send = adapter.send;
    if (send === null) {
      this.violation(channel, vspFailure('netvsp.noSendBuffer', {}));
      return;
    }
    const check = checkSendBufferSection(m, send);
    if (!check.ok) {
      this.violation(channel, vspFailure('netvsp.badSendSection', decoderRefusal(check)));
      return;
    }
    if (m.sendBufferSectionSize < RNDIS_HEADER_SIZE) {
      this.answerSend(channel, packet.transId, NvspStatus.INVALID_RNDIS_PACKET);
      return;
    }
    // Copy, then validate (rule 36): the section is guest memory the guest can still change.
    const message = this.copyRndis(
      adapter,
      send.gpadl,
      m.sendBufferSectionIndex * send.sectionSize,
      m.sendBufferSectionSize,
    );
    if (message === null) {
      this.answerSend(channel, packet.transId, NvspStatus.FAILURE);
      return;
    }
    const r = decodeRndisMessage(message, 0, message.length);
    if (!r.ok) {
      this.answerSend(channel, packet.transId, NvspStatus.INVALID_RNDIS_PACKET);
      return;
    }
    if (m.channelType === RndisChannelType.CONTROL) {
      this.onRndisControl(adapter, channel, packet.transId, r.value);
      return;
    }
    if (r.value.kind !== 'packet') {
      this.answerSend(channel, packet.transId, NvspStatus.INVALID_RNDIS_PACKET);
      return;
    }
    this.stats.sectionTransmits++;
    this.transmit(adapter, channel, packet.transId, r.value.data.length);
  }

  /**
   * Copies an RNDIS message of `size` bytes out of the send buffer into the private scratch,
   * everything netvsp parses included: the headers always, and the per-packet info when the
   * header says it runs further. A frame's payload is not copied — it goes from the section to
   * the NIC — so the scratch holds stale bytes there, which nothing reads. Null when refused.
   */
  private copyRndis(
    adapter: NetvspAdapter,
    gpadl: number,
    offset: number,
    size: number,
  ): Uint8Array | null {
    const memory = adapter.primary.memory;
    const head = memory.readGpadl(gpadl, offset, Math.min(size, RNDIS_COPY_BYTES));
    if (!head.ok) return null;
    const scratch = this.rndisIn.subarray(0, size);
    scratch.set(head.value);
    if (size > RNDIS_COPY_BYTES && head.value.length >= RNDIS_PACKET_HEADER) {
      const view = new DataView(head.value.buffer, head.value.byteOffset, head.value.length);
      const type = view.getUint32(0, true);
      const ppiEnd = RNDIS_HEADER_SIZE + view.getUint32(28, true) + view.getUint32(32, true);
      // A data packet whose per-packet info lies past the headers, or any control message.
      if (type !== RndisMessageType.PACKET || ppiEnd > RNDIS_COPY_BYTES) {
        const all = memory.readGpadl(gpadl, offset, size);
        if (!all.ok) return null;
        scratch.set(all.value);
      }
    }
    return scratch;
  }

  /** SEND_RNDIS_PKT with the message in page ranges (sections exhausted, or a large frame). */
  private onGpaDirect(
    adapter: NetvspAdapter,
    channel: VspChannel,
    packet: VspPacket,
    m: Decoded<'sendRndisPacket'>,
  ): void {
    if (packet.kind !== 'gpa-direct' || packet.ranges.length === 0) {
      this.violation(channel, vspFailure('netvsp.noSectionNoRanges', {}));
      return;
    }
    let total = 0;
    for (const r of packet.ranges) total += r.byteCount;
    const touched = channel.memory.touchRanges(packet, total, false);
    if (!touched.ok) {
      const { reason: detail, refusal: said } = touched;
      this.violation(
        channel,
        vspFailure('netvsp.rangesRefused', said === undefined ? { detail } : { detail, said }),
      );
      return;
    }
    const frame = total - RNDIS_PACKET_HEADER;
    // The VSP contract lets netvsp check page ranges but not read them: an RNDIS control message
    // sent this way cannot be parsed, and is refused.
    if (m.channelType === RndisChannelType.CONTROL || frame < ETH_HLEN || frame > MAX_FRAME) {
      this.answerSend(channel, packet.transId, NvspStatus.INVALID_RNDIS_PACKET);
      return;
    }
    this.stats.gpaDirectTransmits++;
    this.transmit(adapter, channel, packet.transId, frame);
  }

  private transmit(
    adapter: NetvspAdapter,
    channel: VspChannel,
    transId: number,
    frame: number,
  ): void {
    const device = this.host.device;
    const limit = adapter.frameLimit > 0 ? adapter.frameLimit : MAX_FRAME;
    if (frame < ETH_HLEN || frame > limit) {
      this.answerSend(channel, transId, NvspStatus.INVALID_RNDIS_PACKET);
      return;
    }
    if (device.kind !== 'network' || !adapter.rndisInitialized) {
      this.answerSend(channel, transId, NvspStatus.FAILURE);
      return;
    }
    device.transmit(channel, frame, adapter.holdTransmit(channel, transId));
  }

  private answerSend(channel: VspChannel, transId: number, status: number): void {
    if (status === NvspStatus.INVALID_RNDIS_PACKET) this.stats.invalidRndis++;
    this.complete(channel, transId, { kind: 'sendRndisPacketComplete', status });
  }

  onDeviceCompleted(channel: VspChannel, completion: DeviceCompletion): void {
    this.host.cpu.charge(NETVSP_TX_COMPLETION_NS);
    const adapter = this.adapters.get(channel);
    if (adapter === undefined) return;
    const transId = adapter.txTransId[completion.tag];
    const sentOn = adapter.releaseTransmit(completion.tag);
    if (sentOn === null) return;
    this.stats.framesTransmitted++;
    this.answerSend(
      sentOn,
      transId,
      completion.status === 'ok' ? NvspStatus.SUCCESS : NvspStatus.FAILURE,
    );
  }

  // ── RNDIS control ───────────────────────────────────────────────────────────────────────────

  private onRndisControl(
    adapter: NetvspAdapter,
    channel: VspChannel,
    transId: number,
    message: RndisMessage,
  ): void {
    this.host.cpu.charge(NETVSP_CONTROL_NS);
    this.stats.controlMessages++;
    const device = this.host.device;
    const outcome = answerRndisControl(message, {
      mac: adapterMac(adapter.index),
      // The synthetic adapter reports 10 Gbit/s whatever the NIC behind the switch.
      linkGbps: device.kind === 'network' ? 10 : 0,
      mtu: adapter.frameLimit > 0 ? adapter.frameLimit - ETH_HLEN : 1500,
      receiveQueues: this.receiveQueues(channel),
    });
    if (outcome.initialized !== undefined) adapter.rndisInitialized = outcome.initialized;
    if (outcome.packetFilter !== undefined) adapter.packetFilter = outcome.packetFilter;
    this.answerSend(
      channel,
      transId,
      outcome.response === null && message.kind !== 'halt'
        ? NvspStatus.INVALID_RNDIS_PACKET
        : NvspStatus.SUCCESS,
    );
    if (outcome.response !== null) this.indicate(adapter, channel, outcome.response);
  }

  // ── Receive: frames from the wire → receive buffer → transfer pages ─────────────────────────

  onHostEvent(channel: VspChannel, event: VspHostEvent): void {
    if (event.type !== 'frame-received') return;
    this.host.cpu.charge(NETVSP_RX_PACKET_NS);
    const adapter = this.adapters.get(channel);
    if (adapter === undefined || !adapter.receiving) {
      this.stats.dropsNotReady++;
      return;
    }
    const bytes = Math.max(ETH_HLEN, Math.floor(event.bytes));
    if (RNDIS_PACKET_HEADER + bytes > NETVSC_RECV_SECTION_SIZE) {
      this.stats.dropsTooLarge++;
      return;
    }
    // The RNDIS and Ethernet headers are written for real (the source MAC names the client's
    // flow); the rest of the frame's copy is the CPU charged per byte in lend().
    const header = writeRndisPacketHeader(this.rndisOut, 0, bytes);
    writeClientFrameHeader(this.rndisOut, header, event.tag);
    if (this.lend(adapter, channel, header + bytes, header + ETH_HLEN, RndisChannelType.DATA))
      this.stats.framesReceived++;
  }

  /** Answers an RNDIS control message through the receive buffer. */
  private indicate(adapter: NetvspAdapter, channel: VspChannel, message: RndisMessage): boolean {
    const length = encodeRndisMessage(message, this.rndisOut, 0);
    return this.lend(adapter, channel, length, length, RndisChannelType.CONTROL);
  }

  /**
   * Copies the `length`-byte RNDIS message in `rndisOut` (its first `written` bytes for real)
   * into a free receive section and lends it to the guest with a transfer-page packet (type 7).
   * False when it had to be dropped.
   */
  private lend(
    adapter: NetvspAdapter,
    channel: VspChannel,
    length: number,
    written: number,
    channelType: number,
  ): boolean {
    const receive = adapter.receive;
    if (receive === null) {
      this.stats.dropsNotReady++;
      return false;
    }
    const section = receive.take(channel);
    if (section < 0) {
      this.stats.dropsNoSection++;
      if (!adapter.toldNoSection) {
        adapter.toldNoSection = true;
        this.host.log(
          `${channel.vm}/${channel.device}: every receive section is lent; dropping frames until the guest completes some`,
        );
      }
      return false;
    }
    const offset = section * receive.sectionSize;
    const copied = adapter.primary.memory.writeGpadl(
      receive.gpadl,
      offset,
      this.rndisOut.subarray(0, written),
    );
    if (!copied.ok) {
      receive.release(section, channel);
      this.stats.dropsNotReady++;
      return false;
    }
    // Rule 19: the host copies every received byte into the guest's buffer.
    this.host.cpu.charge(Math.round(length * NETVSP_COPY_NS_PER_BYTE));
    this.stats.receiveSectionsInUse++;
    if (this.stats.receiveSectionsInUse > this.stats.receiveSectionsPeak)
      this.stats.receiveSectionsPeak = this.stats.receiveSectionsInUse;
    this.stats.transferPagePackets++;
    const n = encodeNvspMessage(
      {
        kind: 'sendRndisPacket',
        channelType,
        sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
        sendBufferSectionSize: 0,
      },
      this.nvspOut,
      0,
    );
    channel.sendTransferPages(
      receive.pageSetId,
      [{ byteOffset: offset, byteCount: length }],
      this.nvspOut.subarray(0, n),
      section + 1,
    );
    return true;
  }

  /** The guest completed a transfer-page packet: its section can be reused. */
  private onGuestCompletion(adapter: NetvspAdapter, channel: VspChannel, packet: VspPacket): void {
    this.host.cpu.charge(NETVSP_RX_COMPLETION_NS);
    const m = decodeNvspMessage(packet.payload, 0, packet.payload.length, { completion: true });
    if (!m.ok || m.value.kind !== 'sendRndisPacketComplete') {
      this.violation(channel, vspFailure('netvsp.notSendComplete', {}));
      return;
    }
    const receive = adapter.receive;
    if (receive === null || !receive.release(packet.transId - 1, channel)) {
      this.violation(channel, vspFailure('netvsp.unknownLend', { transId: packet.transId }));
      return;
    }
    this.stats.receiveSectionsInUse--;
    this.stats.receiveCompletions++;
  }
}
