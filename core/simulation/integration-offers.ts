/**
 * The channels every guest with integration components gets without a route (icsvc): the
 * heartbeat, and Dynamic Memory when the VM's memory is dynamic (IMPLICIT_DEVICE_CLASSES). Each
 * is offered through the same VMBus path as a routed device, by the first configured VSP
 * instance of that class, with the device's instance GUID derived from the VM and class names.
 */
import { DEVICE_CLASS_GUIDS, IMPLICIT_DEVICE_CLASSES } from '../model/index.js';
import type { VmConfiguration } from '../model/index.js';
import { BALLOON_RING_BYTES, HEARTBEAT_RING_BYTES } from '../guest/integration-services/index.js';
import { instanceGuidFor } from '../vmbus/instance-guid.js';
import type { OfferSpec } from '../vmbus/server/server-channel.js';
import type { VspRuntime } from '../vsp/vsp-runtime.js';

/** The implicit offers for one VM (none without integration components). */
export function integrationServiceOffers(
  vmName: string,
  config: VmConfiguration,
  vsps: ReadonlyMap<string, VspRuntime>,
): OfferSpec[] {
  if (!config.integrationComponents) return [];
  const offers: OfferSpec[] = [];
  for (const cls of IMPLICIT_DEVICE_CLASSES) {
    if (cls === 'dynamic-memory' && !config.memory.dynamic) continue;
    const vsp = [...vsps.values()].find((v) => v.deviceClass === cls);
    if (vsp === undefined) continue;
    offers.push({
      deviceClass: cls,
      classGuid: DEVICE_CLASS_GUIDS[cls],
      device: cls,
      instanceGuid: instanceGuidFor(vmName, cls),
      vsp,
      signalling: 'low-latency',
      ringBytes: cls === 'heartbeat' ? HEARTBEAT_RING_BYTES : BALLOON_RING_BYTES,
      diskBytes: 0,
    });
  }
  return offers;
}
