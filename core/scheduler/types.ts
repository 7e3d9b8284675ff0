/** Public value types of the scheduler: work classes, VP states, suspension reasons, ids. */

/** A virtual processor's id in the scheduler (dense, 0-based, stable for the run). */
export type VpId = number;

/**
 * What kind of CPU work an item is. Interrupt work (an ISR or DPC: a VMBus interrupt, a timer)
 * runs before any queued thread work on the same VP and pauses thread work that is in progress.
 */
export const WorkClass = { Interrupt: 0, Thread: 1 } as const;
export type WorkClass = (typeof WorkClass)[keyof typeof WorkClass];

/** Numeric VP states (hot path); {@link VP_STATE_NAMES} gives the display names. */
export const VpState = {
  /** Halted: no queued work and no background demand. */
  Idle: 0,
  /** Runnable, waiting for a logical processor ("CPU wait time"). */
  Ready: 1,
  /** On a logical processor. */
  Running: 2,
  /** Held for one or more {@link SuspendReason}s; queued work waits. */
  Suspended: 3,
  /** Has work but used its limit ("Maximum") for this accounting period; waits for the next one. */
  Capped: 4,
} as const;
export type VpState = (typeof VpState)[keyof typeof VpState];

export const VP_STATE_NAMES = ['idle', 'ready', 'running', 'suspended', 'capped'] as const;
export type VpStateName = (typeof VP_STATE_NAMES)[number];

/** Why a VP is held. Several can hold at once; each is released on its own. */
export const SuspendReason = {
  /** An intercept (e.g. an emulated port access) is pending in the root: the VP waits for VMWP. */
  InterceptPending: 1,
  /** The VM is paused. */
  VmPaused: 2,
  /** The VM is saved (its state written out). */
  VmSaved: 4,
  /** The guest flooded interrupts and is throttled (rule 7). */
  FloodThrottled: 8,
  /** The VM's partition was deleted (turned off, shut down): its VPs never run again. */
  PartitionDeleted: 16,
} as const;
export type SuspendReason = (typeof SuspendReason)[keyof typeof SuspendReason];
