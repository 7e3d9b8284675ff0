import {
  badWindow,
  checkTarget,
  checkU32,
  checkUint,
  encodeFail,
  truncated,
} from '../codec/bounds.js';
import { copyBytes, readU32, writeU32, zero } from '../codec/le.js';
import { decoded, rejected } from '../codec/result.js';
import type { DecodeFailure, DecodeResult } from '../codec/result.js';
import {
  RNDIS_HEADER_SIZE,
  RNDIS_PACKET_SIZE,
  RNDIS_PER_PACKET_INFO_SIZE,
  RndisMessageType,
} from './constants.js';

/**
 * RNDIS messages as netvsc and the virtual switch exchange them inside NVSP SEND_RNDIS_PKT
 * (L: hyperv_net.h `struct rndis_message`, rndis_filter.c). Every message starts with
 * `ndis_msg_type` u32 and `msg_len` u32 (the whole message, header included); every
 * offset field inside is relative to the start of the type-specific body (byte 8).
 *
 * Decoding bounds every offset/length pair by `msg_len`, which must itself fit in the bytes
 * supplied. Trusting such a pair without that check is the CVE-2021-28476 class of bug
 * (HYPERV.md rule 39: a guest reached the root's vmswitch through an RNDIS OID request).
 */

/** One per-packet-info element: `size`, `type:31 | internal:1`, `ppi_offset`, then data. */
export interface RndisPerPacketInfo {
  readonly type: number;
  readonly internal: boolean;
  /** The element's data (a view into the input when decoded). */
  readonly data: Uint8Array;
}

/** Every RNDIS message modelled here. Byte buffers decode as views into the input. */
export type RndisMessage =
  | {
      readonly kind: 'packet';
      /** The Ethernet frame. */
      readonly data: Uint8Array;
      readonly perPacketInfo: readonly RndisPerPacketInfo[];
      readonly vcHandle: number;
    }
  | {
      readonly kind: 'initializeRequest';
      readonly requestId: number;
      readonly majorVersion: number;
      readonly minorVersion: number;
      readonly maxTransferSize: number;
    }
  | {
      readonly kind: 'initializeComplete';
      readonly requestId: number;
      readonly status: number;
      readonly majorVersion: number;
      readonly minorVersion: number;
      readonly deviceFlags: number;
      readonly medium: number;
      readonly maxPacketsPerMessage: number;
      readonly maxTransferSize: number;
      readonly packetAlignmentFactor: number;
    }
  | { readonly kind: 'halt'; readonly requestId: number }
  | {
      readonly kind: 'queryRequest' | 'setRequest';
      readonly requestId: number;
      readonly oid: number;
      /** The information buffer (the OID's input). */
      readonly info: Uint8Array;
      readonly deviceVcHandle: number;
    }
  | {
      readonly kind: 'queryComplete';
      readonly requestId: number;
      readonly status: number;
      readonly info: Uint8Array;
    }
  | { readonly kind: 'setComplete'; readonly requestId: number; readonly status: number }
  | { readonly kind: 'indicateStatus'; readonly status: number; readonly statusBuffer: Uint8Array };

/** Body sizes of the fixed parts (L: hyperv_net.h structs, all u32 fields). */
const BODY = {
  packet: RNDIS_PACKET_SIZE,
  initializeRequest: 16,
  initializeComplete: 44,
  halt: 4,
  queryRequest: 20,
  setRequest: 20,
  queryComplete: 16,
  setComplete: 8,
  indicateStatus: 12,
} as const;

function ppiBytes(ppis: readonly RndisPerPacketInfo[]): number {
  let total = 0;
  for (const p of ppis) total += RNDIS_PER_PACKET_INFO_SIZE + p.data.length;
  return total;
}

/** The `msg_len` {@link encodeRndisMessage} writes for `message`. */
export function rndisMessageLength(message: RndisMessage): number {
  switch (message.kind) {
    case 'packet':
      return (
        RNDIS_HEADER_SIZE + BODY.packet + ppiBytes(message.perPacketInfo) + message.data.length
      );
    case 'queryRequest':
    case 'setRequest':
    case 'queryComplete':
      return RNDIS_HEADER_SIZE + BODY[message.kind] + message.info.length;
    case 'indicateStatus':
      return RNDIS_HEADER_SIZE + BODY.indicateStatus + message.statusBuffer.length;
    default:
      return RNDIS_HEADER_SIZE + BODY[message.kind];
  }
}

function typeOf(message: RndisMessage): number {
  switch (message.kind) {
    case 'packet':
      return RndisMessageType.PACKET;
    case 'initializeRequest':
      return RndisMessageType.INITIALIZE;
    case 'initializeComplete':
      return RndisMessageType.INITIALIZE_COMPLETE;
    case 'halt':
      return RndisMessageType.HALT;
    case 'queryRequest':
      return RndisMessageType.QUERY;
    case 'setRequest':
      return RndisMessageType.SET;
    case 'queryComplete':
      return RndisMessageType.QUERY_COMPLETE;
    case 'setComplete':
      return RndisMessageType.SET_COMPLETE;
    case 'indicateStatus':
      return RndisMessageType.INDICATE_STATUS;
    default:
      return encodeFail('rndis.kind', 'unknown message kind');
  }
}

function u32s(t: Uint8Array, o: number, values: readonly number[], field: string): void {
  values.forEach((v, i) => {
    writeU32(t, o + 4 * i, checkU32(v, `${field}[${i}]`));
  });
}

function writePacket(
  t: Uint8Array,
  body: number,
  m: Extract<RndisMessage, { kind: 'packet' }>,
): void {
  // L: netvsc_xmit/init_ppi — PPIs right after struct rndis_packet, the frame after them.
  const ppiLength = ppiBytes(m.perPacketInfo);
  const dataOffset = BODY.packet + ppiLength;
  u32s(
    t,
    body,
    [
      dataOffset,
      m.data.length,
      0,
      0,
      0,
      m.perPacketInfo.length > 0 ? BODY.packet : 0,
      ppiLength,
      m.vcHandle,
      0,
    ],
    'rndis_packet',
  );
  let p = body + BODY.packet;
  for (const ppi of m.perPacketInfo) {
    const size = RNDIS_PER_PACKET_INFO_SIZE + ppi.data.length;
    writeU32(t, p, size);
    writeU32(
      t,
      p + 4,
      (checkUint(ppi.type, 0x7fff_ffff, 'ppi.type') | (ppi.internal ? 0x8000_0000 : 0)) >>> 0,
    );
    writeU32(t, p + 8, RNDIS_PER_PACKET_INFO_SIZE);
    copyBytes(ppi.data, 0, t, p + RNDIS_PER_PACKET_INFO_SIZE, ppi.data.length);
    p += size;
  }
  copyBytes(m.data, 0, t, body + dataOffset, m.data.length);
}

/**
 * Encodes an RNDIS message and returns `msg_len`. Buffers are laid out the way netvsc does:
 * request info right after the fixed part (`info_buf_offset = sizeof(struct rndis_*_request)`),
 * per-packet info right after `struct rndis_packet` and the frame after the PPIs.
 *
 * @example
 * encodeRndisMessage({ kind: 'setRequest', requestId: 7, oid: RndisOid.GEN_CURRENT_PACKET_FILTER,
 *   info: new Uint8Array([1, 0, 0, 0]), deviceVcHandle: 0 }, buf, 0);
 */
export function encodeRndisMessage(
  message: RndisMessage,
  target: Uint8Array,
  offset: number,
): number {
  const length = rndisMessageLength(message);
  checkTarget(target, offset, length, 'rndis_message');
  zero(target, offset, offset + length);
  writeU32(target, offset, typeOf(message));
  writeU32(target, offset + 4, length);
  const body = offset + RNDIS_HEADER_SIZE;
  switch (message.kind) {
    case 'packet':
      writePacket(target, body, message);
      break;
    case 'initializeRequest':
      u32s(
        target,
        body,
        [message.requestId, message.majorVersion, message.minorVersion, message.maxTransferSize],
        'rndis_initialize_request',
      );
      break;
    case 'initializeComplete':
      u32s(
        target,
        body,
        [
          message.requestId,
          message.status,
          message.majorVersion,
          message.minorVersion,
          message.deviceFlags,
          message.medium,
          message.maxPacketsPerMessage,
          message.maxTransferSize,
          message.packetAlignmentFactor,
          0,
          0,
        ],
        'rndis_initialize_complete',
      );
      break;
    case 'halt':
      u32s(target, body, [message.requestId], 'rndis_halt_request');
      break;
    case 'queryRequest':
    case 'setRequest':
      u32s(
        target,
        body,
        [
          message.requestId,
          message.oid,
          message.info.length,
          BODY.queryRequest,
          message.deviceVcHandle,
        ],
        message.kind,
      );
      copyBytes(message.info, 0, target, body + BODY.queryRequest, message.info.length);
      break;
    case 'queryComplete':
      u32s(
        target,
        body,
        [message.requestId, message.status, message.info.length, BODY.queryComplete],
        'rndis_query_complete',
      );
      copyBytes(message.info, 0, target, body + BODY.queryComplete, message.info.length);
      break;
    case 'setComplete':
      u32s(target, body, [message.requestId, message.status], 'rndis_set_complete');
      break;
    case 'indicateStatus':
      u32s(
        target,
        body,
        [message.status, message.statusBuffer.length, BODY.indicateStatus],
        'rndis_indicate_status',
      );
      copyBytes(
        message.statusBuffer,
        0,
        target,
        body + BODY.indicateStatus,
        message.statusBuffer.length,
      );
      break;
  }
  return length;
}

/** The two header fields; lets a reader walk several RNDIS messages packed in one section. */
export interface RndisHeader {
  readonly messageType: number;
  readonly messageLength: number;
}

/** Reads and checks the header: `msg_len` must cover the header and fit in `length`. */
export function decodeRndisHeader(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<RndisHeader> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < RNDIS_HEADER_SIZE) return truncated('rndis header', RNDIS_HEADER_SIZE, length);
  const messageLength = readU32(bytes, offset + 4);
  // L: rndis_filter_receive — msg_len < RNDIS_HEADER_SIZE || buflen < msg_len is invalid.
  if (messageLength < RNDIS_HEADER_SIZE || messageLength > length) {
    return rejected('length-out-of-range', 'field.outside', {
      field: 'msg_len',
      value: messageLength,
      min: RNDIS_HEADER_SIZE,
      max: length,
    });
  }
  return decoded({ messageType: readU32(bytes, offset), messageLength });
}

/**
 * Checks an (offset, length) pair that points into a body of `bodyLength` bytes whose fixed
 * part is `fixed` bytes: the buffer must start after the fixed part and end inside the body.
 * An empty buffer is accepted wherever its offset points.
 */
function checkBuffer(
  offset: number,
  length: number,
  fixed: number,
  bodyLength: number,
  what: string,
): DecodeFailure | undefined {
  if (length === 0) return undefined;
  if (offset < fixed || offset > bodyLength) {
    return rejected('offset-out-of-range', 'field.outside', {
      field: `${what} offset`,
      value: offset,
      min: fixed,
      max: bodyLength,
    });
  }
  if (length > bodyLength - offset) {
    return rejected('length-out-of-range', 'field.runsPast', {
      field: `${what} length`,
      value: length,
      left: bodyLength - offset,
    });
  }
  return undefined;
}

function decodePerPacketInfo(
  b: Uint8Array,
  start: number,
  length: number,
): DecodeResult<RndisPerPacketInfo[]> {
  const list: RndisPerPacketInfo[] = [];
  let p = 0;
  while (p < length) {
    const left = length - p;
    if (left < RNDIS_PER_PACKET_INFO_SIZE)
      return truncated('per-packet info header', RNDIS_PER_PACKET_INFO_SIZE, left);
    const size = readU32(b, start + p);
    const typeWord = readU32(b, start + p + 4);
    const dataOffset = readU32(b, start + p + 8);
    // L: rndis_get_ppi — size must fit what is left and ppi_offset must lie inside the element;
    // a size below the header would make the walk never advance.
    if (size < RNDIS_PER_PACKET_INFO_SIZE || size > left) {
      return rejected('length-out-of-range', 'field.outside', {
        field: 'ppi size',
        value: size,
        min: RNDIS_PER_PACKET_INFO_SIZE,
        max: left,
      });
    }
    if (dataOffset < RNDIS_PER_PACKET_INFO_SIZE || dataOffset > size) {
      return rejected('offset-out-of-range', 'field.outside', {
        field: 'ppi_offset',
        value: dataOffset,
        min: RNDIS_PER_PACKET_INFO_SIZE,
        max: size,
      });
    }
    list.push({
      type: typeWord & 0x7fff_ffff,
      internal: typeWord >>> 31 === 1,
      data: b.subarray(start + p + dataOffset, start + p + size),
    });
    p += size;
  }
  return decoded(list);
}

function decodePacket(b: Uint8Array, body: number, bodyLength: number): DecodeResult<RndisMessage> {
  const dataOffset = readU32(b, body);
  const dataLength = readU32(b, body + 4);
  const oobOffset = readU32(b, body + 8);
  const oobLength = readU32(b, body + 12);
  const ppiOffset = readU32(b, body + 20);
  const ppiLength = readU32(b, body + 24);
  const failure =
    checkBuffer(dataOffset, dataLength, BODY.packet, bodyLength, 'data') ??
    checkBuffer(oobOffset, oobLength, BODY.packet, bodyLength, 'out-of-band data') ??
    checkBuffer(ppiOffset, ppiLength, BODY.packet, bodyLength, 'per-packet info');
  if (failure !== undefined) return failure;
  const ppis = decodePerPacketInfo(b, body + ppiOffset, ppiLength);
  if (!ppis.ok) return ppis;
  return decoded({
    kind: 'packet',
    data:
      dataLength === 0
        ? b.subarray(body, body)
        : b.subarray(body + dataOffset, body + dataOffset + dataLength),
    perPacketInfo: ppis.value,
    vcHandle: readU32(b, body + 28),
  });
}

function decodeInfo(
  b: Uint8Array,
  body: number,
  bodyLength: number,
  fixed: number,
  lengthAt: number,
  what: string,
): DecodeResult<Uint8Array> {
  const infoLength = readU32(b, body + lengthAt);
  const infoOffset = readU32(b, body + lengthAt + 4);
  const failure = checkBuffer(infoOffset, infoLength, fixed, bodyLength, what);
  if (failure !== undefined) return failure;
  return decoded(
    infoLength === 0
      ? b.subarray(body, body)
      : b.subarray(body + infoOffset, body + infoOffset + infoLength),
  );
}

function fixedPart(kind: keyof typeof BODY, bodyLength: number): DecodeFailure | undefined {
  return bodyLength < BODY[kind]
    ? truncated(`rndis ${kind}`, RNDIS_HEADER_SIZE + BODY[kind], RNDIS_HEADER_SIZE + bodyLength)
    : undefined;
}

/**
 * Decodes one RNDIS message at `offset`. Reads only inside `msg_len` (which must fit in
 * `length`); rejects fixed parts that do not fit, every buffer whose offset/length pair leaves
 * the message, per-packet-info elements that overrun, and message types not modelled.
 * @example
 * const r = decodeRndisMessage(section, 0, nvsp.sendBufferSectionSize);
 * if (r.ok && r.value.kind === 'setRequest') applyOid(r.value.oid, r.value.info);
 */
export function decodeRndisMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<RndisMessage> {
  const header = decodeRndisHeader(bytes, offset, length);
  if (!header.ok) return header;
  const b = bytes;
  const body = offset + RNDIS_HEADER_SIZE;
  const bodyLength = header.value.messageLength - RNDIS_HEADER_SIZE;
  switch (header.value.messageType) {
    case RndisMessageType.PACKET:
      return fixedPart('packet', bodyLength) ?? decodePacket(b, body, bodyLength);
    case RndisMessageType.INITIALIZE:
      return (
        fixedPart('initializeRequest', bodyLength) ??
        decoded({
          kind: 'initializeRequest',
          requestId: readU32(b, body),
          majorVersion: readU32(b, body + 4),
          minorVersion: readU32(b, body + 8),
          maxTransferSize: readU32(b, body + 12),
        })
      );
    case RndisMessageType.INITIALIZE_COMPLETE:
      return (
        fixedPart('initializeComplete', bodyLength) ??
        decoded({
          kind: 'initializeComplete',
          requestId: readU32(b, body),
          status: readU32(b, body + 4),
          majorVersion: readU32(b, body + 8),
          minorVersion: readU32(b, body + 12),
          deviceFlags: readU32(b, body + 16),
          medium: readU32(b, body + 20),
          maxPacketsPerMessage: readU32(b, body + 24),
          maxTransferSize: readU32(b, body + 28),
          packetAlignmentFactor: readU32(b, body + 32),
        })
      );
    case RndisMessageType.HALT:
      return (
        fixedPart('halt', bodyLength) ?? decoded({ kind: 'halt', requestId: readU32(b, body) })
      );
    case RndisMessageType.QUERY:
    case RndisMessageType.SET: {
      const kind =
        header.value.messageType === RndisMessageType.QUERY ? 'queryRequest' : 'setRequest';
      const short = fixedPart(kind, bodyLength);
      if (short !== undefined) return short;
      const info = decodeInfo(b, body, bodyLength, BODY[kind], 8, 'info buffer');
      if (!info.ok) return info;
      return decoded({
        kind,
        requestId: readU32(b, body),
        oid: readU32(b, body + 4),
        info: info.value,
        deviceVcHandle: readU32(b, body + 16),
      });
    }
    case RndisMessageType.QUERY_COMPLETE: {
      const short = fixedPart('queryComplete', bodyLength);
      if (short !== undefined) return short;
      const info = decodeInfo(b, body, bodyLength, BODY.queryComplete, 8, 'info buffer');
      if (!info.ok) return info;
      return decoded({
        kind: 'queryComplete',
        requestId: readU32(b, body),
        status: readU32(b, body + 4),
        info: info.value,
      });
    }
    case RndisMessageType.SET_COMPLETE:
      return (
        fixedPart('setComplete', bodyLength) ??
        decoded({ kind: 'setComplete', requestId: readU32(b, body), status: readU32(b, body + 4) })
      );
    case RndisMessageType.INDICATE_STATUS: {
      const short = fixedPart('indicateStatus', bodyLength);
      if (short !== undefined) return short;
      const buffer = decodeInfo(b, body, bodyLength, BODY.indicateStatus, 4, 'status buffer');
      if (!buffer.ok) return buffer;
      return decoded({
        kind: 'indicateStatus',
        status: readU32(b, body),
        statusBuffer: buffer.value,
      });
    }
    case RndisMessageType.RESET:
    case RndisMessageType.RESET_COMPLETE:
    case RndisMessageType.KEEPALIVE:
    case RndisMessageType.KEEPALIVE_COMPLETE:
      return rejected('unsupported-type', 'type.notModelled', {
        protocol: 'rndis',
        code: `0x${header.value.messageType.toString(16)}`,
      });
    default:
      return rejected('unknown-type', 'type.unknown', {
        protocol: 'rndis',
        code: `0x${header.value.messageType.toString(16)}`,
      });
  }
}
