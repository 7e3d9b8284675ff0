export { ACCEPTED, decoded, rejected } from './result.js';
export type {
  Accepted,
  CheckResult,
  DecodeFailure,
  DecodeFailureReason,
  DecodeResult,
  Decoded,
} from './result.js';
export { ProtocolEncodeError } from './errors.js';
export { decodeInSentinelWindows } from './window-probe.js';
export type { SentinelWindowResults } from './window-probe.js';
export { checkDecodeDetail, DECODE_DETAIL_IDS, decodeDetailText } from './decode-details.js';
export type {
  DecodeCounted,
  DecodedProtocol,
  DecodeDetail,
  DecodeDetailArgs,
  DecodeDetailId,
  DecodeHeader,
  DecodeLimit,
} from './decode-details.js';
