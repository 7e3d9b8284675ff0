import { describe, expect, it } from '@jest/globals';
import { HyperkataError } from '../../model/index.js';
import { encodeChannelMessage } from './encode.js';
import { VmbusControlError } from './errors.js';
import { ChannelMessageType as T } from './message-types.js';
import type { ChannelMessage } from './messages.js';
import { VmbusVersion } from './versions.js';

function attempt(message: ChannelMessage, target = new Uint8Array(240), offset = 0): unknown {
  try {
    encodeChannelMessage(message, target, offset);
  } catch (error) {
    return error;
  }
  return undefined;
}

const open: ChannelMessage = {
  type: T.OPENCHANNEL,
  childRelid: 1,
  openId: 1,
  ringBufferGpadlHandle: 1,
  targetVp: 0,
  downstreamRingBufferPageOffset: 33,
  userData: new Uint8Array(120),
};

describe('the encoder refuses what our own code should never ask for', () => {
  it('throws a VmbusControlError (a HyperkataError with kind vmbus-control) and writes nothing', () => {
    const target = new Uint8Array(240).fill(9);
    const error = attempt({ ...open, userData: new Uint8Array(121) }, target);
    expect(error).toBeInstanceOf(VmbusControlError);
    expect(HyperkataError.is(error) && error.kind).toBe('vmbus-control');
    expect(target.every((b) => b === 9)).toBe(true);
  });

  it.each<[string, ChannelMessage]>([
    ['a short user-data block', { ...open, userData: new Uint8Array(10) }],
    ['a field past u32', { ...open, openId: 2 ** 32 }],
    ['a negative field', { ...open, targetVp: -1 }],
    ['a fractional field', { ...open, openId: 1.5 }],
    [
      'an uppercase GUID',
      {
        type: T.TL_CONNECT_REQUEST,
        guestEndpointId: 'BA6163D9-04A1-4D29-B605-72E2FFB1DC7F',
        hostServiceId: '00000000-0000-0000-0000-000000000000',
      },
    ],
    [
      '27 PFNs in a GPADL_HEADER',
      {
        type: T.GPADL_HEADER,
        childRelid: 1,
        gpadl: 1,
        rangeBufLen: 8 + 27 * 8,
        rangeCount: 1,
        byteCount: 0,
        byteOffset: 0,
        pfns: new Array<number>(27).fill(1),
      },
    ],
    [
      'more words than range_buflen',
      {
        type: T.GPADL_HEADER,
        childRelid: 1,
        gpadl: 1,
        rangeBufLen: 16,
        rangeCount: 1,
        byteCount: 0,
        byteOffset: 0,
        pfns: [1, 2],
      },
    ],
    [
      'rangecount 0',
      {
        type: T.GPADL_HEADER,
        childRelid: 1,
        gpadl: 1,
        rangeBufLen: 16,
        rangeCount: 0,
        byteCount: 0,
        byteOffset: 0,
        pfns: [1],
      },
    ],
    ['a PFN above 2^53 − 1', { type: T.GPADL_BODY, msgNumber: 0, gpadl: 1, pfns: [2 ** 53] }],
    [
      '29 PFNs in a GPADL_BODY',
      { type: T.GPADL_BODY, msgNumber: 0, gpadl: 1, pfns: new Array<number>(29).fill(1) },
    ],
    [
      'an interrupt page with VMBus 5.0',
      {
        type: T.INITIATE_CONTACT,
        vmbusVersionRequested: VmbusVersion.WIN10_V5,
        targetVcpu: 0,
        interruptPage: 0x1000n,
        msgSint: 2,
        msgVtl: 0,
        monitorPage1: 1n,
        monitorPage2: 1n,
      },
    ],
    [
      'a SINT before VMBus 5.0',
      {
        type: T.INITIATE_CONTACT,
        vmbusVersionRequested: VmbusVersion.WIN8,
        targetVcpu: 0,
        interruptPage: 0n,
        msgSint: 2,
        msgVtl: 0,
        monitorPage1: 1n,
        monitorPage2: 1n,
      },
    ],
    [
      'a GPA past u64',
      {
        type: T.INITIATE_CONTACT,
        vmbusVersionRequested: VmbusVersion.WIN8,
        targetVcpu: 0,
        interruptPage: 0n,
        msgSint: 0,
        msgVtl: 0,
        monitorPage1: 2n ** 64n,
        monitorPage2: 1n,
      },
    ],
  ])('refuses %s', (_, message) => {
    expect(attempt(message)).toBeInstanceOf(VmbusControlError);
  });

  it('refuses a target buffer without room for the message', () => {
    expect(attempt(open, new Uint8Array(147))).toBeInstanceOf(VmbusControlError);
    expect(attempt(open, new Uint8Array(240), 93)).toBeInstanceOf(VmbusControlError);
    expect(attempt(open, new Uint8Array(240), 92)).toBeUndefined();
  });

  it('refuses a message type the model does not carry', () => {
    expect(attempt({ type: 18 } as unknown as ChannelMessage)).toBeInstanceOf(VmbusControlError);
  });
});
