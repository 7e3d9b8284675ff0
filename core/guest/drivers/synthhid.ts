/**
 * synthhid: the guest's synthetic mouse driver (a VSC), as Linux's hid-hyperv does it. On its
 * channel it sends SYNTH_HID_PROTOCOL_REQUEST (version 2.0, completion requested); the host
 * answers with SYNTH_HID_PROTOCOL_RESPONSE and then SYNTH_HID_INITIAL_DEVICE_INFO (the device's
 * ids, HID descriptor and report descriptor), which the driver acknowledges with
 * SYNTH_HID_INITIAL_DEVICE_INFO_ACK. From then on every mouse event is a SYNTH_HID_INPUT_REPORT
 * the host sends; the driver hands the report to the input layer and, when the host asked for it,
 * completes the packet (a VMBus completion echoing its trans_id).
 *
 * L: drivers/hid/hid-hyperv.c (mousevsc_connect_to_vsp, mousevsc_on_receive).
 */
import type { Ns } from '../../engine/index.js';
import type { CostMeter } from '../../host/cpu.js';
import {
  decodeSynthhidMessage,
  encodeSynthhidMessage,
  SYNTHHID_INPUT_VERSION,
} from '../../protocols/index.js';
import { OutgoingPacket, VmbusPacketType } from '../../vmbus/ring/index.js';
import type { IncomingPacket } from '../../vmbus/ring/index.js';
import type { InputDriver, InputEventSink } from '../stacks/input-stack.js';
import type { GuestDevice } from '../stacks/types.js';
import type { ChannelDriver, GuestChannel } from '../vmbus/guest-channel.js';
import { reasonText } from '../../simulation/narration-reasons.js';
import type { Reason } from '../../simulation/narration-reasons.js';

// estimate: guest CPU to handle one synthhid message (decode, HID core, input layer).
export const SYNTHHID_MESSAGE_NS: Ns = 2_000;
/** hid-hyperv passes the address of its request as trans_id; the model uses a fixed id. */
const PROTOCOL_REQUEST_TRANS_ID = 1;

export type SynthhidPhase = 'connecting' | 'ready' | 'failed' | 'dead';

export interface SynthhidHost {
  onReady(): void;
  /** The driver stopped: the host refused it, or its channel died. */
  onFailed(reason: string): void;
}

export class Synthhid implements ChannelDriver, InputDriver {
  phase: SynthhidPhase = 'connecting';
  sink: InputEventSink | null = null;
  vendorId = 0;
  productId = 0;
  reportDescriptorBytes = 0;
  private channel: GuestChannel | null = null;
  private approved = false;
  private ackDeviceInfo = false;
  private reports = 0;
  /** trans_id halves of reports to complete, in pairs. */
  private readonly acks: number[] = [];
  private readonly packet = new OutgoingPacket();
  private readonly scratch = new Uint8Array(64);
  private static readonly EMPTY = new Uint8Array(0);
  /** Reports received, and why the driver stopped. */
  received = 0;
  failure = '';

  constructor(
    readonly device: GuestDevice,
    private readonly host: SynthhidHost,
  ) {}

  get ready(): boolean {
    return this.phase === 'ready';
  }

  get dead(): boolean {
    return this.phase === 'dead' || this.phase === 'failed';
  }

  get productText(): string {
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    return `${hex(this.vendorId)}:${hex(this.productId)}`;
  }

  /** The channel opened: ask for the protocol (mousevsc_connect_to_vsp). */
  attach(channel: GuestChannel, meter: CostMeter): void {
    this.channel = channel;
    const n = encodeSynthhidMessage(
      { kind: 'protocolRequest', version: SYNTHHID_INPUT_VERSION },
      this.scratch,
      0,
    );
    this.packet.inBand(this.scratch, n, PROTOCOL_REQUEST_TRANS_ID, true);
    channel.send(this.packet, meter);
    meter.add(SYNTHHID_MESSAGE_NS);
  }

  // ── ChannelDriver ───────────────────────────────────────────────────────────────────────────

  onPacket(_channel: GuestChannel, packet: IncomingPacket, meter: CostMeter): void {
    meter.add(SYNTHHID_MESSAGE_NS);
    if (packet.type !== VmbusPacketType.DataInBand || this.dead) return; // VM_PKT_COMP: ignored
    const m = decodeSynthhidMessage(packet.data, packet.payloadOffset, packet.payloadLength);
    if (!m.ok) return;
    switch (m.value.kind) {
      case 'protocolResponse':
        this.approved = m.value.approved;
        if (!this.approved) this.fail('the host did not approve synthetic HID 2.0');
        return;
      case 'initialDeviceInfo':
        if (!this.approved) return;
        this.vendorId = m.value.vendorId;
        this.productId = m.value.productId;
        this.reportDescriptorBytes = m.value.reportDescriptor.length;
        this.ackDeviceInfo = true;
        return;
      case 'inputReport':
        if (this.phase !== 'ready') return; // L: dropped until init_complete
        this.received++;
        this.reports++;
        if (packet.completionRequested) this.acks.push(packet.transIdLo, packet.transIdHi);
        return;
      default:
        return;
    }
  }

  afterPacket(_channel: GuestChannel, meter: CostMeter): void {
    if (this.ackDeviceInfo && this.sendDeviceInfoAck(meter)) {
      this.ackDeviceInfo = false;
      this.phase = 'ready';
      this.host.onReady();
    }
    this.sendAcks(meter);
    const events = this.reports;
    this.reports = 0;
    for (let i = 0; i < events; i++) this.sink?.inputEvent(this.device);
  }

  onWritable(_channel: GuestChannel, meter: CostMeter): void {
    this.afterPacket(_channel, meter);
  }

  onDead(_channel: GuestChannel, reason: Reason): void {
    if (this.dead) return;
    this.phase = 'dead';
    this.failure = reasonText(reason);
    this.host.onFailed(this.failure);
    this.sink?.inputLost(this.device);
  }

  private sendDeviceInfoAck(meter: CostMeter): boolean {
    const channel = this.channel;
    if (channel === null) return false;
    const n = encodeSynthhidMessage({ kind: 'initialDeviceInfoAck' }, this.scratch, 0);
    this.packet.inBand(this.scratch, n, 0, true);
    return channel.send(this.packet, meter) === 'sent';
  }

  private sendAcks(meter: CostMeter): void {
    const channel = this.channel;
    let i = 0;
    while (channel !== null && i < this.acks.length) {
      this.packet.completion(Synthhid.EMPTY, 0, this.acks[i], this.acks[i + 1]);
      if (channel.send(this.packet, meter) !== 'sent') break;
      i += 2;
    }
    this.acks.splice(0, i);
  }

  private fail(reason: string): void {
    this.phase = 'failed';
    this.failure = reason;
    this.host.onFailed(reason);
    this.sink?.inputLost(this.device);
  }
}
