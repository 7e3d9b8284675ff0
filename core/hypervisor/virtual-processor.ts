/** One virtual processor: its SynIC, its virtual APIC's EOI/ICR/TPR, and whether it is held for an intercept. */
import { MessageBuffer, type MessageBufferOwner } from './message-buffer.js';
import type { IoPortAccess } from './intercepts.js';
import { Synic, type SynicNotifier } from './synic.js';
import { VirtualApic } from './virtual-apic.js';

export const VpRunState = {
  /** Free to run guest code (scheduling is the integrator's business). */
  Runnable: 'runnable',
  /** Held by the hypervisor until the root completes an intercept. */
  InterceptSuspended: 'intercept-suspended',
} as const;

export type VpRunStateValue = (typeof VpRunState)[keyof typeof VpRunState];

export class VirtualProcessor implements MessageBufferOwner {
  readonly synic: Synic;
  /** The virtual APIC registers the synthetic APIC MSRs reach (EOI, ICR, TPR). */
  readonly apic = new VirtualApic();
  runState: VpRunStateValue = VpRunState.Runnable;
  /** The access the VP is suspended on, until the root completes it. */
  pendingIo: IoPortAccess | null = null;
  /** T: intercept messages use a buffer of the intercepted VP; one suffices (the VP waits). */
  private readonly interceptBuffer: MessageBuffer;
  private interceptBufferQueued = false;

  constructor(
    readonly partitionId: number,
    readonly index: number,
    notifier: SynicNotifier,
  ) {
    this.synic = new Synic(partitionId, index, notifier);
    this.interceptBuffer = new MessageBuffer(this);
  }

  /**
   * The buffer for this VP's next intercept message. Normally the preallocated one; if the root
   * has not yet taken the previous message out of its queue, a fresh one (so nothing is overwritten).
   */
  takeInterceptBuffer(): MessageBuffer {
    if (this.interceptBufferQueued) return new MessageBuffer(this);
    this.interceptBufferQueued = true;
    return this.interceptBuffer;
  }

  returnBuffer(buffer: MessageBuffer): void {
    if (buffer === this.interceptBuffer) this.interceptBufferQueued = false;
  }
}
