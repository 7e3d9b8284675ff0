/**
 * What the test harness records while a VSP runs: completions and messages it sent, channels it
 * lost and why, guest-memory accesses it was refused, CPU it charged. Plain data, so a test can
 * print or compare it.
 */
import type { BlockRequest, VspHostEvent } from '../../../core/vsp/types.js';

/**
 * A completion packet (type 0xB) the VSP sent on a channel.
 *
 * @example
 * ```ts
 * const c = channel.completions.find((c) => c.transId === 7);
 * ```
 */
export interface HarnessCompletion {
  readonly transId: number;
  /** A copy of the payload, as the guest would read it. */
  readonly payload: Uint8Array;
  /** Harness step at which it was sent. */
  readonly step: number;
}

/**
 * An in-band message or transfer-page packet the VSP sent on a channel.
 *
 * @example
 * ```ts
 * const unsolicited = channel.sent.filter((m) => m.transId === 0);
 * ```
 */
export interface HarnessSend {
  readonly type: 'inband' | 'transfer-pages';
  readonly transId: number;
  readonly completionRequested: boolean;
  readonly payload: Uint8Array;
  /** Transfer-page packets: the page set and byte ranges (empty for in-band). */
  readonly pageSetId: number;
  readonly ranges: readonly { readonly byteOffset: number; readonly byteCount: number }[];
  readonly step: number;
}

/**
 * Why a channel stopped. The `plugin-*` kinds blame the VSP (it threw, or used the host object
 * wrongly); `guest-protocol-violation` means the VSP called `channel.fail` on the guest's packet.
 *
 * @example
 * ```ts
 * if (channel.failure?.kind === 'plugin-threw') console.log(channel.failure.reason);
 * ```
 */
export interface HarnessFault {
  readonly kind: 'plugin-threw' | 'plugin-misuse' | 'guest-protocol-violation';
  readonly channel: number;
  readonly reason: string;
  readonly step: number;
}

/**
 * Kinds of refused guest-memory access, named as the core's isolation fault log names them.
 *
 * @example
 * ```ts
 * const kind: IsolationFaultKind = 'outside-packet-grant';
 * ```
 */
export type IsolationFaultKind =
  | 'offset-outside-gpadl'
  | 'unknown-gpadl'
  | 'gpadl-of-other-channel'
  | 'pfn-outside-guest'
  | 'malformed-range'
  | 'outside-packet-grant'
  | 'grant-expired';

/**
 * A refused guest-memory access (rule 36). `blame: 'guest'` when the guest's own page ranges
 * were malformed or outside its memory (the host refused them, as it must); `blame: 'plugin'`
 * when the VSP reached past what it was granted — a bug in the VSP.
 *
 * @example
 * ```ts
 * const vspBugs = h.isolationFaults.filter((f) => f.blame === 'plugin');
 * ```
 */
export interface IsolationRecord {
  readonly channel: number;
  readonly kind: IsolationFaultKind;
  readonly blame: 'guest' | 'plugin';
  readonly detail: string;
  readonly step: number;
}

/**
 * One handler call and the CPU it charged with `host.cpu.charge`.
 *
 * @example
 * ```ts
 * const perPacket = h.calls.filter((c) => c.handler === 'onPacket').map((c) => c.chargedNs);
 * ```
 */
export interface HandlerCall {
  readonly handler:
    'onChannelOpened' | 'onPacket' | 'onDeviceCompleted' | 'onHostEvent' | 'onChannelClosed';
  readonly channel: number;
  readonly chargedNs: number;
  readonly step: number;
}

/**
 * A request the VSP gave the fake device (block or network).
 *
 * @example
 * ```ts
 * const reads = h.deviceRequests.filter((r) => r.block?.op === 'read');
 * ```
 */
export interface DeviceRequestRecord {
  readonly channel: number;
  /** The block request (storage); undefined for a network transmit. */
  readonly block: BlockRequest | undefined;
  /** Bytes of a network transmit (0 for block requests). */
  readonly transmitBytes: number;
  readonly tag: number;
  readonly step: number;
}

/**
 * A report the VSP made to the host (memory pressure, balloon change, heartbeat) or a timer it
 * set, in the order made.
 *
 * @example
 * ```ts
 * const beats = h.hostReports.filter((r) => r.type === 'heartbeat');
 * ```
 */
export type HostReportRecord =
  | {
      readonly type: 'memory-pressure';
      readonly channel: number;
      readonly pressurePercent: number;
      readonly committedPages: number;
    }
  | {
      readonly type: 'memory-change';
      readonly channel: number;
      readonly action: 'balloon' | 'unballoon' | 'hot-add';
      readonly pages: number;
      readonly tag: number;
    }
  | { readonly type: 'heartbeat'; readonly channel: number; readonly sequence: number }
  | {
      readonly type: 'timer';
      readonly channel: number;
      readonly delayNs: number;
      readonly tag: number;
    };

/**
 * A host event the harness delivered (re-exported for profile authors).
 *
 * @example
 * ```ts
 * const frame: HarnessHostEvent = { type: 'frame-received', bytes: 1514, tag: 1 };
 * ```
 */
export type HarnessHostEvent = VspHostEvent;
