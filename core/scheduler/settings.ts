import type { Ns } from '../engine/index.js';
import type { Configuration, HostOs, SchedulerType } from '../model/index.js';

/** How the host's hypervisor schedules: the configuration's choices plus optional tuning. */
export interface SchedulerSettings {
  /** `hypervisorschedulertype` (BCD): classic, core or root. */
  readonly type: SchedulerType;
  /** Root VPs, pinned 1:1 to LPs 0..rootVps−1 (rule 31). */
  readonly rootVps: number;
  /** The root partition's id (default 0). */
  readonly rootPartitionId?: number;
  /** Time slice; defaults to DEFAULT_QUANTUM_NS. */
  readonly quantumNs?: Ns;
  /** Reserve/limit accounting period; defaults to DEFAULT_ACCOUNTING_PERIOD_NS. */
  readonly periodNs?: Ns;
  /** The host's Windows Server release, whose limits the scheduler enforces (rule 40; default ws2019). */
  readonly hostOs?: HostOs;
}

/** The scheduler settings a player's configuration implies on a host of release `hostOs`. */
export function schedulerSettingsFrom(
  config: Pick<Configuration, 'host'>,
  hostOs?: HostOs,
): SchedulerSettings {
  return { type: config.host.scheduler, rootVps: config.host.rootVps, hostOs };
}
