export * from './constants.js';
export { decodeSynthvidMessage, encodeSynthvidMessage, synthvidMessageSize } from './synthvid.js';
export type { SynthvidMessage, SynthvidRect, VideoOutputSituation } from './synthvid.js';
