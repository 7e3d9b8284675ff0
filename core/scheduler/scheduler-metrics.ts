/**
 * Reading the scheduler: per-VP, per-partition and per-host CPU meters and the LP grid. These
 * functions only read; intervals still open (a VP running or waiting now) are added on the fly,
 * so reading at any moment never changes what the simulation does next.
 */
import type { Ns } from '../engine/index.js';
import type { LogicalProcessorTable } from './lp-table.js';
import type { PartitionRecord, VpRecord } from './records.js';
import { VP_STATE_NAMES, VpState } from './types.js';
import type { VpId, VpStateName } from './types.js';

/** CPU meters of one VP. */
export interface VpCpuMetrics {
  readonly state: VpStateName;
  /** Time on an LP. */
  readonly runNs: Ns;
  /** Time runnable but not running (Hyper-V: "CPU Wait Time Per Dispatch" × dispatches). */
  readonly readyNs: Ns;
  readonly suspendedNs: Ns;
  /** Time held back by its limit (Maximum). */
  readonly cappedNs: Ns;
  /** Run time the CPU-bound background thread received. */
  readonly backgroundNs: Ns;
  /** Times the VP was put on an LP. */
  readonly dispatches: number;
  /** readyNs / dispatches (0 before the first dispatch). */
  readonly waitPerDispatchNs: Ns;
}

/** The same, summed over a partition. */
export interface PartitionCpuMetrics extends Omit<VpCpuMetrics, 'state'> {
  readonly partitionId: number;
  readonly vpCount: number;
}

/** Host-wide meters. */
export interface HostCpuMetrics {
  /** Run time per LP. */
  readonly lpBusyNs: readonly Ns[];
  /** Time two SMT siblings ran VPs of different partitions (0 under the core scheduler). */
  readonly siblingSharingNs: Ns;
  /** The same per partition id: time its VPs shared a core with another partition's VP. */
  readonly siblingSharingByPartition: readonly { partitionId: number; ns: Ns }[];
  /**
   * The same per pair of partition ids (a before b in creation order); empty on hosts with more
   * than 64 partitions, where only the per-partition figures are kept.
   */
  readonly siblingSharingByPair: readonly { a: number; b: number; ns: Ns }[];
}

/** What runs on an LP: a VP of a partition, or nothing. */
export type LpOccupant = {
  readonly vp: VpId;
  readonly partitionId: number;
  readonly vpIndex: number;
} | null;

/** The LP grid and every VP's state at one instant. */
export interface SchedulerSnapshot {
  readonly time: Ns;
  readonly lps: readonly LpOccupant[];
  readonly vps: readonly {
    readonly vp: VpId;
    readonly partitionId: number;
    readonly vpIndex: number;
    readonly state: VpStateName;
  }[];
}

export function buildVpMetrics(v: VpRecord, now: Ns): VpCpuMetrics {
  const open = now - v.stateSince;
  const ran = v.state === VpState.Running ? now - v.lastSettle : 0;
  const readyNs = v.readyNs + (v.state === VpState.Ready ? open : 0);
  return {
    state: VP_STATE_NAMES[v.state],
    runNs: v.runNs + ran,
    readyNs,
    suspendedNs: v.suspendedNs + (v.state === VpState.Suspended ? open : 0),
    cappedNs: v.cappedNs + (v.state === VpState.Capped ? open : 0),
    backgroundNs: v.backgroundNs + (v.current() === null ? ran : 0),
    dispatches: v.dispatches,
    waitPerDispatchNs: v.dispatches > 0 ? readyNs / v.dispatches : 0,
  };
}

/** A partition's run time so far (what {@link buildPartitionMetrics} sums), without building objects. */
export function partitionRunTime(p: PartitionRecord, now: Ns): Ns {
  let runNs = 0;
  for (const v of p.vps) runNs += v.runNs + (v.state === VpState.Running ? now - v.lastSettle : 0);
  return runNs;
}

export function buildPartitionMetrics(p: PartitionRecord, now: Ns): PartitionCpuMetrics {
  let runNs = 0;
  let readyNs = 0;
  let suspendedNs = 0;
  let cappedNs = 0;
  let backgroundNs = 0;
  let dispatches = 0;
  for (const v of p.vps) {
    const m = buildVpMetrics(v, now);
    runNs += m.runNs;
    readyNs += m.readyNs;
    suspendedNs += m.suspendedNs;
    cappedNs += m.cappedNs;
    backgroundNs += m.backgroundNs;
    dispatches += m.dispatches;
  }
  return {
    partitionId: p.partitionId,
    vpCount: p.vps.length,
    runNs,
    readyNs,
    suspendedNs,
    cappedNs,
    backgroundNs,
    dispatches,
    waitPerDispatchNs: dispatches > 0 ? readyNs / dispatches : 0,
  };
}

export function buildHostMetrics(
  lps: LogicalProcessorTable,
  partitions: readonly PartitionRecord[],
  now: Ns,
): HostCpuMetrics {
  const lpBusyNs = Array.from(lps.busyNs, (busy, lp) => {
    const v = lps.running[lp];
    return v === null ? busy : busy + now - v.lastSettle;
  });
  const meter = lps.exposure;
  const perPartition = meter === null ? null : meter.byPartition(now);
  return {
    lpBusyNs,
    siblingSharingNs: meter === null ? 0 : meter.total(now),
    siblingSharingByPartition: partitions.map((p, i) => ({
      partitionId: p.partitionId,
      ns: perPartition === null ? 0 : perPartition[i],
    })),
    siblingSharingByPair:
      meter === null
        ? []
        : meter.pairs(now).map(({ a, b, ns }) => ({
            a: partitions[a].partitionId,
            b: partitions[b].partitionId,
            ns,
          })),
  };
}

export function buildSnapshot(
  lps: LogicalProcessorTable,
  vps: readonly VpRecord[],
  now: Ns,
): SchedulerSnapshot {
  return {
    time: now,
    lps: lps.running.map((v) =>
      v === null ? null : { vp: v.id, partitionId: v.partition.partitionId, vpIndex: v.index },
    ),
    vps: vps.map((v) => ({
      vp: v.id,
      partitionId: v.partition.partitionId,
      vpIndex: v.index,
      state: VP_STATE_NAMES[v.state],
    })),
  };
}
