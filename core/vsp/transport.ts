/**
 * What the VMBus layer gives the VSP runtime for one open channel: the two ring ends the host
 * owns (it reads guest→host, writes host→guest), the root VP that handles the channel, the
 * guest-memory port, and the ways to signal the guest and to report the channel dead.
 */
import type { VmbusRingReader, VmbusRingWriter } from '../vmbus/ring/index.js';
import type { VspMemoryPort } from '../memory/index.js';
import type { VpId } from '../scheduler/index.js';
import type { CostMeter } from '../host/cpu.js';
import type { DeviceClass } from '../model/index.js';
import type { Reason } from '../simulation/narration-reasons.js';

export interface HostTransport {
  /** Unique on the host. */
  readonly id: number;
  /** The guest's channel id (unique within its VM). */
  readonly relid: number;
  readonly partitionId: number;
  readonly vm: string;
  readonly device: string;
  /**
   * The device class of the VM device the player wired to this channel. Undefined in harnesses
   * that build a transport by hand.
   */
  readonly deviceClass?: DeviceClass;
  /**
   * The class GUID the guest was offered for this channel: its device class's, or HV_IDE_GUID for
   * a generation 1 VM's boot disk (the IDE accelerator).
   */
  readonly classGuid: string;
  readonly subchannelIndex: number;
  readonly diskBytes: number;
  readonly guestVps: number;
  /** The root VP whose interrupts and DPCs serve this channel. */
  readonly hostVp: VpId;
  /** Guest → host ring, read by the host. */
  readonly reader: VmbusRingReader;
  /** Host → guest ring, written by the host. */
  readonly writer: VmbusRingWriter;
  readonly memory: VspMemoryPort;
  /** Signals the guest (HvCallSignalEvent from the root VP); the hypercall's cost goes to `meter`. */
  signalGuest(meter: CostMeter): void;
  /** Offers subchannels of this channel; returns how many were offered. */
  offerSubchannels(count: number): number;
  /** The channel is dead (rule 38): the VMBus layer tells the guest and tears it down. */
  closeAfterFault(reason: Reason): void;
}
