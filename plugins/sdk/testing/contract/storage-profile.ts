/**
 * The storage class's part of the contract suite: the rule-16 handshake, the requests a Linux or
 * Windows guest sends (rule 17), and storage packets mutated the way a hostile guest would
 * (rule 37: operations, lengths, CDBs, LUNs, directions, page lists, trans_ids).
 */
import fc from 'fast-check';
import {
  VmscsiRequestOffset,
  VstorOperation,
  VSTOR_PACKET_HEADER_SIZE,
} from '../../../../core/protocols/index.js';
import type { VspPacket, VspPacketKind } from '../../../../core/vsp/types.js';
import type { FakeChannel } from '../fake-channel.js';
import { HarnessError } from '../harness-error.js';
import type { VspTestHarness } from '../harness.js';
import { StorageGuest } from '../storage-guest.js';
import type { SrbOptions } from '../storage-guest.js';
import { hostileRange, hostileTransId } from './hostile.js';
import type { ContractProfile } from './profile.js';

const H = VSTOR_PACKET_HEADER_SIZE;
const PACKET_BYTES = 64; // vstor_packet with the Win8 SRB (protocol 5.1 and later)

/** The requests a guest sends to a synthetic disk while it boots and runs. */
function validSrbs(): SrbOptions[] {
  return [
    { command: { kind: 'testUnitReady' } },
    { command: { kind: 'inquiry', evpd: false, pageCode: 0, allocationLength: 36 } },
    { command: { kind: 'inquiry', evpd: true, pageCode: 0, allocationLength: 255 } },
    { command: { kind: 'readCapacity10' } },
    { command: { kind: 'readCapacity16', allocationLength: 32 } },
    { command: { kind: 'reportLuns', selectReport: 0, allocationLength: 256 } },
    {
      command: {
        kind: 'modeSense6',
        dbd: true,
        pageControl: 0,
        pageCode: 0x08,
        subpageCode: 0,
        allocationLength: 64,
      },
    },
    { command: { kind: 'requestSense', allocationLength: 18 } },
    { command: { kind: 'read16', lba: 0, blocks: 8, fua: false, dpo: false } },
    { command: { kind: 'write10', lba: 64, blocks: 16, fua: true, dpo: false } },
    { command: { kind: 'synchronizeCache10', immed: false, lba: 0, blocks: 0 }, buffer: null },
    // Refused by the disk, not by the protocol: each must be answered with an error status.
    { cdb: Uint8Array.of(0xff, 0, 0, 0, 0, 0), dataTransferLength: 0, buffer: null },
    { command: { kind: 'read10', lba: 0xffff_fff0, blocks: 32, fua: false, dpo: false } },
    { command: { kind: 'read10', lba: 0, blocks: 1, fua: false, dpo: false }, lun: 3 },
  ];
}

/**
 * The storage contract profile: storvsc's handshake, then reads, writes, flushes, inquiries and
 * refusable commands; hostile mutations of EXECUTE_SRB and of every other operation.
 *
 * @example
 * ```ts
 * const report = runContractSuite(myStorageVsp, { profile: storageContractProfile() });
 * ```
 */
export function storageContractProfile(): ContractProfile {
  const guests = new WeakMap<FakeChannel, StorageGuest>();
  const guestFor = (h: VspTestHarness, channel: FakeChannel): StorageGuest => {
    let guest = guests.get(channel);
    if (guest === undefined) {
      guest = new StorageGuest(h, channel);
      guests.set(channel, guest);
    }
    return guest;
  };
  return {
    name: 'storage',
    deviceClass: 'storage',
    harness: { device: { kind: 'block', latencySteps: 2 } },
    channel: { guestVps: 8, diskBytes: 1 << 30 },
    prepare(h, channel) {
      const state = guestFor(h, channel).initialize();
      if (state.phase !== 'ready')
        throw new HarnessError(
          `the storage handshake (rule 16) ended in ${state.phase}: ${state.failure ?? ''}`,
        );
    },
    validRequests(h, channel) {
      const guest = guestFor(h, channel);
      return validSrbs().map((srb) => guest.srbPacket(srb).packet);
    },
    hostilePackets: hostileStoragePacket,
  };
}

interface SrbMutation {
  readonly operation: number;
  readonly cdb: Uint8Array;
  readonly cdbLength: number;
  readonly senseInfoLength: number;
  readonly dataIn: number;
  readonly address: readonly [number, number, number];
  readonly dataTransferLength: number;
  readonly payloadLength: number;
  readonly body: Uint8Array;
}

function srbMutation(): fc.Arbitrary<SrbMutation> {
  const read16 = fc
    .tuple(fc.integer({ min: 0, max: 4_000_000 }), fc.integer({ min: 0, max: 200 }))
    .map(([lba, blocks]) => {
      const cdb = new Uint8Array(16);
      cdb[0] = 0x88;
      new DataView(cdb.buffer).setUint32(6, lba);
      new DataView(cdb.buffer).setUint32(10, blocks);
      return cdb;
    });
  return fc.record({
    operation: fc.oneof(
      { weight: 6, arbitrary: fc.constant<number>(VstorOperation.EXECUTE_SRB) },
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 14 }) },
      { weight: 1, arbitrary: fc.constantFrom(0xffff_ffff, 0x8000_0003) },
    ),
    cdb: fc.oneof(read16, fc.uint8Array({ minLength: 16, maxLength: 16 })),
    cdbLength: fc.oneof(fc.constant(16), fc.integer({ min: 0, max: 31 })),
    senseInfoLength: fc.oneof(fc.constant(20), fc.integer({ min: 0, max: 255 })),
    dataIn: fc.oneof(fc.constantFrom(0, 1, 2), fc.integer({ min: 0, max: 255 })),
    address: fc.oneof(
      fc.constant([0, 0, 0] as const),
      fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)),
    ),
    dataTransferLength: fc.oneof(
      fc.integer({ min: 0, max: 128 }).map((blocks) => blocks * 512),
      fc.integer({ min: 0, max: 70_000 }),
      fc.constant(0xffff_ffff),
    ),
    payloadLength: fc.oneof(
      { weight: 6, arbitrary: fc.constant(PACKET_BYTES) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 100 }) },
    ),
    body: fc.uint8Array({ minLength: 4, maxLength: 4 }),
  });
}

function encodeMutation(m: SrbMutation): Uint8Array {
  const bytes = new Uint8Array(Math.max(PACKET_BYTES, m.payloadLength));
  const v = new DataView(bytes.buffer);
  v.setUint32(0, m.operation >>> 0, true);
  v.setUint32(4, 1, true);
  if (m.operation === VstorOperation.EXECUTE_SRB) {
    v.setUint16(H + VmscsiRequestOffset.LENGTH, 0x34, true);
    bytes[H + VmscsiRequestOffset.PATH_ID] = m.address[0];
    bytes[H + VmscsiRequestOffset.TARGET_ID] = m.address[1];
    bytes[H + VmscsiRequestOffset.LUN] = m.address[2];
    bytes[H + VmscsiRequestOffset.CDB_LENGTH] = m.cdbLength;
    bytes[H + VmscsiRequestOffset.SENSE_INFO_LENGTH] = m.senseInfoLength;
    bytes[H + VmscsiRequestOffset.DATA_IN] = m.dataIn;
    v.setUint32(H + VmscsiRequestOffset.DATA_TRANSFER_LENGTH, m.dataTransferLength >>> 0, true);
    bytes.set(m.cdb, H + VmscsiRequestOffset.CDB_OR_SENSE);
  } else {
    bytes.set(m.body, H);
  }
  return bytes.slice(0, m.payloadLength);
}

/**
 * Storage packets a hostile guest could send: EXECUTE_SRB with mutated operation, CDB, lengths,
 * direction, address and payload size, over a buffer that fits the transfer or over hostile
 * page lists; other operations with random bodies; all with hostile descriptors.
 *
 * @example
 * ```ts
 * fc.sample(hostileStoragePacket(4096), 3);
 * ```
 */
export function hostileStoragePacket(guestPages: number): fc.Arbitrary<VspPacket> {
  const fittingRange = fc
    .tuple(fc.integer({ min: 16, max: guestPages - 40 }), fc.integer({ min: 0, max: 4095 }))
    .map(([pfn, byteOffset]) => ({ pfn, byteOffset }));
  return fc
    .record({
      mutation: srbMutation(),
      kind: fc.oneof(
        { weight: 6, arbitrary: fc.constant<VspPacketKind>('gpa-direct') },
        { weight: 2, arbitrary: fc.constant<VspPacketKind>('inband') },
        { weight: 1, arbitrary: fc.constant<VspPacketKind>('completion') },
      ),
      transId: hostileTransId(),
      completionRequested: fc.oneof(
        { weight: 6, arbitrary: fc.constant(true) },
        { weight: 1, arbitrary: fc.constant(false) },
      ),
      fitting: fittingRange,
      hostileRanges: fc.option(fc.array(hostileRange(guestPages), { maxLength: 3 }), {
        freq: 3,
      }),
    })
    .map(({ mutation, kind, transId, completionRequested, fitting, hostileRanges }) => {
      const bytes = Math.min(mutation.dataTransferLength, 1 << 17) || 1;
      const pages = Math.ceil((fitting.byteOffset + bytes) / 4096);
      const pfns = Array.from({ length: pages }, (_, i) => fitting.pfn + i);
      const ranges =
        kind !== 'gpa-direct'
          ? []
          : (hostileRanges ?? [{ byteCount: bytes, byteOffset: fitting.byteOffset, pfns }]);
      return {
        kind,
        transId,
        completionRequested,
        payload: encodeMutation(mutation),
        ranges,
      };
    });
}
