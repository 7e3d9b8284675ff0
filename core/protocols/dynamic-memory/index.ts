export * from './constants.js';
export { dmPageRangeValue, readDmPageRange, writeDmPageRange } from './page-range.js';
export type { DmPageRange } from './page-range.js';
export {
  decodeDmMessage,
  dmMessageSize,
  encodeDmMessage,
  readDmMaxPageCountInfo,
} from './messages.js';
export type { DmMessage } from './messages.js';
