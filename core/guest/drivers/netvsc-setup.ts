/**
 * How netvsc brings a synthetic network adapter up (rule 19), in Linux's order
 * (L: netvsc.c netvsc_connect_vsp, negotiate_nvsp_ver, netvsc_init_buf; rndis_filter.c
 * rndis_filter_device_add):
 *
 * 1. NVSP INIT at the newest version, falling back version by version until the host accepts;
 * 2. SEND_NDIS_CONFIG (MTU, capabilities — Linux sends it before the NDIS version, as part of
 *    version negotiation), then SEND_NDIS_VERSION;
 * 3. the receive buffer: allocate 16 MiB, share it in a GPADL, SEND_RECEIVE_BUFFER → sections;
 * 4. the send buffer: 1 MiB, GPADL, SEND_SEND_BUFFER → the host's section size;
 * 5. RNDIS over the send path: INITIALIZE, QUERY the MAC, the link state and the RSS capabilities;
 * 6. vRSS: NVSP SUBCHANNEL asks for (channels − 1) subchannels, then waits until each opened or
 *    failed to (the adapter goes on with the channels it has);
 * 7. RNDIS SET of the packet filter — the adapter is up.
 *
 * This class decides; the driver sends (it owns rings, buffers and sections).
 */
import type { CostMeter } from '../../host/cpu.js';
import {
  checkReceiveBufferComplete,
  NdisPacketType,
  NETVSC_NVSP_VERSION_PREFERENCE,
  NETVSC_RNDIS_MAX_TRANSFER_SIZE,
  netvscChannelCount,
  netvscNdisVersion,
  netvscSubchannelRequest,
  NETVSC_RECEIVE_BUFFER_ID,
  NETVSC_SEND_BUFFER_ID,
  NvspProtocolVersion,
  NvspStatus,
  RNDIS_MAJOR_VERSION,
  RNDIS_MINOR_VERSION,
  RndisOid,
  RndisStatus,
  VRSS_CHANNEL_DEFAULT,
} from '../../protocols/index.js';
import type { NvspMessage, RndisMessage } from '../../protocols/index.js';
import { ETHERNET_HEADER_BYTES, ETHERNET_MTU } from './netvsc-frame.js';

/** Where the adapter stands. */
export type NetvscPhase =
  | 'connecting'
  | 'init'
  | 'receive-buffer'
  | 'send-buffer'
  | 'rndis'
  | 'subchannels'
  | 'ready'
  | 'failed'
  | 'dead';

/** trans_ids of netvsc's setup requests: above any data slot (whose ids are slot + 1). */
export const SetupTransId = {
  INIT: 0x1_0000_0001,
  RECEIVE_BUFFER: 0x1_0000_0002,
  SEND_BUFFER: 0x1_0000_0003,
  SUBCHANNEL: 0x1_0000_0004,
  SWITCH_DATA_PATH: 0x1_0000_0005,
} as const;

/** NDIS object header of the RSS capabilities (L: NDIS_OBJECT_TYPE_RSS_CAPABILITIES, revision 2). */
export const NDIS_OBJECT_TYPE_RSS_CAPABILITIES = 0x88;
export const NDIS_RSS_CAPS_REVISION_2 = 2;
/** `sizeof(struct ndis_recv_scale_cap)`: header 4, cap_flag, num_int_msg, num_recv_que, u16. */
export const NDIS_RSS_CAPS_SIZE = 18;

/** What the setup needs the driver to do. */
export interface NetvscSetupHost {
  readonly onlineCpus: number;
  /** Sends an NVSP message on the primary channel; `transId` 0: no completion wanted. */
  sendNvsp(message: NvspMessage, transId: number, meter: CostMeter): void;
  /** Sends an RNDIS control message through a send-buffer section. */
  sendRndis(message: RndisMessage, meter: CostMeter): void;
  /** Allocates and shares (GPADL) the receive or send buffer; false when it cannot. */
  shareBuffer(which: 'receive' | 'send', meter: CostMeter): boolean;
  /** Subchannels opened so far. */
  readonly subchannelsOpen: number;
  /** Subchannels that will never open (ring refused, open refused, rescinded before it). */
  readonly subchannelsFailed: number;
  setupDone(meter: CostMeter): void;
  fail(reason: string): void;
}

/** The RNDIS requests of the setup, in order. */
type RndisRequest = 'init' | 'mac' | 'link' | 'rss' | 'filter';

export class NetvscSetup {
  phase: NetvscPhase = 'connecting';
  protocolVersion = 0;
  private versionIndex = 0;
  /** Bytes and section size of the buffers, once the host accepted them. */
  receiveBufferBytes = 0;
  receiveSectionSize = 0;
  sendSectionSize = 0;
  receiveGpadl = -1;
  sendGpadl = -1;
  mac = new Uint8Array(6);
  linkUp = false;
  /** Receive queues the host offers (OID_GEN_RECEIVE_SCALE_CAPABILITIES), 1 without vRSS. */
  receiveQueues = 1;
  /** Subchannels the host allocated (NVSP SUBCHANNEL completion), -1 before the answer. */
  subchannelsAllocated = -1;
  private nextRequestId = 1;
  /** trans_id of the NVSP setup request awaiting its completion; 0 when none is. */
  private awaitingTransId = 0;
  private awaiting: RndisRequest = 'init';
  private awaitingId = 0;

  constructor(private readonly host: NetvscSetupHost) {}

  /** The primary channel is open: NVSP INIT at the newest version (L: netvsc_connect_vsp). */
  start(meter: CostMeter): void {
    this.phase = 'init';
    this.sendInit(meter);
  }

  private sendInit(meter: CostMeter): void {
    const v = NETVSC_NVSP_VERSION_PREFERENCE[this.versionIndex];
    this.sendRequest(
      { kind: 'init', minProtocolVersion: v, maxProtocolVersion: v },
      SetupTransId.INIT,
      meter,
    );
  }

  /** Sends a setup request whose completion the setup then waits for (and no other). */
  private sendRequest(message: NvspMessage, transId: number, meter: CostMeter): void {
    this.awaitingTransId = transId;
    this.host.sendNvsp(message, transId, meter);
  }

  /**
   * A completion with a setup trans_id arrived. False when it answers no setup request in
   * progress — a step already answered, one not asked yet, an id netvsc never uses: the driver
   * drops it as stray (L: netvsc_send_completion, `vmbus_request_addr` → VMBUS_RQST_ERROR →
   * "Invalid transaction ID"), and the setup waits on.
   */
  onCompletion(transId: number, message: NvspMessage | null, meter: CostMeter): boolean {
    if (transId === 0 || transId !== this.awaitingTransId) return false;
    this.awaitingTransId = 0;
    // Its answer could not be read: the step is not done, and nothing else will answer it.
    if (message === null) return true;
    if (transId === SetupTransId.INIT && this.phase === 'init') this.onInitComplete(message, meter);
    else if (transId === SetupTransId.RECEIVE_BUFFER && this.phase === 'receive-buffer')
      this.onReceiveBufferComplete(message, meter);
    else if (transId === SetupTransId.SEND_BUFFER && this.phase === 'send-buffer')
      this.onSendBufferComplete(message, meter);
    else if (transId === SetupTransId.SUBCHANNEL && this.phase === 'subchannels')
      this.onSubchannelComplete(message, meter);
    return true;
  }

  private onInitComplete(m: NvspMessage, meter: CostMeter): void {
    if (m.kind !== 'initComplete') return;
    if (m.status !== NvspStatus.SUCCESS) {
      // negotiate_nvsp_ver: try the next older version.
      this.versionIndex++;
      if (this.versionIndex >= NETVSC_NVSP_VERSION_PREFERENCE.length) {
        this.fail('the host accepts no NVSP version netvsc knows');
        return;
      }
      this.sendInit(meter);
      return;
    }
    const v = NETVSC_NVSP_VERSION_PREFERENCE[this.versionIndex];
    this.protocolVersion = v;
    if (v !== NvspProtocolVersion.V1) {
      const v5 = v >= NvspProtocolVersion.V5;
      this.host.sendNvsp(
        {
          kind: 'sendNdisConfig',
          mtu: ETHERNET_MTU + ETHERNET_HEADER_BYTES,
          capabilities: {
            vmq: false,
            chimney: false,
            sriov: v5,
            ieee8021q: true,
            correlationId: false,
            teaming: v5,
            virtualSubnetId: false,
            rsc: v >= NvspProtocolVersion.V61,
          },
        },
        0,
        meter,
      );
    }
    const ndis = netvscNdisVersion(v);
    this.host.sendNvsp(
      { kind: 'sendNdisVersion', ndisMajorVersion: ndis.major, ndisMinorVersion: ndis.minor },
      0,
      meter,
    );
    this.phase = 'receive-buffer';
    if (!this.host.shareBuffer('receive', meter))
      this.fail('the guest could not allocate the receive buffer');
  }

  /** The host answered a buffer's GPADL. */
  onBufferShared(which: 'receive' | 'send', gpadl: number, ok: boolean, meter: CostMeter): void {
    if (!ok) {
      this.fail(`the host refused the ${which} buffer's GPADL`);
      return;
    }
    if (which === 'receive' && this.phase === 'receive-buffer') {
      this.receiveGpadl = gpadl;
      this.sendRequest(
        { kind: 'sendReceiveBuffer', gpadlHandle: gpadl, id: NETVSC_RECEIVE_BUFFER_ID },
        SetupTransId.RECEIVE_BUFFER,
        meter,
      );
    } else if (which === 'send' && this.phase === 'send-buffer') {
      this.sendGpadl = gpadl;
      this.sendRequest(
        { kind: 'sendSendBuffer', gpadlHandle: gpadl, id: NETVSC_SEND_BUFFER_ID },
        SetupTransId.SEND_BUFFER,
        meter,
      );
    }
  }

  private onReceiveBufferComplete(m: NvspMessage, meter: CostMeter): void {
    if (m.kind !== 'sendReceiveBufferComplete' || m.status !== NvspStatus.SUCCESS) {
      this.fail('the host refused the receive buffer');
      return;
    }
    const check = checkReceiveBufferComplete(m, this.receiveBufferBytes);
    if (!check.ok) {
      this.fail(`bad receive buffer sections: ${check.detail}`);
      return;
    }
    this.receiveSectionSize = m.sections[0].subAllocationSize;
    this.phase = 'send-buffer';
    if (!this.host.shareBuffer('send', meter))
      this.fail('the guest could not allocate the send buffer');
  }

  private onSendBufferComplete(m: NvspMessage, meter: CostMeter): void {
    if (m.kind !== 'sendSendBufferComplete' || m.status !== NvspStatus.SUCCESS) {
      this.fail('the host refused the send buffer');
      return;
    }
    // L: netvsc_init_buf — a section size of 0 is invalid.
    if (m.sectionSize === 0) {
      this.fail('the host announced send sections of 0 bytes');
      return;
    }
    this.sendSectionSize = m.sectionSize;
    this.phase = 'rndis';
    this.request('init', meter);
  }

  private request(what: RndisRequest, meter: CostMeter): void {
    const requestId = this.nextRequestId++;
    this.awaiting = what;
    this.awaitingId = requestId;
    const query = (oid: number, info = new Uint8Array(0)): RndisMessage => ({
      kind: 'queryRequest',
      requestId,
      oid,
      info,
      deviceVcHandle: 0,
    });
    switch (what) {
      case 'init':
        this.host.sendRndis(
          {
            kind: 'initializeRequest',
            requestId,
            majorVersion: RNDIS_MAJOR_VERSION,
            minorVersion: RNDIS_MINOR_VERSION,
            maxTransferSize: NETVSC_RNDIS_MAX_TRANSFER_SIZE,
          },
          meter,
        );
        return;
      case 'mac':
        this.host.sendRndis(query(RndisOid.IEEE_802_3_PERMANENT_ADDRESS), meter);
        return;
      case 'link':
        this.host.sendRndis(query(RndisOid.GEN_MEDIA_CONNECT_STATUS), meter);
        return;
      case 'rss': {
        // L: rndis_filter_query_device — the caps query carries the object header.
        const info = new Uint8Array(NDIS_RSS_CAPS_SIZE);
        info[0] = NDIS_OBJECT_TYPE_RSS_CAPABILITIES;
        info[1] = NDIS_RSS_CAPS_REVISION_2;
        info[2] = NDIS_RSS_CAPS_SIZE;
        this.host.sendRndis(query(RndisOid.GEN_RECEIVE_SCALE_CAPABILITIES, info), meter);
        return;
      }
      case 'filter': {
        const filter =
          NdisPacketType.DIRECTED | NdisPacketType.MULTICAST | NdisPacketType.BROADCAST;
        this.host.sendRndis(
          {
            kind: 'setRequest',
            requestId,
            oid: RndisOid.GEN_CURRENT_PACKET_FILTER,
            info: Uint8Array.of(filter, 0, 0, 0),
            deviceVcHandle: 0,
          },
          meter,
        );
        return;
      }
    }
  }

  /** An RNDIS control response arrived through the receive buffer. */
  onRndis(m: RndisMessage, meter: CostMeter): void {
    if (this.phase !== 'rndis' && this.phase !== 'subchannels') return;
    if (!('requestId' in m) || m.requestId !== this.awaitingId) return;
    const status = 'status' in m ? m.status : RndisStatus.FAILURE;
    switch (this.awaiting) {
      case 'init':
        if (m.kind !== 'initializeComplete' || status !== RndisStatus.SUCCESS) {
          this.fail('RNDIS INITIALIZE failed');
          return;
        }
        this.request('mac', meter);
        return;
      case 'mac':
        if (m.kind !== 'queryComplete' || status !== RndisStatus.SUCCESS || m.info.length < 6) {
          this.fail('the host gave no MAC address');
          return;
        }
        this.mac = m.info.slice(0, 6);
        this.request('link', meter);
        return;
      case 'link':
        this.linkUp = m.kind === 'queryComplete' && m.info.length >= 4 && m.info[0] === 0;
        this.request('rss', meter);
        return;
      case 'rss':
        // No vRSS answer: one channel (L: rndis_filter_device_add falls back to 1).
        this.receiveQueues =
          m.kind === 'queryComplete' && status === RndisStatus.SUCCESS && m.info.length >= 16
            ? Math.max(1, readU32(m.info, 12))
            : 1;
        this.askForSubchannels(meter);
        return;
      case 'filter':
        if (m.kind !== 'setComplete' || status !== RndisStatus.SUCCESS) {
          this.fail('the host refused the packet filter');
          return;
        }
        this.phase = 'ready';
        this.host.setupDone(meter);
        return;
    }
  }

  /** Channels netvsc wants: default 8, bounded by its CPUs and the host's queues (rule 19). */
  get channelsWanted(): number {
    return netvscChannelCount({
      onlineCpus: this.host.onlineCpus,
      hostReceiveQueues: this.receiveQueues,
      requested: VRSS_CHANNEL_DEFAULT,
    });
  }

  private askForSubchannels(meter: CostMeter): void {
    const channels = this.channelsWanted;
    if (channels <= 1 || this.protocolVersion < NvspProtocolVersion.V5) {
      this.subchannelsAllocated = 0;
      this.request('filter', meter);
      return;
    }
    this.phase = 'subchannels';
    this.sendRequest(netvscSubchannelRequest(channels), SetupTransId.SUBCHANNEL, meter);
  }

  private onSubchannelComplete(m: NvspMessage, meter: CostMeter): void {
    if (m.kind !== 'subchannelComplete' || m.status !== NvspStatus.SUCCESS) {
      this.subchannelsAllocated = 0;
    } else {
      // L: "netvsc: Validate number of allocated sub-channels" — never more than asked for.
      this.subchannelsAllocated = Math.min(m.numSubChannels, this.channelsWanted - 1);
    }
    this.subchannelOpened(meter);
  }

  /**
   * A subchannel opened or failed to (or the allocation was answered): go on once each allocated
   * subchannel has done one or the other. L: rndis_set_subchannel waits for open_chn == num_chn,
   * and netvsc_sc_open counts a subchannel whose vmbus_open failed as well ("sub channel open
   * failed"): one refused ring costs the adapter a queue, not the adapter.
   */
  subchannelOpened(meter: CostMeter): void {
    if (this.phase !== 'subchannels' || this.subchannelsAllocated < 0) return;
    const settled = this.host.subchannelsOpen + this.host.subchannelsFailed;
    if (settled < this.subchannelsAllocated) return;
    this.phase = 'rndis';
    this.request('filter', meter);
  }

  private fail(reason: string): void {
    this.phase = 'failed';
    this.host.fail(reason);
  }
}

function readU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
