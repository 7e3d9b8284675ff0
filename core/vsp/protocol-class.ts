/**
 * Which device class's protocol a guest packet speaks, read from its wire shape alone. The VSP
 * runtime uses it to count packets of another class's protocol that reach a VSP ("misrouted"):
 * since a channel only ever joins a VSC to a VSP of its own class (rule 11, refused by the
 * configuration check otherwise), only a buggy or hostile guest can write them (rule 37: the VSP
 * rejects them and the channel stops, rule 38).
 *
 * The two shapes cannot be mistaken for each other: every vstor_packet storvsc sends is 64 bytes
 * (48 before protocol 5.1) and starts with an operation 1–13; every NVSP message netvsc sends is
 * 40 bytes (28 before protocol 6.1) and starts with a message type 1–2 or 100–136. Anything else
 * — garbage, or the protocols of other classes, whose shapes are not told apart — is `undefined`.
 */
import type { DeviceClass } from '../model/index.js';
import {
  NVSP_61_MESSAGE_SIZE,
  NVSP_LEGACY_MESSAGE_SIZE,
  NVSP_MESSAGE_TYPE_MAX,
  NvspMessageType,
  VMSCSI_WIN8_EXTENSION_SIZE,
  VSTOR_OPERATION_MAXIMUM,
  VSTOR_PACKET_SIZE,
} from '../protocols/index.js';

/**
 * `sizeof(struct vstor_packet)` minus `vmscsi_size_delta` for hosts before Win8 (L: storvsc_drv.c
 * before "scsi: storvsc: Removing Pre Win8 related logic", 2022).
 */
const VSTOR_PACKET_SIZE_PRE_WIN8 = VSTOR_PACKET_SIZE - VMSCSI_WIN8_EXTENSION_SIZE;

/**
 * The class whose protocol `payload` is shaped like, or undefined. Reads four bytes at most;
 * no allocation (it runs once per packet).
 *
 * @example
 * protocolClassOf(nvspInitMessage) // 'network'
 * protocolClassOf(vstorExecuteSrb) // 'storage'
 */
export function protocolClassOf(payload: Uint8Array): DeviceClass | undefined {
  const n = payload.length;
  if (n < 4) return undefined;
  // Both protocols start with a little-endian u32 (vstor `operation`, NVSP `hdr.msg_type`).
  const first = (payload[0] | (payload[1] << 8) | (payload[2] << 16)) + payload[3] * 0x1000000;
  if (n === VSTOR_PACKET_SIZE || n === VSTOR_PACKET_SIZE_PRE_WIN8) {
    // L: storvsc_drv.c — operations run from VSTOR_OPERATION_COMPLETE_IO (1) to the maximum.
    return first >= 1 && first <= VSTOR_OPERATION_MAXIMUM ? 'storage' : undefined;
  }
  if (n === NVSP_61_MESSAGE_SIZE || n === NVSP_LEGACY_MESSAGE_SIZE) {
    // L: hyperv_net.h — NVSP_MSG_TYPE_INIT / INIT_COMPLETE, then the v1… v6 message types.
    const nvsp =
      first === NvspMessageType.INIT ||
      first === NvspMessageType.INIT_COMPLETE ||
      (first >= NvspMessageType.SEND_NDIS_VERSION && first <= NVSP_MESSAGE_TYPE_MAX);
    return nvsp ? 'network' : undefined;
  }
  return undefined;
}

/**
 * Whether a packet reaching a VSP of class `own` is shaped like another class's protocol. Only
 * storage and network VSPs are judged: their two protocols are the ones told apart by shape (an
 * integration-service message may look like an NVSP header, so other classes are never counted).
 *
 * @example
 * speaksAnotherClass(nvspInitMessage, 'storage') // true: NVSP reached a storage VSP
 * speaksAnotherClass(icHeartbeatMessage, 'heartbeat') // false: not judged
 */
export function speaksAnotherClass(payload: Uint8Array, own: DeviceClass): boolean {
  if (own !== 'storage' && own !== 'network') return false;
  const spoken = protocolClassOf(payload);
  return spoken !== undefined && spoken !== own;
}
