/**
 * The synthetic interrupt controller of one virtual processor (rule 26).
 * T: inter-partition-communication.md — SCONTROL, SVERSION, SIEFP, SIMP, EOM, SINT0–15; message
 * delivery into SIM slots with per-SINT queues; event flags in the SIEF page.
 */
import { HvStatus } from './status.js';
import type { MessageBuffer, MessageBufferOwner } from './message-buffer.js';
import { MessageQueue } from './message-buffer.js';
import {
  HV_SYNIC_SINT_COUNT,
  HV_SYNIC_VERSION_1,
  HvMsr,
  SINT_AUTO_EOI,
  SINT_MASKED,
  SINT_POLLING,
  SINT_RESET_VALUE,
  SYNIC_ENABLE,
  SYNIC_FIRST_VALID_VECTOR,
} from './msr.js';
import type { Port } from './ports.js';
import { SynicEventFlagsPage, SynicMessagePage, type MessageHeaderFields } from './synic-pages.js';

/** What a SynIC tells the hypervisor (implemented once by the hypervisor; no closures per call). */
export interface SynicNotifier {
  /** An unmasked, non-polling SINT got a new message or a 0→1 event flag: interrupt the VP. */
  sintInterrupt(synic: Synic, sint: number): void;
  /** A message landed in a SIM slot (directly or from a queue). */
  messageDelivered(synic: Synic): void;
}

const STATE_MASKED = 1;
const STATE_AUTO_EOI = 2;
const STATE_POLLING = 4;

export class Synic {
  readonly messagePage = new SynicMessagePage();
  readonly eventFlagsPage = new SynicEventFlagsPage();
  /** SCONTROL.Enable: message queuing and event notifications may target this VP. */
  enabled = false;
  /** SIMP.Enable. */
  messagePageEnabled = false;
  /** SIEFP.Enable. */
  eventFlagsPageEnabled = false;

  private scontrol = 0n;
  private simp = 0n;
  private siefp = 0n;
  private readonly sints: bigint[] = new Array<bigint>(HV_SYNIC_SINT_COUNT).fill(SINT_RESET_VALUE);
  private readonly sintState = new Uint8Array(HV_SYNIC_SINT_COUNT).fill(STATE_MASKED);
  private readonly sintVectors = new Uint8Array(HV_SYNIC_SINT_COUNT);
  private readonly queues: MessageQueue[] = [];
  private readonly scratch: MessageHeaderFields = { type: 0, size: 0, originLow: 0, originHigh: 0 };

  constructor(
    readonly partitionId: number,
    readonly vpIndex: number,
    private readonly notifier: SynicNotifier,
  ) {
    for (let i = 0; i < HV_SYNIC_SINT_COUNT; i++) this.queues.push(new MessageQueue());
  }

  // ---- SINT state -------------------------------------------------------------------------

  sintMasked(sint: number): boolean {
    return (this.sintState[sint] & STATE_MASKED) !== 0;
  }

  sintPolling(sint: number): boolean {
    return (this.sintState[sint] & STATE_POLLING) !== 0;
  }

  sintAutoEoi(sint: number): boolean {
    return (this.sintState[sint] & STATE_AUTO_EOI) !== 0;
  }

  sintVector(sint: number): number {
    return this.sintVectors[sint];
  }

  /** Messages of `sint` waiting for the slot to be emptied. */
  queuedMessages(sint: number): number {
    return this.queues[sint].length;
  }

  // ---- MSRs -------------------------------------------------------------------------------

  /** True for the SynIC MSR numbers this class answers. */
  static isSynicMsr(msr: number): boolean {
    return (
      (msr >= HvMsr.SCONTROL && msr <= HvMsr.EOM) || (msr >= HvMsr.SINT0 && msr <= HvMsr.SINT15)
    );
  }

  readMsr(msr: number): bigint {
    switch (msr) {
      case HvMsr.SCONTROL:
        return this.scontrol;
      case HvMsr.SVERSION:
        return HV_SYNIC_VERSION_1;
      case HvMsr.SIEFP:
        return this.siefp;
      case HvMsr.SIMP:
        return this.simp;
      case HvMsr.EOM:
        return 0n; // T: "Reads from the EOM register always returns zeros."
      default:
        return msr >= HvMsr.SINT0 && msr <= HvMsr.SINT15 ? this.sints[msr - HvMsr.SINT0] : 0n;
    }
  }

  /** Writes a SynIC MSR; false means the write raises #GP. */
  writeMsr(msr: number, value: bigint): boolean {
    const v = BigInt.asUintN(64, value);
    switch (msr) {
      case HvMsr.SCONTROL:
        this.scontrol = v;
        this.enabled = (v & SYNIC_ENABLE) !== 0n;
        return true;
      case HvMsr.SVERSION:
        return false; // T: read-only; "Attempts to write to this register result in a #GP fault."
      case HvMsr.SIEFP:
        this.siefp = v;
        this.eventFlagsPageEnabled = (v & SYNIC_ENABLE) !== 0n;
        return true;
      case HvMsr.SIMP: {
        const wasEnabled = this.messagePageEnabled;
        this.simp = v;
        this.messagePageEnabled = (v & SYNIC_ENABLE) !== 0n;
        // Model choice: enabling the page lets messages queued meanwhile reach it.
        if (!wasEnabled && this.messagePageEnabled) this.scanQueues();
        return true;
      }
      case HvMsr.EOM:
        this.endOfMessage();
        return true;
      default:
        if (msr < HvMsr.SINT0 || msr > HvMsr.SINT15) return false;
        return this.writeSint(msr - HvMsr.SINT0, v);
    }
  }

  private writeSint(sint: number, v: bigint): boolean {
    const vector = Number(v & 0xffn);
    const masked = (v & SINT_MASKED) !== 0n;
    // T: "Valid values for vector are 16-255 inclusive. Specifying an invalid vector number
    // results in #GP." Checked for unmasked sources so the reset value 0x10000 can be restored.
    if (!masked && vector < SYNIC_FIRST_VALID_VECTOR) return false;
    this.sints[sint] = v;
    this.sintVectors[sint] = vector;
    this.sintState[sint] =
      (masked ? STATE_MASKED : 0) |
      ((v & SINT_AUTO_EOI) !== 0n ? STATE_AUTO_EOI : 0) |
      ((v & SINT_POLLING) !== 0n ? STATE_POLLING : 0);
    return true;
  }

  // ---- Messages ---------------------------------------------------------------------------

  /**
   * Posts a guest message from `port` into `sint` (caller checked SCONTROL and SIMP are enabled).
   * If the slot is free and nothing waits before it, the message is written straight into the
   * slot; otherwise it takes one of the port's 16 buffers and waits in the SINT's queue.
   */
  postMessage(
    port: Port,
    message: { readonly messageType: number; readonly payloadSize: number },
    payload: Uint8Array,
  ): number {
    const sint = port.targetSint;
    const queue = this.queues[sint];
    if (queue.length === 0 && this.messagePage.isEmpty(sint)) {
      if (port.freeBuffers === 0) return HvStatus.INSUFFICIENT_BUFFERS;
      const header = this.scratch;
      header.type = message.messageType;
      header.size = message.payloadSize;
      header.originLow = port.id; // T: "Messages that are sent in response to HvPostMessage contain the port ID."
      header.originHigh = 0;
      this.messagePage.write(sint, header, payload, false);
      this.notifier.messageDelivered(this);
      this.interrupt(sint);
      return HvStatus.SUCCESS;
    }
    const buffer = port.takeBuffer();
    if (buffer === null) return HvStatus.INSUFFICIENT_BUFFERS;
    buffer.type = message.messageType;
    buffer.size = message.payloadSize;
    buffer.originLow = port.id;
    buffer.originHigh = 0;
    const n = payload.length < message.payloadSize ? payload.length : message.payloadSize;
    for (let i = 0; i < n; i++) buffer.payload[i] = payload[i];
    for (let i = n; i < message.payloadSize; i++) buffer.payload[i] = 0;
    queue.push(buffer);
    // T: delivery is retried when "another message buffer is queued".
    this.deliverNext(sint);
    return HvStatus.SUCCESS;
  }

  /** Queues a hypervisor message (e.g. an intercept) on `sint` and tries to deliver it. */
  queueMessage(sint: number, buffer: MessageBuffer): void {
    this.queues[sint].push(buffer);
    this.deliverNext(sint);
  }

  /**
   * EOM: scan every SINT queue and deliver the next message where the slot is empty.
   * Returns the number of messages delivered. T: "If the message queues are all empty, a write
   * to the EOM register is a no-op."
   */
  endOfMessage(): number {
    return this.scanQueues();
  }

  /** An APIC EOI is also a trigger for a queue scan (T: "Multiple message buffers …"). */
  apicEoi(): number {
    return this.scanQueues();
  }

  /** Drops undelivered messages lent by `owner` (its port was deleted). */
  dropMessagesOf(owner: MessageBufferOwner): number {
    let dropped = 0;
    for (const queue of this.queues) dropped += queue.removeOwnedBy(owner);
    return dropped;
  }

  private scanQueues(): number {
    let delivered = 0;
    for (let sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++) {
      if (this.queues[sint].length > 0 && this.deliverNext(sint)) delivered++;
    }
    return delivered;
  }

  private deliverNext(sint: number): boolean {
    const queue = this.queues[sint];
    const page = this.messagePage;
    if (!this.messagePageEnabled || queue.length === 0) return false;
    if (!page.isEmpty(sint)) {
      // T: MessagePending tells the guest to write EOM after emptying the slot.
      page.setMessagePending(sint);
      return false;
    }
    const buffer = queue.shift() as MessageBuffer;
    page.write(sint, buffer, buffer.payload, queue.length > 0);
    buffer.owner.returnBuffer(buffer);
    this.notifier.messageDelivered(this);
    this.interrupt(sint);
    return true;
  }

  // ---- Events -----------------------------------------------------------------------------

  /**
   * Sets an event flag of `sint` (caller checked SCONTROL, SIEFP and the SINT). Interrupts only
   * on a 0→1 transition. Returns true when the flag was newly set.
   */
  signalEvent(sint: number, flag: number): boolean {
    if (!this.eventFlagsPage.set(sint, flag)) return false;
    this.interrupt(sint);
    return true;
  }

  // ---- Interrupts -------------------------------------------------------------------------

  private interrupt(sint: number): void {
    // T: "If the APIC is software disabled or the SINTx is masked, the interrupt is lost";
    // polling mode unmasks the source without generating an interrupt.
    if (!this.enabled || (this.sintState[sint] & (STATE_MASKED | STATE_POLLING)) !== 0) return;
    this.notifier.sintInterrupt(this, sint);
  }

  /** Processor reset: registers back to their reset values, pages zeroed, queues emptied. */
  reset(): void {
    this.writeMsr(HvMsr.SCONTROL, 0n);
    this.writeMsr(HvMsr.SIMP, 0n);
    this.writeMsr(HvMsr.SIEFP, 0n);
    for (let sint = 0; sint < HV_SYNIC_SINT_COUNT; sint++) {
      this.writeSint(sint, SINT_RESET_VALUE);
      const queue = this.queues[sint];
      for (let b = queue.shift(); b !== null; b = queue.shift()) b.owner.returnBuffer(b);
    }
    this.messagePage.clear();
    this.eventFlagsPage.clear();
  }
}
