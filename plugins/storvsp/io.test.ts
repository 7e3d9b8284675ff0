/**
 * Rule 17 (EXECUTE_SRB → disk → COMPLETE_IO with SRB and SCSI status, same trans_id) and rule 18
 * (queue depth: requests beyond it wait inside storvsp, in order) through the harness; and the
 * root CPU storvsp charges per I/O.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  SRB_STATUS_AUTOSENSE_VALID,
  SrbStatus,
  VSTOR_PACKET_SIZE,
  VstorNtStatus,
  scsi,
} from '../../core/protocols/index.js';
import {
  expectChannelOpen,
  expectCompletion,
  expectCpuCharged,
  expectIsolationFault,
  expectNoCompletion,
  expectNoPluginFaults,
} from '../sdk/testing/index.js';
import { VSP_DISPATCH_NS } from '../../core/vsp/vsp-runtime.js';
import { readyGuest, secondGuest } from './storvsp.test-support.js';

const read16 = (lba: number, blocks: number) =>
  ({ kind: 'read16', lba, blocks, fua: false, dpo: false }) as const;
const write10 = (lba: number, blocks: number) =>
  ({ kind: 'write10', lba, blocks, fua: true, dpo: false }) as const;
const FLUSH = { kind: 'synchronizeCache10', immed: false, lba: 0, blocks: 0 } as const;

describe('storvsp: rule 17 (EXECUTE_SRB and COMPLETE_IO)', () => {
  it('rule 17: a read goes to the disk and completes with SUCCESS, GOOD, the bytes moved and the same trans_id', () => {
    const { h, channel, guest } = readyGuest({ device: { kind: 'block', latencySteps: 5 } });
    const { transId } = guest.executeSrb({ command: read16(2048, 16) });
    expect(h.deviceRequests.map((r) => r.block)).toEqual([
      { op: 'read', offsetBytes: 2048 * 512, bytes: 16 * 512, tag: expect.any(Number) },
    ]);
    h.advance(4);
    expectNoCompletion(channel, transId); // the disk has not answered yet
    h.advance(1);
    const raw = expectCompletion(channel, transId);
    expect(raw.payload.length).toBe(VSTOR_PACKET_SIZE); // padded to the 6.2 packet size
    expect(guest.completion(transId)).toEqual({
      transId,
      status: VstorNtStatus.SUCCESS,
      srbStatus: SrbStatus.SUCCESS,
      scsiStatus: scsi.ScsiStatus.GOOD,
      dataTransferLength: 8192,
      sense: undefined,
    });
  });

  it('rule 17: writes and flushes reach the disk as writes and flushes', () => {
    const { h, guest } = readyGuest();
    const w = guest.executeSrb({ command: write10(100, 8) }).transId;
    const f = guest.executeSrb({ command: FLUSH, buffer: null }).transId;
    h.settle();
    expect(
      h.deviceRequests.map((r) => [r.block?.op, r.block?.offsetBytes, r.block?.bytes]),
    ).toEqual([
      ['write', 51200, 4096],
      ['flush', 0, 0],
    ]);
    expect(guest.completion(w).dataTransferLength).toBe(4096);
    expect(guest.completion(f)).toMatchObject({
      srbStatus: SrbStatus.SUCCESS,
      dataTransferLength: 0,
    });
  });

  it('rule 17: a disk error completes with SRB_STATUS_ERROR, CHECK CONDITION and MEDIUM ERROR sense', () => {
    const { h, channel, guest } = readyGuest({
      device: { kind: 'block', latencySteps: 1, fail: () => true },
    });
    const { transId } = guest.executeSrb({ command: read16(0, 8) });
    h.settle();
    const c = guest.completion(transId);
    expect(c.srbStatus).toBe(SrbStatus.ERROR | SRB_STATUS_AUTOSENSE_VALID);
    expect(c.scsiStatus).toBe(scsi.ScsiStatus.CHECK_CONDITION);
    expect(c.sense?.senseKey).toBe(scsi.SenseKey.MEDIUM_ERROR);
    expect(c.status).toBe(VstorNtStatus.IO_DEVICE_ERROR);
    expect(c.dataTransferLength).toBe(0);
    expectChannelOpen(channel);
  });

  it.each([
    ['past the end of the disk', read16((1 << 21) - 4, 8)],
    ['of zero blocks', read16(0, 0)],
  ])(
    'rule 17: a read %s is ILLEGAL REQUEST, LBA OUT OF RANGE, and never reaches the disk',
    (_what, command) => {
      const { h, guest } = readyGuest({ diskBytes: 1 << 30 });
      const { transId } = guest.executeSrb({ command, dataTransferLength: 4096 });
      const c = guest.completion(transId);
      expect(c.srbStatus).toBe(SrbStatus.INVALID_REQUEST | SRB_STATUS_AUTOSENSE_VALID);
      expect(c.sense).toMatchObject({ senseKey: scsi.SenseKey.ILLEGAL_REQUEST, asc: 0x21 });
      expect(h.deviceRequests).toHaveLength(0);
    },
  );

  it('rule 17: a CDB asking for more blocks than the SRB buffer holds is refused the same way', () => {
    const { h, guest } = readyGuest();
    const { transId } = guest.executeSrb({ command: read16(0, 16), dataTransferLength: 4096 });
    expect(guest.completion(transId).sense?.asc).toBe(0x21);
    expect(h.deviceRequests).toHaveLength(0);
  });

  it('rule 17: an unknown opcode is CHECK CONDITION, ILLEGAL REQUEST, INVALID COMMAND OPERATION CODE', () => {
    const { channel, guest } = readyGuest();
    const { transId } = guest.executeSrb({ cdb: Uint8Array.of(0xc7, 0, 0, 0, 0, 0), buffer: null });
    const c = guest.completion(transId);
    expect(c.scsiStatus).toBe(scsi.ScsiStatus.CHECK_CONDITION);
    expect(c.srbStatus & 0x3f).toBe(SrbStatus.INVALID_REQUEST);
    expect(c.sense).toMatchObject({ senseKey: scsi.SenseKey.ILLEGAL_REQUEST, asc: 0x20 });
    expectChannelOpen(channel);
  });

  it('rule 17: a LUN other than 0 is SRB_STATUS_INVALID_LUN (DEVICE_DOES_NOT_EXIST), as Hyper-V answers', () => {
    const { h, guest } = readyGuest();
    const { transId } = guest.executeSrb({ command: read16(0, 8), lun: 1 });
    expect(guest.completion(transId)).toMatchObject({
      status: VstorNtStatus.DEVICE_DOES_NOT_EXIST,
      srbStatus: SrbStatus.INVALID_LUN,
      scsiStatus: scsi.ScsiStatus.CHECK_CONDITION,
      sense: undefined,
    });
    expect(h.deviceRequests).toHaveLength(0);
  });

  it("rule 36: a read into pages outside the guest is refused with ILLEGAL REQUEST; the fault is the guest's", () => {
    const { h, channel, guest } = readyGuest({ guestPages: 1024 });
    const outside = { byteCount: 4096, byteOffset: 0, pfns: [5000] };
    const { transId } = guest.executeSrb({ command: read16(0, 8), buffer: outside });
    expect(guest.completion(transId).sense?.senseKey).toBe(scsi.SenseKey.ILLEGAL_REQUEST);
    expectIsolationFault(h, { kind: 'pfn-outside-guest', blame: 'guest' });
    expectNoPluginFaults(h);
    expectChannelOpen(channel);
  });

  it("rule 3: every completion echoes its request's trans_id, whatever the guest chose", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), {
          minLength: 1,
          maxLength: 12,
        }),
        (ids) => {
          const { h, channel, guest } = readyGuest();
          for (const transId of ids) guest.executeSrb({ command: read16(8, 1), transId });
          h.settle();
          const answered = channel.completions.slice(4).map((c) => c.transId); // after the handshake
          expect(answered.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('storvsp: rule 18 (queue depth)', () => {
  it('rule 18: beyond queueDepth requests wait in storvsp and go to the disk in arrival order', () => {
    const { h, channel, guest } = readyGuest({
      settings: { queueDepth: 4 },
      device: { kind: 'block', latencySteps: 10 },
    });
    const ids = Array.from(
      { length: 10 },
      (_, i) => guest.executeSrb({ command: read16(i * 8, 8) }).transId,
    );
    expect(h.deviceRequests).toHaveLength(4); // six wait inside storvsp
    const completed = () => channel.completions.slice(4).map((c) => c.transId); // after the handshake
    h.advance(10);
    expect(completed()).toEqual(ids.slice(0, 4));
    expect(h.deviceRequests).toHaveLength(8);
    h.settle();
    expect(completed()).toEqual(ids);
    expect(h.deviceRequests.map((r) => r.block?.offsetBytes)).toEqual(
      ids.map((_, i) => i * 8 * 512),
    );
    expect(h.logs.some((l) => l.includes('waiting in storvsp'))).toBe(true);
  });

  it('rule 18: the disk never holds more than queueDepth requests of one channel', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 5 }),
        (depth, n, latency) => {
          const { h, channel, guest } = readyGuest({
            settings: { queueDepth: depth },
            device: { kind: 'block', latencySteps: latency },
          });
          const handshake = channel.completionCount;
          for (let i = 0; i < n; i++) guest.executeSrb({ command: read16(i, 1) });
          let peak = 0;
          while (h.clock.pending('device') > 0) {
            const onDisk = h.deviceRequests.length - (channel.completionCount - handshake);
            peak = Math.max(peak, onDisk);
            h.advance(1);
          }
          expect(peak).toBe(Math.min(depth, n));
          expect(channel.completionCount - handshake).toBe(n);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('rule 18: each channel has its own queue depth', () => {
    const { h, guest } = readyGuest({
      settings: { queueDepth: 2 },
      device: { kind: 'block', latencySteps: 10 },
    });
    const other = secondGuest(h, 'web01');
    for (let i = 0; i < 5; i++) {
      guest.executeSrb({ command: read16(i, 1) });
      other.guest.executeSrb({ command: read16(i, 1) });
    }
    expect(h.deviceRequests.filter((r) => r.channel === guest.channel.id)).toHaveLength(2);
    expect(h.deviceRequests.filter((r) => r.channel === other.channel.id)).toHaveLength(2);
  });
});

describe('storvsp: root CPU per I/O', () => {
  it('charges a few µs of root CPU per synthetic read, request and completion together', () => {
    const { h, guest } = readyGuest();
    const before = h.calls.length;
    guest.executeSrb({ command: read16(0, 8) });
    h.settle();
    const calls = h.calls.slice(before);
    expect(calls.map((c) => c.handler)).toEqual(['onPacket', 'onDeviceCompleted']);
    const perIo = calls.reduce((a, c) => a + c.chargedNs + VSP_DISPATCH_NS, 0);
    expect(perIo).toBeGreaterThanOrEqual(2_000);
    expect(perIo).toBeLessThanOrEqual(10_000);
    expectCpuCharged(h, { handler: 'onPacket', min: 1 });
  });
});
