/**
 * netvsp's answers to the guest's RNDIS control messages (INITIALIZE, QUERY, SET, HALT), which
 * netvsc sends through a send-buffer section with channel type CONTROL. The answer goes back
 * through the receive buffer like a frame would (L: rndis_filter.c rndis_filter_receive_response).
 * Only the OIDs netvsc uses are answered; others get RNDIS_STATUS_NOT_SUPPORTED. Buffers are
 * bounded: an info buffer of the wrong size is INVALID_LENGTH, never trusted.
 */
import {
  RNDIS_DF_CONNECTIONLESS,
  RNDIS_MAJOR_VERSION,
  RNDIS_MAX_PKT_DEFAULT,
  RNDIS_MEDIUM_802_3,
  RNDIS_MINOR_VERSION,
  RndisOid,
  RndisStatus,
} from '../../core/protocols/index.js';
import type { RndisMessage } from '../../core/protocols/index.js';

// estimate: Hyper-V does not publish what its INITIALIZE_COMPLETE carries. These answers mirror
// what netvsc asks for and assumes: it requests max_xfer_size 0x4000 (L: rndis_filter.c
// rndis_filter_init_device) and starts from 8 packets per message, 8-byte alignment
// (L: hyperv_net.h RNDIS_MAX_PKT_DEFAULT, RNDIS_PKT_ALIGN_DEFAULT) until the host's answer
// replaces them (`pkt_align = 1 << pkt_alignment_factor`).
/** The host's largest RNDIS transfer, bytes (see the estimate above). */
export const NETVSP_RNDIS_MAX_TRANSFER = 0x4000;
/** Packet alignment as a power of two: 2^3 = 8 bytes (see the estimate above). */
export const NETVSP_RNDIS_ALIGNMENT_FACTOR = 3;
/** L: NDIS_OBJECT_TYPE_RSS_CAPABILITIES, NDIS_RECEIVE_SCALE_CAPABILITIES_REVISION_2. */
const NDIS_OBJECT_TYPE_RSS_CAPABILITIES = 0x88;
const NDIS_RSS_CAPS_REVISION_2 = 2;
const NDIS_RSS_CAPS_SIZE = 18;
/** L: NDIS_RSS_CAPS_MESSAGE_SIGNALED_INTERRUPTS | hash types TCP IPv4, IPv6, IPv6 EX. */
const NDIS_RSS_CAPS_FLAGS = 0x0100_0000 | 0x0000_0700;
/** L: ITAB_NUM — entries of the receive indirection table. */
const ITAB_NUM = 128;
/** NdisMediaStateConnected. */
const MEDIA_CONNECTED = 0;

/** What the answers depend on. */
export interface RndisAdapterFacts {
  readonly mac: Uint8Array;
  /** Link speed of the NIC behind the switch, Gbit/s. */
  readonly linkGbps: number;
  readonly mtu: number;
  /** Receive queues offered for vRSS. */
  readonly receiveQueues: number;
}

/** The outcome of one control message: the answer (if any) and a SET of the packet filter. */
export interface RndisControlOutcome {
  readonly response: RndisMessage | null;
  /** The packet filter the guest set, when this was OID_GEN_CURRENT_PACKET_FILTER. */
  readonly packetFilter?: number;
  readonly initialized?: boolean;
}

function u32(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value >>> 0, true);
  return b;
}

function rssCapabilities(queues: number): Uint8Array {
  const b = new Uint8Array(NDIS_RSS_CAPS_SIZE);
  const v = new DataView(b.buffer);
  v.setUint8(0, NDIS_OBJECT_TYPE_RSS_CAPABILITIES);
  v.setUint8(1, NDIS_RSS_CAPS_REVISION_2);
  v.setUint16(2, NDIS_RSS_CAPS_SIZE, true);
  v.setUint32(4, NDIS_RSS_CAPS_FLAGS, true);
  v.setUint32(8, queues, true);
  v.setUint32(12, queues, true);
  v.setUint16(16, ITAB_NUM, true);
  return b;
}

function query(requestId: number, oid: number, facts: RndisAdapterFacts): RndisMessage {
  const ok = (info: Uint8Array): RndisMessage => ({
    kind: 'queryComplete',
    requestId,
    status: RndisStatus.SUCCESS,
    info,
  });
  switch (oid) {
    case RndisOid.IEEE_802_3_PERMANENT_ADDRESS:
    case RndisOid.IEEE_802_3_CURRENT_ADDRESS:
      return ok(facts.mac.slice());
    case RndisOid.GEN_MEDIA_CONNECT_STATUS:
      return ok(u32(MEDIA_CONNECTED));
    case RndisOid.GEN_LINK_SPEED:
      // In units of 100 bit/s.
      return ok(u32(Math.min(0xffff_ffff, Math.round(facts.linkGbps * 1e7))));
    case RndisOid.GEN_MAXIMUM_FRAME_SIZE:
      return ok(u32(facts.mtu));
    case RndisOid.GEN_RECEIVE_SCALE_CAPABILITIES:
      return ok(rssCapabilities(facts.receiveQueues));
    default:
      return {
        kind: 'queryComplete',
        requestId,
        status: RndisStatus.NOT_SUPPORTED,
        info: new Uint8Array(0),
      };
  }
}

/** Answers one RNDIS control message from the guest. */
export function answerRndisControl(
  message: RndisMessage,
  facts: RndisAdapterFacts,
): RndisControlOutcome {
  switch (message.kind) {
    case 'initializeRequest': {
      const supported = message.majorVersion === RNDIS_MAJOR_VERSION;
      return {
        initialized: supported,
        response: {
          kind: 'initializeComplete',
          requestId: message.requestId,
          status: supported ? RndisStatus.SUCCESS : RndisStatus.NOT_SUPPORTED,
          majorVersion: RNDIS_MAJOR_VERSION,
          minorVersion: RNDIS_MINOR_VERSION,
          deviceFlags: RNDIS_DF_CONNECTIONLESS,
          medium: RNDIS_MEDIUM_802_3,
          maxPacketsPerMessage: RNDIS_MAX_PKT_DEFAULT,
          maxTransferSize: NETVSP_RNDIS_MAX_TRANSFER,
          packetAlignmentFactor: NETVSP_RNDIS_ALIGNMENT_FACTOR,
        },
      };
    }
    case 'queryRequest':
      return { response: query(message.requestId, message.oid, facts) };
    case 'setRequest': {
      const reply = (status: number): RndisMessage => ({
        kind: 'setComplete',
        requestId: message.requestId,
        status,
      });
      switch (message.oid) {
        case RndisOid.GEN_CURRENT_PACKET_FILTER: {
          if (message.info.length !== 4) return { response: reply(RndisStatus.INVALID_LENGTH) };
          const filter = new DataView(message.info.buffer, message.info.byteOffset, 4).getUint32(
            0,
            true,
          );
          return { response: reply(RndisStatus.SUCCESS), packetFilter: filter };
        }
        case RndisOid.GEN_RECEIVE_SCALE_PARAMETERS:
        case RndisOid.TCP_OFFLOAD_PARAMETERS:
        case RndisOid.GEN_RNDIS_CONFIG_PARAMETER:
          return { response: reply(RndisStatus.SUCCESS) };
        default:
          return { response: reply(RndisStatus.NOT_SUPPORTED) };
      }
    }
    case 'halt':
      return { response: null, initialized: false };
    default:
      // Completions and status indications are the host's to send, not the guest's.
      return { response: null };
  }
}
