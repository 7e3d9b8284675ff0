/**
 * Field checks the encoder runs before writing: everything the decoder would reject, and
 * everything that does not fit its wire field, is our own bug (rule 15 relids, 120-byte user
 * data, GPADL word counts, the INITIATE_CONTACT union matching the version).
 */
import { VMBUS_MONITOR_ID_COUNT } from './constants.js';
import {
  checkCondition,
  checkGuid,
  checkPfn,
  checkRelid,
  checkU16,
  checkU32,
  checkU64,
  checkU8,
  checkUserDefined,
} from './field-checks.js';
import { GPADL_BODY_MAX_PFNS, GPADL_HEADER_MAX_PFNS, GPADL_WORD_BYTES } from './gpadl-limits.js';
import { ChannelMessageType } from './message-types.js';
import type {
  ChannelMessage,
  GpadlBodyMessage,
  GpadlHeaderMessage,
  InitiateContactMessage,
  OfferChannelMessage,
  OpenChannelMessage,
} from './messages.js';
import { VmbusVersion } from './versions.js';

/** Validates every field before a single byte is written. */
export function checkMessageFields(m: ChannelMessage): void {
  switch (m.type) {
    case ChannelMessageType.OFFERCHANNEL:
      checkOffer(m);
      return;
    case ChannelMessageType.RESCIND_CHANNELOFFER:
    case ChannelMessageType.CLOSECHANNEL:
    case ChannelMessageType.RELID_RELEASED:
      checkRelid('childRelid', m.childRelid);
      return;
    case ChannelMessageType.REQUESTOFFERS:
    case ChannelMessageType.ALLOFFERS_DELIVERED:
    case ChannelMessageType.UNLOAD:
    case ChannelMessageType.UNLOAD_RESPONSE:
      return;
    case ChannelMessageType.OPENCHANNEL:
      checkOpenChannel(m);
      return;
    case ChannelMessageType.OPENCHANNEL_RESULT:
      checkRelid('childRelid', m.childRelid);
      checkU32('openId', m.openId);
      checkU32('status', m.status);
      return;
    case ChannelMessageType.GPADL_HEADER:
      checkGpadlHeader(m);
      return;
    case ChannelMessageType.GPADL_BODY:
      checkGpadlBody(m);
      return;
    case ChannelMessageType.GPADL_CREATED:
      checkRelid('childRelid', m.childRelid);
      checkU32('gpadl', m.gpadl);
      checkU32('creationStatus', m.creationStatus);
      return;
    case ChannelMessageType.GPADL_TEARDOWN:
      checkRelid('childRelid', m.childRelid);
      checkU32('gpadl', m.gpadl);
      return;
    case ChannelMessageType.GPADL_TORNDOWN:
      checkU32('gpadl', m.gpadl);
      return;
    case ChannelMessageType.INITIATE_CONTACT:
      checkInitiateContact(m);
      return;
    case ChannelMessageType.VERSION_RESPONSE:
      checkU8('connectionState', m.connectionState);
      checkU32('msgConnId', m.msgConnId);
      return;
    case ChannelMessageType.TL_CONNECT_REQUEST:
      checkGuid('guestEndpointId', m.guestEndpointId);
      checkGuid('hostServiceId', m.hostServiceId);
      return;
    case ChannelMessageType.MODIFYCHANNEL:
      checkRelid('childRelid', m.childRelid);
      checkU32('targetVp', m.targetVp);
      return;
    case ChannelMessageType.TL_CONNECT_RESULT:
      checkGuid('endpointId', m.endpointId);
      checkGuid('serviceId', m.serviceId);
      checkU32('status', m.status);
      return;
    case ChannelMessageType.MODIFYCHANNEL_RESPONSE:
      checkRelid('childRelid', m.childRelid);
      checkU32('status', m.status);
      return;
  }
}

function checkOffer(m: OfferChannelMessage): void {
  const o = m.offer;
  checkGuid('offer.ifType', o.ifType);
  checkGuid('offer.ifInstance', o.ifInstance);
  checkU16('offer.chnFlags', o.chnFlags);
  checkU16('offer.mmioMegabytes', o.mmioMegabytes);
  checkUserDefined('offer.userDef', o.userDef);
  checkU16('offer.subChannelIndex', o.subChannelIndex);
  checkRelid('childRelid', m.childRelid);
  checkU8('monitorId', m.monitorId);
  checkCondition(
    !m.monitorAllocated || m.monitorId < VMBUS_MONITOR_ID_COUNT,
    'monitorId',
    `below ${VMBUS_MONITOR_ID_COUNT} when monitorAllocated`,
    m.monitorId,
  );
  checkU32('connectionId', m.connectionId);
}

function checkOpenChannel(m: OpenChannelMessage): void {
  checkRelid('childRelid', m.childRelid);
  checkU32('openId', m.openId);
  checkU32('ringBufferGpadlHandle', m.ringBufferGpadlHandle);
  checkU32('targetVp', m.targetVp);
  checkU32('downstreamRingBufferPageOffset', m.downstreamRingBufferPageOffset);
  checkUserDefined('userData', m.userData);
}

function checkGpadlHeader(m: GpadlHeaderMessage): void {
  checkRelid('childRelid', m.childRelid);
  checkU32('gpadl', m.gpadl);
  checkU16('rangeCount', m.rangeCount);
  checkCondition(m.rangeCount >= 1, 'rangeCount', 'at least 1', m.rangeCount);
  checkU16('rangeBufLen', m.rangeBufLen);
  checkCondition(
    m.rangeBufLen % GPADL_WORD_BYTES === 0 && m.rangeBufLen >= 2 * GPADL_WORD_BYTES,
    'rangeBufLen',
    'a multiple of 8 holding a range header and a page (≥ 16)',
    m.rangeBufLen,
  );
  checkU32('byteCount', m.byteCount);
  checkU32('byteOffset', m.byteOffset);
  checkCondition(
    m.pfns.length <= GPADL_HEADER_MAX_PFNS,
    'pfns',
    `at most ${GPADL_HEADER_MAX_PFNS} in a GPADL_HEADER`,
    m.pfns.length,
  );
  const wordsHere = 1 + m.pfns.length;
  checkCondition(
    wordsHere * GPADL_WORD_BYTES <= m.rangeBufLen,
    'rangeBufLen',
    `at least ${wordsHere * GPADL_WORD_BYTES} (the words this message carries)`,
    m.rangeBufLen,
  );
  m.pfns.forEach((pfn, i) => {
    checkPfn(`pfns[${i}]`, pfn);
  });
}

function checkGpadlBody(m: GpadlBodyMessage): void {
  checkU32('msgNumber', m.msgNumber);
  checkU32('gpadl', m.gpadl);
  checkCondition(
    m.pfns.length <= GPADL_BODY_MAX_PFNS,
    'pfns',
    `at most ${GPADL_BODY_MAX_PFNS} in a GPADL_BODY`,
    m.pfns.length,
  );
  m.pfns.forEach((pfn, i) => {
    checkPfn(`pfns[${i}]`, pfn);
  });
}

function checkInitiateContact(m: InitiateContactMessage): void {
  checkU32('vmbusVersionRequested', m.vmbusVersionRequested);
  checkU32('targetVcpu', m.targetVcpu);
  checkU64('monitorPage1', m.monitorPage1);
  checkU64('monitorPage2', m.monitorPage2);
  if (m.vmbusVersionRequested >= VmbusVersion.WIN10_V5) {
    checkCondition(
      m.interruptPage === 0n,
      'interruptPage',
      '0n from VMBus 5.0 (the union holds msgSint)',
      m.interruptPage,
    );
    checkU8('msgSint', m.msgSint);
    checkU8('msgVtl', m.msgVtl);
  } else {
    checkU64('interruptPage', m.interruptPage);
    checkCondition(
      m.msgSint === 0 && m.msgVtl === 0,
      'msgSint/msgVtl',
      '0 before VMBus 5.0',
      `${m.msgSint}/${m.msgVtl}`,
    );
  }
}
