import { describe, expect, it } from '@jest/globals';
import { VMBUS_MESSAGE_SINT as HYPERVISOR_VMBUS_SINT } from '../../hypervisor/index.js';
import { VMBUS_MESSAGE_SINT } from './constants.js';
import { decodeChannelMessage } from './decode.js';
import { encodeChannelMessage } from './encode.js';
import { ChannelMessageType as T } from './message-types.js';
import {
  formatVmbusVersion,
  guestContactOutcome,
  guestInitiateContact,
  HOST_MAX_VMBUS_VERSION,
  hostVersionResponse,
  LINUX_VMBUS_VERSIONS,
  messageConnectionIdFor,
  negotiateVmbusVersion,
  VmbusVersion,
} from './versions.js';

describe('rule 11: VMBus protocol versions', () => {
  it('encodes each version as (major << 16) | minor, per hyperv.h', () => {
    const expected: [keyof typeof VmbusVersion, number, number][] = [
      ['WS2008', 0, 13],
      ['WIN7', 1, 1],
      ['WIN8', 2, 4],
      ['WIN8_1', 3, 0],
      ['WIN10', 4, 0],
      ['WIN10_V4_1', 4, 1],
      ['WIN10_V5', 5, 0],
      ['WIN10_V5_1', 5, 1],
      ['WIN10_V5_2', 5, 2],
      ['WIN10_V5_3', 5, 3],
    ];
    for (const [name, major, minor] of expected) {
      expect(VmbusVersion[name]).toBe(major * 65536 + minor);
      expect(formatVmbusVersion(VmbusVersion[name])).toBe(`${major}.${minor}`);
    }
  });

  it('a Linux guest tries 5.3 down to 2.4, newest first (connection.c vmbus_versions[])', () => {
    expect(LINUX_VMBUS_VERSIONS.map(formatVmbusVersion)).toEqual([
      '5.3',
      '5.2',
      '5.1',
      '5.0',
      '4.1',
      '4.0',
      '3.0',
      '2.4',
    ]);
  });

  it('posts INITIATE_CONTACT to message connection 4 from VMBus 5.0 on and to 1 before', () => {
    expect(messageConnectionIdFor(VmbusVersion.WIN10_V5)).toBe(4);
    expect(messageConnectionIdFor(VmbusVersion.WIN10_V5_3)).toBe(4);
    expect(messageConnectionIdFor(VmbusVersion.WIN10_V4_1)).toBe(1);
    expect(messageConnectionIdFor(VmbusVersion.WIN8)).toBe(1);
  });

  it('uses the SINT the hypervisor layer delivers VMBus messages on (rule 10: SINT2)', () => {
    expect(VMBUS_MESSAGE_SINT).toBe(2);
    expect(VMBUS_MESSAGE_SINT).toBe(HYPERVISOR_VMBUS_SINT);
  });
});

describe('rule 11: INITIATE_CONTACT → VERSION_RESPONSE', () => {
  const pages = { monitorPage1: 0x7000n, monitorPage2: 0x8000n };

  it('from 5.0 the guest names SINT2 and its VTL instead of an interrupt page; before, the page', () => {
    const modern = guestInitiateContact({
      version: VmbusVersion.WIN10_V5_2,
      interruptPage: 0x9000n,
      msgVtl: 0,
      ...pages,
    });
    expect(modern).toMatchObject({ interruptPage: 0n, msgSint: 2, msgVtl: 0 });
    const old = guestInitiateContact({
      version: VmbusVersion.WIN10,
      interruptPage: 0x9000n,
      ...pages,
    });
    expect(old).toMatchObject({ interruptPage: 0x9000n, msgSint: 0, msgVtl: 0 });
    const bytes = new Uint8Array(240);
    const size = encodeChannelMessage(modern, bytes);
    expect(decodeChannelMessage(bytes, 0, size, { from: 'guest' })).toEqual({
      ok: true,
      value: modern,
    });
  });

  it.each([
    ['ws2016', '4.0', 1],
    ['ws2019', '5.2', 4],
    ['ws2022', '5.3', 4],
  ] as const)(
    'a Linux guest on a %s host settles on VMBus %s, then posts to connection %i',
    (os, version, connectionId) => {
      const n = negotiateVmbusVersion({ host: { maxVersion: HOST_MAX_VMBUS_VERSION[os] } });
      expect(n.version === undefined ? undefined : formatVmbusVersion(n.version)).toBe(version);
      expect(n.messageConnectionId).toBe(connectionId);
      expect(n.attempts[0]).toBe(VmbusVersion.WIN10_V5_3);
      expect(n.attempts[n.attempts.length - 1]).toBe(n.version);
    },
  );

  it('answers a newer or unknown version with version_supported = 0', () => {
    const policy = { maxVersion: VmbusVersion.WIN10_V5_2 };
    for (const version of [VmbusVersion.WIN10_V5_3, vmbusVersionOf(4, 7), 0xffff_ffff]) {
      const r = hostVersionResponse(guestInitiateContact({ version, ...pages }), policy);
      expect(r).toEqual({
        type: T.VERSION_RESPONSE,
        versionSupported: false,
        connectionState: 0,
        msgConnId: 0,
      });
    }
  });

  it('hands a 5.x guest the message connection id and an older guest its version', () => {
    const policy = { maxVersion: VmbusVersion.WIN10_V5_3, messageConnectionId: 0x800074 };
    const modern = hostVersionResponse(
      guestInitiateContact({ version: VmbusVersion.WIN10_V5_1, ...pages }),
      policy,
    );
    expect(modern).toMatchObject({
      versionSupported: true,
      connectionState: 0,
      msgConnId: 0x800074,
    });
    expect(guestContactOutcome(VmbusVersion.WIN10_V5_1, modern)).toEqual({
      connected: true,
      messageConnectionId: 0x800074,
    });
    const old = hostVersionResponse(
      guestInitiateContact({ version: VmbusVersion.WIN8_1, ...pages }),
      policy,
    );
    expect(old).toMatchObject({ versionSupported: true, msgConnId: VmbusVersion.WIN8_1 });
    expect(guestContactOutcome(VmbusVersion.WIN8_1, old)).toEqual({
      connected: true,
      messageConnectionId: 1,
    });
  });

  it('refuses a 5.x contact that asks for messages on another SINT or VTL', () => {
    const policy = { maxVersion: VmbusVersion.WIN10_V5_3 };
    const base = guestInitiateContact({ version: VmbusVersion.WIN10_V5_2, ...pages });
    expect(hostVersionResponse({ ...base, msgSint: 3 }, policy).versionSupported).toBe(false);
    expect(hostVersionResponse({ ...base, msgVtl: 2 }, policy).versionSupported).toBe(false);
  });

  it('fails a contact that gives only one monitor page (O: MonitorPageRequest::Invalid)', () => {
    const policy = { maxVersion: VmbusVersion.WIN10_V5_3 };
    const win10 = guestInitiateContact({
      version: VmbusVersion.WIN10,
      monitorPage1: 0x7000n,
      monitorPage2: 0n,
    });
    expect(hostVersionResponse(win10, policy)).toMatchObject({
      versionSupported: true,
      connectionState: 2,
    });
    const win7 = guestInitiateContact({
      version: VmbusVersion.WIN7,
      monitorPage1: 0n,
      monitorPage2: 0x8000n,
    });
    expect(hostVersionResponse(win7, policy).versionSupported).toBe(false);
  });

  it('reports no version when the guest and host share none (L: -EDOM)', () => {
    const n = negotiateVmbusVersion({ host: { maxVersion: VmbusVersion.WIN7 } });
    expect(n.version).toBeUndefined();
    expect(n.attempts).toEqual(LINUX_VMBUS_VERSIONS);
  });

  it('skips versions above the guest max_version module parameter', () => {
    const n = negotiateVmbusVersion({
      host: { maxVersion: VmbusVersion.WIN10_V5_3 },
      guestMaxVersion: VmbusVersion.WIN10_V5,
    });
    expect(n.attempts).toEqual([VmbusVersion.WIN10_V5]);
    expect(n.version).toBe(VmbusVersion.WIN10_V5);
  });
});

function vmbusVersionOf(major: number, minor: number): number {
  return major * 65536 + minor;
}
