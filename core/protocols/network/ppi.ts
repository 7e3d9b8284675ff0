import { checkU32, checkUint } from '../codec/bounds.js';
import { readU32, writeU32 } from '../codec/le.js';
import { NdisPerPacketInfoType } from './constants.js';
import type { RndisPerPacketInfo } from './rndis.js';

/**
 * Typed views of the per-packet info netvsc and the vSwitch attach to RNDIS data packets
 * (L: hyperv_net.h `ndis_tcp_ip_checksum_info`, `ndis_pkt_8021q_info`, NBL hash value).
 */

/** A per-packet-info element holding one u32 (the common case: hash, checksum, VLAN). */
export function ppiU32(type: number, value: number, internal = false): RndisPerPacketInfo {
  const data = new Uint8Array(4);
  writeU32(data, 0, checkU32(value, 'ppi value'));
  return { type, internal, data };
}

/** The first element of `type` (L: rndis_get_ppi matches type and the internal bit). */
export function findPpi(
  perPacketInfo: readonly RndisPerPacketInfo[],
  type: number,
  internal = false,
): RndisPerPacketInfo | undefined {
  return perPacketInfo.find((p) => p.type === type && p.internal === internal);
}

/** The u32 at the start of an element's data, or `undefined` if it holds fewer than 4 bytes. */
export function readPpiU32(ppi: RndisPerPacketInfo | undefined): number | undefined {
  return ppi !== undefined && ppi.data.length >= 4 ? readU32(ppi.data, 0) : undefined;
}

/** The RSS hash of a received frame (NBL_HASH_VALUE). */
export function hashValuePpi(hash: number): RndisPerPacketInfo {
  return ppiU32(NdisPerPacketInfoType.NBL_HASH_VALUE, hash);
}

/** What the guest asks the host to checksum on transmit (`transmit` view of the union). */
export interface ChecksumTransmitInfo {
  readonly isIpv4: boolean;
  readonly isIpv6: boolean;
  readonly tcpChecksum: boolean;
  readonly udpChecksum: boolean;
  readonly ipHeaderChecksum: boolean;
  /** Bits 16..25: where the TCP header starts in the frame. */
  readonly tcpHeaderOffset: number;
}

/** L: `ndis_tcp_ip_checksum_info.transmit` — is_ipv4:1 is_ipv6:1 tcp:1 udp:1 ip:1 reserved:11 offset:10. */
export function encodeChecksumTransmitInfo(info: ChecksumTransmitInfo): number {
  return (
    ((info.isIpv4 ? 1 : 0) |
      (info.isIpv6 ? 2 : 0) |
      (info.tcpChecksum ? 4 : 0) |
      (info.udpChecksum ? 8 : 0) |
      (info.ipHeaderChecksum ? 16 : 0) |
      (checkUint(info.tcpHeaderOffset, 0x3ff, 'csum.tcpHeaderOffset') << 16)) >>>
    0
  );
}

export function decodeChecksumTransmitInfo(value: number): ChecksumTransmitInfo {
  return {
    isIpv4: (value & 1) !== 0,
    isIpv6: (value & 2) !== 0,
    tcpChecksum: (value & 4) !== 0,
    udpChecksum: (value & 8) !== 0,
    ipHeaderChecksum: (value & 16) !== 0,
    tcpHeaderOffset: (value >>> 16) & 0x3ff,
  };
}

/** What the host reports about a received frame's checksums (`receive` view). */
export interface ChecksumReceiveInfo {
  readonly tcpChecksumFailed: boolean;
  readonly udpChecksumFailed: boolean;
  readonly ipChecksumFailed: boolean;
  readonly tcpChecksumSucceeded: boolean;
  readonly udpChecksumSucceeded: boolean;
  readonly ipChecksumSucceeded: boolean;
  readonly loopback: boolean;
}

const RECEIVE_BITS: readonly (keyof ChecksumReceiveInfo)[] = [
  'tcpChecksumFailed',
  'udpChecksumFailed',
  'ipChecksumFailed',
  'tcpChecksumSucceeded',
  'udpChecksumSucceeded',
  'ipChecksumSucceeded',
  'loopback',
];

export function encodeChecksumReceiveInfo(info: ChecksumReceiveInfo): number {
  let value = 0;
  RECEIVE_BITS.forEach((name, bit) => {
    if (info[name]) value |= 1 << bit;
  });
  return value;
}

export function decodeChecksumReceiveInfo(value: number): ChecksumReceiveInfo {
  return {
    tcpChecksumFailed: (value & 0x01) !== 0,
    udpChecksumFailed: (value & 0x02) !== 0,
    ipChecksumFailed: (value & 0x04) !== 0,
    tcpChecksumSucceeded: (value & 0x08) !== 0,
    udpChecksumSucceeded: (value & 0x10) !== 0,
    ipChecksumSucceeded: (value & 0x20) !== 0,
    loopback: (value & 0x40) !== 0,
  };
}

/** 802.1Q tag (L: `ndis_pkt_8021q_info` — pri:3 cfi:1 vlanid:12). */
export interface Ieee8021qInfo {
  readonly priority: number;
  readonly cfi: boolean;
  readonly vlanId: number;
}

export function encodeIeee8021qInfo(info: Ieee8021qInfo): number {
  return (
    checkUint(info.priority, 7, 'vlan.priority') |
    (info.cfi ? 8 : 0) |
    (checkUint(info.vlanId, 0xfff, 'vlan.vlanId') << 4)
  );
}

export function decodeIeee8021qInfo(value: number): Ieee8021qInfo {
  return { priority: value & 7, cfi: (value & 8) !== 0, vlanId: (value >>> 4) & 0xfff };
}
