/**
 * Errors the test harness raises at the test author (never at the VSP under test, whose failures
 * are recorded, not thrown).
 */
import { HyperkataError } from '../../../core/model/index.js';

/**
 * The test used the harness wrongly (a channel it did not open, memory it never allocated), or a
 * harness assertion failed. The message says what was expected and what happened.
 *
 * @example
 * ```ts
 * try {
 *   expectCompletion(channel, 7);
 * } catch (e) {
 *   if (HarnessError.is(e)) console.log(e.message); // "channel 1: no completion for trans_id 7 …"
 * }
 * ```
 */
export class HarnessError extends HyperkataError {
  declare readonly kind: 'vsp-test-harness';

  constructor(message: string) {
    super('vsp-test-harness', message);
    this.name = 'HarnessError';
  }

  static override is(value: unknown): value is HarnessError {
    return value instanceof HarnessError;
  }
}

/**
 * The error for a completion a test asked for and the VSP has not sent, saying why when the
 * harness can tell: the channel failed, or the fake device has not finished the request yet.
 */
export function noCompletion(
  channel: {
    readonly id: number;
    readonly failure: { readonly reason: string } | undefined;
    readonly strayCompletions?: readonly number[];
  },
  transId: number,
  deviceWorkLeft: number,
): HarnessError {
  const why =
    channel.failure !== undefined
      ? ` (channel failed: ${channel.failure.reason})`
      : deviceWorkLeft > 0
        ? `: the fake device has ${String(deviceWorkLeft)} request${deviceWorkLeft === 1 ? '' : 's'} to finish (call h.settle() first)`
        : strayText(channel.strayCompletions);
  return new HarnessError(
    `channel ${String(channel.id)}: no completion for trans_id ${String(transId)}${why}`,
  );
}

/**
 * What a message adds when the VSP completed trans_ids the guest never had in flight — often the
 * completion the test waits for, sent with the wrong trans_id.
 *
 * @example
 * ```ts
 * strayText([1005]); // ": the VSP completed trans_id 1005, which no request in flight carries …"
 * ```
 */
export function strayText(stray: readonly number[] | undefined): string {
  if (stray === undefined || stray.length === 0) return '';
  const shown = stray.slice(-5).join(', ');
  const more = stray.length > 5 ? ` (the last 5 of ${String(stray.length)})` : '';
  return `: the VSP completed trans_id ${shown}${more}, which no request in flight carries (a completion must echo its request's trans_id, rule 3)`;
}

/** A value a plugin passed where a string belongs (a JavaScript plugin may pass anything), as text. */
export function textOf(value: unknown, max = 500): string {
  return (typeof value === 'string' ? value : String(value)).slice(0, max);
}

/**
 * What a message adds when the VSP was refused guest memory on `channel` — often why it answered
 * a request with an error: the last refusal blamed on the plugin, and how many there were.
 *
 * @example
 * ```ts
 * refusedText(h, channel); // "; the VSP was refused guest memory: offset-outside-gpadl (read of 24 bytes at …)"
 * ```
 */
export function refusedText(
  h: {
    readonly isolationFaults: readonly {
      readonly channel: number;
      readonly kind: string;
      readonly blame: string;
      readonly detail: string;
    }[];
  },
  channel: { readonly id: number },
): string {
  const mine = h.isolationFaults.filter((f) => f.blame === 'plugin' && f.channel === channel.id);
  const last = mine.at(-1);
  if (last === undefined) return '';
  const times = mine.length === 1 ? '' : ` (the last of ${String(mine.length)})`;
  return `; the VSP was refused guest memory${times}: ${last.kind} (${last.detail})`;
}
