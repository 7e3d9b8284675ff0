/**
 * Built-in synthetic input (mouse) VSP (`hyperkata.synthhid`).
 *
 * @example
 * ```ts
 * import { synthhidVsp } from './plugins/synthhid/index.js';
 * const module = toVspModule(synthhidVsp, { source: 'plugins/synthhid', builtIn: true, isolation: 'native', digest: 'builtin' });
 * ```
 */
export {
  EARLY_EVENTS_LIMIT,
  INPUT_REPORT_NS,
  MOUSE_REPORT_BYTES,
  MOUSE_REPORT_DESCRIPTOR,
  SYNTHHID_MESSAGE_NS,
  SYNTHHID_VSP_ID,
  synthhidVsp,
} from './synthhid-vsp.js';
