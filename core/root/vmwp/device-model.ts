/**
 * An emulated device inside a VM's worker process (VMWP): the legacy hardware a guest without
 * integration components drives by touching I/O ports (rule 21: IDE, the DEC 21140 network
 * adapter, S3 video, PS/2). Every access the guest makes reaches the model as an intercept; the
 * model answers it with the value an IN reads and the user-mode CPU time the emulation took, and
 * may start work of its own (a disk read for the IDE controller, a frame for the NIC).
 */
import type { Ns } from '../../engine/index.js';

export interface PortRange {
  readonly base: number;
  readonly end: number;
}

/** One port access as the guest made it. */
export interface PortAccess {
  readonly vm: string;
  readonly vpIndex: number;
  readonly port: number;
  readonly size: 1 | 2 | 4;
  readonly write: boolean;
  /** OUT: the value written (low `size` bytes of RAX). */
  readonly value: number;
}

/** The model's answer. */
export interface PortAnswer {
  /** IN: the value the guest reads. */
  readonly value?: number;
  /** Root CPU (user mode, in VMWP) the emulation of this access took. */
  readonly costNs: Ns;
}

export interface EmulatedDeviceModel {
  /** Shown in the game's VMWP block and in the narration. */
  readonly name: string;
  readonly ports: readonly PortRange[];
  onAccess(access: PortAccess): PortAnswer;
  /** The worker process ends (the VM's partition is deleted): the model's own timers stop. */
  stop?(): void;
  /**
   * Whether the device has work of the guest's in progress (a transfer, a frame being sent) —
   * what Save-VM waits for before it writes the VM's memory, as it waits for the VSPs.
   */
  busy?(): boolean;
}

// estimate: a VMWP round trip for one port access — VID notifies the worker process, it decodes
// the access, runs the device model and completes the intercept — ~10 µs of root CPU, before the
// model's own work (published measurements of emulated I/O put it in the tens of µs).
export const VMWP_ACCESS_BASE_NS: Ns = 10_000;
