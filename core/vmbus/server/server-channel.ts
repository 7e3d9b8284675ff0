/**
 * The root's record of one offered channel: what it serves, how the guest reaches it (its event
 * port and connection id), and, once the guest opened it, the host end handed to the VSP.
 */
import type { DeviceClass } from '../../model/index.js';
import type { HostChannel } from '../../vsp/host-channel.js';
import type { VspRuntime } from '../../vsp/vsp-runtime.js';
import type { SignalThrottle } from '../ring/index.js';

export interface OfferSpec {
  readonly deviceClass: DeviceClass;
  /**
   * The class GUID the offer carries (its if_type): the device class's GUID, or HV_IDE_GUID for
   * a generation 1 VM's boot disk, reached through the IDE accelerator (`offerClassGuid`).
   */
  readonly classGuid: string;
  /** The VM device behind the channel (e.g. `scsi0`). */
  readonly device: string;
  readonly instanceGuid: string;
  readonly vsp: VspRuntime;
  readonly signalling: 'batched' | 'low-latency';
  /** Ring data bytes per direction the guest should allocate. */
  readonly ringBytes: number;
  /** Virtual disk size behind a storage channel, bytes. */
  readonly diskBytes: number;
}

export type ServerChannelState = 'offered' | 'opening' | 'open' | 'closed' | 'rescinded' | 'failed';

export class ServerChannel {
  state: ServerChannelState = 'offered';
  /** Host-wide GPADL handle of the ring buffer, once created. */
  ringGpadl = -1;
  /** The guest asked to tear the ring GPADL down while the channel was open (rule 12). */
  ringTeardownPending = false;
  targetVp = 0;
  host: HostChannel | null = null;
  /** Guest signals that found nothing new to read (rule 7). */
  unnecessarySignals = 0;

  constructor(
    /** Unique on the host (the VSP keys its state by it). */
    readonly hostId: number,
    readonly partitionId: number,
    readonly relid: number,
    readonly spec: OfferSpec,
    readonly subchannelIndex: number,
    /** The child's connection id for signalling this channel (HvCallSignalEvent). */
    readonly connectionId: number,
    /** Root VP whose SINT2 event flag this channel sets. */
    readonly hostVpIndex: number,
    readonly hostFlag: number,
    readonly monitorId: number,
    readonly throttle: SignalThrottle,
  ) {}
}
