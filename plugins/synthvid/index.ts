/**
 * Built-in synthetic video VSP (`hyperkata.synthvid`).
 *
 * @example
 * ```ts
 * import { synthvidVsp } from './plugins/synthvid/index.js';
 * const module = toVspModule(synthvidVsp, { source: 'plugins/synthvid', builtIn: true, isolation: 'native', digest: 'builtin' });
 * ```
 */
export {
  PRESENT_FRAME_NS,
  PRESENT_NS_PER_KIB,
  SYNTHVID_MESSAGE_NS,
  SYNTHVID_RESOLUTIONS,
  SYNTHVID_VRAM_BYTES,
  SYNTHVID_VSP_ID,
  synthvidVsp,
} from './synthvid-vsp.js';
