/**
 * The guest's heartbeat integration service (hv_utils' heartbeat, a VSC). The host opens with a
 * NEGOTIATE message; the guest answers with the newest framework and heartbeat versions both
 * sides know. Then, periodically, the host sends a heartbeat request carrying a sequence number
 * and the guest answers with that number plus one — "Hyper-V knows we are alive". The answer is
 * the request's own buffer, flags TRANSACTION | RESPONSE, sent in-band with the request's
 * trans_id. Handling happens in the channel's callback, on a guest VP: a guest whose VPs do not
 * run does not answer.
 *
 * L: drivers/hv/hv_util.c heartbeat_onchannelcallback, vmbus_prep_negotiate_resp.
 */
import type { Ns } from '../../engine/index.js';
import type { CostMeter } from '../../host/cpu.js';
import {
  decodeIcMessage,
  encodeIcMessage,
  heartbeatResponse,
  negotiateIcVersions,
} from '../../protocols/index.js';
import type { IcVersion } from '../../protocols/index.js';
import type { IncomingPacket } from '../../vmbus/ring/index.js';
import { InbandOutbox } from '../integration-services/inband-outbox.js';
import type { ChannelDriver, GuestChannel } from '../vmbus/guest-channel.js';
import { narrate } from '../../simulation/narration-messages.js';
import type { NarrationMessage } from '../../simulation/narration-messages.js';
import type { Reason } from '../../simulation/narration-reasons.js';

// estimate: guest CPU for one IC message (copy out, check, answer) in the channel callback.
export const HEARTBEAT_MESSAGE_NS: Ns = 2_000;
// L: hv_util.c — HV_UTIL_RING_SEND_SIZE = VMBUS_RING_SIZE(3 * HV_HYP_PAGE_SIZE): 12 KiB of data
// plus the 4 KiB header page, per direction.
export const HEARTBEAT_RING_BYTES = 16 * 1024;
// L: hv_util.c — heartbeat_init sets max_pkt_size to two pages.
const MAX_MESSAGE_BYTES = 2 * 4096;

export type HeartbeatPhase = 'negotiating' | 'ready' | 'dead';

export class HeartbeatIc implements ChannelDriver {
  phase: HeartbeatPhase = 'negotiating';
  frameworkVersion: IcVersion | undefined;
  serviceVersion: IcVersion | undefined;
  /** Heartbeat requests answered. */
  beats = 0;
  /** Messages from the host that could not be decoded (ignored, as Linux does). */
  ignored = 0;
  private readonly outbox = new InbandOutbox();
  private readonly scratch = new Uint8Array(MAX_MESSAGE_BYTES);
  /** The answer decided by `onPacket`, sent by `afterPacket` once its CPU time ran. */
  private answerLength = 0;
  private answerTransId = 0;
  private answerNegotiated: boolean | undefined;

  constructor(private readonly log: (message: NarrationMessage) => void) {}

  get ready(): boolean {
    return this.phase === 'ready';
  }

  get dead(): boolean {
    return this.phase === 'dead';
  }

  onPacket(_channel: GuestChannel, packet: IncomingPacket, meter: CostMeter): void {
    meter.add(HEARTBEAT_MESSAGE_NS);
    this.answerLength = 0;
    this.answerNegotiated = undefined;
    const decoded = decodeIcMessage(packet.data, packet.payloadOffset, packet.payloadLength);
    if (!decoded.ok || !packet.transIdIsSafe) {
      this.ignored++;
      return;
    }
    const request = decoded.value;
    if (request.body.kind === 'negotiate') {
      const n = negotiateIcVersions(request);
      this.answerNegotiated = n.found;
      if (n.found) {
        this.frameworkVersion = n.frameworkVersion;
        this.serviceVersion = n.serviceVersion;
      }
      this.answerLength = encodeIcMessage(n.response, this.scratch, 0);
    } else {
      this.answerLength = encodeIcMessage(heartbeatResponse(request), this.scratch, 0);
      this.beats++;
    }
    this.answerTransId = packet.transId;
  }

  afterPacket(channel: GuestChannel, meter: CostMeter): void {
    if (this.answerLength === 0) return;
    this.outbox.send(channel, this.scratch, this.answerLength, this.answerTransId, meter);
    this.answerLength = 0;
    if (this.answerNegotiated === true && this.phase === 'negotiating') {
      this.phase = 'ready';
      this.log(
        narrate('heartbeat.ready', {
          framework: versionText(this.frameworkVersion),
          service: versionText(this.serviceVersion),
        }),
      );
    } else if (this.answerNegotiated === false) {
      this.log(narrate('heartbeat.noVersion', {}));
    }
  }

  onWritable(channel: GuestChannel, meter: CostMeter): void {
    this.outbox.flush(channel, meter);
  }

  onDead(_channel: GuestChannel, reason: Reason): void {
    this.phase = 'dead';
    this.outbox.clear();
    this.log(narrate('heartbeat.stopped', { reason }));
  }
}

function versionText(v: IcVersion | undefined): string {
  return v === undefined ? '?' : `${v.major}.${v.minor}`;
}
