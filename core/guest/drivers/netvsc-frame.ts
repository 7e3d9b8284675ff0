/**
 * The Ethernet frames the model puts on the wire. Only the 14-byte Ethernet header is real bytes;
 * the payload is modelled by sizes and copy costs. A client is told apart by its source MAC: a
 * locally administered address (first octet 0x02) whose last four octets are the flow's tag, so
 * whoever receives the frame — netvsc from its receive buffer, the tulip driver from its DMA
 * buffer — can tell which client request it carries without the model passing anything aside.
 * Adapters use Microsoft's Hyper-V OUI 00-15-5D, as Hyper-V's dynamic MAC pool does.
 */
import { encodeRndisMessage } from '../../protocols/index.js';

export const ETHERNET_HEADER_BYTES = 14;
/** Ethernet payload of a standard frame (MTU). */
export const ETHERNET_MTU = 1500;
/** L: include/uapi/linux/if_ether.h ETH_P_IP. */
const ETH_P_IP = 0x0800;
/** WS: Hyper-V's MAC address pool starts with the OUI 00-15-5D. */
export const HYPER_V_OUI = [0x00, 0x15, 0x5d] as const;

/** The MAC address of a VM's `index`-th adapter: 00-15-5D-00-00-index. */
export function adapterMac(index: number): Uint8Array {
  return Uint8Array.of(HYPER_V_OUI[0], HYPER_V_OUI[1], HYPER_V_OUI[2], 0, 0, index & 0xff);
}

/**
 * Writes the Ethernet header of a client's frame for flow `tag` at `offset` (destination: the
 * adapter, source: the client). Returns the bytes written.
 */
export function writeClientFrameHeader(target: Uint8Array, offset: number, tag: number): number {
  const t = tag >>> 0;
  target[offset] = HYPER_V_OUI[0];
  target[offset + 1] = HYPER_V_OUI[1];
  target[offset + 2] = HYPER_V_OUI[2];
  target[offset + 3] = 0;
  target[offset + 4] = 0;
  target[offset + 5] = 0;
  target[offset + 6] = 0x02; // locally administered, unicast
  target[offset + 7] = 0x00;
  target[offset + 8] = t >>> 24;
  target[offset + 9] = (t >>> 16) & 0xff;
  target[offset + 10] = (t >>> 8) & 0xff;
  target[offset + 11] = t & 0xff;
  target[offset + 12] = ETH_P_IP >>> 8;
  target[offset + 13] = ETH_P_IP & 0xff;
  return ETHERNET_HEADER_BYTES;
}

/** The flow tag in a client frame's source MAC, or -1 when the bytes are not a client frame. */
export function clientFrameTag(bytes: Uint8Array, offset: number, length: number): number {
  if (
    length < ETHERNET_HEADER_BYTES ||
    offset < 0 ||
    offset + ETHERNET_HEADER_BYTES > bytes.length ||
    bytes[offset + 6] !== 0x02
  ) {
    return -1;
  }
  return (
    ((bytes[offset + 8] << 24) |
      (bytes[offset + 9] << 16) |
      (bytes[offset + 10] << 8) |
      bytes[offset + 11]) >>>
    0
  );
}

const NO_DATA = new Uint8Array(0);

function setU32(target: Uint8Array, at: number, value: number): void {
  target[at] = value & 0xff;
  target[at + 1] = (value >>> 8) & 0xff;
  target[at + 2] = (value >>> 16) & 0xff;
  target[at + 3] = (value >>> 24) & 0xff;
}

/**
 * Writes the RNDIS packet message header (L: `struct rndis_message` + `struct rndis_packet`, no
 * per-packet info) for a frame of `frameBytes`, at `offset`, and returns the header's size: the
 * frame follows it. Only headers are real bytes in the model — the sender's copy of the payload
 * is charged as CPU, not performed — so the message's `msg_len` and `data_len` name a frame
 * whose bytes after the Ethernet header are whatever the buffer held.
 */
export function writeRndisPacketHeader(
  target: Uint8Array,
  offset: number,
  frameBytes: number,
): number {
  const header = encodeRndisMessage(
    { kind: 'packet', data: NO_DATA, perPacketInfo: [], vcHandle: 0 },
    target,
    offset,
  );
  setU32(target, offset + 4, header + frameBytes); // msg_len
  setU32(target, offset + 12, frameBytes); // rndis_packet.data_len
  return header;
}
