/**
 * The integration services of a guest with integration components: the heartbeat (hv_utils)
 * and, when the VM's memory is dynamic, the balloon driver (hv_balloon). The player does not
 * route them (IMPLICIT_DEVICE_CLASSES): the host offers them on its own, and the guest binds a
 * driver to each offer by its class GUID, as the VMBus driver matches `hv_vmbus_device_id`
 * tables (L: hv_util.c util_id_table, hv_balloon.c id_table).
 */
import type { CostMeter } from '../../host/cpu.js';
import { DEVICE_CLASS_GUIDS } from '../../model/index.js';
import type { OfferChannelMessage } from '../../vmbus/control/index.js';
import { BALLOON_RING_BYTES, HvBalloon } from '../drivers/balloon.js';
import type { BalloonGuest } from '../drivers/balloon.js';
import { HEARTBEAT_RING_BYTES, HeartbeatIc } from '../drivers/heartbeat.js';
import type { Binding } from '../vmbus/vmbus-client.js';
import type { GuestChannel } from '../vmbus/guest-channel.js';
import { narrate } from '../../simulation/narration-messages.js';
import type { Reason } from '../../simulation/narration-reasons.js';

export type IntegrationServicesDeps = BalloonGuest;

/**
 * Binds the guest's integration-service drivers to the host's offers.
 *
 * @example
 * ```ts
 * guest.integration = new IntegrationServices({ engine, cpu, threadVp, name, family, memory, committedMiB, log });
 * // GuestOs.bind(offer) falls back to it for offers of no routed device:
 * const binding = guest.integration.bind(offer); // heartbeat or balloon driver, or null
 * ```
 */
export class IntegrationServices {
  heartbeat: HeartbeatIc | null = null;
  balloon: HvBalloon | null = null;

  constructor(private readonly deps: IntegrationServicesDeps) {}

  /** A driver for the offer when it is the heartbeat or Dynamic Memory class; else null. */
  bind(offer: OfferChannelMessage): Binding | null {
    const cls = offer.offer.ifType;
    if (cls === DEVICE_CLASS_GUIDS.heartbeat && this.heartbeat === null) {
      const driver = new HeartbeatIc(this.deps.log);
      this.heartbeat = driver;
      return { driver, ringBytes: HEARTBEAT_RING_BYTES, lowLatency: true, opened: () => undefined };
    }
    if (cls === DEVICE_CLASS_GUIDS['dynamic-memory'] && this.balloon === null) {
      const driver = new HvBalloon(this.deps);
      this.balloon = driver;
      return {
        driver,
        ringBytes: BALLOON_RING_BYTES,
        lowLatency: true,
        opened: (channel: GuestChannel, meter: CostMeter) => {
          driver.start(channel, meter);
        },
      };
    }
    return null;
  }

  /** The host rescinded an integration-service offer: its driver is dead. True if it was ours. */
  lost(offer: OfferChannelMessage, reason: Reason): boolean {
    const cls = offer.offer.ifType;
    const driver =
      cls === DEVICE_CLASS_GUIDS.heartbeat
        ? this.heartbeat
        : cls === DEVICE_CLASS_GUIDS['dynamic-memory']
          ? this.balloon
          : null;
    if (driver === null) return false;
    if (!driver.dead) {
      driver.phase = 'dead';
      this.deps.log(
        narrate('ic.lost', {
          driver: driver === this.balloon ? 'hv_balloon' : 'heartbeat',
          reason,
        }),
      );
    }
    return true;
  }
}
