/**
 * netvsp's state for one VM network adapter: the primary channel and its vRSS subchannels, the
 * NVSP version agreed, the guest's receive and send buffers, RNDIS state, the transmits waiting
 * for the NIC, and the SR-IOV data path (rules 19, 20).
 */
import type { VspChannel } from '../sdk/index.js';
import type { ReceiveBuffer, SendBuffer } from './buffers.js';

/** What netvsp counts, per VSP instance (the game's inspector and the tests read it). */
export interface NetvspStats {
  framesTransmitted: number;
  framesReceived: number;
  /** Frames from the wire that found no free receive section (rule 19). */
  dropsNoSection: number;
  /** Frames for an adapter that has no receive buffer or packet filter yet. */
  dropsNotReady: number;
  /** Frames too large for one receive section. */
  dropsTooLarge: number;
  transferPagePackets: number;
  /** Transfer-page packets the guest completed (sections returned). */
  receiveCompletions: number;
  /** Sections of all receive buffers currently lent to guests. */
  receiveSectionsInUse: number;
  /** Most receive sections lent at once. */
  receiveSectionsPeak: number;
  sectionTransmits: number;
  gpaDirectTransmits: number;
  controlMessages: number;
  /** RNDIS messages refused with NVSP_STAT_INVALID_RNDIS_PACKET. */
  invalidRndis: number;
  /** Channels stopped for breaking the protocol (rule 38). */
  protocolViolations: number;
  subchannelsOffered: number;
  vfOffered: number;
  dataPathSwitches: number;
}

export function emptyStats(): NetvspStats {
  return {
    framesTransmitted: 0,
    framesReceived: 0,
    dropsNoSection: 0,
    dropsNotReady: 0,
    dropsTooLarge: 0,
    transferPagePackets: 0,
    receiveCompletions: 0,
    receiveSectionsInUse: 0,
    receiveSectionsPeak: 0,
    sectionTransmits: 0,
    gpaDirectTransmits: 0,
    controlMessages: 0,
    invalidRndis: 0,
    protocolViolations: 0,
    subchannelsOffered: 0,
    vfOffered: 0,
    dataPathSwitches: 0,
  };
}

export class NetvspAdapter {
  /** NVSP version agreed in INIT (0 before). */
  protocolVersion = 0;
  ndisVersion = 0;
  /** MTU + Ethernet header the guest announced (SEND_NDIS_CONFIG). */
  frameLimit = 0;
  guestSriov = false;
  receive: ReceiveBuffer | null = null;
  send: SendBuffer | null = null;
  rndisInitialized = false;
  packetFilter = 0;
  subchannels = 0;
  vfOffered = false;
  dataPath: 'synthetic' | 'vf' = 'synthetic';
  /** The run's log was told this adapter's receive buffer ran out (said once). */
  toldNoSection = false;
  readonly channels: VspChannel[];
  /** Transmits waiting for the NIC, by tag: the channel and the guest's trans_id. */
  readonly txChannel: (VspChannel | null)[] = [];
  readonly txTransId: number[] = [];
  private readonly txFree: number[] = [];

  constructor(
    readonly primary: VspChannel,
    /** Position among the instance's adapters (its MAC's last octet). */
    readonly index: number,
  ) {
    this.channels = [primary];
  }

  /** Whether frames from the wire can be delivered: buffer shared, RNDIS up, filter set. */
  get receiving(): boolean {
    return this.receive !== null && this.rndisInitialized && this.packetFilter !== 0;
  }

  /** Remembers a transmit until the NIC completes it; returns its tag. */
  holdTransmit(channel: VspChannel, transId: number): number {
    const tag = this.txFree.length > 0 ? (this.txFree.pop() ?? 0) : this.txChannel.length;
    if (tag === this.txChannel.length) {
      this.txChannel.push(channel);
      this.txTransId.push(transId);
    } else {
      this.txChannel[tag] = channel;
      this.txTransId[tag] = transId;
    }
    return tag;
  }

  /** The NIC sent transmit `tag`: its channel (null when unknown or already released). */
  releaseTransmit(tag: number): VspChannel | null {
    if (!Number.isSafeInteger(tag) || tag < 0 || tag >= this.txChannel.length) return null;
    const channel = this.txChannel[tag];
    if (channel === null) return null;
    this.txChannel[tag] = null;
    this.txFree.push(tag);
    return channel;
  }

  /** A channel of the adapter closed: forget what was pending on it. */
  forget(channel: VspChannel): void {
    for (let t = 0; t < this.txChannel.length; t++)
      if (this.txChannel[t] === channel) this.releaseTransmit(t);
    this.receive?.releaseAll(channel);
    const i = this.channels.indexOf(channel);
    if (i > 0) this.channels.splice(i, 1);
  }
}
