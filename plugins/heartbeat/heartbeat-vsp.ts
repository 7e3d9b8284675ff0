/**
 * The host side of the heartbeat integration service. On a new channel it offers the IC
 * framework and heartbeat versions it speaks (NEGOTIATE); once the guest picked one of each, it
 * sends a heartbeat request every HEARTBEAT_PERIOD_NS with a sequence number, and every answer
 * carrying that number plus one tells VMMS the guest is alive. VMMS shows "OK", and "Lost
 * Communication" when answers stop — the guest's VPs do not run, or the channel died.
 *
 * A guest's answer must be a transaction response (O: hyperv_ic common.rs read_message); a
 * message that cannot be decoded, or that is not one, stops the channel (rule 38).
 *
 * L: drivers/hv/hv_util.c; O: vm/devices/hyperv_ic.
 */
import { decoderRefusal, vspFailure } from '../../core/vsp/failure-reasons.js';
import {
  decodeIcMessage,
  encodeIcMessage,
  HEARTBEAT_MSG_DATA_SIZE,
  ICMSG_NEGOTIATE_FIXED_SIZE,
  IC_VERSION_SIZE,
  ICMSG_HDR_STRUCT_SIZE,
  IcMessageFlags,
} from '../../core/protocols/index.js';
import type { IcMessage, IcMessageBody, IcVersion } from '../../core/protocols/index.js';
import { HEARTBEAT_PERIOD_NS } from '../../core/root/vmms.js';
import type { VspChannel, VspHandlers, VspHost, VspPacket } from '../sdk/index.js';

// estimate: root CPU to build, check or answer one IC message in the heartbeat service.
export const HEARTBEAT_HOST_MESSAGE_NS = 2_000;
/** O: hyperv_ic common.rs FRAMEWORK_VERSIONS — IC framework 1.0 and 3.0. */
export const HOST_FRAMEWORK_VERSIONS: readonly IcVersion[] = [
  { major: 1, minor: 0 },
  { major: 3, minor: 0 },
];
/** L: hv_util.c HB_VERSION_1 (1.0) and HB_VERSION (3.0). */
export const HOST_HEARTBEAT_VERSIONS: readonly IcVersion[] = [
  { major: 1, minor: 0 },
  { major: 3, minor: 0 },
];
/** O: vmbus_ring PIPE_PACKET_TYPE_DATA — the vmbuspipe_hdr of a data message. */
const PIPE_PACKET_TYPE_DATA = 1;
const TIMER_TAG = 1;

interface HeartbeatChannel {
  phase: 'negotiating' | 'beating' | 'stopped';
  framework: IcVersion;
  service: IcVersion;
  /** Sequence number of the request in flight, or -1n. */
  awaiting: bigint;
  nextSequence: bigint;
  nextTransId: number;
  /** Requests the guest did not answer before the next one was due. */
  missed: number;
}

const ZERO: IcVersion = { major: 0, minor: 0 };

/** Creates the heartbeat service's handlers for one VSP instance. */
export function createHeartbeatVsp(host: VspHost): VspHandlers {
  const channels = new Map<number, HeartbeatChannel>();
  const buffer = new Uint8Array(256);

  const send = (channel: VspChannel, state: HeartbeatChannel, body: IcMessageBody): void => {
    const bodyBytes =
      body.kind === 'heartbeat'
        ? HEARTBEAT_MSG_DATA_SIZE
        : ICMSG_NEGOTIATE_FIXED_SIZE +
          IC_VERSION_SIZE * (body.frameworkVersions.length + body.messageVersions.length);
    const message: IcMessage = {
      header: {
        pipeFlags: PIPE_PACKET_TYPE_DATA,
        // The pipe header counts the bytes after itself: icmsg_hdr and the body.
        pipeMessageSize: ICMSG_HDR_STRUCT_SIZE + bodyBytes,
        frameworkVersion: body.kind === 'heartbeat' ? state.framework : ZERO,
        messageVersion: body.kind === 'heartbeat' ? state.service : ZERO,
        messageSize: bodyBytes,
        status: 0,
        transactionId: 0,
        flags: IcMessageFlags.TRANSACTION | IcMessageFlags.REQUEST,
      },
      body,
    };
    const length = encodeIcMessage(message, buffer, 0);
    host.cpu.charge(HEARTBEAT_HOST_MESSAGE_NS);
    channel.send(buffer.subarray(0, length), { transId: state.nextTransId++ });
  };

  const beat = (channel: VspChannel, state: HeartbeatChannel): void => {
    if (state.awaiting >= 0n) state.missed++;
    state.awaiting = state.nextSequence;
    state.nextSequence = (state.nextSequence + 1n) & 0xffff_ffff_ffff_ffffn;
    send(channel, state, { kind: 'heartbeat', sequenceNumber: state.awaiting });
    host.setTimer(channel, HEARTBEAT_PERIOD_NS, TIMER_TAG);
  };

  return {
    onChannelOpened(channel) {
      const state: HeartbeatChannel = {
        phase: 'negotiating',
        framework: ZERO,
        service: ZERO,
        awaiting: -1n,
        nextSequence: 0n,
        nextTransId: 1,
        missed: 0,
      };
      channels.set(channel.id, state);
      send(channel, state, {
        kind: 'negotiate',
        frameworkVersions: HOST_FRAMEWORK_VERSIONS,
        messageVersions: HOST_HEARTBEAT_VERSIONS,
      });
    },

    onPacket(channel: VspChannel, packet: VspPacket) {
      host.cpu.charge(HEARTBEAT_HOST_MESSAGE_NS);
      const state = channels.get(channel.id);
      if (state === undefined) return;
      if (packet.kind !== 'inband') {
        channel.fail(vspFailure('packet.notInband', { protocol: 'heartbeat', kind: packet.kind }));
        return;
      }
      const decoded = decodeIcMessage(packet.payload, 0, packet.payload.length);
      if (!decoded.ok) {
        channel.fail(
          vspFailure('message.malformed', { protocol: 'ic', ...decoderRefusal(decoded) }),
        );
        return;
      }
      const { header, body } = decoded.value;
      const answer = IcMessageFlags.TRANSACTION | IcMessageFlags.RESPONSE;
      if ((header.flags & answer) !== answer) {
        channel.fail(vspFailure('heartbeat.notResponse', {}));
        return;
      }
      if (state.phase === 'negotiating' && body.kind === 'negotiate') {
        accept(channel, state, body);
        return;
      }
      if (state.phase !== 'beating' || body.kind !== 'heartbeat') return; // stale or unexpected
      // L: heartbeat_onchannelcallback — the guest answers seq_num + 1.
      const expected = (state.awaiting + 1n) & 0xffff_ffff_ffff_ffffn;
      if (state.awaiting < 0n || body.sequenceNumber !== expected) return;
      state.awaiting = -1n;
      host.reportHeartbeat(channel, Number(body.sequenceNumber & 0xffff_ffffn));
    },

    onHostEvent(channel, event) {
      const state = channels.get(channel.id);
      if (event.type !== 'timer' || state?.phase !== 'beating') return;
      beat(channel, state);
    },

    onChannelClosed(channel) {
      channels.delete(channel.id);
    },
  };

  function accept(
    channel: VspChannel,
    state: HeartbeatChannel,
    body: Extract<IcMessageBody, { kind: 'negotiate' }>,
  ): void {
    const framework = body.frameworkVersions.length === 1 ? body.frameworkVersions[0] : undefined;
    const service = body.messageVersions.length === 1 ? body.messageVersions[0] : undefined;
    const known = (list: readonly IcVersion[], v: IcVersion | undefined): v is IcVersion =>
      v !== undefined && list.some((x) => x.major === v.major && x.minor === v.minor);
    if (!known(HOST_FRAMEWORK_VERSIONS, framework) || !known(HOST_HEARTBEAT_VERSIONS, service)) {
      state.phase = 'stopped';
      host.log(`${channel.vm}: heartbeat — no IC version in common with the guest`);
      return;
    }
    state.framework = framework;
    state.service = service;
    state.phase = 'beating';
    beat(channel, state);
  }
}
