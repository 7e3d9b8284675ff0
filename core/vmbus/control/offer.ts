/**
 * What the channel layer reads out of an offer to decide how to signal (rule 8) and what a
 * channel is. L: drivers/hv/channel.c vmbus_setevent, connection.c vmbus_set_event,
 * channel_mgmt.c vmbus_onoffer → vmbus_setup_channel_state.
 */
import { VMBUS_CHANNEL_TLNPI_PROVIDER_OFFER, VMBUS_MONITOR_BITS_PER_GROUP } from './constants.js';
import type { OfferChannelMessage } from './messages.js';

/** Where a channel's monitor bit lives: trigger_group[group].pending bit `bit`. */
export interface MonitorSlot {
  readonly group: number;
  readonly bit: number;
}

/** L: vmbus_setup_channel_state — monitor_grp = monitorid / 32, monitor_bit = monitorid % 32. */
export function monitorSlotOf(monitorId: number): MonitorSlot {
  return {
    group: Math.floor(monitorId / VMBUS_MONITOR_BITS_PER_GROUP),
    bit: monitorId % VMBUS_MONITOR_BITS_PER_GROUP,
  };
}

/** How a guest signals the host for a channel (rule 8). */
export interface GuestSignalPlan {
  /** Batched: set the monitor bit and let the hypervisor deliver it later (~100 µs). */
  readonly viaMonitorPage: boolean;
  /** Immediate: HvCallSignalEvent on the offer's connection id. */
  readonly viaHypercall: boolean;
  /** Also set the relid's bit in the shared guest → host interrupt page. */
  readonly setsInterruptPageBit: boolean;
}

/**
 * L: vmbus_setevent — a channel with monitor_allocated that is not in low-latency mode sets its
 * relid bit in the interrupt page and its monitor bit; every other channel calls
 * HvCallSignalEvent, setting the interrupt-page bit only when the interrupt is not dedicated.
 */
export function guestSignalPlan(offer: OfferChannelMessage, lowLatency: boolean): GuestSignalPlan {
  if (offer.monitorAllocated && !lowLatency) {
    return { viaMonitorPage: true, viaHypercall: false, setsInterruptPageBit: true };
  }
  return {
    viaMonitorPage: false,
    viaHypercall: true,
    setsInterruptPageBit: !offer.isDedicatedInterrupt,
  };
}

/** A sub-channel shares its primary's GUIDs and has sub_channel_index > 0 (Win8+). */
export function isSubChannelOffer(offer: OfferChannelMessage): boolean {
  return offer.offer.subChannelIndex !== 0;
}

/** L: is_hvsock_channel — an hv_sock connection rather than a synthetic device. */
export function isHvSockOffer(offer: OfferChannelMessage): boolean {
  return (offer.offer.chnFlags & VMBUS_CHANNEL_TLNPI_PROVIDER_OFFER) !== 0;
}
