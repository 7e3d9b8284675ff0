/**
 * Integration-services (IC) framing shared by heartbeat, shutdown, time sync and KVP.
 * L: include/linux/hyperv.h (icmsg_hdr, icmsg_negotiate, heartbeat_msg_data),
 * include/uapi/linux/hyperv.h (UTIL_FW_VERSION), drivers/hv/hv_util.c.
 */

/** `icmsgtype` values (L: ICMSGTYPE_*). */
export const IcMessageType = {
  NEGOTIATE: 0,
  HEARTBEAT: 1,
  KVP_EXCHANGE: 2,
  SHUTDOWN: 3,
  TIMESYNC: 4,
  VSS: 5,
  FCOPY: 7,
} as const;

/** `icflags` bits (L: ICMSGHDRFLAG_*). */
export const IcMessageFlags = {
  TRANSACTION: 1,
  REQUEST: 2,
  RESPONSE: 4,
} as const;

/** `icmsg_hdr.status` values the guest answers with (L: HV_S_OK, HV_E_FAIL). */
export const HV_S_OK = 0x0000_0000;
export const HV_E_FAIL = 0x8000_4005;

/** Framework versions (L: UTIL_FW_VERSION 3.0, UTIL_WS2K8_FW_VERSION 1.0), preferred first. */
export const UTIL_FRAMEWORK_VERSIONS: readonly { major: number; minor: number }[] = Object.freeze([
  Object.freeze({ major: 3, minor: 0 }),
  Object.freeze({ major: 1, minor: 0 }),
]);

/** Heartbeat service versions (L: hv_util.c HB_VERSION 3.0, HB_VERSION_1 1.0), preferred first. */
export const HEARTBEAT_VERSIONS: readonly { major: number; minor: number }[] = Object.freeze([
  Object.freeze({ major: 3, minor: 0 }),
  Object.freeze({ major: 1, minor: 0 }),
]);

/** L: IC_VERSION_NEGOTIATION_MAX_VER_COUNT. */
export const IC_VERSION_NEGOTIATION_MAX_VER_COUNT = 100;

/** Wire sizes (L: hyperv.h, `__packed`). */
export const VMBUSPIPE_HDR_SIZE = 8; // flags u32, msgsize u32
export const ICMSG_HDR_STRUCT_SIZE = 20; // icverframe 4, icmsgtype 2, icvermsg 4, icmsgsize 2, status 4, id 1, flags 1, reserved 2
/** L: `ICMSG_HDR` = sizeof(vmbuspipe_hdr) + sizeof(icmsg_hdr). */
export const ICMSG_HDR = VMBUSPIPE_HDR_SIZE + ICMSG_HDR_STRUCT_SIZE;
export const ICMSG_NEGOTIATE_FIXED_SIZE = 8; // icframe_vercnt u16, icmsg_vercnt u16, reserved u32
export const IC_VERSION_SIZE = 4;
export const HEARTBEAT_MSG_DATA_SIZE = 40; // seq_num u64, reserved[8] u32

/** L: `ICMSG_NEGOTIATE_PKT_SIZE(fw, msg)`. */
export function icmsgNegotiatePacketSize(frameworkCount: number, messageCount: number): number {
  return ICMSG_HDR + ICMSG_NEGOTIATE_FIXED_SIZE + (frameworkCount + messageCount) * IC_VERSION_SIZE;
}

/** "Every two seconds, Hyper-V send us a heartbeat request message" (L: hv_util.c). */
export const HEARTBEAT_INTERVAL_NS = 2_000_000_000;
