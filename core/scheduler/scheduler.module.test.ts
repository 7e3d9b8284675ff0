import { describe, expect, it } from '@jest/globals';
import { Container } from 'inversify';
import { SimEngine } from '../engine/index.js';
import { schedulerModule } from './scheduler.module.js';
import { schedulerSettingsFrom } from './settings.js';
import { SchedulerTokens } from './tokens.js';
import type { HypervisorScheduler } from './scheduler.js';

describe('schedulerModule', () => {
  it('builds one scheduler for the configured host from the composition root bindings', () => {
    const container = new Container();
    container.bind(SimEngine).toSelf().inSingletonScope();
    container
      .bind(SchedulerTokens.HostProcessor)
      .toConstantValue({ sockets: 2, coresPerSocket: 4, threadsPerCore: 2 });
    container
      .bind(SchedulerTokens.Settings)
      .toConstantValue(schedulerSettingsFrom({ host: { scheduler: 'core', rootVps: 4 } }));
    container.load(schedulerModule);
    const sched = container.get<HypervisorScheduler>(SchedulerTokens.Scheduler);
    expect(sched.type).toBe('core');
    expect(sched.topology.lpCount).toBe(16);
    expect(sched.root.vps).toHaveLength(4);
    expect(container.get(SchedulerTokens.Scheduler)).toBe(sched);
    expect(container.get(SchedulerTokens.CpuTopology)).toBe(sched.topology);
  });
});
