import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  u16,
  u32,
  u32At,
  u8,
} from '../codec/hostile.test-support.js';
import {
  HID_DT_HID,
  HID_DT_REPORT,
  HYPERV_MOUSE_PRODUCT_ID,
  HYPERV_MOUSE_VENDOR_ID,
  SYNTHHID_INPUT_VERSION,
} from './constants.js';
import { decodeSynthhidMessage, encodeSynthhidMessage } from './synthhid.js';
import type { SynthhidMessage } from './synthhid.js';

const hidArb: fc.Arbitrary<SynthhidMessage> = fc.oneof(
  fc.record({ kind: fc.constant('protocolRequest' as const), version: u32 }),
  fc.record({
    kind: fc.constant('protocolResponse' as const),
    version: u32,
    approved: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('initialDeviceInfo' as const),
    vendorId: u16,
    productId: u16,
    versionNumber: u16,
    hidDescriptor: fc.record({
      descriptorType: u8,
      bcdHid: u16,
      countryCode: u8,
      numDescriptors: u8,
      reportDescriptorType: u8,
    }),
    reportDescriptor: fc.uint8Array({ maxLength: 80 }),
  }),
  fc.constant({ kind: 'initialDeviceInfoAck' as const }),
  fc.record({
    kind: fc.constant('inputReport' as const),
    report: fc.uint8Array({ maxLength: 32 }),
  }),
);

const encode = (m: SynthhidMessage): Uint8Array => encodeToBytes(encodeSynthhidMessage, m, 1024);

describe('synthetic HID messages', () => {
  it('round-trip for every message kind', () => {
    fc.assert(
      fc.property(hidArb, (m) => {
        const b = encode(m);
        expect(decodeSynthhidMessage(b, 0, b.length)).toEqual({ ok: true, value: m });
      }),
    );
  });

  it('sizes the protocol request and the ack as mousevsc sends them', () => {
    // pipe_prt_msg {type, size = sizeof(synthhid_protocol_request) = 8 + 4}, header.size = 4.
    const req = encode({ kind: 'protocolRequest', version: SYNTHHID_INPUT_VERSION });
    expect(req).toHaveLength(8 + 12);
    expect([u32At(req, 0), u32At(req, 4), u32At(req, 8), u32At(req, 12), u32At(req, 16)]).toEqual([
      1, 12, 0, 4, 0x0002_0000,
    ]);
    // synthhid_device_info_ack = header 8 + reserved 1; header.size = 1.
    const ack = encode({ kind: 'initialDeviceInfoAck' });
    expect([ack.length, u32At(ack, 4), u32At(ack, 12)]).toEqual([8 + 9, 9, 1]);
  });

  it('places the HID descriptor after hv_input_dev_info and the report descriptor after bLength', () => {
    const report = new Uint8Array([0x05, 0x01, 0x09, 0x02]);
    const b = encode({
      kind: 'initialDeviceInfo',
      vendorId: HYPERV_MOUSE_VENDOR_ID,
      productId: HYPERV_MOUSE_PRODUCT_ID,
      versionNumber: 1,
      hidDescriptor: {
        descriptorType: HID_DT_HID,
        bcdHid: 0x0101,
        countryCode: 0,
        numDescriptors: 1,
        reportDescriptorType: HID_DT_REPORT,
      },
      reportDescriptor: report,
    });
    // payload @16: hv_input_dev_info (32 bytes: size, vendor, product, version, reserved[11]),
    // hid_descriptor @48 (bLength 9, type 0x21, bcdHID, country, count, 0x22, length u16), report @57.
    expect(b).toHaveLength(16 + 32 + 9 + 4);
    expect([b[20] + b[21] * 256, b[22] + b[23] * 256]).toEqual([0x045e, 0x0621]);
    expect(Array.from(b.subarray(48, 57))).toEqual([9, 0x21, 0x01, 0x01, 0, 1, 0x22, 4, 0]);
    expect(Array.from(b.subarray(57))).toEqual([0x05, 0x01, 0x09, 0x02]);
  });

  it('rejects a report descriptor that runs past the message (Linux copies it unchecked)', () => {
    const b = encode({
      kind: 'initialDeviceInfo',
      vendorId: 1,
      productId: 2,
      versionNumber: 3,
      hidDescriptor: {
        descriptorType: 0x21,
        bcdHid: 0x101,
        countryCode: 0,
        numDescriptors: 1,
        reportDescriptorType: 0x22,
      },
      reportDescriptor: new Uint8Array(4),
    });
    b[55] = 0xff;
    expect(decodeSynthhidMessage(b, 0, b.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(hostileBytes(hidArb.map(encode)), (b) => {
        expectWindowSafe(decodeSynthhidMessage, b);
      }),
    );
  });
});
