/**
 * A channel as the harness gives it to a VSP: the same {@link VspChannel} contract as the real
 * host, with every completion, message and failure recorded for the test to inspect. Like the
 * real host, what a VSP asks for takes effect when its handler returns, and only if it did not
 * throw.
 */
import type { ChannelMemory, SendResult, VspChannel, VspPacket } from '../../../core/vsp/types.js';
import { checkVspFailure, vspFailureText } from '../../../core/vsp/failure-reasons.js';
import type { VspFailureReason } from '../../../core/vsp/failure-reasons.js';
import { textOf } from './harness-error.js';
import type { HarnessCompletion, HarnessFault, HarnessSend } from './records.js';
import { checkPayloadSize } from '../../sandbox/limits.js';

/**
 * How the test describes a channel to open.
 *
 * @example
 * ```ts
 * const channel = h.openChannel({ vm: 'db01', guestVps: 8, diskBytes: 64 << 30 });
 * ```
 */
export interface FakeChannelOptions {
  /** Name of the VM on the other end. Default `vm1`. */
  readonly vm?: string;
  /** The VM device, e.g. `scsi0`. Default `dev0`. */
  readonly device?: string;
  /**
   * The class GUID the channel was offered with. Default: the VSP's device class's; give
   * `IDE_ACCELERATOR_CLASS_GUID` for a storage channel to a generation 1 VM's boot disk.
   */
  readonly classGuid?: string;
  /** Virtual processors of the guest. Default 1. */
  readonly guestVps?: number;
  /** Size of the virtual disk behind a storage channel, bytes. Default 1 GiB for storage, else 0. */
  readonly diskBytes?: number;
  /** 0 for a primary channel, 1.. for subchannels. Default 0. */
  readonly subchannelIndex?: number;
}

/** What a fake channel needs from its harness. */
export interface FakeChannelHost {
  /** Records `effect` to apply when the running handler returns; false outside a handler. */
  defer(channel: FakeChannel, effect: () => void): boolean;
  readonly step: number;
  /** How many subchannels the host may still offer for `primary`. */
  offerSubchannels(primary: FakeChannel, count: number): number;
  /** The VSP's `channel.fail(reason)` took effect. */
  stop(channel: FakeChannel, kind: HarnessFault['kind'], reason: string): void;
}

/**
 * The harness's {@link VspChannel}. Read `completions`, `sent`, `state` and `failure` in tests.
 *
 * @example
 * ```ts
 * h.deliver(channel, h.packets.inband(payload, { transId: 7 }));
 * h.settle();
 * expect(channel.completions.map((c) => c.transId)).toEqual([7]);
 * ```
 */
export class FakeChannel implements VspChannel {
  state: 'open' | 'failed' | 'closed' = 'open';
  /** Why the channel stopped (undefined while open or after a normal close). */
  failure: HarnessFault | undefined = undefined;
  /** Completions the VSP sent, in order (only the last one when the harness keeps no records). */
  readonly completions: HarnessCompletion[] = [];
  /** In-band and transfer-page packets the VSP sent. */
  readonly sent: HarnessSend[] = [];
  /** Completions sent in total (kept even when records are not). */
  completionCount = 0;
  /** Subchannels the VSP offered through this channel. */
  subchannelsOffered = 0;
  /** Completions whose trans_id answers no outstanding request (a protocol bug in the VSP). */
  readonly strayCompletions: number[] = [];
  /** The packet whose handler is running (its ranges are granted meanwhile). */
  current: VspPacket | null = null;
  /** Requests (trans_id → count) the guest sent with completion requested, not answered yet. */
  readonly outstanding = new Map<number, number>();
  readonly memory: ChannelMemory;

  constructor(
    readonly id: number,
    readonly vm: string,
    readonly device: string,
    readonly classGuid: string,
    readonly subchannelIndex: number,
    readonly diskBytes: number,
    readonly guestVps: number,
    memory: (channel: FakeChannel) => ChannelMemory,
    private readonly host: FakeChannelHost,
    private readonly retain: boolean,
  ) {
    this.memory = memory(this);
  }

  /** The harness gives every channel a host-unique id; the guest-side relid is the same number. */
  get relid(): number {
    return this.id;
  }

  /** Requests still waiting for a completion. */
  get unanswered(): number {
    let n = 0;
    for (const count of this.outstanding.values()) n += count;
    return n;
  }

  complete(transId: number, payload: Uint8Array): SendResult {
    checkPayloadSize('channel.complete: payload', payload.length);
    if (this.state !== 'open') return 'closed';
    const copy = payload.slice();
    const accepted = this.host.defer(this, () => {
      if (this.state !== 'open') return;
      this.answer(transId);
      this.completionCount++;
      const record = { transId, payload: copy, step: this.host.step };
      if (this.retain) this.completions.push(record);
      else this.completions[0] = record;
    });
    return accepted ? 'ok' : 'closed';
  }

  send(
    payload: Uint8Array,
    options?: { transId?: number; completionRequested?: boolean },
  ): SendResult {
    checkPayloadSize('channel.send: payload', payload.length);
    return this.record({
      type: 'inband',
      transId: options?.transId ?? 0,
      completionRequested: options?.completionRequested ?? false,
      payload: payload.slice(),
      pageSetId: 0,
      ranges: [],
      step: this.host.step,
    });
  }

  sendTransferPages(
    pageSetId: number,
    ranges: readonly { byteOffset: number; byteCount: number }[],
    payload: Uint8Array,
    transId: number,
  ): SendResult {
    checkPayloadSize('channel.sendTransferPages: payload', payload.length);
    return this.record({
      type: 'transfer-pages',
      transId,
      completionRequested: true,
      payload: payload.slice(),
      pageSetId,
      ranges: ranges.map((r) => ({ byteOffset: r.byteOffset, byteCount: r.byteCount })),
      step: this.host.step,
    });
  }

  offerSubchannels(count: number): number {
    if (this.state !== 'open') return 0;
    const wanted = Math.max(0, Math.floor(count));
    if (!(wanted > 0)) return 0;
    const offered = this.host.offerSubchannels(this, wanted);
    this.subchannelsOffered += offered;
    return offered;
  }

  fail(reason: string | VspFailureReason): void {
    if (this.state !== 'open') return;
    // A structured reason is recorded in its English words, checked as the host checks it.
    const checked = typeof reason === 'string' ? textOf(reason) : checkVspFailure(reason);
    const misuse = typeof reason !== 'string' && typeof checked === 'string';
    const why = typeof checked === 'string' ? checked : vspFailureText(checked);
    this.host.defer(this, () => {
      if (misuse)
        this.host.stop(
          this,
          'plugin-misuse',
          vspFailureText({ id: 'plugin.badReason', args: { problem: why } }),
        );
      else this.host.stop(this, 'guest-protocol-violation', why);
    });
  }

  /** The guest sent a request that wants a completion. */
  expect(transId: number): void {
    this.outstanding.set(transId, (this.outstanding.get(transId) ?? 0) + 1);
  }

  private answer(transId: number): void {
    const count = this.outstanding.get(transId) ?? 0;
    if (count === 0) this.strayCompletions.push(transId);
    else if (count === 1) this.outstanding.delete(transId);
    else this.outstanding.set(transId, count - 1);
  }

  private record(send: HarnessSend): SendResult {
    if (this.state !== 'open') return 'closed';
    const accepted = this.host.defer(this, () => {
      if (this.state === 'open' && this.retain) this.sent.push(send);
    });
    return accepted ? 'ok' : 'closed';
  }
}
