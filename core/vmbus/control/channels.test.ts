import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { HV_EVENT_FLAGS_COUNT } from '../../hypervisor/index.js';
import {
  HV_VMBUS_MAX_CHANNELS,
  isValidChildRelid,
  MAX_CHILD_RELID,
  VMBUS_CHANNEL_TLNPI_PROVIDER_OFFER,
} from './constants.js';
import { decodeChannelMessage } from './decode.js';
import { HvDeviceGuid } from './device-guids.js';
import { encodeChannelMessage } from './encode.js';
import { VmbusControlError } from './errors.js';
import { ChannelMessageType as T } from './message-types.js';
import type { ChannelMessage, OfferChannelMessage } from './messages.js';
import { guestSignalPlan, isHvSockOffer, isSubChannelOffer, monitorSlotOf } from './offer.js';
import { messageArbitraries } from './test-arbitraries.js';

function scsiOffer(overrides: Partial<OfferChannelMessage> = {}): OfferChannelMessage {
  return {
    type: T.OFFERCHANNEL,
    offer: {
      ifType: HvDeviceGuid.SCSI,
      ifInstance: 'd7a8b9c0-1234-4abc-8def-0123456789ab',
      chnFlags: 0,
      mmioMegabytes: 0,
      userDef: new Uint8Array(120),
      subChannelIndex: 0,
    },
    childRelid: 14,
    monitorId: 3,
    monitorAllocated: true,
    isDedicatedInterrupt: true,
    connectionId: 0x2000e,
    ...overrides,
  };
}

function roundTrip(message: ChannelMessage): ChannelMessage {
  const bytes = new Uint8Array(240);
  const size = encodeChannelMessage(message, bytes);
  const r = decodeChannelMessage(bytes, 0, size, { from: 'host' });
  if (!r.ok) throw new Error(r.detail);
  return r.value;
}

/** Every message type that names a channel by child_relid. */
const RELID_CARRIERS = [
  'OFFERCHANNEL',
  'RESCIND_CHANNELOFFER',
  'OPENCHANNEL',
  'OPENCHANNEL_RESULT',
  'CLOSECHANNEL',
  'GPADL_HEADER',
  'GPADL_CREATED',
  'GPADL_TEARDOWN',
  'RELID_RELEASED',
  'MODIFYCHANNEL',
  'MODIFYCHANNEL_RESPONSE',
];

describe('rule 15: relids fit the 2048-bit event bitmap, relid 0 reserved', () => {
  it('allows relids 1 … 2047: 2047 channels per connection', () => {
    expect(HV_EVENT_FLAGS_COUNT).toBe(256 * 8); // one 256-byte SIEF slot of event flags
    expect(HV_VMBUS_MAX_CHANNELS).toBe(HV_EVENT_FLAGS_COUNT - 1);
    expect(MAX_CHILD_RELID).toBe(2047);
    expect([0, 1, 2047, 2048, 1.5, -1, 0xffff_ffff].map(isValidChildRelid)).toEqual([
      false,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });

  for (const name of RELID_CARRIERS) {
    it(`${name}: the encoder refuses relid 0 and 2048, the decoder rejects them on the wire`, () => {
      const [sample] = fc.sample(messageArbitraries[name], { numRuns: 1, seed: 21 });
      const bytes = new Uint8Array(240);
      for (const relid of [0, 2048]) {
        expect(() =>
          encodeChannelMessage({ ...sample, childRelid: relid } as ChannelMessage, bytes),
        ).toThrow(VmbusControlError);
      }
      const size = encodeChannelMessage({ ...sample, childRelid: 2047 } as ChannelMessage, bytes);
      expect(decodeChannelMessage(bytes, 0, size).ok).toBe(true);
      const relidAt = name === 'OFFERCHANNEL' ? 184 : 8; // L: offer_channel.child_relid follows the 176-byte offer
      for (const relid of [0, 2048, 0xffff_ffff]) {
        new DataView(bytes.buffer).setUint32(relidAt, relid, true);
        expect(decodeChannelMessage(bytes, 0, size)).toMatchObject({
          ok: false,
          reason: 'relid-out-of-range',
        });
      }
    });
  }
});

describe('rule 11: OFFERCHANNEL carries what the guest needs to bind a driver and signal', () => {
  it('round-trips class and instance GUIDs, relid and connection id', () => {
    const offer = scsiOffer();
    expect(roundTrip(offer)).toEqual(offer);
  });

  it('names sub-channels by sub_channel_index and hv_sock offers by TLNPI_PROVIDER_OFFER', () => {
    expect(isSubChannelOffer(scsiOffer())).toBe(false);
    expect(
      isSubChannelOffer(scsiOffer({ offer: { ...scsiOffer().offer, subChannelIndex: 2 } })),
    ).toBe(true);
    expect(isHvSockOffer(scsiOffer())).toBe(false);
    expect(
      isHvSockOffer(
        scsiOffer({
          offer: { ...scsiOffer().offer, chnFlags: VMBUS_CHANNEL_TLNPI_PROVIDER_OFFER },
        }),
      ),
    ).toBe(true);
  });
});

describe('rule 8: batched signalling through the monitor page vs low latency', () => {
  it('maps monitor id to trigger group id / 32 and bit id % 32', () => {
    expect(monitorSlotOf(0)).toEqual({ group: 0, bit: 0 });
    expect(monitorSlotOf(37)).toEqual({ group: 1, bit: 5 });
    expect(monitorSlotOf(127)).toEqual({ group: 3, bit: 31 });
  });

  it('signals a monitored channel through the monitor page unless it is in low-latency mode', () => {
    const monitored = scsiOffer({ monitorAllocated: true });
    expect(guestSignalPlan(monitored, false)).toEqual({
      viaMonitorPage: true,
      viaHypercall: false,
      setsInterruptPageBit: true,
    });
    expect(guestSignalPlan(monitored, true)).toMatchObject({
      viaMonitorPage: false,
      viaHypercall: true,
    });
  });

  it('signals an unmonitored channel by hypercall, setting the interrupt-page bit only without a dedicated interrupt', () => {
    const plain = scsiOffer({ monitorAllocated: false, isDedicatedInterrupt: false });
    expect(guestSignalPlan(plain, false)).toEqual({
      viaMonitorPage: false,
      viaHypercall: true,
      setsInterruptPageBit: true,
    });
    const dedicated = scsiOffer({ monitorAllocated: false, isDedicatedInterrupt: true });
    expect(guestSignalPlan(dedicated, false).setsInterruptPageBit).toBe(false);
  });
});

describe('rule 13: RESCIND_CHANNELOFFER', () => {
  it('is a 12-byte host message naming the relid, valid at any time and in any order', () => {
    const rescinds = [2047, 1, 14].map(
      (childRelid) => ({ type: T.RESCIND_CHANNELOFFER, childRelid }) as const,
    );
    for (const r of rescinds) {
      const bytes = new Uint8Array(240);
      expect(encodeChannelMessage(r, bytes)).toBe(12);
      expect(decodeChannelMessage(bytes, 0, 12, { from: 'host' })).toEqual({ ok: true, value: r });
      expect(decodeChannelMessage(bytes, 0, 12, { from: 'guest' })).toMatchObject({
        reason: 'wrong-direction',
      });
    }
  });

  it('is answered by the guest with RELID_RELEASED for the same relid', () => {
    const bytes = new Uint8Array(240);
    const size = encodeChannelMessage({ type: T.RELID_RELEASED, childRelid: 14 }, bytes);
    expect(decodeChannelMessage(bytes, 0, size, { from: 'guest' })).toEqual({
      ok: true,
      value: { type: T.RELID_RELEASED, childRelid: 14 },
    });
  });
});
