export * from './constants.js';
export { decodeNvspMessage, encodeNvspMessage, nvspEncodedSize } from './nvsp.js';
export type {
  NdisConfigCapabilities,
  NvspCodecOptions,
  NvspDecodeOptions,
  NvspMessage,
  ReceiveBufferSection,
} from './nvsp.js';
export {
  decodeRndisHeader,
  decodeRndisMessage,
  encodeRndisMessage,
  rndisMessageLength,
} from './rndis.js';
export type { RndisHeader, RndisMessage, RndisPerPacketInfo } from './rndis.js';
export {
  decodeChecksumReceiveInfo,
  decodeChecksumTransmitInfo,
  decodeIeee8021qInfo,
  encodeChecksumReceiveInfo,
  encodeChecksumTransmitInfo,
  encodeIeee8021qInfo,
  findPpi,
  hashValuePpi,
  ppiU32,
  readPpiU32,
} from './ppi.js';
export type { ChecksumReceiveInfo, ChecksumTransmitInfo, Ieee8021qInfo } from './ppi.js';
export {
  checkReceiveBufferComplete,
  checkSendBufferSection,
  netvscChannelCount,
  netvscReceiveBufferLayout,
  netvscSendBufferLayout,
  receiveBufferSectionFor,
} from './buffers.js';
export type { NetvscBufferLayout } from './buffers.js';
export { netvscSetupSequence, netvscSubchannelRequest } from './setup.js';
export type { NetvscSetupInput, NvspSetupStep } from './setup.js';
