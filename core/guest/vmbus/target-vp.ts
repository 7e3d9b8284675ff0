/**
 * Which virtual processor a guest asks the host to interrupt for a channel (the target VP of
 * OPENCHANNEL, rule 12), as Linux chooses it (L: drivers/hv/channel_mgmt.c `init_vp_index`).
 *
 * - A channel that is not performance-critical (heartbeat, Dynamic Memory, input, video, the
 *   other integration services) goes to the CPU that made contact, VP 0 (L: `hv_is_perf_channel`
 *   from the `vmbus_devs` table's `perf_device`; `VMBUS_CONNECT_CPU`).
 * - A performance-critical one (synthetic SCSI, the IDE accelerator, the NIC) takes the next VP in
 *   a round robin that restarts once every VP has had one; a subchannel skips a VP its primary
 *   or a sibling already uses, while an unused one remains (L: `hv_cpuself_used`), so vRSS and
 *   storvsc's subchannels spread their interrupts over the guest's VPs.
 *
 * The model has one NUMA node per guest; a Windows guest is given the same choice (its own
 * policy is not documented).
 */
import { DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID } from '../../model/class-guids.js';
import type { VmbusChannelOffer } from '../../vmbus/control/index.js';

/** L: vmbus_devs[] — the classes with `perf_device = true` that the model offers. */
const PERF_CLASSES: ReadonlySet<string> = new Set([
  DEVICE_CLASS_GUIDS.storage,
  DEVICE_CLASS_GUIDS.network,
  IDE_ACCELERATOR_CLASS_GUID,
]);

/** VP 0: L: VMBUS_CONNECT_CPU. */
const CONNECT_VP = 0;

export class TargetVpChooser {
  /** VPs handed out in the current round (L: hv_context.hv_numa_map[node]). */
  private readonly taken = new Set<number>();
  /** VPs each device instance's channels already use (its primary and subchannels). */
  private readonly byInstance = new Map<string, Set<number>>();

  constructor(private readonly vpCount: number) {}

  /** The target VP of an offered channel. */
  choose(offer: VmbusChannelOffer): number {
    if (!PERF_CLASSES.has(offer.ifType)) return CONNECT_VP;
    const used = this.byInstance.get(offer.ifInstance) ?? new Set<number>();
    this.byInstance.set(offer.ifInstance, used);
    let target = CONNECT_VP;
    for (let attempt = 1; attempt <= this.vpCount + 1; attempt++) {
      if (this.taken.size >= this.vpCount) this.taken.clear();
      target = 0;
      while (this.taken.has(target)) target++;
      this.taken.add(target);
      if (offer.subChannelIndex >= this.vpCount || attempt > this.vpCount || !used.has(target))
        break;
    }
    used.add(target);
    return target;
  }
}
