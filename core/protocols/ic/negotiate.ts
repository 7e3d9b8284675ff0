import {
  HEARTBEAT_VERSIONS,
  HV_E_FAIL,
  HV_S_OK,
  IcMessageFlags,
  UTIL_FRAMEWORK_VERSIONS,
} from './constants.js';
import type { IcMessage, IcVersion } from './icmsg.js';

/** What the guest settled on. */
export interface IcNegotiation {
  readonly found: boolean;
  readonly frameworkVersion: IcVersion | undefined;
  readonly serviceVersion: IcVersion | undefined;
  /** The negotiate message to send back. */
  readonly response: IcMessage;
}

function pick(
  supported: readonly IcVersion[],
  offered: readonly IcVersion[],
): IcVersion | undefined {
  for (const mine of supported) {
    if (offered.some((v) => v.major === mine.major && v.minor === mine.minor)) return mine;
  }
  return undefined;
}

/**
 * The guest's answer to the host's NEGOTIATE (L: vmbus_prep_negotiate_resp): the first of the
 * guest's framework versions the host offered, then the first of its service versions; the
 * response carries one of each (counts 1/1), or none (counts 0/0) when either is missing.
 * `icmsgsize` is set to 0x10 and the flags to TRANSACTION | RESPONSE as Linux does.
 *
 * @example
 * const n = negotiateIcVersions(request); // heartbeat: framework 3.0, service 3.0
 */
export function negotiateIcVersions(
  request: IcMessage,
  frameworkVersions: readonly IcVersion[] = UTIL_FRAMEWORK_VERSIONS,
  serviceVersions: readonly IcVersion[] = HEARTBEAT_VERSIONS,
): IcNegotiation {
  const offered =
    request.body.kind === 'negotiate'
      ? request.body
      : { frameworkVersions: [], messageVersions: [] };
  const framework = pick(frameworkVersions, offered.frameworkVersions);
  const service =
    framework === undefined ? undefined : pick(serviceVersions, offered.messageVersions);
  const found = framework !== undefined && service !== undefined;
  return {
    found,
    frameworkVersion: framework,
    serviceVersion: service,
    response: {
      header: {
        ...request.header,
        messageSize: 0x10,
        status: HV_S_OK,
        flags: IcMessageFlags.TRANSACTION | IcMessageFlags.RESPONSE,
      },
      body: {
        kind: 'negotiate',
        frameworkVersions: found ? [framework] : [],
        messageVersions: found ? [service] : [],
      },
    },
  };
}

/**
 * The guest's heartbeat answer: the same message with `seq_num + 1` (wrapping at 2^64) and
 * the flags TRANSACTION | RESPONSE (L: heartbeat_onchannelcallback). A message that is not a
 * heartbeat is echoed with status HV_E_FAIL, as Linux does for an unexpected type.
 *
 * @example
 * const r = decodeIcMessage(payload, 0, payload.length);
 * if (r.ok) send(r.value.body.kind === 'negotiate' ? negotiateIcVersions(r.value).response : heartbeatResponse(r.value));
 */
export function heartbeatResponse(request: IcMessage): IcMessage {
  const flags = IcMessageFlags.TRANSACTION | IcMessageFlags.RESPONSE;
  if (request.body.kind !== 'heartbeat') {
    return { header: { ...request.header, status: HV_E_FAIL, flags }, body: request.body };
  }
  return {
    header: { ...request.header, flags },
    body: {
      kind: 'heartbeat',
      sequenceNumber: (request.body.sequenceNumber + 1n) & 0xffff_ffff_ffff_ffffn,
    },
  };
}
