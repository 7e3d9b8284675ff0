/** Inversify service identifiers of the scheduler subsystem. */
import type { ServiceIdentifier } from 'inversify';
import type { CpuTopology, ProcessorSpec } from '../hardware/cpu/index.js';
import type { HypervisorScheduler } from './scheduler.js';
import type { SchedulerSettings } from './settings.js';

export const SchedulerTokens: {
  /** The scheduler (singleton), provided by `schedulerModule`. */
  readonly Scheduler: ServiceIdentifier<HypervisorScheduler>;
  /** The host's CPU topology (singleton), provided by `schedulerModule`. */
  readonly CpuTopology: ServiceIdentifier<CpuTopology>;
  /** `HostSpec['processor']` of the scenario: bound by the composition root. */
  readonly HostProcessor: ServiceIdentifier<ProcessorSpec>;
  /** {@link SchedulerSettings}: bound by the composition root (see `schedulerSettingsFrom`). */
  readonly Settings: ServiceIdentifier<SchedulerSettings>;
} = {
  Scheduler: Symbol.for('hyperkata.scheduler.Scheduler'),
  CpuTopology: Symbol.for('hyperkata.scheduler.CpuTopology'),
  HostProcessor: Symbol.for('hyperkata.scheduler.HostProcessor'),
  Settings: Symbol.for('hyperkata.scheduler.Settings'),
};
