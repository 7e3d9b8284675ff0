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
