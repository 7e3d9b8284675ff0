/**
 * The hypervisor's schedulers (classic, core, root) and the VP work model every piece of CPU
 * work in the simulation goes through. See `scheduler.ts` for the model.
 */
export { HypervisorScheduler } from './scheduler.js';
export type { PartitionCpu, PartitionCpuSpec, VpControls } from './scheduler.js';
export { schedulerModule } from './scheduler.module.js';
export { SchedulerTokens } from './tokens.js';
export { schedulerSettingsFrom } from './settings.js';
export type { SchedulerSettings } from './settings.js';
export { SuspendReason, VP_STATE_NAMES, VpState, WorkClass } from './types.js';
export type { VpId, VpStateName } from './types.js';
export {
  DEFAULT_PROCESSOR_CONTROLS,
  checkProcessorControls,
  fromWmiControls,
  toWmiControls,
} from './processor-controls.js';
export type { ProcessorControls, WmiProcessorControls } from './processor-controls.js';
export { SchedulerError } from './errors.js';
export type { SchedulerErrorReason } from './errors.js';
export type {
  HostCpuMetrics,
  LpOccupant,
  PartitionCpuMetrics,
  SchedulerSnapshot,
  VpCpuMetrics,
} from './scheduler-metrics.js';
export {
  DEFAULT_ACCOUNTING_PERIOD_NS,
  DEFAULT_QUANTUM_NS,
  DEFAULT_WEIGHT,
  MAX_WEIGHT,
  MIN_WEIGHT,
  SLEEPER_CREDIT_NS,
  WAKEUP_GRANULARITY_NS,
  WMI_PERCENT_SCALE,
} from './constants.js';
