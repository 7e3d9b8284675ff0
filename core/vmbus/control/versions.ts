/**
 * VMBus protocol versions and the INITIATE_CONTACT → VERSION_RESPONSE handshake (rule 11), as
 * pure functions. A version is (major << 16) | minor (L: include/linux/hyperv.h VERSION_*).
 */
import type { HostOs } from '../../model/index.js';
import {
  VMBUS_MESSAGE_CONNECTION_ID,
  VMBUS_MESSAGE_CONNECTION_ID_4,
  VMBUS_MESSAGE_SINT,
  VmbusConnectionState,
} from './constants.js';
import { ChannelMessageType } from './message-types.js';
import type { InitiateContactMessage, VersionResponseMessage } from './messages.js';

/** (major << 16) | minor. */
export function vmbusVersion(major: number, minor: number): number {
  return ((major & 0xffff) << 16) | (minor & 0xffff);
}

/** L: hyperv.h VERSION_* (comments name the Windows release each first shipped in). */
export const VmbusVersion = {
  /** 0.13, Windows Server 2008. */
  WS2008: vmbusVersion(0, 13),
  /** 1.1, Windows 7 / WS2008 R2. */
  WIN7: vmbusVersion(1, 1),
  /** 2.4, Windows 8 / WS2012. */
  WIN8: vmbusVersion(2, 4),
  /** 3.0, Windows 8.1 / WS2012 R2. */
  WIN8_1: vmbusVersion(3, 0),
  /** 4.0, Windows 10 / WS2016. */
  WIN10: vmbusVersion(4, 0),
  /** 4.1, Windows 10 RS3 (adds MODIFYCHANNEL). */
  WIN10_V4_1: vmbusVersion(4, 1),
  /** 5.0, newer Windows 10 (message connection id 4, msg_sint in INITIATE_CONTACT). */
  WIN10_V5: vmbusVersion(5, 0),
  /** 5.1, Windows 10 RS4 (msg_vtl). */
  WIN10_V5_1: vmbusVersion(5, 1),
  /** 5.2, Windows Server 2019 (RS5). */
  WIN10_V5_2: vmbusVersion(5, 2),
  /** 5.3, Windows Server 2022 (MODIFYCHANNEL_RESPONSE). */
  WIN10_V5_3: vmbusVersion(5, 3),
} as const;

/** Every version number the model knows, oldest first. */
export const KNOWN_VMBUS_VERSIONS: readonly number[] = [
  VmbusVersion.WS2008,
  VmbusVersion.WIN7,
  VmbusVersion.WIN8,
  VmbusVersion.WIN8_1,
  VmbusVersion.WIN10,
  VmbusVersion.WIN10_V4_1,
  VmbusVersion.WIN10_V5,
  VmbusVersion.WIN10_V5_1,
  VmbusVersion.WIN10_V5_2,
  VmbusVersion.WIN10_V5_3,
];

/**
 * The versions a Linux guest offers, newest first, one INITIATE_CONTACT each until the host says
 * yes (L: connection.c vmbus_versions[] and vmbus_connect(); WIN7 and WS2008 are "no longer
 * supported in the Linux kernel").
 */
export const LINUX_VMBUS_VERSIONS: readonly number[] = [
  VmbusVersion.WIN10_V5_3,
  VmbusVersion.WIN10_V5_2,
  VmbusVersion.WIN10_V5_1,
  VmbusVersion.WIN10_V5,
  VmbusVersion.WIN10_V4_1,
  VmbusVersion.WIN10,
  VmbusVersion.WIN8_1,
  VmbusVersion.WIN8,
];

/**
 * Newest version each host OS speaks (L: hyperv.h version comments: 4.0 Windows 10 (WS2016 is
 * Windows 10 1607), 5.2 "Windows Server 2019, RS5", 5.3 "Windows Server 2022").
 */
export const HOST_MAX_VMBUS_VERSION: Readonly<Record<HostOs, number>> = {
  ws2016: VmbusVersion.WIN10,
  ws2019: VmbusVersion.WIN10_V5_2,
  ws2022: VmbusVersion.WIN10_V5_3,
};

/** `"5.3"` for 0x50003. */
export function formatVmbusVersion(version: number): string {
  return `${version >>> 16}.${version & 0xffff}`;
}

/**
 * The message connection id INITIATE_CONTACT for `version` is posted to: 4 from VMBus 5.0
 * (VERSION_WIN10_V5) on, 1 before (L: connection.c vmbus_negotiate_version).
 */
export function messageConnectionIdFor(version: number): number {
  return version >= VmbusVersion.WIN10_V5
    ? VMBUS_MESSAGE_CONNECTION_ID_4
    : VMBUS_MESSAGE_CONNECTION_ID;
}

/** What the guest puts in INITIATE_CONTACT (the monitor pages and, before 5.0, the interrupt page). */
export interface GuestContactOptions {
  readonly version: number;
  /** VP the host should send control messages to (L: hv_cpu_number_to_vp_number(VMBUS_CONNECT_CPU)). */
  readonly targetVcpu?: number;
  /** GPA of the guest's interrupt page; only sent before 5.0. */
  readonly interruptPage?: bigint;
  readonly monitorPage1: bigint;
  readonly monitorPage2: bigint;
  /** The guest's VTL (L: ms_hyperv.vtl); only sent from 5.0. */
  readonly msgVtl?: number;
}

/**
 * The INITIATE_CONTACT a Linux guest sends for one version (L: connection.c
 * vmbus_negotiate_version): from 5.0 it names SINT2 and its VTL instead of an interrupt page.
 *
 * @example
 * ```ts
 * const msg = guestInitiateContact({ version: VmbusVersion.WIN10_V5_3, monitorPage1: 0x10000n, monitorPage2: 0x11000n });
 * const bytes = new Uint8Array(MAX_SIZE_CHANNEL_MESSAGE);
 * const size = encodeChannelMessage(msg, bytes); // 40, posted to connection messageConnectionIdFor(version) = 4
 * ```
 */
export function guestInitiateContact(options: GuestContactOptions): InitiateContactMessage {
  const modern = options.version >= VmbusVersion.WIN10_V5;
  return {
    type: ChannelMessageType.INITIATE_CONTACT,
    vmbusVersionRequested: options.version,
    targetVcpu: options.targetVcpu ?? 0,
    interruptPage: modern ? 0n : (options.interruptPage ?? 0n),
    msgSint: modern ? VMBUS_MESSAGE_SINT : 0,
    msgVtl: modern ? (options.msgVtl ?? 0) : 0,
    monitorPage1: options.monitorPage1,
    monitorPage2: options.monitorPage2,
  };
}

/** How the host's VMBus server answers INITIATE_CONTACT. */
export interface HostVmbusPolicy {
  /** Newest version the host speaks (see {@link HOST_MAX_VMBUS_VERSION}). */
  readonly maxVersion: number;
  /** Connection id handed to 5.0+ guests for later messages; default 4. */
  readonly messageConnectionId?: number;
}

const UNSUPPORTED: VersionResponseMessage = {
  type: ChannelMessageType.VERSION_RESPONSE,
  versionSupported: false,
  connectionState: VmbusConnectionState.SUCCESSFUL,
  msgConnId: 0,
};

/**
 * The host's VERSION_RESPONSE to one INITIATE_CONTACT (O: vmbus_server channels.rs
 * handle_initiate_contact / check_version_supported / send_version_response_with_target):
 * - a version the host does not know or is newer than its maximum: not supported (all zero);
 * - from 5.0, a message SINT other than 2, or (5.1+) a VTL other than 0: not supported (the model
 *   has one VMBus server, at VTL0 on SINT2; openvmm would forward to another VTL's server);
 * - exactly one monitor page given: a failure, reported as supported + FAILED_UNKNOWN_FAILURE from
 *   Win8 on, as unsupported before (pre-Win8 guests cannot read connection_state);
 * - otherwise supported, connection_state 0, and msg_conn_id = the message connection id from
 *   5.0 on, the selected version before.
 */
export function hostVersionResponse(
  request: InitiateContactMessage,
  policy: HostVmbusPolicy,
): VersionResponseMessage {
  const version = request.vmbusVersionRequested;
  if (!KNOWN_VMBUS_VERSIONS.includes(version) || version > policy.maxVersion) return UNSUPPORTED;
  if (version >= VmbusVersion.WIN10_V5 && request.msgSint !== VMBUS_MESSAGE_SINT)
    return UNSUPPORTED;
  if (version >= VmbusVersion.WIN10_V5_1 && request.msgVtl !== 0) return UNSUPPORTED;
  const monitorPagesInvalid = (request.monitorPage1 === 0n) !== (request.monitorPage2 === 0n);
  if (monitorPagesInvalid && version < VmbusVersion.WIN8) return UNSUPPORTED;
  const modern = version >= VmbusVersion.WIN10_V5;
  return {
    type: ChannelMessageType.VERSION_RESPONSE,
    versionSupported: true,
    connectionState: monitorPagesInvalid
      ? VmbusConnectionState.FAILED_UNKNOWN_FAILURE
      : VmbusConnectionState.SUCCESSFUL,
    msgConnId: modern ? (policy.messageConnectionId ?? VMBUS_MESSAGE_CONNECTION_ID_4) : version,
  };
}

/** The guest's view after a VERSION_RESPONSE. */
export interface GuestContactOutcome {
  /** L: conn_state = CONNECTED iff version_supported (connection_state is not consulted). */
  readonly connected: boolean;
  /** Connection id for every later message: the response's msg_conn_id from 5.0, else 1. */
  readonly messageConnectionId: number;
}

/** How a Linux guest reads a VERSION_RESPONSE to its request for `version` (L: vmbus_negotiate_version). */
export function guestContactOutcome(
  version: number,
  response: VersionResponseMessage,
): GuestContactOutcome {
  return {
    connected: response.versionSupported,
    messageConnectionId:
      version >= VmbusVersion.WIN10_V5 ? response.msgConnId : VMBUS_MESSAGE_CONNECTION_ID,
  };
}

/** Result of a whole negotiation. */
export interface VmbusNegotiation {
  /** The agreed version, or `undefined` when the host accepted none (L: -EDOM). */
  readonly version: number | undefined;
  readonly messageConnectionId: number | undefined;
  /** Every version the guest asked for, in order. */
  readonly attempts: readonly number[];
}

/** Options of {@link negotiateVmbusVersion}. */
export interface NegotiationOptions {
  readonly host: HostVmbusPolicy;
  /** Versions the guest tries, newest first; default {@link LINUX_VMBUS_VERSIONS}. */
  readonly guestVersions?: readonly number[];
  /** L: the vmbus max_version module parameter; versions above it are skipped. */
  readonly guestMaxVersion?: number;
  readonly monitorPage1?: bigint;
  readonly monitorPage2?: bigint;
}

/**
 * Runs the guest's version loop against the host's policy, purely (L: connection.c
 * vmbus_connect; O: check_version_supported).
 *
 * @example
 * ```ts
 * const n = negotiateVmbusVersion({ host: { maxVersion: HOST_MAX_VMBUS_VERSION.ws2016 } });
 * // n.version === VmbusVersion.WIN10 after trying 5.3, 5.2, 5.1, 5.0, 4.1 and 4.0; n.messageConnectionId === 1
 * ```
 */
export function negotiateVmbusVersion(options: NegotiationOptions): VmbusNegotiation {
  const attempts: number[] = [];
  for (const version of options.guestVersions ?? LINUX_VMBUS_VERSIONS) {
    if (options.guestMaxVersion !== undefined && version > options.guestMaxVersion) continue;
    attempts.push(version);
    const request = guestInitiateContact({
      version,
      monitorPage1: options.monitorPage1 ?? 0x1000n,
      monitorPage2: options.monitorPage2 ?? 0x2000n,
    });
    const outcome = guestContactOutcome(version, hostVersionResponse(request, options.host));
    if (outcome.connected) {
      return { version, messageConnectionId: outcome.messageConnectionId, attempts };
    }
  }
  return { version: undefined, messageConnectionId: undefined, attempts };
}
