/**
 * The synthetic input VSP (built-in `hyperkata.synthhid`): the host end of the synthetic HID
 * (mouse) protocol Linux's hid-hyperv speaks. It approves protocol 2.0 (SYNTH_HID_PROTOCOL_REQUEST →
 * SYNTH_HID_PROTOCOL_RESPONSE), describes the device (SYNTH_HID_INITIAL_DEVICE_INFO: ids, HID
 * descriptor, report descriptor) and, once the guest acknowledged it, turns every console event
 * into a SYNTH_HID_INPUT_REPORT — one VMBus packet, completion requested, which the guest completes.
 * Console events that arrive before the guest is ready wait (up to a limit).
 *
 * Anything malformed or in the wrong direction stops the channel (rules 37–38); completions that
 * match no report are ignored.
 * L: drivers/hid/hid-hyperv.c for the guest side of every exchange.
 */
import { decoderRefusal, vspFailure } from '../../core/vsp/failure-reasons.js';
import { defineVsp } from '../sdk/index.js';
import type { VspChannel } from '../sdk/index.js';
import {
  decodeSynthhidMessage,
  encodeSynthhidMessage,
  HID_DT_HID,
  HID_DT_REPORT,
  HYPERV_MOUSE_PRODUCT_ID,
  HYPERV_MOUSE_VENDOR_ID,
  SYNTHHID_INPUT_VERSION,
} from '../../core/protocols/index.js';
import type { SynthhidMessage } from '../../core/protocols/index.js';

export const SYNTHHID_VSP_ID = 'hyperkata.synthhid';

// estimate: the VSP decoding and handling one synthhid message from the guest.
export const SYNTHHID_MESSAGE_NS = 1_000;
// estimate: turning one console event into an input report and sending it.
export const INPUT_REPORT_NS = 1_500;
/** Console events held while the guest is not ready yet. */
export const EARLY_EVENTS_LIMIT = 64;

/**
 * The report descriptor of an absolute pointer — 5 buttons, X and Y 0..32767, a wheel: a 6-byte
 * report. (Hyper-V's own descriptor is not in the kernel sources; this is the standard shape of
 * an absolute mouse.)
 */
export const MOUSE_REPORT_DESCRIPTOR = Uint8Array.of(
  0x05,
  0x01,
  0x09,
  0x02,
  0xa1,
  0x01,
  0x09,
  0x01,
  0xa1,
  0x00,
  0x05,
  0x09,
  0x19,
  0x01,
  0x29,
  0x05,
  0x15,
  0x00,
  0x25,
  0x01,
  0x95,
  0x05,
  0x75,
  0x01,
  0x81,
  0x02,
  0x95,
  0x01,
  0x75,
  0x03,
  0x81,
  0x01,
  0x05,
  0x01,
  0x09,
  0x30,
  0x09,
  0x31,
  0x15,
  0x00,
  0x26,
  0xff,
  0x7f,
  0x75,
  0x10,
  0x95,
  0x02,
  0x81,
  0x02,
  0x09,
  0x38,
  0x15,
  0x81,
  0x25,
  0x7f,
  0x75,
  0x08,
  0x95,
  0x01,
  0x81,
  0x06,
  0xc0,
  0xc0,
);
export const MOUSE_REPORT_BYTES = 6;

interface ChannelState {
  phase: 'awaiting-protocol' | 'awaiting-ack' | 'ready';
  /** Console events waiting for the guest to become ready. */
  early: number;
  nextTransId: number;
  /** Reports sent and not yet completed by the guest. */
  unacknowledged: number;
  reports: number;
  x: number;
  y: number;
}

export const synthhidVsp = defineVsp({
  id: SYNTHHID_VSP_ID,
  sdk: '^1.0.0',
  deviceClass: 'input',
  description: 'Synthetic mouse: console events as HID input reports over VMBus',
  create(host) {
    const channels = new Map<number, ChannelState>();
    const out = new Uint8Array(256);
    const report = new Uint8Array(MOUSE_REPORT_BYTES);
    const send = (
      channel: VspChannel,
      m: SynthhidMessage,
      options?: { transId: number; completionRequested: boolean },
    ): void => {
      const n = encodeSynthhidMessage(m, out, 0);
      channel.send(out.subarray(0, n), options);
    };

    const sendReport = (channel: VspChannel, state: ChannelState): void => {
      host.cpu.charge(INPUT_REPORT_NS);
      state.x = (state.x + 97) % 32768;
      state.y = (state.y + 61) % 32768;
      report[0] = 0;
      report[1] = state.x & 0xff;
      report[2] = state.x >> 8;
      report[3] = state.y & 0xff;
      report[4] = state.y >> 8;
      report[5] = 0;
      const transId = state.nextTransId;
      state.nextTransId = state.nextTransId >= 0x7fff_ffff ? 1 : state.nextTransId + 1;
      state.unacknowledged++;
      state.reports++;
      send(channel, { kind: 'inputReport', report }, { transId, completionRequested: true });
    };

    const onMessage = (channel: VspChannel, state: ChannelState, m: SynthhidMessage): void => {
      switch (m.kind) {
        case 'protocolRequest': {
          if (state.phase !== 'awaiting-protocol') {
            channel.fail(vspFailure('synthhid.secondProtocolRequest', {}));
            return;
          }
          const approved = m.version === SYNTHHID_INPUT_VERSION;
          send(channel, { kind: 'protocolResponse', version: m.version, approved });
          if (!approved) return;
          state.phase = 'awaiting-ack';
          send(channel, {
            kind: 'initialDeviceInfo',
            vendorId: HYPERV_MOUSE_VENDOR_ID,
            productId: HYPERV_MOUSE_PRODUCT_ID,
            versionNumber: 1,
            hidDescriptor: {
              descriptorType: HID_DT_HID,
              bcdHid: 0x0101,
              countryCode: 0,
              numDescriptors: 1,
              reportDescriptorType: HID_DT_REPORT,
            },
            reportDescriptor: MOUSE_REPORT_DESCRIPTOR,
          });
          return;
        }
        case 'initialDeviceInfoAck':
          if (state.phase !== 'awaiting-ack') {
            channel.fail(vspFailure('synthhid.ackWithoutInfo', {}));
            return;
          }
          state.phase = 'ready';
          for (; state.early > 0; state.early--) sendReport(channel, state);
          return;
        default:
          channel.fail(vspFailure('message.fromHost', { protocol: 'synthhid', message: m.kind }));
      }
    };

    return {
      onChannelOpened(channel) {
        channels.set(channel.id, {
          phase: 'awaiting-protocol',
          early: 0,
          nextTransId: 1,
          unacknowledged: 0,
          reports: 0,
          x: 16384,
          y: 16384,
        });
      },
      onChannelClosed(channel) {
        channels.delete(channel.id);
      },
      onPacket(channel, packet) {
        host.cpu.charge(SYNTHHID_MESSAGE_NS);
        const state = channels.get(channel.id);
        if (state === undefined) return;
        if (packet.kind === 'completion') {
          // The guest completing an input report; one that matches nothing is harmless.
          if (state.unacknowledged > 0) state.unacknowledged--;
          return;
        }
        if (packet.kind !== 'inband') {
          channel.fail(vspFailure('packet.notInband', { protocol: 'synthhid', kind: packet.kind }));
          return;
        }
        const m = decodeSynthhidMessage(packet.payload, 0, packet.payload.length);
        if (!m.ok) {
          channel.fail(
            vspFailure('message.malformed', { protocol: 'synthhid', ...decoderRefusal(m) }),
          );
          return;
        }
        onMessage(channel, state, m.value);
      },
      onHostEvent(channel, event) {
        if (event.type !== 'input') return;
        const state = channels.get(channel.id);
        if (state === undefined) return;
        if (state.phase === 'ready') sendReport(channel, state);
        else if (state.early < EARLY_EVENTS_LIMIT) state.early++;
      },
    };
  },
});
