/**
 * A VSP's mistake for tests: the same channel, except that each completion it sends goes out a
 * second time — with the same trans_id (a request completed twice), or shifted (a trans_id the
 * guest never sent). The guest must drop the extra one (rule 3).
 */
import type { VspChannel, VspModule } from '../types.js';
import { wrapVsp } from './wrap-vsp.js';

export interface CompletingTwiceOptions {
  /** Added to the second completion's trans_id (default 0: the same one again). */
  readonly shift?: number;
  /** Which completions go twice (default: all). */
  readonly only?: (transId: number) => boolean;
  /** Called for each extra completion sent. */
  readonly onExtra?: () => void;
}

/**
 * @example
 * ```ts
 * onDeviceCompleted(channel, completion) {
 *   inner.onDeviceCompleted?.(completingTwice(channel), completion);
 * }
 * ```
 */
export function completingTwice(
  channel: VspChannel,
  options: CompletingTwiceOptions = {},
): VspChannel {
  const { shift = 0, only, onExtra } = options;
  // Everything else (its id, memory, send…) comes from the channel itself, through the prototype.
  return Object.assign(Object.create(channel) as VspChannel, {
    complete(transId: number, payload: Uint8Array) {
      channel.complete(transId, payload);
      if (only !== undefined && !only(transId)) return;
      channel.complete(transId + shift, payload);
      onExtra?.();
    },
  });
}

/**
 * `vsp`, except that what it completes when its device finishes (`onDeviceCompleted`) goes twice:
 * a storage VSP's I/O completions, while its handshake stays correct.
 *
 * @example
 * ```ts
 * const sloppy = completingDiskWorkTwice(minimalStorvsp());
 * ```
 */
export function completingDiskWorkTwice(
  vsp: VspModule,
  options: CompletingTwiceOptions = {},
): VspModule {
  return wrapVsp(vsp, (inner) => ({
    onDeviceCompleted(channel, completion) {
      inner.onDeviceCompleted?.(completingTwice(channel, options), completion);
    },
  }));
}
