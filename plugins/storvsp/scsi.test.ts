/**
 * The SCSI commands storvsp answers itself, checked against the bytes a guest finds in its buffer
 * (rule 17): INQUIRY and its VPD pages, READ CAPACITY for the disk's size, MODE SENSE, REPORT
 * LUNS, REQUEST SENSE, TEST UNIT READY.
 */
import { describe, expect, it } from '@jest/globals';
import { SRB_STATUS_AUTOSENSE_VALID, SrbStatus, scsi } from '../../core/protocols/index.js';
import { expectNoPluginFaults } from '../sdk/testing/index.js';
import type { StorageGuest, VspTestHarness } from '../sdk/testing/index.js';
import { be32, be64, readyGuest, secondGuest } from './storvsp.test-support.js';

const GiB = 1024 ** 3;

/** Runs one command and returns what the guest reads back from its buffer. */
function run(
  h: VspTestHarness,
  guest: StorageGuest,
  command: scsi.ScsiCommand,
  options: { lun?: number; dataTransferLength?: number } = {},
) {
  const { transId, buffer } = guest.executeSrb({ command, ...options });
  h.settle();
  const c = guest.completion(transId);
  const data = buffer === null ? new Uint8Array(0) : h.memory.read(buffer, 0, c.dataTransferLength);
  return { c, data };
}

const inquiry = (evpd: boolean, pageCode: number, allocationLength = 255) =>
  ({ kind: 'inquiry', evpd, pageCode, allocationLength }) as const;

function vpd(h: VspTestHarness, guest: StorageGuest, pageCode: number) {
  const { c, data } = run(h, guest, inquiry(true, pageCode));
  const page = scsi.decodeVpdPage(data, 0, data.length);
  if (!page.ok)
    throw new Error(`VPD page 0x${pageCode.toString(16)}: ${page.detail} (${c.srbStatus})`);
  return page.value;
}

describe('storvsp: SCSI answered by the VSP', () => {
  it('rule 17: standard INQUIRY names a Msft Virtual Disk, direct access, SPC-3, tagged queuing', () => {
    const { h, guest } = readyGuest();
    const { c, data } = run(h, guest, inquiry(false, 0, 36));
    expect(c.srbStatus).toBe(SrbStatus.SUCCESS);
    expect(c.dataTransferLength).toBe(36);
    const d = scsi.decodeStandardInquiry(data, 0, data.length);
    expect(d.ok && d.value).toMatchObject({
      peripheralQualifier: 0,
      deviceType: 0,
      removable: false,
      version: 5,
      responseDataFormat: 2,
      cmdQue: true,
      vendorId: 'Msft',
      productId: 'Virtual Disk',
      productRevision: '1.0',
    });
    expectNoPluginFaults(h);
  });

  it('rule 17: INQUIRY returns no more than the allocation length', () => {
    const { h, guest } = readyGuest();
    expect(run(h, guest, inquiry(false, 0, 5)).c.dataTransferLength).toBe(5);
  });

  it('rule 17: VPD page 0x00 lists the pages Linux sd and Windows read', () => {
    const { h, guest } = readyGuest();
    expect([...vpd(h, guest, 0x00).payload]).toEqual([0x00, 0x83, 0xb0, 0xb1, 0xb2]);
  });

  it('rule 17: VPD page 0x83 identifies each disk: T10 vendor "Msft" and an NAA id, stable per VM disk', () => {
    const { h, guest } = readyGuest({ vm: 'db01' });
    const other = secondGuest(h, 'web01');
    const ids = (g: StorageGuest) => {
      const d = scsi.decodeDeviceIdentificationPayload(vpd(h, g, 0x83).payload);
      if (!d.ok) throw new Error(d.detail);
      return d.value;
    };
    const mine = ids(guest);
    expect(mine.map((d) => d.designatorType)).toEqual([1, 3]);
    expect(String.fromCharCode(...mine[0].identifier.subarray(0, 8))).toBe('Msft    ');
    expect(mine[1].identifier[0] >> 4).toBe(6); // NAA 6
    expect([...ids(guest)[0].identifier]).toEqual([...mine[0].identifier]);
    expect([...ids(other.guest)[0].identifier]).not.toEqual([...mine[0].identifier]);
  });

  it("rule 17: VPD 0xB0 caps a transfer at QUERY_PROPERTIES' 256 KiB; 0xB1 says non-rotating; 0xB2 thin", () => {
    const { h, guest } = readyGuest();
    const limits = scsi.decodeBlockLimitsPayload(vpd(h, guest, 0xb0).payload);
    expect(limits.ok && limits.value.maximumTransferLength * 512).toBe(0x40000);
    const rotation = scsi.decodeBlockDeviceCharacteristicsPayload(vpd(h, guest, 0xb1).payload);
    expect(rotation.ok && rotation.value).toBe(1);
    const lbp = scsi.decodeLogicalBlockProvisioningPayload(vpd(h, guest, 0xb2).payload);
    expect(lbp.ok && lbp.value).toMatchObject({ provisioningType: 2, lbpu: false });
  });

  it('rule 17: an unsupported VPD page is CHECK CONDITION, ILLEGAL REQUEST, INVALID FIELD IN CDB', () => {
    const { h, guest } = readyGuest();
    const { c } = run(h, guest, inquiry(true, 0x80));
    expect(c.srbStatus).toBe(SrbStatus.INVALID_REQUEST | SRB_STATUS_AUTOSENSE_VALID);
    expect(c.sense).toMatchObject({ senseKey: scsi.SenseKey.ILLEGAL_REQUEST, asc: 0x24 });
  });

  it.each([
    [1 * GiB, 2 ** 21 - 1],
    [100 * GiB, 100 * 2 ** 21 - 1],
  ])(
    'rule 17: READ CAPACITY(10) of a %i-byte disk reports last LBA %i, 512-byte blocks',
    (size, last) => {
      const { h, guest } = readyGuest({ diskBytes: size });
      const { c, data } = run(h, guest, { kind: 'readCapacity10' });
      expect(c.dataTransferLength).toBe(8);
      expect([be32(data, 0), be32(data, 4)]).toEqual([last, 512]);
    },
  );

  it('rule 17: a disk past 2 TiB reports 0xFFFFFFFF in READ CAPACITY(10) and its size in READ CAPACITY(16)', () => {
    const size = 4 * 1024 * GiB;
    const { h, guest } = readyGuest({ diskBytes: size });
    expect(be32(run(h, guest, { kind: 'readCapacity10' }).data, 0)).toBe(0xffff_ffff);
    const { c, data } = run(h, guest, { kind: 'readCapacity16', allocationLength: 32 });
    expect(c.dataTransferLength).toBe(32);
    expect(be64(data, 0)).toBe(size / 512 - 1);
    expect(be32(data, 8)).toBe(512);
    expect(data[13] & 0xf).toBe(3); // 4 KiB physical sectors
  });

  it('rule 17: READ CAPACITY into a buffer too small is SRB_STATUS_DATA_OVERRUN', () => {
    const { h, guest } = readyGuest();
    const { c } = run(h, guest, { kind: 'readCapacity10' }, { dataTransferLength: 4 });
    expect(c.srbStatus & 0x3f).toBe(SrbStatus.DATA_OVERRUN);
  });

  it.each([
    [true, 0, true],
    [false, 0, false],
    [true, 1, false],
  ])(
    'rule 17: MODE SENSE caching page, write cache %s, page control %i → WCE %s',
    (writeCache, pageControl, wce) => {
      const { h, guest } = readyGuest({ settings: { writeCache } });
      const command = {
        kind: 'modeSense6',
        dbd: true,
        pageControl,
        pageCode: 0x08,
        subpageCode: 0,
        allocationLength: 64,
      } as const;
      const { data } = run(h, guest, command);
      const m = scsi.decodeModeSense(data, 0, data.length, 6);
      expect(m.ok && m.value.caching?.writeCacheEnabled).toBe(wce);
      expect(m.ok && m.value.dpoFua).toBe(true);
    },
  );

  it('rule 17: MODE SENSE of a page the disk lacks is refused, of saved values too', () => {
    const { h, guest } = readyGuest();
    const sense = (pageCode: number, pageControl: number) =>
      run(h, guest, {
        kind: 'modeSense10',
        llbaa: false,
        dbd: true,
        pageControl,
        pageCode,
        subpageCode: 0,
        allocationLength: 64,
      }).c.sense?.asc;
    expect(sense(0x1c, 0)).toBe(0x24);
    expect(sense(0x08, 3)).toBe(0x24);
  });

  it('rule 17: REPORT LUNS lists LUN 0 only', () => {
    const { h, guest } = readyGuest();
    const { data } = run(h, guest, { kind: 'reportLuns', selectReport: 0, allocationLength: 64 });
    const r = scsi.decodeReportLuns(data, 0, data.length);
    expect(r.ok && r.value.luns).toEqual([0]);
  });

  it('rule 17: INQUIRY of a LUN with no disk answers "no logical unit" (0x7F) without identity', () => {
    const { h, guest } = readyGuest();
    const { c, data } = run(h, guest, inquiry(false, 0, 36), { lun: 2 });
    expect(c.srbStatus).toBe(SrbStatus.SUCCESS);
    expect(data[0]).toBe(0x7f);
    expect([...data.subarray(8, 36)].every((b) => b === 0)).toBe(true);
  });

  it("rule 17: REQUEST SENSE returns the last failure's sense once, then NO SENSE", () => {
    const { h, guest } = readyGuest();
    run(h, guest, { kind: 'read10', lba: 0xffff_ff00, blocks: 1, fua: false, dpo: false });
    const first = run(h, guest, { kind: 'requestSense', allocationLength: 18 }).data;
    const again = run(h, guest, { kind: 'requestSense', allocationLength: 18 }).data;
    const a = scsi.decodeSense(first, 0, first.length);
    const b = scsi.decodeSense(again, 0, again.length);
    expect(a.ok && [a.value.senseKey, a.value.asc]).toEqual([scsi.SenseKey.ILLEGAL_REQUEST, 0x21]);
    expect(b.ok && b.value.senseKey).toBe(scsi.SenseKey.NO_SENSE);
  });

  it('rule 17: TEST UNIT READY completes GOOD with no data', () => {
    const { h, guest } = readyGuest();
    const { c } = run(h, guest, { kind: 'testUnitReady' });
    expect([c.srbStatus, c.scsiStatus, c.dataTransferLength]).toEqual([SrbStatus.SUCCESS, 0, 0]);
  });
});
