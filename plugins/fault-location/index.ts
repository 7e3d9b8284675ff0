/**
 * Where in a plugin's own code a fault happened, for the sandbox and for native loading alike:
 * source maps of a bundled plugin (source-map.ts). One place, so a fault reads the same whichever
 * way the plugin ran.
 *
 * @example
 * ```ts
 * import { relocateFrames, sourceLocator } from './plugins/fault-location/index.js';
 *
 * relocateFrames(text, 'src/index.ts', sourceLocator(map)); // frames in the plugin's own lines
 * ```
 */
export { relocateFrames, sourceLocator } from './source-map.js';
export type { SourceLocator, SourcePosition } from './source-map.js';
