/**
 * Where in a plugin's own code a fault happened, for the sandbox and for native loading alike:
 * source maps of a bundled plugin (source-map.ts), native stacks read into frames
 * (stack-frames.ts), and the locators a native loader injects into the core's VSP boundary
 * (native-locators.ts). One place, so a fault reads the same whichever way the plugin ran.
 *
 * @example
 * ```ts
 * import { bundleFaultLocator, sourceLocator } from './plugins/fault-location/index.js';
 *
 * const locateFault = bundleFaultLocator({ bundleName: 'src/index.ts', code, locate: sourceLocator(map) });
 * // a fault then reads "onPacket threw Error: boom (at onPacket (src/index.ts:12:5))"
 * ```
 */
export { originalName, relocateFrames, sourceLocator } from './source-map.js';
export type { SourceLocator, SourcePosition } from './source-map.js';
export { frameText, stackFrames, stackOf } from './stack-frames.js';
export type { StackFrame } from './stack-frames.js';
export {
  bundleFaultLocator,
  frameFaultLocator,
  functionSite,
  inFolder,
} from './native-locators.js';
export type { BundleLocation } from './native-locators.js';
