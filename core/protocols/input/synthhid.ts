import {
  badWindow,
  checkMaxBytes,
  checkTarget,
  checkU16,
  checkU32,
  checkU8,
  truncated,
} from '../codec/bounds.js';
import { copyBytes, readU16, readU32, writeU16, writeU32, zero } from '../codec/le.js';
import { decoded, rejected } from '../codec/result.js';
import type { DecodeResult } from '../codec/result.js';
import {
  HID_DESCRIPTOR_SIZE,
  HV_INPUT_DEV_INFO_SIZE,
  PIPE_PRT_MSG_HDR_SIZE,
  PipeProtocolMessageType,
  SYNTHHID_MSG_HDR_SIZE,
  SynthhidMessageType,
} from './constants.js';

/**
 * Synthetic HID messages (L: hid-hyperv.c): `pipe_prt_msg` {type = PIPE_MESSAGE_DATA, size =
 * bytes after it} @0, `synthhid_msg_hdr` {type, size = payload bytes} @8, payload @16.
 * Offsets in the comments below are from the payload start.
 */

/** The HID descriptor fields that follow `hv_input_dev_info` (its bLength is 9 here). */
export interface HidDescriptorInfo {
  readonly descriptorType: number;
  readonly bcdHid: number;
  readonly countryCode: number;
  readonly numDescriptors: number;
  readonly reportDescriptorType: number;
}

export type SynthhidMessage =
  /** @0 version_requested (minor u16, major u16). */
  | { readonly kind: 'protocolRequest'; readonly version: number }
  /** @0 version_requested, @4 approved u8. */
  | { readonly kind: 'protocolResponse'; readonly version: number; readonly approved: boolean }
  /**
   * @0 hv_input_dev_info (size u32, vendor, product, version u16, reserved[11]), @32 struct
   * hid_descriptor, then the report descriptor at descriptor + bLength.
   */
  | {
      readonly kind: 'initialDeviceInfo';
      readonly vendorId: number;
      readonly productId: number;
      readonly versionNumber: number;
      readonly hidDescriptor: HidDescriptorInfo;
      readonly reportDescriptor: Uint8Array;
    }
  /** @0 reserved u8. */
  | { readonly kind: 'initialDeviceInfoAck' }
  /** @0 the HID input report (header.size bytes). */
  | { readonly kind: 'inputReport'; readonly report: Uint8Array };

const HEADERS = PIPE_PRT_MSG_HDR_SIZE + SYNTHHID_MSG_HDR_SIZE;

function payloadSize(m: SynthhidMessage): number {
  switch (m.kind) {
    case 'protocolRequest':
      return 4;
    case 'protocolResponse':
      return 5;
    case 'initialDeviceInfo':
      return HV_INPUT_DEV_INFO_SIZE + HID_DESCRIPTOR_SIZE + m.reportDescriptor.length;
    case 'initialDeviceInfoAck':
      return 1;
    case 'inputReport':
      return m.report.length;
  }
}

/** Bytes {@link encodeSynthhidMessage} writes. */
export function synthhidMessageSize(message: SynthhidMessage): number {
  return HEADERS + payloadSize(message);
}

const TYPE: Record<SynthhidMessage['kind'], number> = {
  protocolRequest: SynthhidMessageType.PROTOCOL_REQUEST,
  protocolResponse: SynthhidMessageType.PROTOCOL_RESPONSE,
  initialDeviceInfo: SynthhidMessageType.INITIAL_DEVICE_INFO,
  initialDeviceInfoAck: SynthhidMessageType.INITIAL_DEVICE_INFO_ACK,
  inputReport: SynthhidMessageType.INPUT_REPORT,
};

/**
 * Encodes a synthetic HID message with both headers and returns the bytes written. The header
 * sizes follow mousevsc: the protocol request says 4 (`sizeof(unsigned int)`), the ack 1.
 *
 * @example
 * encodeSynthhidMessage({ kind: 'protocolRequest', version: SYNTHHID_INPUT_VERSION }, buf, 0); // 20
 */
export function encodeSynthhidMessage(
  message: SynthhidMessage,
  target: Uint8Array,
  offset: number,
): number {
  const size = synthhidMessageSize(message);
  checkTarget(target, offset, size, 'synthhid message');
  zero(target, offset, offset + size);
  const o = offset;
  const p = o + HEADERS;
  writeU32(target, o, PipeProtocolMessageType.DATA);
  writeU32(target, o + 4, size - PIPE_PRT_MSG_HDR_SIZE);
  writeU32(target, o + 8, TYPE[message.kind]);
  writeU32(target, o + 12, size - HEADERS);
  switch (message.kind) {
    case 'protocolRequest':
      writeU32(target, p, checkU32(message.version, 'version_requested'));
      break;
    case 'protocolResponse':
      writeU32(target, p, checkU32(message.version, 'version_requested'));
      target[p + 4] = message.approved ? 1 : 0;
      break;
    case 'initialDeviceInfo': {
      const d = message.hidDescriptor;
      const report = checkMaxBytes(message.reportDescriptor, 0xffff, 'report descriptor');
      writeU32(target, p, HV_INPUT_DEV_INFO_SIZE);
      writeU16(target, p + 4, checkU16(message.vendorId, 'hid_dev_info.vendor'));
      writeU16(target, p + 6, checkU16(message.productId, 'hid_dev_info.product'));
      writeU16(target, p + 8, checkU16(message.versionNumber, 'hid_dev_info.version'));
      const h = p + HV_INPUT_DEV_INFO_SIZE;
      target[h] = HID_DESCRIPTOR_SIZE;
      target[h + 1] = checkU8(d.descriptorType, 'hid_descriptor.bDescriptorType');
      writeU16(target, h + 2, checkU16(d.bcdHid, 'hid_descriptor.bcdHID'));
      target[h + 4] = checkU8(d.countryCode, 'hid_descriptor.bCountryCode');
      target[h + 5] = checkU8(d.numDescriptors, 'hid_descriptor.bNumDescriptors');
      target[h + 6] = checkU8(d.reportDescriptorType, 'rpt_desc.bDescriptorType');
      writeU16(target, h + 7, report.length);
      copyBytes(report, 0, target, h + HID_DESCRIPTOR_SIZE, report.length);
      break;
    }
    case 'initialDeviceInfoAck':
      break;
    case 'inputReport':
      copyBytes(message.report, 0, target, p, message.report.length);
      break;
  }
  return size;
}

function decodeDeviceInfo(b: Uint8Array, p: number, n: number): DecodeResult<SynthhidMessage> {
  if (n < HV_INPUT_DEV_INFO_SIZE + HID_DESCRIPTOR_SIZE) {
    return truncated(
      'INITIAL_DEVICE_INFO',
      HEADERS + HV_INPUT_DEV_INFO_SIZE + HID_DESCRIPTOR_SIZE,
      HEADERS + n,
    );
  }
  const h = p + HV_INPUT_DEV_INFO_SIZE;
  const bLength = b[h];
  const reportLength = readU16(b, h + 7);
  // L: mousevsc_on_receive_device_info copies wDescriptorLength bytes from desc + bLength
  // without checking the packet holds them; here both must fit in the message.
  if (bLength < HID_DESCRIPTOR_SIZE)
    return rejected('length-out-of-range', 'field.below', {
      field: 'hid_descriptor.bLength',
      value: bLength,
      min: 9,
    });
  if (HV_INPUT_DEV_INFO_SIZE + bLength + reportLength > n) {
    return rejected('length-out-of-range', 'synthhid.reportDescriptor', { bytes: reportLength });
  }
  return decoded({
    kind: 'initialDeviceInfo',
    vendorId: readU16(b, p + 4),
    productId: readU16(b, p + 6),
    versionNumber: readU16(b, p + 8),
    hidDescriptor: {
      descriptorType: b[h + 1],
      bcdHid: readU16(b, h + 2),
      countryCode: b[h + 4],
      numDescriptors: b[h + 5],
      reportDescriptorType: b[h + 6],
    },
    reportDescriptor: b.subarray(h + bLength, h + bLength + reportLength),
  });
}

/**
 * Decodes a synthetic HID message: PIPE_MESSAGE_DATA only, the pipe size inside the bytes
 * given, the HID header's size inside the pipe message, and every field inside that size.
 * @example
 * const r = decodeSynthhidMessage(payload, 0, payload.length);
 * if (r.ok && r.value.kind === 'inputReport') hid.report(r.value.report);
 */
export function decodeSynthhidMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<SynthhidMessage> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < HEADERS) return truncated('pipe_prt_msg + synthhid_msg_hdr', HEADERS, length);
  const b = bytes;
  const o = offset;
  const pipeType = readU32(b, o);
  if (pipeType !== PipeProtocolMessageType.DATA)
    return rejected('reserved-value', 'pipe.notData', {
      type: pipeType,
      expected: 'PIPE_MESSAGE_DATA',
    });
  const pipeSize = readU32(b, o + 4);
  if (pipeSize > length - PIPE_PRT_MSG_HDR_SIZE)
    return truncated('pipe message', PIPE_PRT_MSG_HDR_SIZE + pipeSize, length);
  if (pipeSize < SYNTHHID_MSG_HDR_SIZE)
    return rejected('length-out-of-range', 'field.belowHeader', {
      field: 'pipe size',
      value: pipeSize,
      header: 'synthhid header',
    });
  const type = readU32(b, o + 8);
  const n = readU32(b, o + 12);
  if (n > pipeSize - SYNTHHID_MSG_HDR_SIZE) {
    return rejected('length-out-of-range', 'field.exceeds', {
      field: 'synthhid_msg_hdr.size',
      value: n,
      limit: null,
      what: 'pipe message',
    });
  }
  const p = o + HEADERS;
  switch (type) {
    case SynthhidMessageType.PROTOCOL_REQUEST:
      return n < 4
        ? truncated('PROTOCOL_REQUEST', HEADERS + 4, HEADERS + n)
        : decoded({ kind: 'protocolRequest', version: readU32(b, p) });
    case SynthhidMessageType.PROTOCOL_RESPONSE:
      return n < 5
        ? truncated('PROTOCOL_RESPONSE', HEADERS + 5, HEADERS + n)
        : decoded({ kind: 'protocolResponse', version: readU32(b, p), approved: b[p + 4] !== 0 });
    case SynthhidMessageType.INITIAL_DEVICE_INFO:
      return decodeDeviceInfo(b, p, n);
    case SynthhidMessageType.INITIAL_DEVICE_INFO_ACK:
      return n < 1
        ? truncated('INITIAL_DEVICE_INFO_ACK', HEADERS + 1, HEADERS + n)
        : decoded({ kind: 'initialDeviceInfoAck' });
    case SynthhidMessageType.INPUT_REPORT:
      return decoded({ kind: 'inputReport', report: b.subarray(p, p + n) });
    default:
      return rejected('unknown-type', 'type.unknown', { protocol: 'synthhid', code: String(type) });
  }
}
