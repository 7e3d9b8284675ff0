import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  encodeToBytes,
  expectWindowSafe,
  hostileBytes,
  i32,
  u16,
  u32,
  u32At,
  u64,
  u8,
} from '../codec/hostile.test-support.js';
import { SynthvidMessageType, SynthvidVersion } from './constants.js';
import { decodeSynthvidMessage, encodeSynthvidMessage } from './synthvid.js';
import type { SynthvidMessage } from './synthvid.js';

const outputArb = fc.record({
  active: fc.boolean(),
  vramOffset: u32,
  depthBits: u8,
  widthPixels: u32,
  heightPixels: u32,
  pitchBytes: u32,
});
const rectArb = fc.record({ x1: i32, y1: i32, x2: i32, y2: i32 });

const videoArb: fc.Arbitrary<SynthvidMessage> = fc.oneof(
  fc.record({ kind: fc.constant('versionRequest' as const), version: u32 }),
  fc.record({
    kind: fc.constant('versionResponse' as const),
    version: u32,
    isAccepted: fc.boolean(),
    maxVideoOutputs: u8,
  }),
  fc.record({
    kind: fc.constant('vramLocation' as const),
    userContext: u64,
    isVramGpaSpecified: fc.boolean(),
    vramGpa: u64,
  }),
  fc.record({ kind: fc.constant('vramLocationAck' as const), userContext: u64 }),
  fc.record({
    kind: fc.constant('situationUpdate' as const),
    userContext: u64,
    videoOutputs: fc.array(outputArb, { maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('situationUpdateAck' as const), userContext: u64 }),
  fc.record({
    kind: fc.constant('pointerPosition' as const),
    isVisible: fc.boolean(),
    videoOutput: u8,
    imageX: i32,
    imageY: i32,
  }),
  fc.record({
    kind: fc.constant('pointerShape' as const),
    partIndex: u8,
    isArgb: fc.boolean(),
    width: u32,
    height: u32,
    hotX: u32,
    hotY: u32,
    data: fc.uint8Array({ maxLength: 64 }),
  }),
  fc.record({
    kind: fc.constant('featureChange' as const),
    isDirtNeeded: fc.boolean(),
    isPointerPositionNeeded: fc.boolean(),
    isPointerShapeNeeded: fc.boolean(),
    isSituationNeeded: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('dirt' as const),
    videoOutput: u8,
    rects: fc.array(rectArb, { maxLength: 5 }),
  }),
  fc.record({ kind: fc.constant('resolutionRequest' as const), maximumResolutionCount: u8 }),
  fc.record({
    kind: fc.constant('resolutionResponse' as const),
    edid: fc.uint8Array({ minLength: 128, maxLength: 128 }),
    defaultResolutionIndex: u8,
    isStandard: fc.boolean(),
    resolutions: fc.array(fc.record({ width: u16, height: u16 }), { maxLength: 64 }),
  }),
);

const encode = (m: SynthvidMessage): Uint8Array => encodeToBytes(encodeSynthvidMessage, m, 1024);

describe('synthetic video messages', () => {
  it('round-trip for every message kind', () => {
    fc.assert(
      fc.property(videoArb, (m) => {
        const b = encode(m);
        expect(decodeSynthvidMessage(b, 0, b.length)).toEqual({ ok: true, value: m });
      }),
    );
  });

  it('frames a version request as pipe_msg_hdr + synthvid_msg_hdr + version (20 bytes)', () => {
    const b = encode({ kind: 'versionRequest', version: SynthvidVersion.WIN10 });
    // pipe {type DATA = 1, size = vid size}, vid {type 1, size = 8 + 4}, version 3.5 = 5 << 16 | 3.
    expect([u32At(b, 0), u32At(b, 4), u32At(b, 8), u32At(b, 12), u32At(b, 16)]).toEqual([
      1, 12, 1, 12, 0x0005_0003,
    ]);
  });

  it('sizes a one-output situation update and a one-rect dirt message like hyperv_fb.c', () => {
    // sizeof(synthvid_situation_update) = user_ctx 8 + count 1 + video_output_situation 18 = 27.
    const situ = encode({
      kind: 'situationUpdate',
      userContext: 0n,
      videoOutputs: [
        {
          active: true,
          vramOffset: 0,
          depthBits: 32,
          widthPixels: 1152,
          heightPixels: 864,
          pitchBytes: 4608,
        },
      ],
    });
    expect(situ).toHaveLength(8 + 8 + 27);
    expect(u32At(situ, 8)).toBe(SynthvidMessageType.SITUATION_UPDATE);
    expect([u32At(situ, 16 + 9 + 6), u32At(situ, 16 + 9 + 10), u32At(situ, 16 + 9 + 14)]).toEqual([
      1152, 864, 4608,
    ]);
    // sizeof(synthvid_dirt) = video_output 1 + dirt_count 1 + rect 16 = 18.
    expect(
      encode({ kind: 'dirt', videoOutput: 0, rects: [{ x1: 0, y1: 0, x2: 1152, y2: 864 }] }),
    ).toHaveLength(16 + 18);
  });

  it('rejects counts that do not fit, a header size beyond the pipe message and a non-data pipe', () => {
    const d = encode({ kind: 'dirt', videoOutput: 0, rects: [] });
    const count = Uint8Array.from(d);
    count[17] = 3;
    expect(decodeSynthvidMessage(count, 0, count.length)).toMatchObject({
      ok: false,
      reason: 'count-out-of-range',
    });
    const size = Uint8Array.from(d);
    size[12] = 200;
    expect(decodeSynthvidMessage(size, 0, size.length)).toMatchObject({
      ok: false,
      reason: 'length-out-of-range',
    });
    const pipe = Uint8Array.from(d);
    pipe[0] = 0;
    expect(decodeSynthvidMessage(pipe, 0, pipe.length)).toMatchObject({
      ok: false,
      reason: 'reserved-value',
    });
  });

  it('never throws and never reads outside its window on hostile bytes', () => {
    fc.assert(
      fc.property(hostileBytes(videoArb.map(encode)), (b) => {
        expectWindowSafe(decodeSynthvidMessage, b);
      }),
    );
  });
});
