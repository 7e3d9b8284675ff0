/**
 * fast-check arbitraries for every control message, over the values a valid sender can produce
 * (what the encoder accepts). Test-only.
 */
import fc from 'fast-check';
import {
  GPADL_BODY_MAX_PFNS,
  GPADL_HEADER_MAX_PFNS,
  GPADL_WORD_BYTES,
  GPA_RANGE_HEADER_BYTES,
} from './gpadl-limits.js';
import {
  MAX_CHILD_RELID,
  MAX_USER_DEFINED_BYTES,
  MIN_CHILD_RELID,
  VMBUS_MONITOR_ID_COUNT,
} from './constants.js';
import { ChannelMessageType as T } from './message-types.js';
import type { ChannelMessage, InitiateContactMessage } from './messages.js';
import { VmbusVersion } from './versions.js';

const u8 = fc.integer({ min: 0, max: 0xff });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffff_ffff });
const u64 = fc.bigInt({ min: 0n, max: 0xffff_ffff_ffff_ffffn });
export const relid = fc.integer({ min: MIN_CHILD_RELID, max: MAX_CHILD_RELID });
export const guid = fc.uuid({ version: [1, 2, 3, 4, 5] }).map((s) => s.toLowerCase());
const anyGuid = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''))
  .map(
    (h) =>
      `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`,
  );
const userDefined = fc.uint8Array({
  minLength: MAX_USER_DEFINED_BYTES,
  maxLength: MAX_USER_DEFINED_BYTES,
});
export const pfn = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 40 - 1 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
);

const offer = fc
  .record({
    offer: fc.record({
      ifType: fc.oneof(guid, anyGuid),
      ifInstance: fc.oneof(guid, anyGuid),
      chnFlags: u16,
      mmioMegabytes: u16,
      userDef: userDefined,
      subChannelIndex: u16,
    }),
    childRelid: relid,
    monitorAllocated: fc.boolean(),
    monitorId: u8,
    isDedicatedInterrupt: fc.boolean(),
    connectionId: u32,
  })
  .map((o) => ({
    type: T.OFFERCHANNEL,
    ...o,
    monitorId: o.monitorAllocated ? o.monitorId % VMBUS_MONITOR_ID_COUNT : o.monitorId,
  }));

const gpadlHeader = fc
  .record({
    childRelid: relid,
    gpadl: u32,
    rangeCount: fc.integer({ min: 1, max: 0xffff }),
    byteCount: u32,
    byteOffset: u32,
    pfns: fc.array(pfn, { maxLength: GPADL_HEADER_MAX_PFNS }),
    extraWords: fc.integer({ min: 0, max: 8000 }),
  })
  .map(({ extraWords, ...m }) => {
    const minLen = GPA_RANGE_HEADER_BYTES + Math.max(1, m.pfns.length) * GPADL_WORD_BYTES;
    const rangeBufLen = Math.min(minLen + extraWords * GPADL_WORD_BYTES, 0xfff8);
    return { type: T.GPADL_HEADER, ...m, rangeBufLen };
  });

const versions = fc.oneof(fc.constantFrom(...Object.values(VmbusVersion)), u32);

const initiateContact = fc
  .record({
    vmbusVersionRequested: versions,
    targetVcpu: u32,
    interruptPage: u64,
    msgSint: u8,
    msgVtl: u8,
    monitorPage1: u64,
    monitorPage2: u64,
  })
  .map((m): InitiateContactMessage => {
    const modern = m.vmbusVersionRequested >= VmbusVersion.WIN10_V5;
    return {
      type: T.INITIATE_CONTACT,
      ...m,
      interruptPage: modern ? 0n : m.interruptPage,
      msgSint: modern ? m.msgSint : 0,
      msgVtl: modern ? m.msgVtl : 0,
    };
  });

/** One arbitrary per modelled message type, by CHANNELMSG_ name. */
export const messageArbitraries: Readonly<Record<string, fc.Arbitrary<ChannelMessage>>> = {
  OFFERCHANNEL: offer,
  RESCIND_CHANNELOFFER: relid.map((childRelid) => ({ type: T.RESCIND_CHANNELOFFER, childRelid })),
  REQUESTOFFERS: fc.constant({ type: T.REQUESTOFFERS }),
  ALLOFFERS_DELIVERED: fc.constant({ type: T.ALLOFFERS_DELIVERED }),
  OPENCHANNEL: fc
    .record({
      childRelid: relid,
      openId: u32,
      ringBufferGpadlHandle: u32,
      targetVp: u32,
      downstreamRingBufferPageOffset: u32,
      userData: userDefined,
    })
    .map((m) => ({ type: T.OPENCHANNEL, ...m })),
  OPENCHANNEL_RESULT: fc
    .record({ childRelid: relid, openId: u32, status: u32 })
    .map((m) => ({ type: T.OPENCHANNEL_RESULT, ...m })),
  CLOSECHANNEL: relid.map((childRelid) => ({ type: T.CLOSECHANNEL, childRelid })),
  GPADL_HEADER: gpadlHeader,
  GPADL_BODY: fc
    .record({ msgNumber: u32, gpadl: u32, pfns: fc.array(pfn, { maxLength: GPADL_BODY_MAX_PFNS }) })
    .map((m) => ({ type: T.GPADL_BODY, ...m })),
  GPADL_CREATED: fc
    .record({ childRelid: relid, gpadl: u32, creationStatus: u32 })
    .map((m) => ({ type: T.GPADL_CREATED, ...m })),
  GPADL_TEARDOWN: fc
    .record({ childRelid: relid, gpadl: u32 })
    .map((m) => ({ type: T.GPADL_TEARDOWN, ...m })),
  GPADL_TORNDOWN: u32.map((gpadl) => ({ type: T.GPADL_TORNDOWN, gpadl })),
  RELID_RELEASED: relid.map((childRelid) => ({ type: T.RELID_RELEASED, childRelid })),
  INITIATE_CONTACT: initiateContact,
  VERSION_RESPONSE: fc
    .record({ versionSupported: fc.boolean(), connectionState: u8, msgConnId: u32 })
    .map((m) => ({ type: T.VERSION_RESPONSE, ...m })),
  UNLOAD: fc.constant({ type: T.UNLOAD }),
  UNLOAD_RESPONSE: fc.constant({ type: T.UNLOAD_RESPONSE }),
  TL_CONNECT_REQUEST: fc
    .record({ guestEndpointId: anyGuid, hostServiceId: guid })
    .map((m) => ({ type: T.TL_CONNECT_REQUEST, ...m })),
  MODIFYCHANNEL: fc
    .record({ childRelid: relid, targetVp: u32 })
    .map((m) => ({ type: T.MODIFYCHANNEL, ...m })),
  TL_CONNECT_RESULT: fc
    .record({ endpointId: anyGuid, serviceId: anyGuid, status: u32 })
    .map((m) => ({ type: T.TL_CONNECT_RESULT, ...m })),
  MODIFYCHANNEL_RESPONSE: fc
    .record({ childRelid: relid, status: u32 })
    .map((m) => ({ type: T.MODIFYCHANNEL_RESPONSE, ...m })),
};

/** Any valid control message. */
export const anyChannelMessage: fc.Arbitrary<ChannelMessage> = fc.oneof(
  ...Object.values(messageArbitraries),
);
