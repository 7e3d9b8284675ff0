export * from './constants.js';
export { decodeSynthhidMessage, encodeSynthhidMessage, synthhidMessageSize } from './synthhid.js';
export type { HidDescriptorInfo, SynthhidMessage } from './synthhid.js';
