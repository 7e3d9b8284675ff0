/**
 * The outcome of decoding bytes that came from the other side of a VMBus channel.
 *
 * Guest-controlled bytes are never trusted (HYPERV.md rule 36), so a decoder never throws:
 * it answers with a value or with a typed rejection the VSP turns into "stop this channel"
 * (rule 38). Both shapes are plain data so they cross a plugin sandbox unchanged.
 */
import { decodeDetailText, MAX_DETAIL_TEXT } from './decode-details.js';
import type { DecodeDetail, DecodeDetailArgs, DecodeDetailId } from './decode-details.js';

/** Why a decoder refused the bytes it was given. */
export type DecodeFailureReason =
  /** The window (offset, length) does not lie inside the byte array. */
  | 'bad-window'
  /** Fewer bytes than the message's fixed part needs. */
  | 'truncated'
  /** A message type / operation code no version of the protocol defines. */
  | 'unknown-type'
  /** A defined code this codec (and the VSP it models) does not accept in this direction. */
  | 'unsupported-type'
  /** A length field claims more (or fewer) bytes than the message holds or allows. */
  | 'length-out-of-range'
  /** A count field whose elements do not fit in the message. */
  | 'count-out-of-range'
  /** An offset field pointing outside the message or into its fixed header. */
  | 'offset-out-of-range'
  /** A field that selects behaviour holds a value the protocol does not define. */
  | 'reserved-value'
  /** A VMBus-level requirement (transaction flag, packet type) is not met. */
  | 'not-transactional'
  | 'unexpected-packet-type'
  /** The data transfer length is larger than the guest memory ranges supplied. */
  | 'data-range-too-short';

/** A rejected decode: the reason code plus a sentence for logs and the codex. */
export interface DecodeFailure {
  readonly ok: false;
  readonly reason: DecodeFailureReason;
  /** The sentence, in English (reports, logs and plugins read it). */
  readonly detail: string;
  /** The same sentence as an id and its numbers, for the player's language. */
  readonly message: DecodeDetail;
}

/** A successful decode carrying the message. */
export interface Decoded<T> {
  readonly ok: true;
  readonly value: T;
}

/** What every `decodeX` returns. */
export type DecodeResult<T> = Decoded<T> | DecodeFailure;

/** Success without a value: what the `…Into` decoders and the rule-37 checks return. */
export interface Accepted {
  readonly ok: true;
}

/** What the `…Into` decoders and the validation helpers return. */
export type CheckResult = Accepted | DecodeFailure;

/** The one shared success answer (frozen; returning it allocates nothing). */
export const ACCEPTED: Accepted = Object.freeze({ ok: true });

/** Wraps a decoded value. */
export function decoded<T>(value: T): Decoded<T> {
  return { ok: true, value };
}

/**
 * Builds a rejection: its English `detail` is the detail id's words. A decoder of a plugin's own
 * may still pass its sentence instead (`rejected(reason, detail)`, the form this had before
 * details had ids): it becomes the `text` detail, its words in every language.
 *
 * @example
 * rejected('reserved-value', 'srb.dataIn', { value: 7 });
 * // detail: "data_in 7 is not write (0), read (1) or none (2)"
 * rejected('reserved-value', 'flags 3 is not 0 or 1');
 * // detail: "flags 3 is not 0 or 1"; message: { id: 'text', args: { text: 'flags 3 is not 0 or 1' } }
 */
export function rejected<I extends DecodeDetailId>(
  reason: DecodeFailureReason,
  id: I,
  args: DecodeDetailArgs<I>,
): DecodeFailure;
export function rejected(reason: DecodeFailureReason, detail: string): DecodeFailure;
export function rejected(
  reason: DecodeFailureReason,
  idOrDetail: string,
  args?: unknown,
): DecodeFailure {
  if (args === undefined) {
    const text = idOrDetail.slice(0, MAX_DETAIL_TEXT);
    return { ok: false, reason, detail: idOrDetail, message: { id: 'text', args: { text } } };
  }
  const message = { id: idOrDetail, args } as DecodeDetail;
  return { ok: false, reason, detail: decodeDetailText(message), message };
}
