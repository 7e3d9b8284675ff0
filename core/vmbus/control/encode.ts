/**
 * Encoder for VMBus control messages: plain data → the packed little-endian structs of
 * L: include/linux/hyperv.h. It accepts exactly what {@link decodeChannelMessage} accepts, so
 * whatever it writes decodes back to an equal object; anything else is our own bug and throws
 * {@link VmbusControlError}.
 */
import { writeU16, writeU32, writeU64Big, writeU64Safe, writeU8 } from './bytes.js';
import { MAX_SIZE_CHANNEL_MESSAGE } from './constants.js';
import { VmbusControlError } from './errors.js';
import { checkMessageFields } from './encode-checks.js';
import {
  GPA_RANGE_HEADER_BYTES,
  GPADL_BODY_FIXED_BYTES,
  GPADL_HEADER_FIXED_BYTES,
  GPADL_WORD_BYTES,
} from './gpadl-limits.js';
import { writeGuid } from './guid.js';
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
import { channelMessageMinBytes, ChannelMessageType } from './message-types.js';
import type {
  ChannelMessage,
  GpadlHeaderMessage,
  InitiateContactMessage,
  OfferChannelMessage,
  OpenChannelMessage,
} from './messages.js';
import { VmbusVersion } from './versions.js';

/** Bytes `message` takes on the wire (header included). Throws for an unmodelled type. */
export function channelMessageSize(message: ChannelMessage): number {
  switch (message.type) {
    case ChannelMessageType.GPADL_HEADER:
      return (
        GPADL_HEADER_FIXED_BYTES + GPA_RANGE_HEADER_BYTES + message.pfns.length * GPADL_WORD_BYTES
      );
    case ChannelMessageType.GPADL_BODY:
      return GPADL_BODY_FIXED_BYTES + message.pfns.length * GPADL_WORD_BYTES;
    default: {
      const size = channelMessageMinBytes(message.type);
      if (size === undefined) {
        throw new VmbusControlError(
          `message type ${String((message as { type: unknown }).type)} is not modelled`,
        );
      }
      return size;
    }
  }
}

/**
 * Writes `message` into `target` at `offset` and returns its size in bytes (never above 240,
 * rule 10). Reserved and padding bytes are written as zero.
 *
 * @example
 * ```ts
 * const slot = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
 * const n = encodeChannelMessage({ type: ChannelMessageType.RESCIND_CHANNELOFFER, childRelid: 7 }, slot);
 * // n === 12; post slot.subarray(0, n) with HvCallPostMessage, message type VMBUS_MESSAGE_TYPE
 * ```
 */
export function encodeChannelMessage(
  message: ChannelMessage,
  target: Uint8Array,
  offset = 0,
): number {
  checkMessageFields(message);
  const size = channelMessageSize(message);
  if (size > MAX_SIZE_CHANNEL_MESSAGE) {
    throw new VmbusControlError(`message of ${size} bytes exceeds ${MAX_SIZE_CHANNEL_MESSAGE}`);
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + size > target.length) {
    throw new VmbusControlError(
      `no room for ${size} bytes at offset ${offset} of a ${target.length}-byte buffer`,
    );
  }
  target.fill(0, offset, offset + size);
  writeU32(target, offset + Header.MSGTYPE, message.type);
  writeFields(message, target, offset);
  return size;
}

/** Writes the fields after the header (the region is already zeroed). */
function writeFields(m: ChannelMessage, b: Uint8Array, o: number): void {
  switch (m.type) {
    case ChannelMessageType.OFFERCHANNEL:
      writeOffer(m, b, o);
      return;
    case ChannelMessageType.RESCIND_CHANNELOFFER:
    case ChannelMessageType.CLOSECHANNEL:
    case ChannelMessageType.RELID_RELEASED:
      writeU32(b, o + RelidOnlyLayout.CHILD_RELID, m.childRelid);
      return;
    case ChannelMessageType.REQUESTOFFERS:
    case ChannelMessageType.ALLOFFERS_DELIVERED:
    case ChannelMessageType.UNLOAD:
    case ChannelMessageType.UNLOAD_RESPONSE:
      return;
    case ChannelMessageType.OPENCHANNEL:
      writeOpenChannel(m, b, o);
      return;
    case ChannelMessageType.OPENCHANNEL_RESULT:
      writeU32(b, o + OpenResultLayout.CHILD_RELID, m.childRelid);
      writeU32(b, o + OpenResultLayout.OPENID, m.openId);
      writeU32(b, o + OpenResultLayout.STATUS, m.status);
      return;
    case ChannelMessageType.GPADL_HEADER:
      writeGpadlHeader(m, b, o);
      return;
    case ChannelMessageType.GPADL_BODY:
      writeU32(b, o + GpadlBodyLayout.MSGNUMBER, m.msgNumber);
      writeU32(b, o + GpadlBodyLayout.GPADL, m.gpadl);
      writePfns(m.pfns, b, o + GpadlBodyLayout.PFN);
      return;
    case ChannelMessageType.GPADL_CREATED:
      writeU32(b, o + GpadlCreatedLayout.CHILD_RELID, m.childRelid);
      writeU32(b, o + GpadlCreatedLayout.GPADL, m.gpadl);
      writeU32(b, o + GpadlCreatedLayout.CREATION_STATUS, m.creationStatus);
      return;
    case ChannelMessageType.GPADL_TEARDOWN:
      writeU32(b, o + GpadlTeardownLayout.CHILD_RELID, m.childRelid);
      writeU32(b, o + GpadlTeardownLayout.GPADL, m.gpadl);
      return;
    case ChannelMessageType.GPADL_TORNDOWN:
      writeU32(b, o + GpadlTorndownLayout.GPADL, m.gpadl);
      return;
    case ChannelMessageType.INITIATE_CONTACT:
      writeInitiateContact(m, b, o);
      return;
    case ChannelMessageType.VERSION_RESPONSE:
      writeU8(b, o + VersionResponseLayout.VERSION_SUPPORTED, m.versionSupported ? 1 : 0);
      writeU8(b, o + VersionResponseLayout.CONNECTION_STATE, m.connectionState);
      writeU32(b, o + VersionResponseLayout.MSG_CONN_ID, m.msgConnId);
      return;
    case ChannelMessageType.TL_CONNECT_REQUEST:
      writeGuid(b, o + TlConnectRequestLayout.GUEST_ENDPOINT_ID, m.guestEndpointId);
      writeGuid(b, o + TlConnectRequestLayout.HOST_SERVICE_ID, m.hostServiceId);
      return;
    case ChannelMessageType.MODIFYCHANNEL:
      writeU32(b, o + ModifyChannelLayout.CHILD_RELID, m.childRelid);
      writeU32(b, o + ModifyChannelLayout.TARGET_VP, m.targetVp);
      return;
    case ChannelMessageType.TL_CONNECT_RESULT:
      writeGuid(b, o + TlConnectResultLayout.ENDPOINT_ID, m.endpointId);
      writeGuid(b, o + TlConnectResultLayout.SERVICE_ID, m.serviceId);
      writeU32(b, o + TlConnectResultLayout.STATUS, m.status);
      return;
    case ChannelMessageType.MODIFYCHANNEL_RESPONSE:
      writeU32(b, o + ModifyChannelResponseLayout.CHILD_RELID, m.childRelid);
      writeU32(b, o + ModifyChannelResponseLayout.STATUS, m.status);
      return;
  }
}

function writeOffer(m: OfferChannelMessage, b: Uint8Array, o: number): void {
  const offer = m.offer;
  writeGuid(b, o + OfferLayout.IF_TYPE, offer.ifType);
  writeGuid(b, o + OfferLayout.IF_INSTANCE, offer.ifInstance);
  writeU16(b, o + OfferLayout.CHN_FLAGS, offer.chnFlags);
  writeU16(b, o + OfferLayout.MMIO_MEGABYTES, offer.mmioMegabytes);
  b.set(offer.userDef, o + OfferLayout.USER_DEF);
  writeU16(b, o + OfferLayout.SUB_CHANNEL_INDEX, offer.subChannelIndex);
  writeU32(b, o + OfferLayout.CHILD_RELID, m.childRelid);
  writeU8(b, o + OfferLayout.MONITOR_ID, m.monitorId);
  writeU8(b, o + OfferLayout.MONITOR_FLAGS, m.monitorAllocated ? 1 : 0);
  writeU16(b, o + OfferLayout.DEDICATED_FLAGS, m.isDedicatedInterrupt ? 1 : 0);
  writeU32(b, o + OfferLayout.CONNECTION_ID, m.connectionId);
}

function writeOpenChannel(m: OpenChannelMessage, b: Uint8Array, o: number): void {
  writeU32(b, o + OpenChannelLayout.CHILD_RELID, m.childRelid);
  writeU32(b, o + OpenChannelLayout.OPEN_ID, m.openId);
  writeU32(b, o + OpenChannelLayout.RINGBUFFER_GPADLHANDLE, m.ringBufferGpadlHandle);
  writeU32(b, o + OpenChannelLayout.TARGET_VP, m.targetVp);
  writeU32(
    b,
    o + OpenChannelLayout.DOWNSTREAM_RINGBUFFER_PAGEOFFSET,
    m.downstreamRingBufferPageOffset,
  );
  b.set(m.userData, o + OpenChannelLayout.USERDATA);
}

function writeGpadlHeader(m: GpadlHeaderMessage, b: Uint8Array, o: number): void {
  writeU32(b, o + GpadlHeaderLayout.CHILD_RELID, m.childRelid);
  writeU32(b, o + GpadlHeaderLayout.GPADL, m.gpadl);
  writeU16(b, o + GpadlHeaderLayout.RANGE_BUFLEN, m.rangeBufLen);
  writeU16(b, o + GpadlHeaderLayout.RANGECOUNT, m.rangeCount);
  writeU32(b, o + GpadlHeaderLayout.RANGE0_BYTE_COUNT, m.byteCount);
  writeU32(b, o + GpadlHeaderLayout.RANGE0_BYTE_OFFSET, m.byteOffset);
  writePfns(m.pfns, b, o + GpadlHeaderLayout.RANGE0_PFN_ARRAY);
}

function writePfns(pfns: readonly number[], b: Uint8Array, at: number): void {
  for (let i = 0; i < pfns.length; i++) writeU64Safe(b, at + i * GPADL_WORD_BYTES, pfns[i]);
}

function writeInitiateContact(m: InitiateContactMessage, b: Uint8Array, o: number): void {
  writeU32(b, o + InitiateContactLayout.VMBUS_VERSION_REQUESTED, m.vmbusVersionRequested);
  writeU32(b, o + InitiateContactLayout.TARGET_VCPU, m.targetVcpu);
  if (m.vmbusVersionRequested >= VmbusVersion.WIN10_V5) {
    writeU8(b, o + InitiateContactLayout.MSG_SINT, m.msgSint);
    writeU8(b, o + InitiateContactLayout.MSG_VTL, m.msgVtl);
  } else {
    writeU64Big(b, o + InitiateContactLayout.INTERRUPT_PAGE, m.interruptPage);
  }
  writeU64Big(b, o + InitiateContactLayout.MONITOR_PAGE1, m.monitorPage1);
  writeU64Big(b, o + InitiateContactLayout.MONITOR_PAGE2, m.monitorPage2);
}
