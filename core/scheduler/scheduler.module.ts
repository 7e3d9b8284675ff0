/**
 * Wires the scheduler subsystem. The composition root binds `SimEngine`,
 * `SchedulerTokens.HostProcessor` (the scenario's `host.processor`) and `SchedulerTokens.Settings`
 * (`schedulerSettingsFrom(configuration)`); this module provides the topology and the scheduler.
 */
import { ContainerModule } from 'inversify';
import { CpuTopology } from '../hardware/cpu/index.js';
import { HypervisorScheduler } from './scheduler.js';
import { SchedulerTokens } from './tokens.js';

export const schedulerModule = new ContainerModule(({ bind }) => {
  bind(SchedulerTokens.CpuTopology)
    .toDynamicValue((ctx) => CpuTopology.fromProcessor(ctx.get(SchedulerTokens.HostProcessor)))
    .inSingletonScope();
  bind(SchedulerTokens.Scheduler).to(HypervisorScheduler).inSingletonScope();
});
