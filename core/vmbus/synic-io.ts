/**
 * The two ways VMBus uses the SynIC, as both ends do them: post a control message
 * (HvCallPostMessage to a message connection, rule 10) and signal an event (HvCallSignalEvent to an
 * event connection); and, on the receiving VP, take the message out of its SIM slot (clearing it
 * and writing EOM when another one waits, rule 26) and test-and-clear the event flags that are set.
 * Every hypercall's cost is added to the caller's meter.
 */
import type { CostMeter } from '../host/cpu.js';
import { HvCallCode, HvStatus, simpleCall } from '../hypervisor/index.js';
import type { Hypervisor, HypercallRequest } from '../hypervisor/index.js';
import { VMBUS_MESSAGE_TYPE } from './control/index.js';

// estimate: a hypercall's input page sits at a page-aligned GPA the guest kernel reserved for it.
const INPUT_PAGE_GPA = 0x1000;

interface MutablePost {
  code: typeof HvCallCode.PostMessage;
  connectionId: number;
  messageType: number;
  payloadSize: number;
  payload: Uint8Array;
}

interface MutableSignal {
  code: typeof HvCallCode.SignalEvent;
  connectionId: number;
  flagNumber: number;
}

export interface ReceivedMessage {
  readonly length: number;
  /** The origination field: the port id the message came through. */
  readonly port: number;
  readonly type: number;
}

export class SynicIo {
  private readonly post: MutablePost = {
    code: HvCallCode.PostMessage,
    connectionId: 0,
    messageType: VMBUS_MESSAGE_TYPE,
    payloadSize: 0,
    payload: new Uint8Array(240),
  };
  private readonly postRequest: HypercallRequest;
  private readonly signal: MutableSignal = {
    code: HvCallCode.SignalEvent,
    connectionId: 0,
    flagNumber: 0,
  };
  private readonly signalRequest: HypercallRequest;
  /** Hypercalls made through this helper, by partition id. */
  readonly hypercalls: number[] = [];
  /** Sees every successful signal a child makes (the VMBus server counts them for rule 7). */
  signalObserver: ((partitionId: number, connectionId: number) => void) | null = null;

  constructor(readonly hv: Hypervisor) {
    this.postRequest = {
      control: simpleCall(HvCallCode.PostMessage),
      cpl: 0,
      inputGpa: INPUT_PAGE_GPA,
      outputGpa: 0,
      params: this.post,
    };
    this.signalRequest = {
      control: simpleCall(HvCallCode.SignalEvent, true),
      cpl: 0,
      inputGpa: 0,
      outputGpa: 0,
      params: this.signal,
    };
  }

  /** HvCallPostMessage from (partition, vp); returns the HV status (INSUFFICIENT_BUFFERS: retry later). */
  postMessage(
    partitionId: number,
    vpIndex: number,
    connectionId: number,
    payload: Uint8Array,
    length: number,
    meter: CostMeter,
  ): number {
    this.post.connectionId = connectionId;
    this.post.payloadSize = length;
    this.post.payload.fill(0);
    this.post.payload.set(payload.subarray(0, length));
    const r = this.hv.hypercall(partitionId, vpIndex, this.postRequest);
    meter.add(r.costNs);
    this.count(partitionId);
    return r.status;
  }

  /** HvCallSignalEvent (fast) from (partition, vp). */
  signalEvent(
    partitionId: number,
    vpIndex: number,
    connectionId: number,
    flagNumber: number,
    meter: CostMeter,
  ): number {
    this.signal.connectionId = connectionId;
    this.signal.flagNumber = flagNumber;
    const r = this.hv.hypercall(partitionId, vpIndex, this.signalRequest);
    meter.add(r.costNs);
    this.count(partitionId);
    if (r.status === HvStatus.SUCCESS) this.signalObserver?.(partitionId, connectionId);
    return r.status;
  }

  /**
   * The hypervisor's signal for a monitor-page bit the guest set (rule 8): the host's port is
   * signalled as by HvCallSignalEvent from (partition, vp), but the guest made no hypercall, so
   * none is counted. Returns the HV status.
   */
  signalForMonitor(
    partitionId: number,
    vpIndex: number,
    connectionId: number,
    flagNumber: number,
  ): number {
    const status = this.hv.signalForMonitor(partitionId, vpIndex, connectionId, flagNumber);
    if (status === HvStatus.SUCCESS) this.signalObserver?.(partitionId, connectionId);
    return status;
  }

  /**
   * Copies the message waiting in `sint`'s slot into `out`, frees the slot and, when another
   * message is pending behind it, writes EOM so the hypervisor delivers it (rule 26).
   */
  takeMessage(
    partitionId: number,
    vpIndex: number,
    sint: number,
    out: Uint8Array,
    meter: CostMeter,
  ): ReceivedMessage | null {
    const vp = this.hv.vp(partitionId, vpIndex);
    if (vp === undefined) return null;
    const page = vp.synic.messagePage;
    if (page.isEmpty(sint)) return null;
    const type = page.messageType(sint);
    const length = Math.min(page.payloadSize(sint), out.length);
    const offset = page.payloadOffset(sint);
    out.set(page.bytes.subarray(offset, offset + length));
    const port = page.originLow(sint);
    const pending = page.messagePending(sint);
    page.clearSlot(sint);
    if (pending) meter.add(this.hv.endOfMessage(partitionId, vpIndex));
    return { length, port, type };
  }

  /**
   * Test-and-clears the first set event flag of `sint` on the VP at or after `from` and returns
   * its number, or -1 when none is set. The ISR's loop, without a callback per interrupt:
   *
   * @example
   * for (let f = io.takeEventFlag(p, vp, sint, 0); f >= 0; f = io.takeEventFlag(p, vp, sint, f + 1))
   *   channels[f]?.onInterrupt(meter);
   */
  takeEventFlag(partitionId: number, vpIndex: number, sint: number, from: number): number {
    const vp = this.hv.vp(partitionId, vpIndex);
    if (vp === undefined) return -1;
    const flags = vp.synic.eventFlagsPage;
    for (let flag = flags.nextSet(sint, from); flag >= 0; flag = flags.nextSet(sint, flag + 1)) {
      if (flags.testAndClear(sint, flag)) return flag;
    }
    return -1;
  }

  /** Test-and-clears every set event flag of `sint` on the VP, calling `onFlag` for each. */
  drainEventFlags(
    partitionId: number,
    vpIndex: number,
    sint: number,
    onFlag: (flag: number) => void,
  ): void {
    for (
      let flag = this.takeEventFlag(partitionId, vpIndex, sint, 0);
      flag >= 0;
      flag = this.takeEventFlag(partitionId, vpIndex, sint, flag + 1)
    )
      onFlag(flag);
  }

  private count(partitionId: number): void {
    this.hypercalls[partitionId] = (this.hypercalls[partitionId] ?? 0) + 1;
  }
}

export const HV_SUCCESS = HvStatus.SUCCESS;
export const HV_INSUFFICIENT_BUFFERS = HvStatus.INSUFFICIENT_BUFFERS;
