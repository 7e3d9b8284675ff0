import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  decodeSynthvidMessage,
  encodeSynthvidMessage,
  SynthvidVersion,
} from '../../core/protocols/index.js';
import type { SynthvidMessage } from '../../core/protocols/index.js';
import { createVsp, fakeChannel, packet } from './fake-vsp.test-support.js';
import type { FakeChannel } from './fake-vsp.test-support.js';
import { PRESENT_NS_PER_KIB, synthvidVsp } from './index.js';

const VRAM = 0xf800_0000n;

function bytes(m: SynthvidMessage): Uint8Array {
  const out = new Uint8Array(512);
  return out.slice(0, encodeSynthvidMessage(m, out, 0));
}

/** What the VSP sent, decoded. */
function replies(channel: FakeChannel): SynthvidMessage[] {
  return channel.sent
    .filter((s) => s.type === 'inband')
    .map((s) => {
      const r = decodeSynthvidMessage(s.payload, 0, s.payload.length);
      if (!r.ok) throw new Error(r.detail);
      return r.value;
    });
}

const situation = (width: number, height: number): SynthvidMessage => ({
  kind: 'situationUpdate',
  userContext: 0n,
  videoOutputs: [
    {
      active: true,
      vramOffset: 0,
      depthBits: 32,
      widthPixels: width,
      heightPixels: height,
      pitchBytes: width * 4,
    },
  ],
});

/** The hyperv_fb handshake up to the mode (synthvid_connect_vsp + synthvid_send_config). */
const HANDSHAKE: readonly SynthvidMessage[] = [
  { kind: 'versionRequest', version: SynthvidVersion.WIN10 },
  { kind: 'resolutionRequest', maximumResolutionCount: 64 },
  { kind: 'vramLocation', userContext: VRAM, isVramGpaSpecified: true, vramGpa: VRAM },
  { kind: 'pointerPosition', isVisible: true, videoOutput: 0, imageX: 0, imageY: 0 },
  situation(1024, 768),
];

function connected() {
  const vsp = createVsp(synthvidVsp);
  const channel = fakeChannel();
  vsp.handlers.onChannelOpened?.(channel);
  for (const m of HANDSHAKE) vsp.handlers.onPacket(channel, packet(bytes(m)));
  return { vsp, channel };
}

describe('synthvid VSP (hyperkata.synthvid)', () => {
  it("answers hyperv_fb's handshake in order and asks for dirty rectangles once the mode is set", () => {
    const { channel } = connected();
    expect(channel.failure).toBeNull();
    const got = replies(channel);
    expect(got.map((m) => m.kind)).toEqual([
      'versionResponse',
      'resolutionResponse',
      'vramLocationAck',
      'situationUpdateAck',
      'featureChange',
    ]);
    const [version, resolutions, vramAck, , feature] = got;
    expect(version).toMatchObject({ isAccepted: true, version: SynthvidVersion.WIN10 });
    if (resolutions.kind !== 'resolutionResponse') throw new Error('expected resolutions');
    expect(resolutions.resolutions[resolutions.defaultResolutionIndex]).toEqual({
      width: 1024,
      height: 768,
    });
    expect(vramAck).toEqual({ kind: 'vramLocationAck', userContext: VRAM }); // L: checked by the guest
    expect(feature).toMatchObject({ kind: 'featureChange', isDirtNeeded: true });
    expect(channel.memoryAccesses).toBe(0);
  });

  it('declines a version it does not know, and keeps the channel for the next try', () => {
    const vsp = createVsp(synthvidVsp);
    const channel = fakeChannel();
    vsp.handlers.onChannelOpened?.(channel);
    vsp.handlers.onPacket(channel, packet(bytes({ kind: 'versionRequest', version: 0x0009_0003 })));
    vsp.handlers.onPacket(
      channel,
      packet(bytes({ kind: 'versionRequest', version: SynthvidVersion.WIN8 })),
    );
    expect(replies(channel).map((m) => m.kind === 'versionResponse' && m.isAccepted)).toEqual([
      false,
      true,
    ]);
    expect(channel.failure).toBeNull();
  });

  it('presents each DIRT for CPU proportional to its rectangle and completes it when asked', () => {
    const { vsp, channel } = connected();
    const present = (w: number, h: number, transId: number): number => {
      const before = vsp.charged;
      vsp.handlers.onPacket(
        channel,
        packet(bytes({ kind: 'dirt', videoOutput: 0, rects: [{ x1: 0, y1: 0, x2: w, y2: h }] }), {
          transId,
          completionRequested: true,
        }),
      );
      return vsp.charged - before;
    };
    const small = present(64, 64, 7);
    const large = present(256, 256, 8);
    // 16× the pixels: the copy grows by 15 × 16 KiB at PRESENT_NS_PER_KIB.
    expect(large - small).toBe(Math.round(15 * 16 * PRESENT_NS_PER_KIB));
    const completions = channel.sent.filter((s) => s.type === 'completion').map((s) => s.transId);
    expect(completions).toEqual([7, 8]);
    // A rectangle outside the mode is clipped: nothing to copy.
    const off = present(0, 0, 9);
    expect(off).toBeLessThan(small);
  });

  it.each<[string, readonly SynthvidMessage[]]>([
    ['VRAM_LOCATION before the version', [HANDSHAKE[2]]],
    ['DIRT before a mode', [HANDSHAKE[0], { kind: 'dirt', videoOutput: 0, rects: [] }]],
    [
      'RESOLUTION_REQUEST on WIN8',
      [{ kind: 'versionRequest', version: SynthvidVersion.WIN8 }, HANDSHAKE[1]],
    ],
    ['a mode larger than VRAM', [HANDSHAKE[0], HANDSHAKE[2], situation(7680, 7680)]],
    ['a host message from the guest', [{ kind: 'vramLocationAck', userContext: 1n }]],
  ])('rules 37–38: %s stops the channel', (_what, messages) => {
    const vsp = createVsp(synthvidVsp);
    const channel = fakeChannel();
    vsp.handlers.onChannelOpened?.(channel);
    for (const m of messages) vsp.handlers.onPacket(channel, packet(bytes(m)));
    expect(channel.failure).not.toBeNull();
  });

  it('rules 36–38: hostile bytes and packet kinds never make it throw, reply nonsense or touch guest memory', () => {
    const valid = fc.constantFrom(
      ...HANDSHAKE.map(bytes),
      bytes({ kind: 'dirt', videoOutput: 0, rects: [{ x1: 1, y1: 2, x2: 3, y2: 4 }] }),
    );
    const hostile = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      valid.chain((b) =>
        fc.tuple(fc.nat({ max: b.length - 1 }), fc.integer({ min: 0, max: 255 })).map(([at, v]) => {
          const c = b.slice();
          c[at] = v;
          return c;
        }),
      ),
      valid.map((b) => b.subarray(0, Math.floor(b.length / 2))),
    );
    const step = fc.record({
      payload: hostile,
      kind: fc.constantFrom(
        'inband' as const,
        'inband' as const,
        'completion' as const,
        'gpa-direct' as const,
      ),
      transId: fc.integer({ min: -1, max: 0xffff }),
      completionRequested: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.boolean(), fc.array(step, { maxLength: 20 }), (handshake, steps) => {
        const vsp = createVsp(synthvidVsp);
        const channel = fakeChannel();
        vsp.handlers.onChannelOpened?.(channel);
        if (handshake) for (const m of HANDSHAKE) vsp.handlers.onPacket(channel, packet(bytes(m)));
        for (const s of steps) {
          expect(() => {
            vsp.handlers.onPacket(channel, packet(s.payload, s));
          }).not.toThrow();
        }
        expect(() => replies(channel)).not.toThrow(); // everything it sent is a valid message
        expect(channel.memoryAccesses).toBe(0);
      }),
      { numRuns: 500 },
    );
  });
});
