import {
  badWindow,
  checkExactBytes,
  checkTarget,
  checkU16,
  checkU32,
  checkU64,
  checkU8,
  checkUint,
  encodeFail,
  truncated,
} from '../codec/bounds.js';
import {
  copyBytes,
  readI32,
  readU16,
  readU32,
  readU64,
  writeU16,
  writeU32,
  writeU64,
  zero,
} from '../codec/le.js';
import { decoded, rejected } from '../codec/result.js';
import type { DecodeResult } from '../codec/result.js';
import {
  PIPE_MSG_HDR_SIZE,
  PipeMessageType,
  SYNTHVID_EDID_BLOCK_SIZE,
  SYNTHVID_MAX_RESOLUTION_COUNT,
  SYNTHVID_MSG_HDR_SIZE,
  SYNTHVID_RECT_SIZE,
  SynthvidMessageType,
  VIDEO_OUTPUT_SITUATION_SIZE,
} from './constants.js';

/**
 * `struct synthvid_msg` (L: hyperv_fb.c): `pipe_msg_hdr` {type = PIPE_MSG_DATA, size} @0, then
 * `synthvid_msg_hdr` {type, size = 8 + payload} @8, then the payload @16. Linux sends
 * `pipe.size == vid.size`. Offsets in the comments below are from the payload start.
 */

/** `struct video_output_situation` (18 bytes). */
export interface VideoOutputSituation {
  readonly active: boolean;
  readonly vramOffset: number;
  readonly depthBits: number;
  readonly widthPixels: number;
  readonly heightPixels: number;
  readonly pitchBytes: number;
}

/** `struct rect`: top-left inclusive, bottom-right exclusive (s32 each). */
export interface SynthvidRect {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

/** Every synthvid message modelled. u64 opaque values (contexts, addresses) are bigints. */
export type SynthvidMessage =
  /** @0 version (minor << 16 | major). */
  | { readonly kind: 'versionRequest'; readonly version: number }
  /** @0 version, @4 is_accepted u8, @5 max_video_outputs u8. */
  | {
      readonly kind: 'versionResponse';
      readonly version: number;
      readonly isAccepted: boolean;
      readonly maxVideoOutputs: number;
    }
  /** @0 user_ctx u64, @8 is_vram_gpa_specified u8, @9 vram_gpa u64. */
  | {
      readonly kind: 'vramLocation';
      readonly userContext: bigint;
      readonly isVramGpaSpecified: boolean;
      readonly vramGpa: bigint;
    }
  /** @0 user_ctx u64. */
  | { readonly kind: 'vramLocationAck'; readonly userContext: bigint }
  /** @0 user_ctx u64, @8 video_output_count u8, @9 video_output[] (18 bytes each). */
  | {
      readonly kind: 'situationUpdate';
      readonly userContext: bigint;
      readonly videoOutputs: readonly VideoOutputSituation[];
    }
  | { readonly kind: 'situationUpdateAck'; readonly userContext: bigint }
  /** @0 is_visible u8, @1 video_output u8, @2 image_x s32, @6 image_y s32. */
  | {
      readonly kind: 'pointerPosition';
      readonly isVisible: boolean;
      readonly videoOutput: number;
      readonly imageX: number;
      readonly imageY: number;
    }
  /** @0 part_idx u8 (0xFF = complete), @1 is_argb u8, @2 width, @6 height, @10 hot_x, @14 hot_y, @18 data. */
  | {
      readonly kind: 'pointerShape';
      readonly partIndex: number;
      readonly isArgb: boolean;
      readonly width: number;
      readonly height: number;
      readonly hotX: number;
      readonly hotY: number;
      readonly data: Uint8Array;
    }
  /** @0..3 is_dirt_needed, is_ptr_pos_needed, is_ptr_shape_needed, is_situ_needed (u8 each). */
  | {
      readonly kind: 'featureChange';
      readonly isDirtNeeded: boolean;
      readonly isPointerPositionNeeded: boolean;
      readonly isPointerShapeNeeded: boolean;
      readonly isSituationNeeded: boolean;
    }
  /** @0 video_output u8, @1 dirt_count u8, @2 rect[] (16 bytes each). */
  | { readonly kind: 'dirt'; readonly videoOutput: number; readonly rects: readonly SynthvidRect[] }
  /** @0 maximum_resolution_count u8. */
  | { readonly kind: 'resolutionRequest'; readonly maximumResolutionCount: number }
  /** @0 edid_block[128], @128 resolution_count, @129 default_resolution_index, @130 is_standard, @131 (u16 width, u16 height)[]. */
  | {
      readonly kind: 'resolutionResponse';
      readonly edid: Uint8Array;
      readonly defaultResolutionIndex: number;
      readonly isStandard: boolean;
      readonly resolutions: readonly { readonly width: number; readonly height: number }[];
    };

const HEADERS = PIPE_MSG_HDR_SIZE + SYNTHVID_MSG_HDR_SIZE;

/** Payload bytes of `m` (after both headers). */
function payloadSize(m: SynthvidMessage): number {
  switch (m.kind) {
    case 'versionRequest':
      return 4;
    case 'versionResponse':
      return 6;
    case 'vramLocation':
      return 17;
    case 'vramLocationAck':
    case 'situationUpdateAck':
      return 8;
    case 'situationUpdate':
      return 9 + VIDEO_OUTPUT_SITUATION_SIZE * m.videoOutputs.length;
    case 'pointerPosition':
      return 10;
    case 'pointerShape':
      return 18 + m.data.length;
    case 'featureChange':
      return 4;
    case 'dirt':
      return 2 + SYNTHVID_RECT_SIZE * m.rects.length;
    case 'resolutionRequest':
      return 1;
    case 'resolutionResponse':
      return SYNTHVID_EDID_BLOCK_SIZE + 3 + 4 * m.resolutions.length;
  }
}

/** Bytes {@link encodeSynthvidMessage} writes (both headers included). */
export function synthvidMessageSize(message: SynthvidMessage): number {
  return HEADERS + payloadSize(message);
}

const TYPE: Record<SynthvidMessage['kind'], number> = {
  versionRequest: SynthvidMessageType.VERSION_REQUEST,
  versionResponse: SynthvidMessageType.VERSION_RESPONSE,
  vramLocation: SynthvidMessageType.VRAM_LOCATION,
  vramLocationAck: SynthvidMessageType.VRAM_LOCATION_ACK,
  situationUpdate: SynthvidMessageType.SITUATION_UPDATE,
  situationUpdateAck: SynthvidMessageType.SITUATION_UPDATE_ACK,
  pointerPosition: SynthvidMessageType.POINTER_POSITION,
  pointerShape: SynthvidMessageType.POINTER_SHAPE,
  featureChange: SynthvidMessageType.FEATURE_CHANGE,
  dirt: SynthvidMessageType.DIRT,
  resolutionRequest: SynthvidMessageType.RESOLUTION_REQUEST,
  resolutionResponse: SynthvidMessageType.RESOLUTION_RESPONSE,
};

function checkI32(value: number, field: string): number {
  if (!Number.isInteger(value) || value < -0x8000_0000 || value > 0x7fff_ffff) {
    encodeFail(field, `expected a signed 32-bit integer, got ${value}`);
  }
  return value;
}

function writePayload(t: Uint8Array, p: number, m: SynthvidMessage): void {
  switch (m.kind) {
    case 'versionRequest':
      writeU32(t, p, checkU32(m.version, 'ver_req.version'));
      return;
    case 'versionResponse':
      writeU32(t, p, checkU32(m.version, 'ver_resp.version'));
      t[p + 4] = m.isAccepted ? 1 : 0;
      t[p + 5] = checkU8(m.maxVideoOutputs, 'ver_resp.max_video_outputs');
      return;
    case 'vramLocation':
      writeU64(t, p, checkU64(m.userContext, 'vram.user_ctx'));
      t[p + 8] = m.isVramGpaSpecified ? 1 : 0;
      writeU64(t, p + 9, checkU64(m.vramGpa, 'vram.vram_gpa'));
      return;
    case 'vramLocationAck':
    case 'situationUpdateAck':
      writeU64(t, p, checkU64(m.userContext, `${m.kind}.user_ctx`));
      return;
    case 'situationUpdate': {
      writeU64(t, p, checkU64(m.userContext, 'situ.user_ctx'));
      t[p + 8] = checkU8(m.videoOutputs.length, 'situ.video_output_count');
      let s = p + 9;
      for (const v of m.videoOutputs) {
        t[s] = v.active ? 1 : 0;
        writeU32(t, s + 1, checkU32(v.vramOffset, 'video_output.vram_offset'));
        t[s + 5] = checkU8(v.depthBits, 'video_output.depth_bits');
        writeU32(t, s + 6, checkU32(v.widthPixels, 'video_output.width_pixels'));
        writeU32(t, s + 10, checkU32(v.heightPixels, 'video_output.height_pixels'));
        writeU32(t, s + 14, checkU32(v.pitchBytes, 'video_output.pitch_bytes'));
        s += VIDEO_OUTPUT_SITUATION_SIZE;
      }
      return;
    }
    case 'pointerPosition':
      t[p] = m.isVisible ? 1 : 0;
      t[p + 1] = checkU8(m.videoOutput, 'ptr_pos.video_output');
      writeU32(t, p + 2, checkI32(m.imageX, 'ptr_pos.image_x'));
      writeU32(t, p + 6, checkI32(m.imageY, 'ptr_pos.image_y'));
      return;
    case 'pointerShape':
      t[p] = checkU8(m.partIndex, 'ptr_shape.part_idx');
      t[p + 1] = m.isArgb ? 1 : 0;
      writeU32(t, p + 2, checkU32(m.width, 'ptr_shape.width'));
      writeU32(t, p + 6, checkU32(m.height, 'ptr_shape.height'));
      writeU32(t, p + 10, checkU32(m.hotX, 'ptr_shape.hot_x'));
      writeU32(t, p + 14, checkU32(m.hotY, 'ptr_shape.hot_y'));
      copyBytes(m.data, 0, t, p + 18, m.data.length);
      return;
    case 'featureChange':
      t[p] = m.isDirtNeeded ? 1 : 0;
      t[p + 1] = m.isPointerPositionNeeded ? 1 : 0;
      t[p + 2] = m.isPointerShapeNeeded ? 1 : 0;
      t[p + 3] = m.isSituationNeeded ? 1 : 0;
      return;
    case 'dirt': {
      t[p] = checkU8(m.videoOutput, 'dirt.video_output');
      t[p + 1] = checkU8(m.rects.length, 'dirt.dirt_count');
      let r = p + 2;
      for (const rect of m.rects) {
        writeU32(t, r, checkI32(rect.x1, 'rect.x1'));
        writeU32(t, r + 4, checkI32(rect.y1, 'rect.y1'));
        writeU32(t, r + 8, checkI32(rect.x2, 'rect.x2'));
        writeU32(t, r + 12, checkI32(rect.y2, 'rect.y2'));
        r += SYNTHVID_RECT_SIZE;
      }
      return;
    }
    case 'resolutionRequest':
      t[p] = checkU8(m.maximumResolutionCount, 'resolution_req.maximum_resolution_count');
      return;
    case 'resolutionResponse': {
      copyBytes(
        checkExactBytes(m.edid, SYNTHVID_EDID_BLOCK_SIZE, 'resolution_resp.edid_block'),
        0,
        t,
        p,
        SYNTHVID_EDID_BLOCK_SIZE,
      );
      const count = checkUint(
        m.resolutions.length,
        SYNTHVID_MAX_RESOLUTION_COUNT,
        'resolution_resp.resolution_count',
      );
      t[p + 128] = count;
      t[p + 129] = checkU8(m.defaultResolutionIndex, 'resolution_resp.default_resolution_index');
      t[p + 130] = m.isStandard ? 1 : 0;
      let r = p + 131;
      for (const res of m.resolutions) {
        writeU16(t, r, checkU16(res.width, 'resolution.width'));
        writeU16(t, r + 2, checkU16(res.height, 'resolution.height'));
        r += 4;
      }
      return;
    }
  }
}

/**
 * Encodes a synthvid message with both headers (`pipe.size == vid.size`, as synthvid_send
 * sets it) and returns the bytes written.
 *
 * @example
 * encodeSynthvidMessage({ kind: 'versionRequest', version: SynthvidVersion.WIN10 }, buf, 0); // 20
 */
export function encodeSynthvidMessage(
  message: SynthvidMessage,
  target: Uint8Array,
  offset: number,
): number {
  const size = synthvidMessageSize(message);
  checkTarget(target, offset, size, 'synthvid_msg');
  zero(target, offset, offset + size);
  const vidSize = size - PIPE_MSG_HDR_SIZE;
  writeU32(target, offset, PipeMessageType.DATA);
  writeU32(target, offset + 4, vidSize);
  writeU32(target, offset + 8, TYPE[message.kind]);
  writeU32(target, offset + 12, vidSize);
  writePayload(target, offset + HEADERS, message);
  return size;
}

function decodePayload(
  b: Uint8Array,
  p: number,
  n: number,
  type: number,
): DecodeResult<SynthvidMessage> {
  const need = (bytes: number, what: string): DecodeResult<never> | undefined =>
    n < bytes ? truncated(what, HEADERS + bytes, HEADERS + n) : undefined;
  switch (type) {
    case SynthvidMessageType.VERSION_REQUEST:
      return (
        need(4, 'VERSION_REQUEST') ?? decoded({ kind: 'versionRequest', version: readU32(b, p) })
      );
    case SynthvidMessageType.VERSION_RESPONSE:
      return (
        need(6, 'VERSION_RESPONSE') ??
        decoded({
          kind: 'versionResponse',
          version: readU32(b, p),
          isAccepted: b[p + 4] !== 0,
          maxVideoOutputs: b[p + 5],
        })
      );
    case SynthvidMessageType.VRAM_LOCATION:
      return (
        need(17, 'VRAM_LOCATION') ??
        decoded({
          kind: 'vramLocation',
          userContext: readU64(b, p),
          isVramGpaSpecified: b[p + 8] !== 0,
          vramGpa: readU64(b, p + 9),
        })
      );
    case SynthvidMessageType.VRAM_LOCATION_ACK:
      return (
        need(8, 'VRAM_LOCATION_ACK') ??
        decoded({ kind: 'vramLocationAck', userContext: readU64(b, p) })
      );
    case SynthvidMessageType.SITUATION_UPDATE_ACK:
      return (
        need(8, 'SITUATION_UPDATE_ACK') ??
        decoded({ kind: 'situationUpdateAck', userContext: readU64(b, p) })
      );
    case SynthvidMessageType.SITUATION_UPDATE: {
      const short = need(9, 'SITUATION_UPDATE');
      if (short !== undefined) return short;
      const count = b[p + 8];
      if (9 + VIDEO_OUTPUT_SITUATION_SIZE * count > n) {
        return rejected('count-out-of-range', 'count.notFit', {
          counted: 'video outputs',
          count,
          bytes: n,
          payload: true,
        });
      }
      const videoOutputs: VideoOutputSituation[] = [];
      for (let i = 0, s = p + 9; i < count; i++, s += VIDEO_OUTPUT_SITUATION_SIZE) {
        videoOutputs.push({
          active: b[s] !== 0,
          vramOffset: readU32(b, s + 1),
          depthBits: b[s + 5],
          widthPixels: readU32(b, s + 6),
          heightPixels: readU32(b, s + 10),
          pitchBytes: readU32(b, s + 14),
        });
      }
      return decoded({ kind: 'situationUpdate', userContext: readU64(b, p), videoOutputs });
    }
    case SynthvidMessageType.POINTER_POSITION:
      return (
        need(10, 'POINTER_POSITION') ??
        decoded({
          kind: 'pointerPosition',
          isVisible: b[p] !== 0,
          videoOutput: b[p + 1],
          imageX: readI32(b, p + 2),
          imageY: readI32(b, p + 6),
        })
      );
    case SynthvidMessageType.POINTER_SHAPE:
      return (
        need(18, 'POINTER_SHAPE') ??
        decoded({
          kind: 'pointerShape',
          partIndex: b[p],
          isArgb: b[p + 1] !== 0,
          width: readU32(b, p + 2),
          height: readU32(b, p + 6),
          hotX: readU32(b, p + 10),
          hotY: readU32(b, p + 14),
          data: b.subarray(p + 18, p + n),
        })
      );
    case SynthvidMessageType.FEATURE_CHANGE:
      return (
        need(4, 'FEATURE_CHANGE') ??
        decoded({
          kind: 'featureChange',
          isDirtNeeded: b[p] !== 0,
          isPointerPositionNeeded: b[p + 1] !== 0,
          isPointerShapeNeeded: b[p + 2] !== 0,
          isSituationNeeded: b[p + 3] !== 0,
        })
      );
    case SynthvidMessageType.DIRT: {
      const short = need(2, 'DIRT');
      if (short !== undefined) return short;
      const count = b[p + 1];
      if (2 + SYNTHVID_RECT_SIZE * count > n) {
        return rejected('count-out-of-range', 'count.notFit', {
          counted: 'dirty rectangles',
          count,
          bytes: n,
          payload: true,
        });
      }
      const rects: SynthvidRect[] = [];
      for (let i = 0, r = p + 2; i < count; i++, r += SYNTHVID_RECT_SIZE) {
        rects.push({
          x1: readI32(b, r),
          y1: readI32(b, r + 4),
          x2: readI32(b, r + 8),
          y2: readI32(b, r + 12),
        });
      }
      return decoded({ kind: 'dirt', videoOutput: b[p], rects });
    }
    case SynthvidMessageType.RESOLUTION_REQUEST:
      return (
        need(1, 'RESOLUTION_REQUEST') ??
        decoded({ kind: 'resolutionRequest', maximumResolutionCount: b[p] })
      );
    case SynthvidMessageType.RESOLUTION_RESPONSE: {
      const short = need(131, 'RESOLUTION_RESPONSE');
      if (short !== undefined) return short;
      const count = b[p + 128];
      if (count > SYNTHVID_MAX_RESOLUTION_COUNT || 131 + 4 * count > n) {
        return rejected('count-out-of-range', 'synthvid.resolutionCount', {
          count,
          max: SYNTHVID_MAX_RESOLUTION_COUNT,
        });
      }
      const resolutions: { width: number; height: number }[] = [];
      for (let i = 0, r = p + 131; i < count; i++, r += 4)
        resolutions.push({ width: readU16(b, r), height: readU16(b, r + 2) });
      return decoded({
        kind: 'resolutionResponse',
        edid: b.subarray(p, p + SYNTHVID_EDID_BLOCK_SIZE),
        defaultResolutionIndex: b[p + 129],
        isStandard: b[p + 130] !== 0,
        resolutions,
      });
    }
    case SynthvidMessageType.ERROR:
      return rejected('unsupported-type', 'type.notModelled', {
        protocol: 'synthvid',
        code: 'SYNTHVID_ERROR',
      });
    default:
      return rejected('unknown-type', 'type.unknown', { protocol: 'synthvid', code: String(type) });
  }
}

/**
 * Decodes a synthvid message: the pipe header must be PIPE_MSG_DATA and its size must fit the
 * bytes given; the video header's size must cover itself and stay inside the pipe message;
 * every payload field, count and array stays inside the video header's size.
 * @example
 * const r = decodeSynthvidMessage(payload, 0, payload.length);
 */
export function decodeSynthvidMessage(
  bytes: Uint8Array,
  offset: number,
  length: number,
): DecodeResult<SynthvidMessage> {
  const window = badWindow(bytes, offset, length);
  if (window !== undefined) return window;
  if (length < HEADERS) return truncated('pipe_msg_hdr + synthvid_msg_hdr', HEADERS, length);
  const pipeType = readU32(bytes, offset);
  if (pipeType !== PipeMessageType.DATA)
    return rejected('reserved-value', 'pipe.notData', {
      type: pipeType,
      expected: 'PIPE_MSG_DATA',
    });
  const pipeSize = readU32(bytes, offset + 4);
  if (pipeSize > length - PIPE_MSG_HDR_SIZE)
    return truncated('pipe message', PIPE_MSG_HDR_SIZE + pipeSize, length);
  const vidSize = readU32(bytes, offset + 12);
  if (vidSize < SYNTHVID_MSG_HDR_SIZE || vidSize > pipeSize) {
    return rejected('length-out-of-range', 'field.outside', {
      field: 'synthvid_msg_hdr.size',
      value: vidSize,
      min: SYNTHVID_MSG_HDR_SIZE,
      max: pipeSize,
    });
  }
  return decodePayload(
    bytes,
    offset + HEADERS,
    vidSize - SYNTHVID_MSG_HDR_SIZE,
    readU32(bytes, offset + 8),
  );
}
