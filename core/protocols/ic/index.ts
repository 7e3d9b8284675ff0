export * from './constants.js';
export { decodeIcMessage, encodeIcMessage, icMessageSize } from './icmsg.js';
export type { IcMessage, IcMessageBody, IcMessageHeader, IcVersion } from './icmsg.js';
export { heartbeatResponse, negotiateIcVersions } from './negotiate.js';
export type { IcNegotiation } from './negotiate.js';
