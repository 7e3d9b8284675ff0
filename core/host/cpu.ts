/**
 * CPU work as the rest of the model asks for it: "this VP of this partition spends N ns, then X
 * happens". A thin layer over the hypervisor scheduler that maps (partition, VP index) to the
 * scheduler's VP ids once, and lets callers charge time that has no follow-up.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import type { HypervisorScheduler, VpId } from '../scheduler/index.js';
import { WorkClass } from '../scheduler/index.js';

export { WorkClass };

/** Accumulates the CPU time a synchronous handler spent, to charge it afterwards. */
export class CostMeter {
  ns = 0;
  add(ns: Ns): void {
    this.ns += ns;
  }
  take(): Ns {
    const n = this.ns;
    this.ns = 0;
    return n;
  }
}

export class HostCpu {
  /** Scheduler VP ids by partition id, then VP index. */
  private readonly vpIds: (readonly VpId[] | undefined)[] = [];

  constructor(
    readonly engine: SimEngine,
    readonly scheduler: HypervisorScheduler,
  ) {
    this.registerPartition(scheduler.root.partitionId, scheduler.root.vps);
  }

  registerPartition(partitionId: number, vps: readonly VpId[]): void {
    this.vpIds[partitionId] = vps;
  }

  /** The scheduler's id for VP `vpIndex` of `partitionId`. */
  vp(partitionId: number, vpIndex: number): VpId {
    const vps = this.vpIds[partitionId];
    if (vps === undefined || vpIndex >= vps.length) {
      throw new Error(`no VP ${vpIndex} in partition ${partitionId}`);
    }
    return vps[vpIndex];
  }

  vpCount(partitionId: number): number {
    return this.vpIds[partitionId]?.length ?? 0;
  }

  /** Runs `costNs` on the VP, then fires `done(arg)`. */
  run<A>(vp: VpId, costNs: Ns, cls: WorkClass, done: EventType<A>, arg: A, key = 0): void {
    this.scheduler.submit(vp, costNs, cls, done, arg, key);
  }

  /** Occupies the VP for `costNs` with nothing to do afterwards (time already spent by a handler). */
  charge(vp: VpId, costNs: Ns, cls: WorkClass = WorkClass.Interrupt): void {
    if (costNs > 0) this.scheduler.submit(vp, costNs, cls, null, null);
  }
}
