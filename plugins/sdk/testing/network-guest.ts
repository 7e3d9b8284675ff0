/**
 * A scripted netvsc for network VSP tests: it speaks NVSP and RNDIS over a harness channel —
 * rule 19's setup (NVSP INIT with netvsc's version fallback, NDIS config and version, the receive
 * and send buffers shared by GPADL, RNDIS INITIALIZE, the MAC and link queries, the packet
 * filter), frames sent from send-buffer sections or GPA-direct, and the receive path: the RNDIS
 * messages a VSP lends in transfer-page packets, read from the receive buffer and completed so
 * the VSP gets its sections back.
 */
import {
  checkReceiveBufferComplete,
  decodeNvspMessage,
  decodeRndisMessage,
  encodeNvspMessage,
  encodeRndisMessage,
  NdisPacketType,
  NETVSC_INVALID_SECTION_INDEX,
  NETVSC_NVSP_VERSION_PREFERENCE,
  NETVSC_RNDIS_MAX_TRANSFER_SIZE,
  netvscSetupSequence,
  NvspStatus,
  RNDIS_HEADER_SIZE,
  RNDIS_MAJOR_VERSION,
  RNDIS_MINOR_VERSION,
  RNDIS_PACKET_SIZE,
  RndisChannelType,
  RndisOid,
  RndisStatus,
} from '../../../core/protocols/index.js';
import type { NvspMessage, RndisMessage } from '../../../core/protocols/index.js';
import type { GpaRange } from '../../../core/vsp/types.js';
import type { FakeChannel } from './fake-channel.js';
import type { VspTestHarness } from './harness.js';
import { HarnessError, noCompletion, refusedText } from './harness-error.js';
import type { PacketOptions } from './packets.js';

/**
 * How the scripted guest sizes its buffers and which NVSP versions it offers.
 *
 * @example
 * ```ts
 * const guest = new NetworkGuest(h, channel, { receiveBytes: 16 << 20 }); // netvsc's real size
 * ```
 */
export interface NetworkGuestOptions {
  /** Receive buffer bytes. Default 28 pages (64 sections of 1728 bytes): small, tests stay fast. */
  readonly receiveBytes?: number;
  /** Send buffer bytes. Default 24 pages (16 sections of 6144 bytes). */
  readonly sendBytes?: number;
  /** NVSP versions netvsc offers, one INIT each until the host accepts. Default 6.1 down to 1. */
  readonly versions?: readonly number[];
  /** The interface MTU announced in SEND_NDIS_CONFIG. Default 1500. */
  readonly mtu?: number;
}

/**
 * What netvsc's NVSP setup agreed on (rule 19), before RNDIS: the version and both buffers.
 *
 * @example
 * ```ts
 * const nvsp = guest.connect(); // INIT, NDIS, both buffers — no RNDIS INITIALIZE yet
 * nvsp.sendSectionSize; // 6144 for a host that cuts the send buffer as Hyper-V does
 * ```
 */
export interface NetworkConnection {
  readonly protocolVersion: number;
  /** The receive buffer's sub-allocation size and count, from SEND_RECV_BUF_COMPLETE. */
  readonly receiveSectionSize: number;
  readonly receiveSectionCount: number;
  /** The send buffer's section size, from SEND_SEND_BUF_COMPLETE. */
  readonly sendSectionSize: number;
}

/**
 * What the whole setup agreed on (rule 19): the NVSP connection, then RNDIS up.
 *
 * @example
 * ```ts
 * const setup = guest.initialize();
 * setup.linkUp; // OID_GEN_MEDIA_CONNECT_STATUS said connected
 * ```
 */
export interface NetworkSetup extends NetworkConnection {
  /** The adapter's MAC address (OID_802_3_PERMANENT_ADDRESS). */
  readonly mac: Uint8Array;
  /** OID_GEN_MEDIA_CONNECT_STATUS said connected. */
  readonly linkUp: boolean;
}

/**
 * One transfer-page packet a VSP sent (type 7): the RNDIS messages in its ranges of the receive
 * buffer, as netvsc reads them.
 *
 * @example
 * ```ts
 * const [rx] = guest.receive();
 * rx.messages[0]?.kind; // 'packet' for a frame, 'queryComplete' for an RNDIS answer
 * ```
 */
export interface NetworkReceive {
  readonly transId: number;
  /** The transfer page set id: the `id` the guest gave SEND_RECV_BUF (netvsc: 0xCAFE). */
  readonly pageSetId: number;
  /** The NVSP SEND_RNDIS_PKT's channel type: data (0) or control (1). */
  readonly channelType: number;
  readonly ranges: readonly { readonly byteOffset: number; readonly byteCount: number }[];
  readonly messages: readonly RndisMessage[];
}

const DEFAULT_RECEIVE_BYTES = 28 * 4096;
const DEFAULT_SEND_BYTES = 24 * 4096;
/** An RNDIS data message's headers before the frame (L: RNDIS_MESSAGE_SIZE(struct rndis_packet)). */
const RNDIS_DATA_HEADER = RNDIS_HEADER_SIZE + RNDIS_PACKET_SIZE;

/**
 * A scripted netvsc on one harness channel.
 *
 * @example
 * ```ts
 * const h = new VspTestHarness(myNetvsp);
 * const guest = new NetworkGuest(h, h.openChannel({ device: 'eth0' }));
 * guest.initialize();                      // rule 19
 * const transId = guest.transmit(1514);    // a full frame from a send section
 * h.settle();                              // the fake NIC sends it
 * guest.sendStatus(transId);               // NvspStatus.SUCCESS
 * h.hostEvent(guest.channel, { type: 'frame-received', bytes: 700, tag: 7 });
 * guest.receive()[0]?.messages[0];         // the frame, read from the receive buffer
 * ```
 */
export class NetworkGuest {
  /** The NVSP version the host accepted (0 before). */
  protocolVersion = 0;
  /** The buffers the guest shared, once created (their GPADL handles and pages). */
  receiveBuffer: { readonly handle: number; readonly range: GpaRange } | null = null;
  sendBuffer: { readonly handle: number; readonly range: GpaRange } | null = null;
  /** The send section size the host announced (0 before). */
  sendSectionSize = 0;
  private nextSection = 0;
  private nextRequestId = 1;
  /** Index into `channel.sent` up to which transfer-page packets were read. */
  private read = 0;
  private readonly scratch = new Uint8Array(256);

  constructor(
    readonly h: VspTestHarness,
    readonly channel: FakeChannel,
    readonly options: NetworkGuestOptions = {},
  ) {}

  /** Sends an NVSP message in-band; returns its trans_id. */
  nvsp(message: NvspMessage, options: PacketOptions = {}): number {
    const n = encodeNvspMessage(message, this.scratch, 0, this.codecOptions());
    const packet = this.h.packets.inband(this.scratch.slice(0, n), options);
    this.h.deliver(this.channel, packet);
    return packet.transId;
  }

  /** The NVSP message completing `transId` (throws a HarnessError when there is none). */
  completion(transId: number): NvspMessage {
    const payload = this.h.completionFor(this.channel, transId);
    if (payload === undefined)
      throw noCompletion(this.channel, transId, this.h.clock.pending('device'));
    const m = decodeNvspMessage(payload, 0, payload.length, { completion: true });
    if (!m.ok) throw new HarnessError(`trans_id ${transId}: not an NVSP message (${m.detail})`);
    return m.value;
  }

  /** The status of the SEND_RNDIS_PKT_COMPLETE answering `transId`. */
  sendStatus(transId: number): number {
    const m = this.completion(transId);
    if (m.kind !== 'sendRndisPacketComplete')
      throw new HarnessError(`trans_id ${transId}: ${m.kind}, not SEND_RNDIS_PKT_COMPLETE`);
    return m.status;
  }

  /**
   * Writes an RNDIS message into the next send section and names it in SEND_RNDIS_PKT, as
   * netvsc does (L: netvsc_send — copy into a section, then the NVSP message); returns its trans_id.
   */
  sendRndis(
    message: RndisMessage,
    channelType: number = RndisChannelType.CONTROL,
    options: PacketOptions & { readonly section?: number } = {},
  ): number {
    const send = this.sendBuffer;
    if (send === null || this.sendSectionSize === 0)
      throw new HarnessError('no send buffer yet: call initialize() first');
    const sections = Math.floor(send.range.byteCount / this.sendSectionSize);
    const section = options.section ?? this.nextSection;
    this.nextSection = (section + 1) % sections;
    const bytes = new Uint8Array(this.sendSectionSize);
    const length = encodeRndisMessage(message, bytes, 0);
    this.h.memory.write(send.range, section * this.sendSectionSize, bytes.subarray(0, length));
    return this.nvsp(
      {
        kind: 'sendRndisPacket',
        channelType,
        sendBufferSectionIndex: section,
        sendBufferSectionSize: length,
      },
      options,
    );
  }

  /**
   * Sends a frame of `frameBytes` (Ethernet header included): from a send section, or with
   * `gpaDirect` in guest pages the packet describes (netvsc does so when no section is free).
   * With `gpaDirect`, `ranges` are the pages the packet names instead of those the frame was
   * written to: a hostile guest's, e.g. a page it does not have (rule 37). Returns its trans_id.
   *
   * @example
   * ```ts
   * guest.transmit(1514, { gpaDirect: true, ranges: [{ pfns: [2 ** 40], byteOffset: 0, byteCount: 1558 }] });
   * ```
   */
  transmit(
    frameBytes: number,
    options: PacketOptions & {
      readonly gpaDirect?: boolean;
      readonly ranges?: readonly GpaRange[];
    } = {},
  ): number {
    const frame: RndisMessage = {
      kind: 'packet',
      data: new Uint8Array(frameBytes),
      perPacketInfo: [],
      vcHandle: 0,
    };
    if (options.gpaDirect !== true) return this.sendRndis(frame, RndisChannelType.DATA, options);
    const pages = this.h.memory.allocate(RNDIS_DATA_HEADER + frameBytes);
    const bytes = new Uint8Array(RNDIS_DATA_HEADER + frameBytes);
    encodeRndisMessage(frame, bytes, 0);
    this.h.memory.write(pages, 0, bytes);
    const n = encodeNvspMessage(
      {
        kind: 'sendRndisPacket',
        channelType: RndisChannelType.DATA,
        sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
        sendBufferSectionSize: 0,
      },
      this.scratch,
      0,
      this.codecOptions(),
    );
    const ranges = options.ranges ?? [pages];
    const packet = this.h.packets.gpaDirect(this.scratch.slice(0, n), ranges, options);
    this.h.deliver(this.channel, packet);
    return packet.transId;
  }

  /**
   * netvsc's receive path for every transfer-page packet the VSP sent since the last call: each
   * range is read from the receive buffer and decoded, then the packet is completed (unless
   * `complete: false`) so the host can reuse its sections. Throws a HarnessError for a range
   * outside the receive buffer or a message that does not decode.
   */
  receive(options: { readonly complete?: boolean } = {}): NetworkReceive[] {
    const buffer = this.receiveBuffer;
    const lent = this.channel.sent.slice(this.read).filter((s) => s.type === 'transfer-pages');
    this.read = this.channel.sent.length;
    const out: NetworkReceive[] = [];
    for (const s of lent) {
      if (buffer === null) throw new HarnessError('transfer pages before a receive buffer');
      const messages = s.ranges.map((r) => {
        if (
          r.byteOffset < 0 ||
          r.byteCount <= 0 ||
          r.byteOffset + r.byteCount > buffer.range.byteCount
        )
          throw new HarnessError(
            `trans_id ${s.transId}: range ${r.byteCount}@${r.byteOffset} outside the ${buffer.range.byteCount}-byte receive buffer`,
          );
        const bytes = this.h.memory.read(buffer.range, r.byteOffset, r.byteCount);
        const m = decodeRndisMessage(bytes, 0, bytes.length);
        if (!m.ok) throw new HarnessError(`trans_id ${s.transId}: bad RNDIS message: ${m.detail}`);
        return m.value;
      });
      const nvsp = decodeNvspMessage(s.payload, 0, s.payload.length);
      const channelType =
        nvsp.ok && nvsp.value.kind === 'sendRndisPacket' ? nvsp.value.channelType : -1;
      out.push({
        transId: s.transId,
        pageSetId: s.pageSetId,
        channelType,
        ranges: s.ranges,
        messages,
      });
      if (options.complete !== false) this.completeReceive(s.transId);
    }
    return out;
  }

  /** Completes transfer-page packet `transId` (type 0xB): its sections go back to the host. */
  completeReceive(transId: number, status: number = NvspStatus.SUCCESS): void {
    const n = encodeNvspMessage(
      { kind: 'sendRndisPacketComplete', status },
      this.scratch,
      0,
      this.codecOptions(),
    );
    this.h.deliver(this.channel, this.h.packets.completion(this.scratch.slice(0, n), transId));
  }

  /**
   * An RNDIS control request and its answer (L: rndis_filter_send_request, then the response
   * through the receive buffer): returns the response the VSP indicated. Throws a HarnessError
   * when the send was not completed with success or no response came.
   */
  request(message: RndisMessage): RndisMessage {
    const transId = this.sendRndis(message, RndisChannelType.CONTROL);
    this.h.settle();
    const status = this.sendStatus(transId);
    if (status !== NvspStatus.SUCCESS) {
      const name = Object.entries(NvspStatus).find(([, value]) => value === status)?.[0];
      throw new HarnessError(
        `RNDIS ${message.kind}: SEND_RNDIS_PKT completed with status ${String(status)}${name === undefined ? '' : ` (${name})`}${refusedText(this.h, this.channel)}`,
      );
    }
    const answers = this.receive().flatMap((r) => r.messages);
    const requestId = 'requestId' in message ? message.requestId : -1;
    const answer = answers.find((m) => 'requestId' in m && m.requestId === requestId);
    if (answer === undefined) throw new HarnessError(`RNDIS ${message.kind}: no response`);
    return answer;
  }

  /** A fresh RNDIS request id. */
  requestId(): number {
    return this.nextRequestId++;
  }

  /**
   * Runs netvsc's setup to a working adapter, in Linux's order (rule 19; L: netvsc_connect_vsp,
   * netvsc_init_buf, rndis_filter_device_add): {@link connect}, then RNDIS INITIALIZE, the MAC
   * and link queries and the packet filter. Throws a HarnessError naming the step the VSP got wrong.
   */
  initialize(): NetworkSetup {
    return { ...this.connect(), ...this.bringUpRndis() };
  }

  /**
   * netvsc's NVSP setup alone (rule 19; L: netvsc_connect_vsp, netvsc_init_buf): INIT (newest
   * version first), NDIS config and version, the receive and send buffers — and no RNDIS yet,
   * for a test of what the VSP does with frames sent before RNDIS INITIALIZE. Throws a
   * HarnessError naming the step the VSP got wrong.
   */
  connect(): NetworkConnection {
    this.agreeVersion();
    const receive = this.h.memory.createGpadl(
      this.channel.id,
      this.options.receiveBytes ?? DEFAULT_RECEIVE_BYTES,
    );
    const send = this.h.memory.createGpadl(
      this.channel.id,
      this.options.sendBytes ?? DEFAULT_SEND_BYTES,
    );
    this.receiveBuffer = receive;
    this.sendBuffer = send;
    const steps = netvscSetupSequence({
      protocolVersion: this.protocolVersion,
      mtu: this.options.mtu ?? 1500,
      receiveBufferGpadl: receive.handle,
      sendBufferGpadl: send.handle,
    }).slice(1); // INIT is done
    let receiveSectionSize = 0;
    let receiveSectionCount = 0;
    for (const step of steps) {
      const transId = this.nvsp(step.message, { completionRequested: step.expectsCompletion });
      this.h.settle();
      if (!step.expectsCompletion) continue;
      const m = this.completion(transId);
      if (m.kind === 'sendReceiveBufferComplete') {
        const check = checkReceiveBufferComplete(m, receive.range.byteCount);
        if (m.status !== NvspStatus.SUCCESS || !check.ok)
          throw new HarnessError(
            `SEND_RECV_BUF refused or answered badly: status ${m.status}${check.ok ? '' : `, ${check.detail}`}`,
          );
        receiveSectionSize = m.sections[0].subAllocationSize;
        receiveSectionCount = m.sections[0].numSubAllocations;
      } else if (m.kind === 'sendSendBufferComplete') {
        // L: netvsc_init_buf — a section size of 0 is invalid.
        if (m.status !== NvspStatus.SUCCESS || m.sectionSize === 0)
          throw new HarnessError(
            `SEND_SEND_BUF refused: status ${m.status}, section ${m.sectionSize}`,
          );
        this.sendSectionSize = m.sectionSize;
      } else {
        throw new HarnessError(`${step.message.kind} was completed with ${m.kind}`);
      }
    }
    return {
      protocolVersion: this.protocolVersion,
      receiveSectionSize,
      receiveSectionCount,
      sendSectionSize: this.sendSectionSize,
    };
  }

  /** NVSP INIT, one version at a time, newest first (L: negotiate_nvsp_ver). */
  private agreeVersion(): void {
    for (const v of this.options.versions ?? NETVSC_NVSP_VERSION_PREFERENCE) {
      const transId = this.nvsp({ kind: 'init', minProtocolVersion: v, maxProtocolVersion: v });
      this.h.settle();
      const m = this.completion(transId);
      if (m.kind !== 'initComplete') throw new HarnessError(`INIT was completed with ${m.kind}`);
      if (m.status === NvspStatus.SUCCESS) {
        this.protocolVersion = v;
        return;
      }
    }
    throw new HarnessError('the VSP accepted no NVSP version netvsc offers');
  }

  private bringUpRndis(): { mac: Uint8Array; linkUp: boolean } {
    const init = this.request({
      kind: 'initializeRequest',
      requestId: this.requestId(),
      majorVersion: RNDIS_MAJOR_VERSION,
      minorVersion: RNDIS_MINOR_VERSION,
      maxTransferSize: NETVSC_RNDIS_MAX_TRANSFER_SIZE,
    });
    if (init.kind !== 'initializeComplete' || init.status !== RndisStatus.SUCCESS)
      throw new HarnessError('RNDIS INITIALIZE failed');
    const query = (oid: number): RndisMessage =>
      this.request({
        kind: 'queryRequest',
        requestId: this.requestId(),
        oid,
        info: new Uint8Array(0),
        deviceVcHandle: 0,
      });
    const mac = query(RndisOid.IEEE_802_3_PERMANENT_ADDRESS);
    if (mac.kind !== 'queryComplete' || mac.status !== RndisStatus.SUCCESS || mac.info.length < 6)
      throw new HarnessError('the VSP gave no MAC address');
    const link = query(RndisOid.GEN_MEDIA_CONNECT_STATUS);
    const filter = this.request({
      kind: 'setRequest',
      requestId: this.requestId(),
      oid: RndisOid.GEN_CURRENT_PACKET_FILTER,
      info: Uint8Array.of(
        NdisPacketType.DIRECTED | NdisPacketType.MULTICAST | NdisPacketType.BROADCAST,
        0,
        0,
        0,
      ),
      deviceVcHandle: 0,
    });
    if (filter.kind !== 'setComplete' || filter.status !== RndisStatus.SUCCESS)
      throw new HarnessError('the VSP refused the packet filter');
    return {
      mac: mac.info.slice(0, 6),
      // NdisMediaStateConnected is 0.
      linkUp: link.kind === 'queryComplete' && link.info.length >= 4 && link.info[0] === 0,
    };
  }

  private codecOptions(): { protocolVersion: number } | undefined {
    return this.protocolVersion === 0 ? undefined : { protocolVersion: this.protocolVersion };
  }
}
