/**
 * Decoder for VMBus control messages as a receiver sees them in a SynIC message slot: the bytes
 * are untrusted (rule 36), so they are copied out of the caller's buffer first and every check
 * runs on the copy. Decoding never throws and never reads outside [offset, offset + length).
 * It rejects what Linux's vmbus_on_msg_dpc and openvmm's Message::parse reject (unknown type,
 * shorter than the struct, longer than a SynIC payload) plus fields no valid message can hold
 * (rule 15 relids, a GPADL range buffer that is not whole u64 words). Bytes past the struct are
 * ignored, as both do (newer peers append fields, UEFI pads to the full 240 bytes).
 */
import { readU16, readU32, readU64Big, readU64Safe, readU8 } from './bytes.js';
import {
  isValidChildRelid,
  MAX_CHILD_RELID,
  MAX_SIZE_CHANNEL_MESSAGE,
  MAX_USER_DEFINED_BYTES,
  VMBUS_MONITOR_ID_COUNT,
} from './constants.js';
import { GPADL_WORD_BYTES } from './gpadl-limits.js';
import { readGuid } from './guid.js';
import {
  GpadlBodyLayout,
  GpadlCreatedLayout,
  GpadlHeaderLayout,
  GpadlTeardownLayout,
  GpadlTorndownLayout,
  Header,
  InitiateContactLayout,
  ModifyChannelLayout,
  ModifyChannelResponseLayout,
  OfferLayout,
  OpenChannelLayout,
  OpenResultLayout,
  RelidOnlyLayout,
  TlConnectRequestLayout,
  TlConnectResultLayout,
  VersionResponseLayout,
} from './layout.js';
import {
  CHANNEL_MESSAGE_HEADER_BYTES,
  channelMessageMinBytes,
  channelMessageName,
  channelMessageSender,
  ChannelMessageType,
  type ChannelMessageSender,
} from './message-types.js';
import type { ChannelMessage } from './messages.js';
import { VmbusVersion } from './versions.js';

/** Why a control message was refused. */
export type ChannelMessageRejectionReason =
  /** offset/length do not describe a window inside the given bytes. */
  | 'out-of-bounds'
  /** More than a SynIC payload (240 bytes, rule 10). */
  | 'too-long'
  /** Shorter than the header or than its message type's struct. */
  | 'truncated'
  /** A type Linux/openvmm do not define or this codec does not model (0, 18–20, ≥ 25). */
  | 'unknown-type'
  /** A type the expected sender never sends (e.g. OFFERCHANNEL from a guest). */
  | 'wrong-direction'
  /** A child_relid outside 1 … 2047 (rule 15). */
  | 'relid-out-of-range'
  /** An offer whose allocated monitor id is past the monitor page's 128 slots. */
  | 'monitor-id-out-of-range'
  /** GPADL_HEADER with rangecount 0. */
  | 'gpadl-range-count'
  /** GPADL_HEADER whose range_buflen is not whole u64 words or too small for one page. */
  | 'gpadl-range-buflen'
  /** A GPADL word above 2^53 − 1: no guest page has such a number. */
  | 'pfn-out-of-range';

/** A refused control message. */
export interface ChannelMessageRejection {
  readonly ok: false;
  readonly reason: ChannelMessageRejectionReason;
  readonly detail: string;
}

/** Result of {@link decodeChannelMessage}. */
export type ChannelMessageDecodeResult =
  { readonly ok: true; readonly value: ChannelMessage } | ChannelMessageRejection;

/** Options of {@link decodeChannelMessage}. */
export interface DecodeOptions {
  /** Who sent the bytes; a type that side never sends is refused (`wrong-direction`). */
  readonly from?: ChannelMessageSender;
}

/** The private copy every decode works on (rule 36: copy, then validate). */
const scratch = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);

function reject(reason: ChannelMessageRejectionReason, detail: string): ChannelMessageRejection {
  return { ok: false, reason, detail };
}

/**
 * Decodes the control message in `bytes[offset … offset + length)`.
 *
 * @example
 * ```ts
 * const r = decodeChannelMessage(slot, MessageSlot.PAYLOAD, payloadSize, { from: 'guest' });
 * if (!r.ok) return; // malformed guest message: drop it, the host keeps running
 * if (r.value.type === ChannelMessageType.GPADL_HEADER) assembler.accept(r.value);
 * ```
 */
export function decodeChannelMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
  options: DecodeOptions = {},
): ChannelMessageDecodeResult {
  if (
    !Number.isInteger(offset) ||
    !Number.isInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > bytes.length
  ) {
    return reject('out-of-bounds', `window ${offset}+${length} of a ${bytes.length}-byte buffer`);
  }
  if (length > MAX_SIZE_CHANNEL_MESSAGE) {
    return reject(
      'too-long',
      `${length} bytes, a SynIC message carries at most ${MAX_SIZE_CHANNEL_MESSAGE}`,
    );
  }
  for (let i = 0; i < length; i++) scratch[i] = bytes[offset + i];
  if (length < CHANNEL_MESSAGE_HEADER_BYTES) {
    return reject(
      'truncated',
      `${length} bytes, shorter than the ${CHANNEL_MESSAGE_HEADER_BYTES}-byte header`,
    );
  }
  const type = readU32(scratch, Header.MSGTYPE);
  const minBytes = channelMessageMinBytes(type);
  if (minBytes === undefined) return reject('unknown-type', `message type ${type}`);
  const sender = channelMessageSender(type);
  if (options.from !== undefined && sender !== options.from) {
    return reject(
      'wrong-direction',
      `${channelMessageName(type)} is sent by the ${String(sender)}, not the ${options.from}`,
    );
  }
  if (length < minBytes) {
    return reject(
      'truncated',
      `${channelMessageName(type)} needs ${minBytes} bytes, got ${length}`,
    );
  }
  return decodeFields(type, scratch, length);
}

/** Rule 15: a rejection when `relid` cannot name a channel. */
function badRelid(relid: number): ChannelMessageRejection | undefined {
  return isValidChildRelid(relid)
    ? undefined
    : reject('relid-out-of-range', `child_relid ${relid} is outside 1…${MAX_CHILD_RELID}`);
}

function ok(value: ChannelMessage): ChannelMessageDecodeResult {
  return { ok: true, value };
}

function decodeFields(type: number, b: Uint8Array, length: number): ChannelMessageDecodeResult {
  switch (type) {
    case ChannelMessageType.OFFERCHANNEL:
      return decodeOffer(b);
    case ChannelMessageType.RESCIND_CHANNELOFFER:
    case ChannelMessageType.CLOSECHANNEL:
    case ChannelMessageType.RELID_RELEASED: {
      const childRelid = readU32(b, RelidOnlyLayout.CHILD_RELID);
      return badRelid(childRelid) ?? ok({ type, childRelid });
    }
    case ChannelMessageType.REQUESTOFFERS:
    case ChannelMessageType.ALLOFFERS_DELIVERED:
    case ChannelMessageType.UNLOAD:
    case ChannelMessageType.UNLOAD_RESPONSE:
      return ok({ type });
    case ChannelMessageType.OPENCHANNEL:
      return decodeOpenChannel(b);
    case ChannelMessageType.OPENCHANNEL_RESULT: {
      const childRelid = readU32(b, OpenResultLayout.CHILD_RELID);
      return (
        badRelid(childRelid) ??
        ok({
          type,
          childRelid,
          openId: readU32(b, OpenResultLayout.OPENID),
          status: readU32(b, OpenResultLayout.STATUS),
        })
      );
    }
    case ChannelMessageType.GPADL_HEADER:
      return decodeGpadlHeader(b, length);
    case ChannelMessageType.GPADL_BODY:
      return decodeGpadlBody(b, length);
    case ChannelMessageType.GPADL_CREATED: {
      const childRelid = readU32(b, GpadlCreatedLayout.CHILD_RELID);
      return (
        badRelid(childRelid) ??
        ok({
          type,
          childRelid,
          gpadl: readU32(b, GpadlCreatedLayout.GPADL),
          creationStatus: readU32(b, GpadlCreatedLayout.CREATION_STATUS),
        })
      );
    }
    case ChannelMessageType.GPADL_TEARDOWN: {
      const childRelid = readU32(b, GpadlTeardownLayout.CHILD_RELID);
      return (
        badRelid(childRelid) ??
        ok({ type, childRelid, gpadl: readU32(b, GpadlTeardownLayout.GPADL) })
      );
    }
    case ChannelMessageType.GPADL_TORNDOWN:
      return ok({ type, gpadl: readU32(b, GpadlTorndownLayout.GPADL) });
    case ChannelMessageType.INITIATE_CONTACT:
      return decodeInitiateContact(b);
    case ChannelMessageType.VERSION_RESPONSE:
      return ok({
        type,
        versionSupported: readU8(b, VersionResponseLayout.VERSION_SUPPORTED) !== 0,
        connectionState: readU8(b, VersionResponseLayout.CONNECTION_STATE),
        msgConnId: readU32(b, VersionResponseLayout.MSG_CONN_ID),
      });
    case ChannelMessageType.TL_CONNECT_REQUEST:
      return ok({
        type,
        guestEndpointId: readGuid(b, TlConnectRequestLayout.GUEST_ENDPOINT_ID),
        hostServiceId: readGuid(b, TlConnectRequestLayout.HOST_SERVICE_ID),
      });
    case ChannelMessageType.MODIFYCHANNEL: {
      const childRelid = readU32(b, ModifyChannelLayout.CHILD_RELID);
      return (
        badRelid(childRelid) ??
        ok({ type, childRelid, targetVp: readU32(b, ModifyChannelLayout.TARGET_VP) })
      );
    }
    case ChannelMessageType.TL_CONNECT_RESULT:
      return ok({
        type,
        endpointId: readGuid(b, TlConnectResultLayout.ENDPOINT_ID),
        serviceId: readGuid(b, TlConnectResultLayout.SERVICE_ID),
        status: readU32(b, TlConnectResultLayout.STATUS),
      });
    case ChannelMessageType.MODIFYCHANNEL_RESPONSE: {
      const childRelid = readU32(b, ModifyChannelResponseLayout.CHILD_RELID);
      return (
        badRelid(childRelid) ??
        ok({ type, childRelid, status: readU32(b, ModifyChannelResponseLayout.STATUS) })
      );
    }
    default:
      // Unreachable: channelMessageMinBytes() only knows the types above.
      return reject('unknown-type', `message type ${type}`);
  }
}

function decodeOffer(b: Uint8Array): ChannelMessageDecodeResult {
  const childRelid = readU32(b, OfferLayout.CHILD_RELID);
  const relidProblem = badRelid(childRelid);
  if (relidProblem !== undefined) return relidProblem;
  const monitorId = readU8(b, OfferLayout.MONITOR_ID);
  // L: monitor_allocated:1 and is_dedicated_interrupt:1 are bit 0; the reserved bits are ignored.
  const monitorAllocated = (readU8(b, OfferLayout.MONITOR_FLAGS) & 1) !== 0;
  if (monitorAllocated && monitorId >= VMBUS_MONITOR_ID_COUNT) {
    return reject(
      'monitor-id-out-of-range',
      `monitorid ${monitorId}, a monitor page has ${VMBUS_MONITOR_ID_COUNT} slots`,
    );
  }
  return ok({
    type: ChannelMessageType.OFFERCHANNEL,
    offer: {
      ifType: readGuid(b, OfferLayout.IF_TYPE),
      ifInstance: readGuid(b, OfferLayout.IF_INSTANCE),
      chnFlags: readU16(b, OfferLayout.CHN_FLAGS),
      mmioMegabytes: readU16(b, OfferLayout.MMIO_MEGABYTES),
      userDef: b.slice(OfferLayout.USER_DEF, OfferLayout.USER_DEF + MAX_USER_DEFINED_BYTES),
      subChannelIndex: readU16(b, OfferLayout.SUB_CHANNEL_INDEX),
    },
    childRelid,
    monitorId,
    monitorAllocated,
    isDedicatedInterrupt: (readU16(b, OfferLayout.DEDICATED_FLAGS) & 1) !== 0,
    connectionId: readU32(b, OfferLayout.CONNECTION_ID),
  });
}

function decodeOpenChannel(b: Uint8Array): ChannelMessageDecodeResult {
  const childRelid = readU32(b, OpenChannelLayout.CHILD_RELID);
  return (
    badRelid(childRelid) ??
    ok({
      type: ChannelMessageType.OPENCHANNEL,
      childRelid,
      openId: readU32(b, OpenChannelLayout.OPEN_ID),
      ringBufferGpadlHandle: readU32(b, OpenChannelLayout.RINGBUFFER_GPADLHANDLE),
      targetVp: readU32(b, OpenChannelLayout.TARGET_VP),
      downstreamRingBufferPageOffset: readU32(
        b,
        OpenChannelLayout.DOWNSTREAM_RINGBUFFER_PAGEOFFSET,
      ),
      userData: b.slice(
        OpenChannelLayout.USERDATA,
        OpenChannelLayout.USERDATA + MAX_USER_DEFINED_BYTES,
      ),
    })
  );
}

/** Reads `count` range-buffer words at `at`; a rejection when one is not a safe integer. */
function readWords(b: Uint8Array, at: number, count: number): number[] | ChannelMessageRejection {
  const words = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const word = readU64Safe(b, at + i * GPADL_WORD_BYTES);
    if (word < 0) return reject('pfn-out-of-range', `GPADL word ${i} is above 2^53 − 1`);
    words[i] = word;
  }
  return words;
}

/**
 * O: Gpadl::append — the header's words after the fixed part are the start of the range buffer;
 * whole words only, and never more than range_buflen holds (a sender may pad the message).
 */
function decodeGpadlHeader(b: Uint8Array, length: number): ChannelMessageDecodeResult {
  const childRelid = readU32(b, GpadlHeaderLayout.CHILD_RELID);
  const relidProblem = badRelid(childRelid);
  if (relidProblem !== undefined) return relidProblem;
  const rangeBufLen = readU16(b, GpadlHeaderLayout.RANGE_BUFLEN);
  const rangeCount = readU16(b, GpadlHeaderLayout.RANGECOUNT);
  if (rangeCount === 0) return reject('gpadl-range-count', 'rangecount 0: a GPADL needs a range');
  if (rangeBufLen % GPADL_WORD_BYTES !== 0 || rangeBufLen < 2 * GPADL_WORD_BYTES) {
    return reject(
      'gpadl-range-buflen',
      `range_buflen ${rangeBufLen} is not whole u64 words holding a range header and a page`,
    );
  }
  const wordsPresent = Math.floor(
    (length - GpadlHeaderLayout.RANGE0_BYTE_COUNT) / GPADL_WORD_BYTES,
  );
  const pfnCount = Math.min(wordsPresent, rangeBufLen / GPADL_WORD_BYTES) - 1;
  const pfns = readWords(b, GpadlHeaderLayout.RANGE0_PFN_ARRAY, pfnCount);
  if (!Array.isArray(pfns)) return pfns;
  return ok({
    type: ChannelMessageType.GPADL_HEADER,
    childRelid,
    gpadl: readU32(b, GpadlHeaderLayout.GPADL),
    rangeBufLen,
    rangeCount,
    byteCount: readU32(b, GpadlHeaderLayout.RANGE0_BYTE_COUNT),
    byteOffset: readU32(b, GpadlHeaderLayout.RANGE0_BYTE_OFFSET),
    pfns,
  });
}

function decodeGpadlBody(b: Uint8Array, length: number): ChannelMessageDecodeResult {
  const count = Math.floor((length - GpadlBodyLayout.PFN) / GPADL_WORD_BYTES);
  const pfns = readWords(b, GpadlBodyLayout.PFN, count);
  if (!Array.isArray(pfns)) return pfns;
  return ok({
    type: ChannelMessageType.GPADL_BODY,
    msgNumber: readU32(b, GpadlBodyLayout.MSGNUMBER),
    gpadl: readU32(b, GpadlBodyLayout.GPADL),
    pfns,
  });
}

/** The union at bytes 16–23 is read by the requested version (L: vmbus_negotiate_version). */
function decodeInitiateContact(b: Uint8Array): ChannelMessageDecodeResult {
  const version = readU32(b, InitiateContactLayout.VMBUS_VERSION_REQUESTED);
  const modern = version >= VmbusVersion.WIN10_V5;
  return ok({
    type: ChannelMessageType.INITIATE_CONTACT,
    vmbusVersionRequested: version,
    targetVcpu: readU32(b, InitiateContactLayout.TARGET_VCPU),
    interruptPage: modern ? 0n : readU64Big(b, InitiateContactLayout.INTERRUPT_PAGE),
    msgSint: modern ? readU8(b, InitiateContactLayout.MSG_SINT) : 0,
    msgVtl: modern ? readU8(b, InitiateContactLayout.MSG_VTL) : 0,
    monitorPage1: readU64Big(b, InitiateContactLayout.MONITOR_PAGE1),
    monitorPage2: readU64Big(b, InitiateContactLayout.MONITOR_PAGE2),
  });
}
