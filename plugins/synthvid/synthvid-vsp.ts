/**
 * The synthetic video VSP (built-in `hyperkata.synthvid`): the host end of the synthvid protocol
 * that Linux's hyperv_fb and Windows' synthetic video driver speak. It accepts the guest's
 * protocol version (VERSION_REQUEST → VERSION_RESPONSE), offers resolutions (WIN10+), takes the
 * VRAM location (→ VRAM_LOCATION_ACK echoing user_ctx), takes the mode (SITUATION_UPDATE →
 * SITUATION_UPDATE_ACK) and then asks for dirty rectangles (FEATURE_CHANGE with is_dirt_needed).
 * Each SYNTHVID_DIRT is presented: the rectangle's pixels are copied from VRAM to the console's
 * surface (CPU per byte of the rectangle — no page scanning, no port access) and, when the guest
 * asked for it, the packet is completed.
 *
 * The VRAM is a guest physical address, not a GPADL of the channel: the VSP never reads it through
 * its channel memory (the isolation boundary); presenting is modelled as CPU time.
 *
 * Anything malformed, out of order or in the wrong direction stops the channel (rules 37–38).
 * L: drivers/video/fbdev/hyperv_fb.c for the guest side of every exchange.
 */
import { decoderRefusal, vspFailure } from '../../core/vsp/failure-reasons.js';
import { defineVsp } from '../sdk/index.js';
import type { VspChannel, VspFailureReason, VspPacket } from '../sdk/index.js';
import {
  decodeSynthvidMessage,
  encodeSynthvidMessage,
  SYNTHVID_EDID_BLOCK_SIZE,
  SYNTHVID_MAX_RESOLUTION_COUNT,
  SynthvidVersion,
} from '../../core/protocols/index.js';
import type { SynthvidMessage, VideoOutputSituation } from '../../core/protocols/index.js';

export const SYNTHVID_VSP_ID = 'hyperkata.synthvid';

// estimate: the VSP decoding and handling one synthvid message.
export const SYNTHVID_MESSAGE_NS = 1_000;
// estimate: copying dirty pixels from VRAM to the console surface, ~4 GB/s.
export const PRESENT_NS_PER_KIB = 250;
// estimate: handing a finished frame to the console (vmconnect's RDP encoder), per DIRT.
export const PRESENT_FRAME_NS = 5_000;
/** VRAM the host backs for the guest: the 64 MiB of Hyper-V's virtual VGA BAR (lspci). */
export const SYNTHVID_VRAM_BYTES = 64 * 1024 * 1024;
/** Resolutions the console offers (WIN10 RESOLUTION_RESPONSE), smallest first. */
export const SYNTHVID_RESOLUTIONS: readonly { width: number; height: number }[] = [
  { width: 1024, height: 768 },
  { width: 1152, height: 864 },
  { width: 1280, height: 1024 },
  { width: 1600, height: 1200 },
  { width: 1920, height: 1080 },
];
const MAX_DIMENSION = 7680;

interface Mode {
  readonly width: number;
  readonly height: number;
  readonly bytesPerPixel: number;
}

interface ChannelState {
  /** Agreed version (0 until a VERSION_REQUEST was accepted). */
  version: number;
  vramSet: boolean;
  mode: Mode | null;
  askedForDirt: boolean;
  /** Dirty rectangles presented and bytes copied, for the game's inspector. */
  frames: number;
  bytes: number;
}

const NO_BYTES = new Uint8Array(0);

export const synthvidVsp = defineVsp({
  id: SYNTHVID_VSP_ID,
  sdk: '^1.0.0',
  deviceClass: 'video',
  description: 'Synthetic video: VRAM shared with the host, dirty rectangles over VMBus',
  settings: {
    defaultResolution: {
      type: 'integer',
      default: 0,
      min: 0,
      max: SYNTHVID_RESOLUTIONS.length - 1,
      description: 'Index of the resolution the console offers as default (0 = 1024×768)',
    },
  },
  create(host, settings) {
    const channels = new Map<number, ChannelState>();
    const out = new Uint8Array(512);
    const send = (channel: VspChannel, m: SynthvidMessage): void => {
      const n = encodeSynthvidMessage(m, out, 0);
      channel.send(out.subarray(0, n));
    };

    const onMessage = (
      channel: VspChannel,
      state: ChannelState,
      m: SynthvidMessage,
      packet: VspPacket,
    ): void => {
      switch (m.kind) {
        case 'versionRequest': {
          const accepted =
            m.version === SynthvidVersion.WIN7 ||
            m.version === SynthvidVersion.WIN8 ||
            m.version === SynthvidVersion.WIN10;
          if (accepted) state.version = m.version;
          send(channel, {
            kind: 'versionResponse',
            version: m.version,
            isAccepted: accepted,
            maxVideoOutputs: 1,
          });
          return;
        }
        case 'resolutionRequest': {
          if (state.version !== SynthvidVersion.WIN10) {
            channel.fail(vspFailure('synthvid.resolutionNeedsWin10', {}));
            return;
          }
          const count = Math.min(
            m.maximumResolutionCount,
            SYNTHVID_RESOLUTIONS.length,
            SYNTHVID_MAX_RESOLUTION_COUNT,
          );
          const resolutions = SYNTHVID_RESOLUTIONS.slice(0, count);
          send(channel, {
            kind: 'resolutionResponse',
            edid: new Uint8Array(SYNTHVID_EDID_BLOCK_SIZE),
            defaultResolutionIndex: Math.min(settings.defaultResolution, Math.max(0, count - 1)),
            isStandard: false,
            resolutions,
          });
          return;
        }
        case 'vramLocation':
          if (state.version === 0) {
            channel.fail(vspFailure('message.beforeVersion', { message: 'VRAM_LOCATION' }));
            return;
          }
          if (m.isVramGpaSpecified && m.vramGpa % 4096n !== 0n) {
            channel.fail(
              vspFailure('synthvid.vramMisaligned', { gpa: `0x${m.vramGpa.toString(16)}` }),
            );
            return;
          }
          state.vramSet = true;
          send(channel, { kind: 'vramLocationAck', userContext: m.userContext });
          return;
        case 'situationUpdate': {
          const problem = checkSituation(state, m.videoOutputs);
          if (problem !== null) {
            channel.fail(problem);
            return;
          }
          const o = m.videoOutputs[0];
          state.mode = {
            width: o.widthPixels,
            height: o.heightPixels,
            bytesPerPixel: o.depthBits / 8,
          };
          send(channel, { kind: 'situationUpdateAck', userContext: m.userContext });
          if (!state.askedForDirt) {
            state.askedForDirt = true;
            send(channel, {
              kind: 'featureChange',
              isDirtNeeded: true,
              isPointerPositionNeeded: false,
              isPointerShapeNeeded: false,
              isSituationNeeded: false,
            });
          }
          return;
        }
        case 'pointerPosition':
        case 'pointerShape':
          if (state.version === 0)
            channel.fail(vspFailure('message.beforeVersion', { message: m.kind }));
          return;
        case 'dirt': {
          const mode = state.mode;
          if (mode === null) {
            channel.fail(vspFailure('synthvid.dirtBeforeMode', {}));
            return;
          }
          let bytes = 0;
          for (const r of m.rects) {
            const w = clamp(r.x2, mode.width) - clamp(r.x1, mode.width);
            const h = clamp(r.y2, mode.height) - clamp(r.y1, mode.height);
            if (w > 0 && h > 0) bytes += w * h * mode.bytesPerPixel;
          }
          host.cpu.charge(PRESENT_FRAME_NS + Math.round((bytes / 1024) * PRESENT_NS_PER_KIB));
          state.frames++;
          state.bytes += bytes;
          if (packet.completionRequested && packet.transId >= 0)
            channel.complete(packet.transId, NO_BYTES);
          return;
        }
        default:
          channel.fail(vspFailure('message.fromHost', { protocol: 'synthvid', message: m.kind }));
      }
    };

    return {
      onChannelOpened(channel) {
        channels.set(channel.id, {
          version: 0,
          vramSet: false,
          mode: null,
          askedForDirt: false,
          frames: 0,
          bytes: 0,
        });
      },
      onChannelClosed(channel) {
        channels.delete(channel.id);
      },
      onPacket(channel, packet) {
        host.cpu.charge(SYNTHVID_MESSAGE_NS);
        const state = channels.get(channel.id);
        if (state === undefined) return;
        if (packet.kind !== 'inband') {
          channel.fail(vspFailure('packet.notInband', { protocol: 'synthvid', kind: packet.kind }));
          return;
        }
        const m = decodeSynthvidMessage(packet.payload, 0, packet.payload.length);
        if (!m.ok) {
          channel.fail(
            vspFailure('message.malformed', { protocol: 'synthvid', ...decoderRefusal(m) }),
          );
          return;
        }
        onMessage(channel, state, m.value, packet);
      },
    };
  },
});

/** Why a SITUATION_UPDATE cannot be shown, or null when it can. */
function checkSituation(
  state: ChannelState,
  outputs: readonly VideoOutputSituation[],
): VspFailureReason | null {
  if (!state.vramSet) return vspFailure('synthvid.situationBeforeVram', {});
  if (outputs.length !== 1) return vspFailure('synthvid.outputCount', { outputs: outputs.length });
  const o = outputs[0];
  const depthOk =
    o.depthBits === 32 || (o.depthBits === 16 && state.version === SynthvidVersion.WIN7);
  if (!depthOk) return vspFailure('synthvid.depth', { bits: o.depthBits });
  if (
    o.widthPixels < 1 ||
    o.widthPixels > MAX_DIMENSION ||
    o.heightPixels < 1 ||
    o.heightPixels > MAX_DIMENSION
  )
    return vspFailure('synthvid.mode', { width: o.widthPixels, height: o.heightPixels });
  if (o.pitchBytes < (o.widthPixels * o.depthBits) / 8)
    return vspFailure('synthvid.pitch', { pitch: o.pitchBytes, width: o.widthPixels });
  if (o.vramOffset + o.pitchBytes * o.heightPixels > SYNTHVID_VRAM_BYTES)
    return vspFailure('synthvid.pastVram', {});
  return null;
}

function clamp(v: number, max: number): number {
  return v < 0 ? 0 : v > max ? max : v;
}
