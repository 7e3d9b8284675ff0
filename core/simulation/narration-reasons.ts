/**
 * Why something stopped, failed or was refused, as a stable id and its parameters beside its
 * English words — the `reason` a narration line carries ({@link NarrationMessage}). A reason built
 * deep in the model (a ring end refusing a packet, VMMS refusing an action, the guest losing a
 * rescinded channel) is a {@link NarrationReason}, so the game can say it in the player's language
 * inside the line's own translated frame; a reason that is still free text (a plugin's
 * `channel.fail` words, an exception's message, protocol details not yet structured) is a plain
 * string, which every language shows as it is.
 *
 * Design: a reason is a nested message, not a new line id per cause. The line keeps one id (`vsc.failed`,
 * `channel.rescinded`…) and one frame, whatever the cause; the cause has its own table here, typed
 * like the line table, so the game's pt-BR reason table (game/i18n/narration-reasons-pt-BR.ts) does
 * not compile without every id. The English of a structured reason is exactly the text the model
 * built before reasons had ids, so a line's `text` (the CLI's `--log`, replays, the report's fault
 * records) is unchanged.
 */
import type { Formatter, MessageTable, TableArgs, TableMessage } from './message-table.js';
import type { VmAction, VmState } from '../root/vm-state.js';
import type { RingRejection } from '../vmbus/ring/rejection.js';
import { describeRejection } from '../vmbus/ring/rejection.js';
import { VSP_FAILURE_TEXT } from '../vsp/failure-reasons.js';
import type { VspFailureReason } from '../vsp/failure-reasons.js';

/** Which end of a channel refused what it found in shared memory (rules 36–38). */
export type RingDirection = 'guest→host' | 'host→guest';

/**
 * A ring end's refusal: a {@link RingRejection}, or `null` when the ring end had no specific
 * rejection (a packet too large to write, a malformed one to read).
 */
export type RingProblem = RingRejection | null;

/** The English text of each reason id: exactly the words the model built before reasons had ids. */
export const REASON_TEXT = {
  /** Why a VSP stopped a channel (core/vsp/failure-reasons.ts): the ids `channel.fail` takes. */
  ...VSP_FAILURE_TEXT,
  /**
   * The host's end of a channel refused what the guest put in the guest→host ring (rule 37). The
   * reader's words only, no ring named: as `HostChannel.next` always said it.
   */
  'ring.rejectedByHost': (a: { problem: RingProblem }) =>
    a.problem === null ? 'malformed packet' : describeRejection(a.problem),
  /** A ring end refused a packet; `ring` says which ring (`host→guest ring: …`). */
  'ring.rejected': (a: { ring: RingDirection; problem: RingProblem; writing: boolean }) =>
    `${a.ring} ring: ${
      a.problem === null
        ? a.writing
          ? 'packet too large'
          : 'malformed packet'
        : describeRejection(a.problem)
    }`,
  /** L: channel_mgmt.c vmbus_onoffer_rescind — the guest's channel dies when the host rescinds it. */
  'guest.channelRescinded': () => 'the host rescinded the channel',
  /** The binder's word for an offer the host took back (`ic.lost`). */
  'guest.offerRescinded': () => 'rescinded by the host',
  /** VMMS refused an action the VM's state does not allow (core/root/vm-state.ts). */
  'vm.actionNotAllowed': (a: {
    action: VmAction;
    state: VmState;
    /** The actions the state allows, comma-separated as VMMS lists them; '' for none. */
    allowed: string;
  }) => `cannot ${a.action} a VM that is ${a.state} (allowed: ${a.allowed || 'nothing'})`,
  /** Stop-VM for a guest without integration components: nothing in it can shut it down. */
  'vm.noShutdownService': () =>
    'the guest has no shutdown integration service (no integration components): only Stop-VM -TurnOff stops it',
  /** Stop-VM before the guest's integration services are up (its VMBus is not connected). */
  'vm.shutdownServiceNotReady': () =>
    "the guest's shutdown integration service is not running (VMBus not connected): wait for it, or use Stop-VM -TurnOff",
  /** Stop-VM on a paused VM: its VPs cannot run the guest's shutdown. */
  'vm.pausedNoShutdown': () =>
    'a paused guest cannot run its shutdown: Resume-VM first, or use Stop-VM -TurnOff',
  /** Start-VM on a Saved VM when the host no longer has the memory it needs back. */
  'vm.restoreNoMemory': (a: { neededMiB: number; detail: string }) =>
    `not enough host memory to restore the saved VM (it needs ${a.neededMiB.toString()} MiB: ${a.detail}); it stays Saved`,
  /** The host closed a VM's channels because the VM was turned off (Stop-VM -TurnOff). */
  'vm.turnedOff': () => 'the VM was turned off',
  /**
   * A channel opened to a VSP whose `create` threw; `reason` is the plugin's error in English,
   * `said` the same as an id (`plugin.threw`, a sandbox limit) when the host said it so.
   */
  'vsp.notStarted': (a: { reason: string; said?: VspFailureReason }) =>
    `the VSP failed to start: ${a.reason}`,
} as const satisfies MessageTable;

/** The id of a kind of reason (`ring.rejected`, `vm.actionNotAllowed`…). */
export type ReasonId = keyof typeof REASON_TEXT;

/** The parameters a reason of kind `I` carries. */
export type ReasonArgs<I extends ReasonId> = TableArgs<typeof REASON_TEXT, I>;

/** One structured reason: its id and parameters; plain data. */
export type NarrationReason = TableMessage<typeof REASON_TEXT>;

/** A line's `reason`: structured, or English free text that every language shows as it is. */
export type Reason = NarrationReason | string;

/** Every reason id, sorted (for tests and translation tables). */
export const REASON_IDS: readonly ReasonId[] = Object.freeze(
  (Object.keys(REASON_TEXT) as ReasonId[]).sort(),
);

/**
 * A reason of kind `id` with `args`.
 *
 * @example
 * channel.die(because('guest.channelRescinded', {})); // "the host rescinded the channel"
 */
export function because<I extends ReasonId>(id: I, args: ReasonArgs<I>): NarrationReason {
  return { id, args } as NarrationReason;
}

/**
 * The English words of a reason: free text as it is, a structured one from {@link REASON_TEXT}
 * (its id, should a reason of an unknown id ever reach here, rather than nothing).
 */
export function reasonText(reason: Reason): string {
  if (typeof reason === 'string') return reason;
  const format = (REASON_TEXT as Readonly<Partial<Record<string, Formatter<never>>>>)[reason.id] as
    Formatter<NarrationReason['args']> | undefined;
  return format === undefined ? reason.id : format(reason.args);
}
