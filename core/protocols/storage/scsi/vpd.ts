import {
  badWindow,
  checkMaxBytes,
  checkTarget,
  checkU16,
  checkU32,
  checkU8,
  checkUint,
  truncated,
} from '../../codec/bounds.js';
import { copyBytes, readU16BE, readU32BE, writeU16BE, writeU32BE } from '../../codec/le.js';
import { decoded } from '../../codec/result.js';
import type { DecodeResult } from '../../codec/result.js';

/**
 * Vital product data pages (SPC-4 §7.8, SBC-3 §6.6): a 4-byte header — qualifier/device type,
 * page code, page length (big-endian u16) — then the page's payload.
 */
export interface VpdPage {
  readonly peripheralQualifier: number;
  readonly deviceType: number;
  readonly pageCode: number;
  /** The bytes after the 4-byte header (a view into the input when decoded). */
  readonly payload: Uint8Array;
}

const VPD_HEADER = 4;

/** Writes a VPD page; returns 4 + payload length. */
export function encodeVpdPage(page: VpdPage, target: Uint8Array, offset: number): number {
  checkMaxBytes(page.payload, 0xffff, 'vpd.payload');
  const size = VPD_HEADER + page.payload.length;
  checkTarget(target, offset, size, 'vpd page');
  target[offset] =
    (checkUint(page.peripheralQualifier, 7, 'vpd.peripheralQualifier') << 5) |
    checkUint(page.deviceType, 0x1f, 'vpd.deviceType');
  target[offset + 1] = checkU8(page.pageCode, 'vpd.pageCode');
  writeU16BE(target, offset + 2, page.payload.length);
  copyBytes(page.payload, 0, target, offset + VPD_HEADER, page.payload.length);
  return size;
}

/** Reads a VPD page; rejects a page length that runs past the bytes supplied. */
export function decodeVpdPage(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<VpdPage> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < VPD_HEADER) return truncated('VPD header', VPD_HEADER, length);
  const pageLength = readU16BE(bytes, offset + 2);
  if (VPD_HEADER + pageLength > length) {
    return truncated(
      `VPD page 0x${bytes[offset + 1].toString(16)}`,
      VPD_HEADER + pageLength,
      length,
    );
  }
  return decoded({
    peripheralQualifier: bytes[offset] >>> 5,
    deviceType: bytes[offset] & 0x1f,
    pageCode: bytes[offset + 1],
    payload: bytes.subarray(offset + VPD_HEADER, offset + VPD_HEADER + pageLength),
  });
}

/** Page 0x00: the list of supported page codes, ascending. */
export function supportedPagesPayload(pageCodes: readonly number[]): Uint8Array {
  return Uint8Array.from(pageCodes, (code) => checkU8(code, 'supportedPages.code'));
}

/** Page 0x80 (and any ASCII page): the text as bytes. */
export function asciiPayload(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => checkUint(ch.charCodeAt(0), 0x7e, 'vpd.ascii'));
}

/** Page 0x80 payload as text. */
export function readAsciiPayload(payload: Uint8Array): string {
  let text = '';
  for (const byte of payload) text += String.fromCharCode(byte);
  return text;
}

/** One designation descriptor of page 0x83 (SPC-4 §7.8.6). */
export interface VpdDesignator {
  readonly protocolIdentifier: number;
  /** 1 binary, 2 ASCII, 3 UTF-8. */
  readonly codeSet: number;
  readonly piv: boolean;
  /** 0 logical unit, 1 target port, 2 target device. */
  readonly association: number;
  /** e.g. 1 T10 vendor ID, 2 EUI-64, 3 NAA, 8 SCSI name string. */
  readonly designatorType: number;
  readonly identifier: Uint8Array;
}

/** Page 0x83 payload from its designators. */
export function deviceIdentificationPayload(designators: readonly VpdDesignator[]): Uint8Array {
  let size = 0;
  for (const d of designators)
    size += 4 + checkMaxBytes(d.identifier, 0xff, 'designator.identifier').length;
  const out = new Uint8Array(size);
  let o = 0;
  for (const d of designators) {
    out[o] =
      (checkUint(d.protocolIdentifier, 0xf, 'designator.protocolIdentifier') << 4) |
      checkUint(d.codeSet, 0xf, 'designator.codeSet');
    out[o + 1] =
      (d.piv ? 0x80 : 0) |
      (checkUint(d.association, 3, 'designator.association') << 4) |
      checkUint(d.designatorType, 0xf, 'designator.designatorType');
    out[o + 3] = d.identifier.length;
    out.set(d.identifier, o + 4);
    o += 4 + d.identifier.length;
  }
  return out;
}

/** Reads the designators of a page 0x83 payload; each must fit in the payload. */
export function decodeDeviceIdentificationPayload(
  payload: Uint8Array,
): DecodeResult<VpdDesignator[]> {
  const designators: VpdDesignator[] = [];
  let o = 0;
  while (o < payload.length) {
    if (payload.length - o < 4)
      return truncated('designation descriptor header', 4, payload.length - o);
    const idLength = payload[o + 3];
    if (4 + idLength > payload.length - o) {
      return truncated('designator', 4 + idLength, payload.length - o);
    }
    designators.push({
      protocolIdentifier: payload[o] >>> 4,
      codeSet: payload[o] & 0xf,
      piv: (payload[o + 1] & 0x80) !== 0,
      association: (payload[o + 1] >>> 4) & 3,
      designatorType: payload[o + 1] & 0xf,
      identifier: payload.subarray(o + 4, o + 4 + idLength),
    });
    o += 4 + idLength;
  }
  return decoded(designators);
}

/** Page 0xB0 (SBC-3 §6.6.3): transfer and unmap limits, in logical blocks. */
export interface BlockLimits {
  readonly optimalTransferLengthGranularity: number;
  readonly maximumTransferLength: number;
  readonly optimalTransferLength: number;
  readonly maximumUnmapLbaCount: number;
  readonly maximumUnmapBlockDescriptorCount: number;
  readonly optimalUnmapGranularity: number;
}

/** Page length of the block limits page (0x3C). */
const BLOCK_LIMITS_PAYLOAD = 0x3c;

/** Page 0xB0 payload (60 bytes). */
export function blockLimitsPayload(limits: BlockLimits): Uint8Array {
  const out = new Uint8Array(BLOCK_LIMITS_PAYLOAD);
  writeU16BE(out, 2, checkU16(limits.optimalTransferLengthGranularity, 'blockLimits.otlg'));
  writeU32BE(out, 4, checkU32(limits.maximumTransferLength, 'blockLimits.maximumTransferLength'));
  writeU32BE(out, 8, checkU32(limits.optimalTransferLength, 'blockLimits.optimalTransferLength'));
  writeU32BE(out, 16, checkU32(limits.maximumUnmapLbaCount, 'blockLimits.maximumUnmapLbaCount'));
  writeU32BE(out, 20, checkU32(limits.maximumUnmapBlockDescriptorCount, 'blockLimits.mubdc'));
  writeU32BE(
    out,
    24,
    checkU32(limits.optimalUnmapGranularity, 'blockLimits.optimalUnmapGranularity'),
  );
  return out;
}

/** Reads a page 0xB0 payload; needs the fields through OPTIMAL UNMAP GRANULARITY (28 bytes). */
export function decodeBlockLimitsPayload(payload: Uint8Array): DecodeResult<BlockLimits> {
  if (payload.length < 28) return truncated('block limits', 28, payload.length);
  return decoded({
    optimalTransferLengthGranularity: readU16BE(payload, 2),
    maximumTransferLength: readU32BE(payload, 4),
    optimalTransferLength: readU32BE(payload, 8),
    maximumUnmapLbaCount: readU32BE(payload, 16),
    maximumUnmapBlockDescriptorCount: readU32BE(payload, 20),
    optimalUnmapGranularity: readU32BE(payload, 24),
  });
}

/** Page 0xB1 payload (60 bytes): MEDIUM ROTATION RATE, 1 = non-rotating (an SSD/virtual disk). */
export function blockDeviceCharacteristicsPayload(mediumRotationRate: number): Uint8Array {
  const out = new Uint8Array(0x3c);
  writeU16BE(out, 0, checkU16(mediumRotationRate, 'mediumRotationRate'));
  return out;
}

/** Reads MEDIUM ROTATION RATE from a page 0xB1 payload. */
export function decodeBlockDeviceCharacteristicsPayload(payload: Uint8Array): DecodeResult<number> {
  if (payload.length < 2) return truncated('block device characteristics', 2, payload.length);
  return decoded(readU16BE(payload, 0));
}

/** Page 0xB2 (SBC-3 §6.6.4): how unmap/thin provisioning behaves. */
export interface LogicalBlockProvisioning {
  readonly thresholdExponent: number;
  /** UNMAP supported. */
  readonly lbpu: boolean;
  readonly lbpws: boolean;
  readonly lbpws10: boolean;
  /** What unmapped blocks read back as (0 = unspecified, 1 = zeros). */
  readonly lbprz: number;
  readonly ancSup: boolean;
  /** 0 fully provisioned, 1 resource provisioned, 2 thin provisioned. */
  readonly provisioningType: number;
}

/** Page 0xB2 payload (4 bytes). */
export function logicalBlockProvisioningPayload(p: LogicalBlockProvisioning): Uint8Array {
  const out = new Uint8Array(4);
  out[0] = checkU8(p.thresholdExponent, 'lbp.thresholdExponent');
  out[1] =
    (p.lbpu ? 0x80 : 0) |
    (p.lbpws ? 0x40 : 0) |
    (p.lbpws10 ? 0x20 : 0) |
    (checkUint(p.lbprz, 7, 'lbp.lbprz') << 2) |
    (p.ancSup ? 0x02 : 0);
  out[2] = checkUint(p.provisioningType, 7, 'lbp.provisioningType');
  return out;
}

/** Reads a page 0xB2 payload. */
export function decodeLogicalBlockProvisioningPayload(
  payload: Uint8Array,
): DecodeResult<LogicalBlockProvisioning> {
  if (payload.length < 3) return truncated('logical block provisioning', 3, payload.length);
  return decoded({
    thresholdExponent: payload[0],
    lbpu: (payload[1] & 0x80) !== 0,
    lbpws: (payload[1] & 0x40) !== 0,
    lbpws10: (payload[1] & 0x20) !== 0,
    lbprz: (payload[1] >>> 2) & 7,
    ancSup: (payload[1] & 0x02) !== 0,
    provisioningType: payload[2] & 7,
  });
}
