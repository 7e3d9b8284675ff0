import {
  badWindow,
  checkTarget,
  checkU16,
  checkU32,
  encodeFail,
  truncated,
} from '../codec/bounds.js';
import { readU16, readU32, writeU16, writeU32, zero } from '../codec/le.js';
import { decoded, rejected } from '../codec/result.js';
import type { DecodeFailure, DecodeResult } from '../codec/result.js';
import {
  NVSP_61_MESSAGE_SIZE,
  NVSP_MESSAGE_HEADER_SIZE,
  NVSP_MESSAGE_TYPE_MAX,
  NVSP_RECEIVE_BUFFER_SECTION_SIZE,
  NvspDataPath,
  NvspMessageType,
  NvspProtocolVersion,
  NvspSubchannelOperation,
  RndisChannelType,
  nvspMessageSize,
} from './constants.js';

/**
 * `struct nvsp_message` (L: hyperv_net.h; O: netvsp protocol.rs): a u32 `msg_type` then the
 * member of `union nvsp_all_messages` it selects, little-endian and packed. Offsets below are
 * from the start of the message.
 */

/** `struct nvsp_1_receive_buffer_section` (16 bytes). */
export interface ReceiveBufferSection {
  readonly offset: number;
  readonly subAllocationSize: number;
  readonly numSubAllocations: number;
  readonly endOffset: number;
}

/** `struct nvsp_2_vsc_capability` bits the guest announces in SEND_NDIS_CONFIG. */
export interface NdisConfigCapabilities {
  readonly vmq: boolean;
  readonly chimney: boolean;
  readonly sriov: boolean;
  readonly ieee8021q: boolean;
  readonly correlationId: boolean;
  readonly teaming: boolean;
  readonly virtualSubnetId: boolean;
  /** RSC over VMBus (NVSP 6.1). */
  readonly rsc: boolean;
}

/** Every NVSP message netvsc and netvsp exchange during setup and on the data path. */
export type NvspMessage =
  /** @4 min_protocol_ver, @8 max_protocol_ver (netvsc sends the same value twice). */
  | {
      readonly kind: 'init';
      readonly minProtocolVersion: number;
      readonly maxProtocolVersion: number;
    }
  /** @4 negotiated_protocol_ver (deprecated), @8 max_mdl_chain_len, @12 status. */
  | {
      readonly kind: 'initComplete';
      readonly negotiatedProtocolVersion: number;
      readonly maxMdlChainLength: number;
      readonly status: number;
    }
  /** @4 ndis_major_ver, @8 ndis_minor_ver. */
  | {
      readonly kind: 'sendNdisVersion';
      readonly ndisMajorVersion: number;
      readonly ndisMinorVersion: number;
    }
  /** @4 gpadl_handle, @8 id (u16). */
  | { readonly kind: 'sendReceiveBuffer'; readonly gpadlHandle: number; readonly id: number }
  /** @4 status, @8 num_sections, @12 sections[] (16 bytes each). */
  | {
      readonly kind: 'sendReceiveBufferComplete';
      readonly status: number;
      readonly sections: readonly ReceiveBufferSection[];
    }
  /** @4 id (u16). */
  | { readonly kind: 'revokeReceiveBuffer'; readonly id: number }
  /** @4 gpadl_handle, @8 id (u16). */
  | { readonly kind: 'sendSendBuffer'; readonly gpadlHandle: number; readonly id: number }
  /** @4 status, @8 section_size (the host picks the section size). */
  | {
      readonly kind: 'sendSendBufferComplete';
      readonly status: number;
      readonly sectionSize: number;
    }
  /** @4 id (u16). */
  | { readonly kind: 'revokeSendBuffer'; readonly id: number }
  /**
   * @4 channel_type (0 data, 1 control), @8 send_buf_section_index (0xFFFFFFFF = GPA-direct),
   * @12 send_buf_section_size.
   */
  | {
      readonly kind: 'sendRndisPacket';
      readonly channelType: number;
      readonly sendBufferSectionIndex: number;
      readonly sendBufferSectionSize: number;
    }
  /** @4 status. */
  | { readonly kind: 'sendRndisPacketComplete'; readonly status: number }
  /** @4 mtu, @8 reserved, @12 capability (u64 bit field). */
  | {
      readonly kind: 'sendNdisConfig';
      readonly mtu: number;
      readonly capabilities: NdisConfigCapabilities;
    }
  /** @4 allocated (0/1), @8 serial. */
  | { readonly kind: 'sendVfAssociation'; readonly allocated: boolean; readonly serial: number }
  /** @4 active_datapath (0 synthetic, 1 VF). */
  | { readonly kind: 'switchDataPath'; readonly activeDataPath: number }
  /** @4 op (1 = allocate), @8 num_subchannels. */
  | {
      readonly kind: 'subchannelRequest';
      readonly operation: number;
      readonly numSubChannels: number;
    }
  /** Same type code, sent as the completion: @4 status, @8 num_subchannels allocated. */
  | {
      readonly kind: 'subchannelComplete';
      readonly status: number;
      readonly numSubChannels: number;
    }
  /** @4 count, @8 offset (from the message start) of `count` u32 channel numbers. */
  | { readonly kind: 'sendIndirectionTable'; readonly table: readonly number[] };

/** Options for the NVSP codecs. */
export interface NvspCodecOptions {
  /** Negotiated NVSP version: sets the padded message size (40 from 6.1, else 28). Default 6.1. */
  readonly protocolVersion?: number;
}

/** Decoder options: message type 133 means a request or a completion depending on direction. */
export interface NvspDecodeOptions {
  /** Read the message as the payload of a VMBus completion packet. */
  readonly completion?: boolean;
}

const CAPABILITY_BITS: readonly (keyof NdisConfigCapabilities)[] = [
  'vmq',
  'chimney',
  'sriov',
  'ieee8021q',
  'correlationId',
  'teaming',
  'virtualSubnetId',
  'rsc',
];

/** Where the indirection table goes: after a full v6.1 message (O: NVSP_SEND_INDIRECTION_TABLE_MESSAGE). */
const INDIRECTION_TABLE_OFFSET = NVSP_61_MESSAGE_SIZE;

function bodySize(m: NvspMessage): number {
  switch (m.kind) {
    case 'sendReceiveBufferComplete':
      return 8 + NVSP_RECEIVE_BUFFER_SECTION_SIZE * m.sections.length;
    case 'sendIndirectionTable':
      return INDIRECTION_TABLE_OFFSET - NVSP_MESSAGE_HEADER_SIZE + 4 * m.table.length;
    default:
      return 12; // every other member fits in the legacy union
  }
}

/** Bytes {@link encodeNvspMessage} writes for `message`. */
export function nvspEncodedSize(message: NvspMessage, options?: NvspCodecOptions): number {
  const padded = nvspMessageSize(options?.protocolVersion ?? NvspProtocolVersion.V61);
  return Math.max(padded, NVSP_MESSAGE_HEADER_SIZE + bodySize(message));
}

function typeOf(m: NvspMessage): number {
  switch (m.kind) {
    case 'init':
      return NvspMessageType.INIT;
    case 'initComplete':
      return NvspMessageType.INIT_COMPLETE;
    case 'sendNdisVersion':
      return NvspMessageType.SEND_NDIS_VERSION;
    case 'sendReceiveBuffer':
      return NvspMessageType.SEND_RECEIVE_BUFFER;
    case 'sendReceiveBufferComplete':
      return NvspMessageType.SEND_RECEIVE_BUFFER_COMPLETE;
    case 'revokeReceiveBuffer':
      return NvspMessageType.REVOKE_RECEIVE_BUFFER;
    case 'sendSendBuffer':
      return NvspMessageType.SEND_SEND_BUFFER;
    case 'sendSendBufferComplete':
      return NvspMessageType.SEND_SEND_BUFFER_COMPLETE;
    case 'revokeSendBuffer':
      return NvspMessageType.REVOKE_SEND_BUFFER;
    case 'sendRndisPacket':
      return NvspMessageType.SEND_RNDIS_PACKET;
    case 'sendRndisPacketComplete':
      return NvspMessageType.SEND_RNDIS_PACKET_COMPLETE;
    case 'sendNdisConfig':
      return NvspMessageType.SEND_NDIS_CONFIG;
    case 'sendVfAssociation':
      return NvspMessageType.SEND_VF_ASSOCIATION;
    case 'switchDataPath':
      return NvspMessageType.SWITCH_DATA_PATH;
    case 'subchannelRequest':
    case 'subchannelComplete':
      return NvspMessageType.SUBCHANNEL;
    case 'sendIndirectionTable':
      return NvspMessageType.SEND_INDIRECTION_TABLE;
    default:
      return encodeFail('nvsp.kind', 'unknown message kind');
  }
}

function writeBody(t: Uint8Array, o: number, m: NvspMessage): void {
  switch (m.kind) {
    case 'init':
      writeU32(t, o + 4, checkU32(m.minProtocolVersion, 'init.min_protocol_ver'));
      writeU32(t, o + 8, checkU32(m.maxProtocolVersion, 'init.max_protocol_ver'));
      return;
    case 'initComplete':
      writeU32(t, o + 4, checkU32(m.negotiatedProtocolVersion, 'init_complete.negotiated'));
      writeU32(t, o + 8, checkU32(m.maxMdlChainLength, 'init_complete.max_mdl_chain_len'));
      writeU32(t, o + 12, checkU32(m.status, 'init_complete.status'));
      return;
    case 'sendNdisVersion':
      writeU32(t, o + 4, checkU32(m.ndisMajorVersion, 'send_ndis_ver.major'));
      writeU32(t, o + 8, checkU32(m.ndisMinorVersion, 'send_ndis_ver.minor'));
      return;
    case 'sendReceiveBuffer':
    case 'sendSendBuffer':
      writeU32(t, o + 4, checkU32(m.gpadlHandle, `${m.kind}.gpadl_handle`));
      writeU16(t, o + 8, checkU16(m.id, `${m.kind}.id`));
      return;
    case 'sendReceiveBufferComplete': {
      writeU32(t, o + 4, checkU32(m.status, 'recv_buf_complete.status'));
      writeU32(t, o + 8, m.sections.length);
      let s = o + 12;
      for (const section of m.sections) {
        writeU32(t, s, checkU32(section.offset, 'section.offset'));
        writeU32(t, s + 4, checkU32(section.subAllocationSize, 'section.sub_alloc_size'));
        writeU32(t, s + 8, checkU32(section.numSubAllocations, 'section.num_sub_allocs'));
        writeU32(t, s + 12, checkU32(section.endOffset, 'section.end_offset'));
        s += NVSP_RECEIVE_BUFFER_SECTION_SIZE;
      }
      return;
    }
    case 'revokeReceiveBuffer':
    case 'revokeSendBuffer':
      writeU16(t, o + 4, checkU16(m.id, `${m.kind}.id`));
      return;
    case 'sendSendBufferComplete':
      writeU32(t, o + 4, checkU32(m.status, 'send_buf_complete.status'));
      writeU32(t, o + 8, checkU32(m.sectionSize, 'send_buf_complete.section_size'));
      return;
    case 'sendRndisPacket':
      if (m.channelType !== RndisChannelType.DATA && m.channelType !== RndisChannelType.CONTROL) {
        encodeFail('send_rndis_pkt.channel_type', 'data (0) or control (1)');
      }
      writeU32(t, o + 4, m.channelType);
      writeU32(t, o + 8, checkU32(m.sendBufferSectionIndex, 'send_rndis_pkt.section_index'));
      writeU32(t, o + 12, checkU32(m.sendBufferSectionSize, 'send_rndis_pkt.section_size'));
      return;
    case 'sendRndisPacketComplete':
      writeU32(t, o + 4, checkU32(m.status, 'send_rndis_pkt_complete.status'));
      return;
    case 'sendNdisConfig': {
      writeU32(t, o + 4, checkU32(m.mtu, 'send_ndis_config.mtu'));
      let bits = 0;
      CAPABILITY_BITS.forEach((name, bit) => {
        if (m.capabilities[name]) bits |= 1 << bit;
      });
      t[o + 12] = bits;
      return;
    }
    case 'sendVfAssociation':
      writeU32(t, o + 4, m.allocated ? 1 : 0);
      writeU32(t, o + 8, checkU32(m.serial, 'vf_assoc.serial'));
      return;
    case 'switchDataPath':
      if (m.activeDataPath !== NvspDataPath.SYNTHETIC && m.activeDataPath !== NvspDataPath.VF) {
        encodeFail('active_dp.active_datapath', 'synthetic (0) or VF (1)');
      }
      writeU32(t, o + 4, m.activeDataPath);
      return;
    case 'subchannelRequest':
      writeU32(t, o + 4, checkU32(m.operation, 'subchn_req.op'));
      writeU32(t, o + 8, checkU32(m.numSubChannels, 'subchn_req.num_subchannels'));
      return;
    case 'subchannelComplete':
      writeU32(t, o + 4, checkU32(m.status, 'subchn_comp.status'));
      writeU32(t, o + 8, checkU32(m.numSubChannels, 'subchn_comp.num_subchannels'));
      return;
    case 'sendIndirectionTable': {
      writeU32(t, o + 4, m.table.length);
      writeU32(t, o + 8, INDIRECTION_TABLE_OFFSET);
      let s = o + INDIRECTION_TABLE_OFFSET;
      for (const channel of m.table) {
        writeU32(t, s, checkU32(channel, 'send_table.entry'));
        s += 4;
      }
      return;
    }
  }
}

/**
 * Encodes an NVSP message, zero-padded to the size the negotiated version expects (40 bytes
 * from 6.1, 28 before; larger when sections or a table follow). Returns the bytes written.
 *
 * @example
 * encodeNvspMessage({ kind: 'init', minProtocolVersion: 0x60001, maxProtocolVersion: 0x60001 }, buf, 0);
 */
export function encodeNvspMessage(
  message: NvspMessage,
  target: Uint8Array,
  offset: number,
  options?: NvspCodecOptions,
): number {
  const size = nvspEncodedSize(message, options);
  checkTarget(target, offset, size, 'nvsp_message');
  zero(target, offset, offset + size);
  writeU32(target, offset, typeOf(message));
  writeBody(target, offset, message);
  return size;
}

function need(length: number, bytes: number, what: string): DecodeFailure | undefined {
  return length < bytes ? truncated(what, bytes, length) : undefined;
}

function decodeSections(b: Uint8Array, o: number, length: number): DecodeResult<NvspMessage> {
  const count = readU32(b, o + 8);
  if (count > (length - 12) / NVSP_RECEIVE_BUFFER_SECTION_SIZE) {
    return rejected('count-out-of-range', 'count.notFit', {
      counted: 'num_sections',
      count,
      bytes: length,
      payload: false,
    });
  }
  const sections: ReceiveBufferSection[] = [];
  for (let i = 0, s = o + 12; i < count; i++, s += NVSP_RECEIVE_BUFFER_SECTION_SIZE) {
    sections.push({
      offset: readU32(b, s),
      subAllocationSize: readU32(b, s + 4),
      numSubAllocations: readU32(b, s + 8),
      endOffset: readU32(b, s + 12),
    });
  }
  return decoded({ kind: 'sendReceiveBufferComplete', status: readU32(b, o + 4), sections });
}

function decodeIndirectionTable(
  b: Uint8Array,
  o: number,
  length: number,
): DecodeResult<NvspMessage> {
  const count = readU32(b, o + 4);
  const tableOffset = readU32(b, o + 8);
  if (tableOffset < 12 || tableOffset > length) {
    return rejected('offset-out-of-range', 'field.outside', {
      field: 'send table offset',
      value: tableOffset,
      min: 12,
      max: length,
    });
  }
  if (count > (length - tableOffset) / 4) {
    return rejected('count-out-of-range', 'nvsp.tableEntries', { count, offset: tableOffset });
  }
  const table: number[] = [];
  for (let i = 0; i < count; i++) table.push(readU32(b, o + tableOffset + 4 * i));
  return decoded({ kind: 'sendIndirectionTable', table });
}

function capabilitiesFrom(bits: number): NdisConfigCapabilities {
  return {
    vmq: (bits & 0x01) !== 0,
    chimney: (bits & 0x02) !== 0,
    sriov: (bits & 0x04) !== 0,
    ieee8021q: (bits & 0x08) !== 0,
    correlationId: (bits & 0x10) !== 0,
    teaming: (bits & 0x20) !== 0,
    virtualSubnetId: (bits & 0x40) !== 0,
    rsc: (bits & 0x80) !== 0,
  };
}

/** A field selecting behaviour that must be one of `allowed`. */
function choice(
  value: number,
  allowed: readonly number[],
  field: string,
): DecodeFailure | undefined {
  return allowed.includes(value)
    ? undefined
    : rejected('reserved-value', 'field.undefined', { field, value });
}

/**
 * Decodes an NVSP message. Rejects truncated messages, types no version defines
 * (`unknown-type`), defined types this model does not carry (chimney, OID_QUERY_EX,
 * PacketDirect: `unsupported-type`), counts and offsets that run past the message, and
 * undefined values in fields that select behaviour (channel type, data path, subchannel op,
 * VF allocated). `options.completion` reads type 133 as the subchannel completion.
 * @example
 * const r = decodeNvspMessage(payload, 0, payload.length, { completion: desc.type === 0xb });
 */
export function decodeNvspMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
  options?: NvspDecodeOptions,
): DecodeResult<NvspMessage> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  const short = need(length, NVSP_MESSAGE_HEADER_SIZE, 'nvsp_message_header');
  if (short !== undefined) return short;
  const b = bytes;
  const o = offset;
  const type = readU32(b, o);
  switch (type) {
    case NvspMessageType.INIT:
      return (
        need(length, 12, 'INIT') ??
        decoded({
          kind: 'init',
          minProtocolVersion: readU32(b, o + 4),
          maxProtocolVersion: readU32(b, o + 8),
        })
      );
    case NvspMessageType.INIT_COMPLETE:
      return (
        need(length, 16, 'INIT_COMPLETE') ??
        decoded({
          kind: 'initComplete',
          negotiatedProtocolVersion: readU32(b, o + 4),
          maxMdlChainLength: readU32(b, o + 8),
          status: readU32(b, o + 12),
        })
      );
    case NvspMessageType.SEND_NDIS_VERSION:
      return (
        need(length, 12, 'SEND_NDIS_VER') ??
        decoded({
          kind: 'sendNdisVersion',
          ndisMajorVersion: readU32(b, o + 4),
          ndisMinorVersion: readU32(b, o + 8),
        })
      );
    case NvspMessageType.SEND_RECEIVE_BUFFER:
    case NvspMessageType.SEND_SEND_BUFFER:
      return (
        need(length, 10, 'SEND_*_BUF') ??
        decoded({
          kind:
            type === NvspMessageType.SEND_RECEIVE_BUFFER ? 'sendReceiveBuffer' : 'sendSendBuffer',
          gpadlHandle: readU32(b, o + 4),
          id: readU16(b, o + 8),
        })
      );
    case NvspMessageType.SEND_RECEIVE_BUFFER_COMPLETE:
      return need(length, 12, 'SEND_RECV_BUF_COMPLETE') ?? decodeSections(b, o, length);
    case NvspMessageType.REVOKE_RECEIVE_BUFFER:
    case NvspMessageType.REVOKE_SEND_BUFFER:
      return (
        need(length, 6, 'REVOKE_*_BUF') ??
        decoded({
          kind:
            type === NvspMessageType.REVOKE_RECEIVE_BUFFER
              ? 'revokeReceiveBuffer'
              : 'revokeSendBuffer',
          id: readU16(b, o + 4),
        })
      );
    case NvspMessageType.SEND_SEND_BUFFER_COMPLETE:
      return (
        need(length, 12, 'SEND_SEND_BUF_COMPLETE') ??
        decoded({
          kind: 'sendSendBufferComplete',
          status: readU32(b, o + 4),
          sectionSize: readU32(b, o + 8),
        })
      );
    case NvspMessageType.SEND_RNDIS_PACKET: {
      const short2 = need(length, 16, 'SEND_RNDIS_PKT');
      if (short2 !== undefined) return short2;
      const channelType = readU32(b, o + 4);
      return (
        choice(channelType, [RndisChannelType.DATA, RndisChannelType.CONTROL], 'channel_type') ??
        decoded({
          kind: 'sendRndisPacket',
          channelType,
          sendBufferSectionIndex: readU32(b, o + 8),
          sendBufferSectionSize: readU32(b, o + 12),
        })
      );
    }
    case NvspMessageType.SEND_RNDIS_PACKET_COMPLETE:
      return (
        need(length, 8, 'SEND_RNDIS_PKT_COMPLETE') ??
        decoded({ kind: 'sendRndisPacketComplete', status: readU32(b, o + 4) })
      );
    case NvspMessageType.SEND_NDIS_CONFIG:
      return (
        need(length, 20, 'SEND_NDIS_CONFIG') ??
        decoded({
          kind: 'sendNdisConfig',
          mtu: readU32(b, o + 4),
          capabilities: capabilitiesFrom(b[o + 12]),
        })
      );
    case NvspMessageType.SEND_VF_ASSOCIATION: {
      const short2 = need(length, 12, 'SEND_VF_ASSOCIATION');
      if (short2 !== undefined) return short2;
      const allocated = readU32(b, o + 4);
      return (
        choice(allocated, [0, 1], 'vf_assoc.allocated') ??
        decoded({
          kind: 'sendVfAssociation',
          allocated: allocated === 1,
          serial: readU32(b, o + 8),
        })
      );
    }
    case NvspMessageType.SWITCH_DATA_PATH: {
      const short2 = need(length, 8, 'SWITCH_DATA_PATH');
      if (short2 !== undefined) return short2;
      const activeDataPath = readU32(b, o + 4);
      return (
        choice(activeDataPath, [NvspDataPath.SYNTHETIC, NvspDataPath.VF], 'active_datapath') ??
        decoded({ kind: 'switchDataPath', activeDataPath })
      );
    }
    case NvspMessageType.SUBCHANNEL: {
      const short2 = need(length, 12, 'SUBCHANNEL');
      if (short2 !== undefined) return short2;
      if (options?.completion === true) {
        return decoded({
          kind: 'subchannelComplete',
          status: readU32(b, o + 4),
          numSubChannels: readU32(b, o + 8),
        });
      }
      const operation = readU32(b, o + 4);
      return (
        choice(operation, [NvspSubchannelOperation.ALLOCATE], 'subchn_req.op') ??
        decoded({ kind: 'subchannelRequest', operation, numSubChannels: readU32(b, o + 8) })
      );
    }
    case NvspMessageType.SEND_INDIRECTION_TABLE:
      return need(length, 12, 'SEND_INDIRECTION_TABLE') ?? decodeIndirectionTable(b, o, length);
    default:
      return type > NvspMessageType.SEND_RNDIS_PACKET_COMPLETE && type <= NVSP_MESSAGE_TYPE_MAX
        ? rejected('unsupported-type', 'type.notModelled', { protocol: 'nvsp', code: String(type) })
        : rejected('unknown-type', 'type.unknown', { protocol: 'nvsp', code: String(type) });
  }
}
