import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  u32,
  u8,
} from '../../codec/hostile.test-support.js';
import {
  decodeReadCapacity10,
  decodeReadCapacity16,
  encodeReadCapacity10,
  encodeReadCapacity16,
  readCapacity10For,
} from './capacity.js';
import type { ReadCapacity16Data } from './capacity.js';
import { ScsiStatus, SenseKey } from './constants.js';
import { decodeStandardInquiry, encodeStandardInquiry } from './inquiry.js';
import type { StandardInquiryData } from './inquiry.js';
import { decodeModeSense, encodeModeSense } from './mode-sense.js';
import type { ModeSenseData } from './mode-sense.js';
import { decodeReportLuns, encodeReportLuns, readReportLunsListLength } from './report-luns.js';
import { checkConditionSense, decodeSense, encodeFixedSense, invalidOpcodeSense } from './sense.js';
import type { SenseData } from './sense.js';
import {
  blockLimitsPayload,
  decodeBlockLimitsPayload,
  decodeDeviceIdentificationPayload,
  decodeLogicalBlockProvisioningPayload,
  decodeVpdPage,
  deviceIdentificationPayload,
  encodeVpdPage,
  logicalBlockProvisioningPayload,
  readAsciiPayload,
  asciiPayload,
} from './vpd.js';
import type { VpdDesignator, VpdPage } from './vpd.js';

const ascii = (max: number) =>
  fc
    .string({
      unit: fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)),
      maxLength: max,
    })
    .map((s) => s);

const inquiryArb: fc.Arbitrary<StandardInquiryData> = fc.record({
  peripheralQualifier: fc.integer({ min: 0, max: 7 }),
  deviceType: fc.integer({ min: 0, max: 0x1f }),
  removable: fc.boolean(),
  version: u8,
  normAca: fc.boolean(),
  hiSup: fc.boolean(),
  responseDataFormat: fc.integer({ min: 0, max: 15 }),
  tpgs: fc.integer({ min: 0, max: 3 }),
  thirdPartyCopy: fc.boolean(),
  protect: fc.boolean(),
  cmdQue: fc.boolean(),
  vendorId: ascii(8),
  productId: ascii(16),
  productRevision: ascii(4),
});

const senseArb: fc.Arbitrary<SenseData> = fc.record({
  responseCode: fc.constantFrom(0x70, 0x71),
  senseKey: fc.integer({ min: 0, max: 15 }),
  asc: u8,
  ascq: u8,
  information: fc.option(u32, { nil: undefined }),
});

const rc16Arb: fc.Arbitrary<ReadCapacity16Data> = fc.record({
  lastLba: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  blockLength: u32,
  protectionType: fc.integer({ min: 0, max: 7 }),
  protectionEnabled: fc.boolean(),
  logicalBlocksPerPhysicalBlockExponent: fc.integer({ min: 0, max: 15 }),
  lbpme: fc.boolean(),
  lbprz: fc.boolean(),
  lowestAlignedLba: fc.integer({ min: 0, max: 0x3fff }),
});

const modeArb: fc.Arbitrary<ModeSenseData> = fc.record({
  variant: fc.constantFrom(6 as const, 10 as const),
  mediumType: u8,
  writeProtected: fc.boolean(),
  dpoFua: fc.boolean(),
  caching: fc.option(
    fc.record({ writeCacheEnabled: fc.boolean(), readCacheDisabled: fc.boolean() }),
    { nil: undefined },
  ),
});

const vpdArb: fc.Arbitrary<VpdPage> = fc.record({
  peripheralQualifier: fc.integer({ min: 0, max: 7 }),
  deviceType: fc.integer({ min: 0, max: 0x1f }),
  pageCode: u8,
  payload: fc.uint8Array({ maxLength: 80 }),
});

const designatorArb: fc.Arbitrary<VpdDesignator> = fc.record({
  protocolIdentifier: fc.integer({ min: 0, max: 15 }),
  codeSet: fc.integer({ min: 0, max: 15 }),
  piv: fc.boolean(),
  association: fc.integer({ min: 0, max: 3 }),
  designatorType: fc.integer({ min: 0, max: 15 }),
  identifier: fc.uint8Array({ maxLength: 40 }),
});

describe('SCSI response data', () => {
  it('round-trips standard INQUIRY data and lays it out per SPC-4', () => {
    fc.assert(
      fc.property(inquiryArb, (d) => {
        const b = encodeToBytes(encodeStandardInquiry, d, 36);
        expect(decodeStandardInquiry(b, 0, b.length)).toEqual({ ok: true, value: d });
      }),
    );
    const b = encodeToBytes(
      encodeStandardInquiry,
      {
        peripheralQualifier: 0,
        deviceType: 0,
        removable: false,
        version: 6,
        normAca: false,
        hiSup: true,
        responseDataFormat: 2,
        tpgs: 0,
        thirdPartyCopy: false,
        protect: false,
        cmdQue: true,
        vendorId: 'Msft',
        productId: 'Virtual Disk',
        productRevision: '1.0',
      },
      36,
    );
    // byte 3 HISUP|format 2 = 0x12; byte 4 additional length 36 − 5 = 31; byte 7 CMDQUE = 0x02;
    // vendor at 8..15, product at 16..31, revision at 32..35, all space padded.
    expect(Array.from(b.subarray(0, 8))).toEqual([0, 0, 6, 0x12, 31, 0, 0, 0x02]);
    expect(String.fromCharCode(...b.subarray(8, 36))).toBe('Msft    Virtual Disk    1.0 ');
  });

  it('round-trips fixed sense data; key at byte 2, ASC/ASCQ at 12/13, additional length 10', () => {
    fc.assert(
      fc.property(senseArb, (s) => {
        const b = encodeToBytes(encodeFixedSense, s, 18);
        expect(decodeSense(b, 0, b.length)).toEqual({ ok: true, value: s });
      }),
    );
    const b = encodeToBytes(encodeFixedSense, invalidOpcodeSense(), 18);
    expect(Array.from(b)).toEqual([
      0x70,
      0,
      SenseKey.ILLEGAL_REQUEST,
      0,
      0,
      0,
      0,
      10,
      0,
      0,
      0,
      0,
      0x20,
      0,
      0,
      0,
      0,
      0,
    ]);
    expect(checkConditionSense(SenseKey.UNIT_ATTENTION, 0x2a, 9)).toMatchObject({
      senseKey: 6,
      asc: 0x2a,
      ascq: 9,
    });
    expect(ScsiStatus.CHECK_CONDITION).toBe(2);
  });

  it('reads descriptor-format sense headers too', () => {
    const b = new Uint8Array([0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0]);
    expect(decodeSense(b, 0, b.length)).toMatchObject({
      ok: true,
      value: { senseKey: 5, asc: 0x24 },
    });
  });

  it('round-trips READ CAPACITY(10)/(16) data with the SBC-3 byte layout', () => {
    fc.assert(
      fc.property(rc16Arb, (d) => {
        const b = encodeToBytes(encodeReadCapacity16, d, 32);
        expect(decodeReadCapacity16(b, 0, b.length)).toEqual({ ok: true, value: d });
      }),
    );
    fc.assert(
      fc.property(u32, u32, (lastLba, blockLength) => {
        const b = encodeToBytes(encodeReadCapacity10, { lastLba, blockLength }, 8);
        expect(decodeReadCapacity10(b, 0, 8)).toEqual({
          ok: true,
          value: { lastLba, blockLength },
        });
      }),
    );
    // A 2 TiB + 512 B disk of 512-byte blocks overflows READ CAPACITY(10): last LBA 0xFFFFFFFF.
    expect(readCapacity10For(2 ** 32 + 1, 512)).toEqual({ lastLba: 0xffff_ffff, blockLength: 512 });
    const b = encodeToBytes(
      encodeReadCapacity16,
      {
        lastLba: 0x1_0000_0000,
        blockLength: 512,
        protectionType: 0,
        protectionEnabled: false,
        logicalBlocksPerPhysicalBlockExponent: 3,
        lbpme: true,
        lbprz: true,
        lowestAlignedLba: 0,
      },
      32,
    );
    expect(Array.from(b.subarray(0, 16))).toEqual([
      0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3, 0xc0, 0,
    ]);
  });

  it('round-trips REPORT LUNS and rejects a list length that runs past the data', () => {
    fc.assert(
      fc.property(fc.array(u8, { maxLength: 40 }), (luns) => {
        const b = encodeToBytes(encodeReportLuns, { luns }, 400);
        expect(decodeReportLuns(b, 0, b.length)).toEqual({ ok: true, value: { luns } });
        expect(readReportLunsListLength(b, 0, b.length)).toEqual({
          ok: true,
          value: 8 * luns.length,
        });
      }),
    );
    const b = encodeToBytes(encodeReportLuns, { luns: [0, 1, 5] }, 64);
    // LUN LIST LENGTH 24 (big-endian) then LUN 5 as peripheral addressing 00 05 00.. in entry 3.
    expect(Array.from(b.subarray(0, 4))).toEqual([0, 0, 0, 24]);
    expect(Array.from(b.subarray(24, 32))).toEqual([0, 5, 0, 0, 0, 0, 0, 0]);
    expect(decodeReportLuns(b, 0, 24)).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('round-trips MODE SENSE(6)/(10) data with the caching page', () => {
    fc.assert(
      fc.property(modeArb, (d) => {
        const b = encodeToBytes(encodeModeSense, d, 64);
        expect(decodeModeSense(b, 0, b.length, d.variant)).toEqual({ ok: true, value: d });
      }),
    );
  });

  it('round-trips VPD pages and the typed payloads Linux sd reads', () => {
    fc.assert(
      fc.property(vpdArb, (page) => {
        const b = encodeToBytes(encodeVpdPage, page, 100);
        expect(decodeVpdPage(b, 0, b.length)).toEqual({ ok: true, value: page });
      }),
    );
    fc.assert(
      fc.property(fc.array(designatorArb, { maxLength: 5 }), (ds) => {
        expect(decodeDeviceIdentificationPayload(deviceIdentificationPayload(ds))).toEqual({
          ok: true,
          value: ds,
        });
      }),
    );
    const limits = {
      optimalTransferLengthGranularity: 8,
      maximumTransferLength: 0x800,
      optimalTransferLength: 0x100,
      maximumUnmapLbaCount: 0xffff_ffff,
      maximumUnmapBlockDescriptorCount: 1,
      optimalUnmapGranularity: 8,
    };
    const payload = blockLimitsPayload(limits);
    // Page 0xB0 length 0x3C; MAXIMUM TRANSFER LENGTH at page byte 8 = payload byte 4.
    expect(payload).toHaveLength(0x3c);
    expect(Array.from(payload.subarray(4, 8))).toEqual([0, 0, 0x08, 0]);
    expect(decodeBlockLimitsPayload(payload)).toEqual({ ok: true, value: limits });
    const lbp = {
      thresholdExponent: 0,
      lbpu: true,
      lbpws: false,
      lbpws10: false,
      lbprz: 1,
      ancSup: false,
      provisioningType: 2,
    };
    expect(decodeLogicalBlockProvisioningPayload(logicalBlockProvisioningPayload(lbp))).toEqual({
      ok: true,
      value: lbp,
    });
    expect(readAsciiPayload(asciiPayload('6002248012AB'))).toBe('6002248012AB');
  });

  it('rejects designators that run past the page', () => {
    const p = deviceIdentificationPayload([
      {
        protocolIdentifier: 0,
        codeSet: 1,
        piv: false,
        association: 0,
        designatorType: 3,
        identifier: new Uint8Array(16),
      },
    ]);
    p[3] = 200;
    expect(decodeDeviceIdentificationPayload(p)).toMatchObject({ ok: false, reason: 'truncated' });
  });

  it('never throws or reads outside the window on hostile response data', () => {
    const decoders = [
      decodeStandardInquiry,
      decodeSense,
      decodeReadCapacity10,
      decodeReadCapacity16,
      decodeReportLuns,
      decodeVpdPage,
      (b: Uint8Array, o: number, l: number) => decodeModeSense(b, o, l, 6),
      (b: Uint8Array, o: number, l: number) => decodeModeSense(b, o, l, 10),
    ];
    const valid = fc.oneof(
      inquiryArb.map((d) => encodeToBytes(encodeStandardInquiry, d, 36)),
      modeArb.map((d) => encodeToBytes(encodeModeSense, d, 64)),
      vpdArb.map((d) => encodeToBytes(encodeVpdPage, d, 100)),
      fc.array(u8, { maxLength: 8 }).map((luns) => encodeToBytes(encodeReportLuns, { luns }, 100)),
    );
    fc.assert(
      fc.property(hostileBytes(valid), fc.constantFrom(...decoders), (bytes, decode) => {
        expectWindowSafe(decode, bytes);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (payload) => {
        expect(() => decodeDeviceIdentificationPayload(payload)).not.toThrow();
      }),
    );
  });
});
