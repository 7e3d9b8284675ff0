import {
  badWindow,
  checkTarget,
  checkU16,
  checkU32,
  checkU64,
  checkU8,
  encodeFail,
  truncated,
} from '../codec/bounds.js';
import { readU16, readU32, readU64, writeU16, writeU32, writeU64, zero } from '../codec/le.js';
import { decoded, rejected } from '../codec/result.js';
import type { DecodeResult } from '../codec/result.js';
import {
  HEARTBEAT_MSG_DATA_SIZE,
  ICMSG_HDR,
  ICMSG_NEGOTIATE_FIXED_SIZE,
  IC_VERSION_NEGOTIATION_MAX_VER_COUNT,
  IC_VERSION_SIZE,
  IcMessageType,
  icmsgNegotiatePacketSize,
} from './constants.js';

/**
 * An integration-services message as it travels in-band on an IC channel:
 *
 * @0  vmbuspipe_hdr: flags u32, msgsize u32
 * @8  icmsg_hdr: icverframe (major u16, minor u16), @12 icmsgtype u16, @14 icvermsg,
 *     @18 icmsgsize u16, @20 status u32, @24 ictransaction_id u8, @25 icflags u8, @26 reserved[2]
 * @28 the body: icmsg_negotiate or heartbeat_msg_data.
 */
export interface IcVersion {
  readonly major: number;
  readonly minor: number;
}

/** The two headers; `icmsgtype` is implied by the body kind. */
export interface IcMessageHeader {
  readonly pipeFlags: number;
  readonly pipeMessageSize: number;
  readonly frameworkVersion: IcVersion;
  readonly messageVersion: IcVersion;
  readonly messageSize: number;
  readonly status: number;
  readonly transactionId: number;
  /** {@link IcMessageFlags} bits. */
  readonly flags: number;
}

/** The bodies modelled here. */
export type IcMessageBody =
  /** `struct icmsg_negotiate`: counts, reserved, then framework versions then message versions. */
  | {
      readonly kind: 'negotiate';
      readonly frameworkVersions: readonly IcVersion[];
      readonly messageVersions: readonly IcVersion[];
    }
  /** `struct heartbeat_msg_data`: the guest answers with `seq_num + 1`. */
  | { readonly kind: 'heartbeat'; readonly sequenceNumber: bigint };

export interface IcMessage {
  readonly header: IcMessageHeader;
  readonly body: IcMessageBody;
}

/** Bytes {@link encodeIcMessage} writes. */
export function icMessageSize(message: IcMessage): number {
  return message.body.kind === 'negotiate'
    ? icmsgNegotiatePacketSize(
        message.body.frameworkVersions.length,
        message.body.messageVersions.length,
      )
    : ICMSG_HDR + HEARTBEAT_MSG_DATA_SIZE;
}

function writeVersion(t: Uint8Array, o: number, v: IcVersion, field: string): void {
  writeU16(t, o, checkU16(v.major, `${field}.major`));
  writeU16(t, o + 2, checkU16(v.minor, `${field}.minor`));
}

function readVersion(b: Uint8Array, o: number): IcVersion {
  return { major: readU16(b, o), minor: readU16(b, o + 2) };
}

/**
 * Encodes an IC message and returns its size.
 *
 * @example
 * encodeIcMessage(heartbeatResponse(request), buf, 0);
 */
export function encodeIcMessage(message: IcMessage, target: Uint8Array, offset: number): number {
  const size = icMessageSize(message);
  checkTarget(target, offset, size, 'ic message');
  zero(target, offset, offset + size);
  const h = message.header;
  const o = offset;
  writeU32(target, o, checkU32(h.pipeFlags, 'vmbuspipe_hdr.flags'));
  writeU32(target, o + 4, checkU32(h.pipeMessageSize, 'vmbuspipe_hdr.msgsize'));
  writeVersion(target, o + 8, h.frameworkVersion, 'icverframe');
  writeVersion(target, o + 14, h.messageVersion, 'icvermsg');
  writeU16(target, o + 18, checkU16(h.messageSize, 'icmsgsize'));
  writeU32(target, o + 20, checkU32(h.status, 'icmsg_hdr.status'));
  target[o + 24] = checkU8(h.transactionId, 'ictransaction_id');
  target[o + 25] = checkU8(h.flags, 'icflags');
  const body = message.body;
  if (body.kind === 'heartbeat') {
    writeU16(target, o + 12, IcMessageType.HEARTBEAT);
    writeU64(target, o + ICMSG_HDR, checkU64(body.sequenceNumber, 'heartbeat.seq_num'));
    return size;
  }
  const fw = body.frameworkVersions.length;
  const msg = body.messageVersions.length;
  if (fw > IC_VERSION_NEGOTIATION_MAX_VER_COUNT || msg > IC_VERSION_NEGOTIATION_MAX_VER_COUNT) {
    encodeFail(
      'icmsg_negotiate',
      `at most ${IC_VERSION_NEGOTIATION_MAX_VER_COUNT} versions of each kind`,
    );
  }
  writeU16(target, o + 12, IcMessageType.NEGOTIATE);
  writeU16(target, o + ICMSG_HDR, fw);
  writeU16(target, o + ICMSG_HDR + 2, msg);
  let v = o + ICMSG_HDR + ICMSG_NEGOTIATE_FIXED_SIZE;
  for (const version of [...body.frameworkVersions, ...body.messageVersions]) {
    writeVersion(target, v, version, 'icversion_data');
    v += IC_VERSION_SIZE;
  }
  return size;
}

/**
 * Decodes an IC message. Requires both headers; a negotiate body must hold its counts, each
 * count at most 100, and all the versions they announce (L: vmbus_prep_negotiate_resp); a
 * heartbeat needs `seq_num` ("Reserved area is not included in the check as the host may not
 * fill it up entirely", L: heartbeat_onchannelcallback). Other IC services: `unsupported-type`.
 * @example
 * const r = decodeIcMessage(payload, 0, payload.length);
 * if (r.ok && r.value.body.kind === 'heartbeat') send(heartbeatResponse(r.value));
 */
export function decodeIcMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<IcMessage> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < ICMSG_HDR) return truncated('vmbuspipe_hdr + icmsg_hdr', ICMSG_HDR, length);
  const b = bytes;
  const o = offset;
  const header: IcMessageHeader = {
    pipeFlags: readU32(b, o),
    pipeMessageSize: readU32(b, o + 4),
    frameworkVersion: readVersion(b, o + 8),
    messageVersion: readVersion(b, o + 14),
    messageSize: readU16(b, o + 18),
    status: readU32(b, o + 20),
    transactionId: b[o + 24],
    flags: b[o + 25],
  };
  const type = readU16(b, o + 12);
  switch (type) {
    case IcMessageType.HEARTBEAT:
      if (length < ICMSG_HDR + 8) return truncated('heartbeat seq_num', ICMSG_HDR + 8, length);
      return decoded({
        header,
        body: { kind: 'heartbeat', sequenceNumber: readU64(b, o + ICMSG_HDR) },
      });
    case IcMessageType.NEGOTIATE: {
      if (length < ICMSG_HDR + 4) return truncated('icmsg_negotiate counts', ICMSG_HDR + 4, length);
      const fw = readU16(b, o + ICMSG_HDR);
      const msg = readU16(b, o + ICMSG_HDR + 2);
      if (fw > IC_VERSION_NEGOTIATION_MAX_VER_COUNT || msg > IC_VERSION_NEGOTIATION_MAX_VER_COUNT) {
        return rejected('count-out-of-range', 'ic.negotiateCounts', {
          framework: fw,
          message: msg,
          max: IC_VERSION_NEGOTIATION_MAX_VER_COUNT,
        });
      }
      if (icmsgNegotiatePacketSize(fw, msg) > length) {
        return rejected('count-out-of-range', 'count.notFit', {
          counted: 'versions',
          count: fw + msg,
          bytes: length,
          payload: false,
        });
      }
      const versions: IcVersion[] = [];
      for (let i = 0; i < fw + msg; i++) {
        versions.push(
          readVersion(b, o + ICMSG_HDR + ICMSG_NEGOTIATE_FIXED_SIZE + IC_VERSION_SIZE * i),
        );
      }
      return decoded({
        header,
        body: {
          kind: 'negotiate',
          frameworkVersions: versions.slice(0, fw),
          messageVersions: versions.slice(fw),
        },
      });
    }
    case IcMessageType.KVP_EXCHANGE:
    case IcMessageType.SHUTDOWN:
    case IcMessageType.TIMESYNC:
    case IcMessageType.VSS:
    case IcMessageType.FCOPY:
      return rejected('unsupported-type', 'type.notModelled', {
        protocol: 'ic',
        code: String(type),
      });
    default:
      return rejected('unknown-type', 'type.unknown', { protocol: 'ic', code: String(type) });
  }
}
