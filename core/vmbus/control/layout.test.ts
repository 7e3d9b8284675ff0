/**
 * Known answers derived from the packed structs in L: include/linux/hyperv.h (all __packed,
 * little-endian) — sizes and field offsets are recomputed here from the field lists, not taken
 * from the implementation.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { VMBUS_MONITOR_ID_COUNT } from './constants.js';
import { decodeChannelMessage } from './decode.js';
import { encodeChannelMessage } from './encode.js';
import { VmbusControlError } from './errors.js';
import { GPADL_BODY_MAX_PFNS, GPADL_HEADER_MAX_PFNS } from './gpadl-limits.js';
import { readGuid, writeGuid } from './guid.js';
import { ChannelMessageType as T } from './message-types.js';
import type { ChannelMessage } from './messages.js';
import { messageArbitraries } from './test-arbitraries.js';
import { VmbusVersion } from './versions.js';

const u8 = 1;
const u16 = 2;
const u32 = 4;
const u64 = 8;
const guidT = 16;
/** struct vmbus_channel_message_header { enum msgtype (u32); u32 padding; }. */
const header = u32 + u32;
/** struct vmbus_channel_offer: if_type, if_instance, reserved1, reserved2, chn_flags, mmio_megabytes, u (120), sub_channel_index, reserved3. */
const channelOffer = guidT + guidT + u64 + u64 + u16 + u16 + 120 + u16 + u16;
/** struct gpa_range without its flexible pfn_array. */
const gpaRange = u32 + u32;
/** struct vmbus_channel_gpadl_header without range[]. */
const gpadlHeaderFixed = header + u32 + u32 + u16 + u16;
/** struct vmbus_channel_gpadl_body without pfn[]. */
const gpadlBodyFixed = header + u32 + u32;

const STRUCT_SIZES: Readonly<Record<string, number>> = {
  // offer_channel: header, offer, child_relid, monitorid, monitor_allocated:1/reserved:7, is_dedicated_interrupt:1/reserved1:15 (u16), connection_id
  OFFERCHANNEL: header + channelOffer + u32 + u8 + u8 + u16 + u32,
  RESCIND_CHANNELOFFER: header + u32,
  REQUESTOFFERS: header,
  ALLOFFERS_DELIVERED: header,
  // open_channel: child_relid, openid, ringbuffer_gpadlhandle, target_vp, downstream_ringbuffer_pageoffset, userdata[120]
  OPENCHANNEL: header + 5 * u32 + 120,
  OPENCHANNEL_RESULT: header + u32 + u32 + u32,
  CLOSECHANNEL: header + u32,
  GPADL_CREATED: header + u32 + u32 + u32,
  GPADL_TEARDOWN: header + u32 + u32,
  GPADL_TORNDOWN: header + u32,
  RELID_RELEASED: header + u32,
  // initiate_contact: vmbus_version_requested, target_vcpu, union (u64), monitor_page1, monitor_page2
  INITIATE_CONTACT: header + u32 + u32 + u64 + u64 + u64,
  // version_response: version_supported, connection_state, padding (u16), msg_conn_id
  VERSION_RESPONSE: header + u8 + u8 + u16 + u32,
  UNLOAD: header,
  UNLOAD_RESPONSE: header,
  TL_CONNECT_REQUEST: header + guidT + guidT,
  MODIFYCHANNEL: header + u32 + u32,
  // O: protocol.rs TlConnectResult { endpoint_id, service_id, status: i32 }
  TL_CONNECT_RESULT: header + guidT + guidT + u32,
  MODIFYCHANNEL_RESPONSE: header + u32 + u32,
};

function u32At(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
function u16At(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
function u64At(b: Uint8Array, at: number): bigint {
  return BigInt(u32At(b, at)) | (BigInt(u32At(b, at + 4)) << 32n);
}
function encode(message: ChannelMessage): Uint8Array {
  const buffer = new Uint8Array(240);
  return buffer.slice(0, encodeChannelMessage(message, buffer));
}

describe('message sizes per hyperv.h', () => {
  for (const [name, size] of Object.entries(STRUCT_SIZES)) {
    it(`${name} is ${size} bytes with its type in the first u32`, () => {
      const [sample] = fc.sample(messageArbitraries[name], { numRuns: 1, seed: 7 });
      const bytes = encode(sample);
      expect(bytes.length).toBe(size);
      expect(u32At(bytes, 0)).toBe(T[name as keyof typeof T]);
      expect(u32At(bytes, 4)).toBe(0); // header padding
    });
  }

  it('rule 12: GPADL_HEADER is 20 + 8 (range[0]) + 8 per PFN and GPADL_BODY 16 + 8 per PFN', () => {
    expect(gpadlHeaderFixed).toBe(20);
    for (const n of [0, 1, GPADL_HEADER_MAX_PFNS]) {
      const bytes = encode({
        type: T.GPADL_HEADER,
        childRelid: 1,
        gpadl: 1,
        rangeBufLen: gpaRange + u64 * Math.max(n, 1),
        rangeCount: 1,
        byteCount: 4096,
        byteOffset: 0,
        pfns: Array.from({ length: n }, (_, i) => i),
      });
      expect(bytes.length).toBe(gpadlHeaderFixed + gpaRange + u64 * n);
    }
    for (const n of [0, 1, GPADL_BODY_MAX_PFNS]) {
      const bytes = encode({
        type: T.GPADL_BODY,
        msgNumber: 0,
        gpadl: 1,
        pfns: new Array<number>(n).fill(3),
      });
      expect(bytes.length).toBe(gpadlBodyFixed + u64 * n);
    }
  });
});

describe('field offsets per hyperv.h', () => {
  it('rule 11: OFFERCHANNEL puts the GUIDs, flags, relid, monitor and connection id where Linux reads them', () => {
    const userDef = new Uint8Array(120).map((_, i) => i + 1);
    const bytes = encode({
      type: T.OFFERCHANNEL,
      offer: {
        ifType: 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
        ifInstance: '00112233-4455-6677-8899-aabbccddeeff',
        chnFlags: 0x2001,
        mmioMegabytes: 0x1234,
        userDef,
        subChannelIndex: 3,
      },
      childRelid: 0x7ff,
      monitorId: 0x45,
      monitorAllocated: true,
      isDedicatedInterrupt: true,
      connectionId: 0x0001_2007,
    });
    const offerAt = header;
    const afterOffer = header + channelOffer;
    expect(readGuid(bytes, offerAt)).toBe('ba6163d9-04a1-4d29-b605-72e2ffb1dc7f');
    expect(readGuid(bytes, offerAt + guidT)).toBe('00112233-4455-6677-8899-aabbccddeeff');
    expect(u64At(bytes, offerAt + 2 * guidT)).toBe(0n); // reserved1
    expect(u64At(bytes, offerAt + 2 * guidT + u64)).toBe(0n); // reserved2
    const flagsAt = offerAt + 2 * guidT + 2 * u64;
    expect(u16At(bytes, flagsAt)).toBe(0x2001);
    expect(u16At(bytes, flagsAt + u16)).toBe(0x1234);
    expect(bytes.slice(flagsAt + 2 * u16, flagsAt + 2 * u16 + 120)).toEqual(userDef);
    expect(u16At(bytes, flagsAt + 2 * u16 + 120)).toBe(3); // sub_channel_index
    expect(u32At(bytes, afterOffer)).toBe(0x7ff); // child_relid
    expect(bytes[afterOffer + u32]).toBe(0x45); // monitorid
    expect(bytes[afterOffer + u32 + u8]).toBe(1); // monitor_allocated:1
    expect(u16At(bytes, afterOffer + u32 + 2 * u8)).toBe(1); // is_dedicated_interrupt:1
    expect(u32At(bytes, afterOffer + u32 + 2 * u8 + u16)).toBe(0x0001_2007);
  });

  it('rule 12: OPENCHANNEL fields sit in Linux order after the header', () => {
    const userData = new Uint8Array(120).fill(0xee);
    const bytes = encode({
      type: T.OPENCHANNEL,
      childRelid: 5,
      openId: 6,
      ringBufferGpadlHandle: 0xe1e10,
      targetVp: 3,
      downstreamRingBufferPageOffset: 33,
      userData,
    });
    expect([8, 12, 16, 20, 24].map((at) => u32At(bytes, at))).toEqual([5, 6, 0xe1e10, 3, 33]);
    expect(bytes.slice(header + 5 * u32)).toEqual(userData);
  });

  it('rule 12: GPADL_HEADER and GPADL_BODY put counts, range[0] and PFNs where Linux writes them', () => {
    const h = encode({
      type: T.GPADL_HEADER,
      childRelid: 9,
      gpadl: 0xe1e10,
      rangeBufLen: 8 + 3 * 8,
      rangeCount: 1,
      byteCount: 3 * 4096,
      byteOffset: 0,
      pfns: [0x1_0000_0001, 2, 3],
    });
    expect(u32At(h, header)).toBe(9); // child_relid
    expect(u32At(h, header + u32)).toBe(0xe1e10); // gpadl
    expect(u16At(h, header + 2 * u32)).toBe(32); // range_buflen
    expect(u16At(h, header + 2 * u32 + u16)).toBe(1); // rangecount
    expect(u32At(h, gpadlHeaderFixed)).toBe(3 * 4096); // range[0].byte_count
    expect(u32At(h, gpadlHeaderFixed + u32)).toBe(0); // range[0].byte_offset
    expect(u64At(h, gpadlHeaderFixed + gpaRange)).toBe(0x1_0000_0001n); // pfn_array[0]
    const b = encode({ type: T.GPADL_BODY, msgNumber: 4, gpadl: 0xe1e10, pfns: [7] });
    expect(u32At(b, header)).toBe(4); // msgnumber
    expect(u32At(b, header + u32)).toBe(0xe1e10); // gpadl
    expect(u64At(b, gpadlBodyFixed)).toBe(7n); // pfn[0]
  });

  it('rule 11: INITIATE_CONTACT carries the interrupt page before 5.0 and msg_sint/msg_vtl from 5.0', () => {
    const old = encode({
      type: T.INITIATE_CONTACT,
      vmbusVersionRequested: VmbusVersion.WIN8_1,
      targetVcpu: 2,
      interruptPage: 0x1_2345_6000n,
      msgSint: 0,
      msgVtl: 0,
      monitorPage1: 0xffff_ffff_f000_0000n,
      monitorPage2: 0x2000n,
    });
    expect(u32At(old, header)).toBe((3 << 16) | 0);
    expect(u32At(old, header + u32)).toBe(2);
    expect(u64At(old, header + 2 * u32)).toBe(0x1_2345_6000n);
    expect(u64At(old, header + 2 * u32 + u64)).toBe(0xffff_ffff_f000_0000n);
    expect(u64At(old, header + 2 * u32 + 2 * u64)).toBe(0x2000n);
    const modern = encode({
      type: T.INITIATE_CONTACT,
      vmbusVersionRequested: VmbusVersion.WIN10_V5_3,
      targetVcpu: 0,
      interruptPage: 0n,
      msgSint: 2,
      msgVtl: 0,
      monitorPage1: 0x1000n,
      monitorPage2: 0x2000n,
    });
    expect(u32At(modern, header)).toBe((5 << 16) | 3);
    expect(modern[header + 2 * u32]).toBe(2); // msg_sint
    expect(modern[header + 2 * u32 + 1]).toBe(0); // msg_vtl
    expect(modern.slice(header + 2 * u32 + 2, header + 2 * u32 + 8)).toEqual(new Uint8Array(6)); // reserved[6]
  });

  it('rule 11: VERSION_RESPONSE puts version_supported, connection_state and msg_conn_id where Linux reads them', () => {
    const bytes = encode({
      type: T.VERSION_RESPONSE,
      versionSupported: true,
      connectionState: 2,
      msgConnId: 4,
    });
    expect(bytes[header]).toBe(1);
    expect(bytes[header + u8]).toBe(2);
    expect(u16At(bytes, header + 2 * u8)).toBe(0); // padding
    expect(u32At(bytes, header + 2 * u8 + u16)).toBe(4);
  });

  it('reads the monitor_allocated and is_dedicated_interrupt bits, ignoring the reserved bits around them', () => {
    const bytes = encode({
      type: T.OFFERCHANNEL,
      offer: {
        ifType: '00000000-0000-0000-0000-000000000000',
        ifInstance: '00000000-0000-0000-0000-000000000000',
        chnFlags: 0,
        mmioMegabytes: 0,
        userDef: new Uint8Array(120),
        subChannelIndex: 0,
      },
      childRelid: 1,
      monitorId: VMBUS_MONITOR_ID_COUNT - 1,
      monitorAllocated: false,
      isDedicatedInterrupt: false,
      connectionId: 0,
    });
    bytes[189] = 0xfe; // reserved:7 set, monitor_allocated clear
    bytes[190] = 0xfe; // reserved1 bits set, is_dedicated_interrupt clear
    bytes[191] = 0xff;
    const r = decodeChannelMessage(bytes, 0, bytes.length);
    expect(
      r.ok &&
        r.value.type === T.OFFERCHANNEL && [r.value.monitorAllocated, r.value.isDedicatedInterrupt],
    ).toEqual([false, false]);
  });
});

describe('GUID byte layout', () => {
  it('writes HV_SCSI_GUID as the bytes the older hyperv.h listed literally', () => {
    // L: include/linux/hyperv.h (v4.x): HV_SCSI_GUID .guid = { 0xd9, 0x63, 0x61, 0xba, 0xa1, 0x04, 0x29, 0x4d,
    //                                                         0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc, 0x7f }
    const scsi = [
      0xd9, 0x63, 0x61, 0xba, 0xa1, 0x04, 0x29, 0x4d, 0xb6, 0x05, 0x72, 0xe2, 0xff, 0xb1, 0xdc,
      0x7f,
    ];
    const bytes = new Uint8Array(16);
    writeGuid(bytes, 0, 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f');
    expect(Array.from(bytes)).toEqual(scsi);
    expect(readGuid(Uint8Array.from(scsi), 0)).toBe('ba6163d9-04a1-4d29-b605-72e2ffb1dc7f');
  });

  it('reads HV_IDE_GUID from its literal bytes', () => {
    // L: hyperv.h (v4.x): HV_IDE_GUID { 0x32, 0x26, 0x41, 0x32, 0xcb, 0x86, 0xa2, 0x44, 0x9b, 0x5c, 0x50, 0xd1, 0x41, 0x73, 0x54, 0xf5 }
    const ide = [
      0x32, 0x26, 0x41, 0x32, 0xcb, 0x86, 0xa2, 0x44, 0x9b, 0x5c, 0x50, 0xd1, 0x41, 0x73, 0x54,
      0xf5,
    ];
    expect(readGuid(Uint8Array.from(ide), 0)).toBe('32412632-86cb-44a2-9b5c-50d1417354f5');
  });

  it('reverses Data1, Data2 and Data3 and keeps Data4 in order (GUID_INIT)', () => {
    const bytes = new Uint8Array(18);
    writeGuid(bytes, 1, '00112233-4455-6677-8899-aabbccddeeff');
    expect(Array.from(bytes)).toEqual([
      0, 0x33, 0x22, 0x11, 0x00, 0x55, 0x44, 0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee,
      0xff, 0,
    ]);
  });

  it('refuses GUID strings that are not lowercase canonical with a typed error', () => {
    const bytes = new Uint8Array(16);
    for (const bad of [
      'BA6163D9-04A1-4D29-B605-72E2FFB1DC7F',
      '{ba6163d9-04a1-4d29-b605-72e2ffb1dc7f}',
      'ba6163d904a14d29b60572e2ffb1dc7f',
      '',
    ]) {
      expect(() => {
        writeGuid(bytes, 0, bad);
      }).toThrow(VmbusControlError);
    }
  });

  it('any 16 bytes read back to themselves through the string form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (raw) => {
        const again = new Uint8Array(16);
        writeGuid(again, 0, readGuid(raw, 0));
        expect(again).toEqual(raw);
      }),
    );
  });
});
