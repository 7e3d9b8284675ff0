/**
 * The composition root's own Inversify modules: the engine and random service, and the host
 * services that join the subsystems (CPU work, interrupts, SynIC messaging, monitor pages).
 * Subsystem modules (scheduler, hypervisor, memory) come from their folders.
 */
import { ContainerModule } from 'inversify';
import { Random, SimEngine } from '../engine/index.js';
import { CostMeter, HostCpu } from '../host/cpu.js';
import { InterruptRouter } from '../host/interrupts.js';
import {
  Hypervisor,
  HYPERVISOR_OPTIONS,
  SYNIC_INTERRUPT_SINK,
  VP_CONTROL,
} from '../hypervisor/index.js';
import { MEMORY_TOKENS } from '../memory/index.js';
import { logicalProcessorCount } from '../model/index.js';
import type { Configuration, Scenario } from '../model/index.js';
import { SchedulerTokens } from '../scheduler/index.js';
import type { HypervisorScheduler } from '../scheduler/index.js';
import { MonitorPages } from '../vmbus/monitor.js';
import { SynicIo } from '../vmbus/synic-io.js';
import { SimTokens } from './tokens.js';

export const ROOT_PARTITION_ID = 1;

export const engineModule = new ContainerModule(({ bind }) => {
  bind(SimEngine).toSelf().inSingletonScope();
  bind(Random)
    .toResolvedValue((seed: number) => new Random(seed), [SimTokens.Seed])
    .inSingletonScope();
});

/** The scenario and configuration, as each subsystem wants to see them. */
export const settingsModule = new ContainerModule(({ bind }) => {
  bind(SchedulerTokens.HostProcessor)
    .toResolvedValue((s: Scenario) => s.host.processor, [SimTokens.Scenario])
    .inSingletonScope();
  bind(SchedulerTokens.Settings)
    .toResolvedValue(
      (s: Scenario, c: Configuration) => ({
        type: c.host.scheduler,
        rootVps: c.host.rootVps,
        rootPartitionId: ROOT_PARTITION_ID,
        // Rule 40: the release sets how many VPs, VMs and root VPs the scheduler takes.
        hostOs: s.host.os,
      }),
      [SimTokens.Scenario, SimTokens.Configuration],
    )
    .inSingletonScope();
  bind(MEMORY_TOKENS.hostSpec)
    .toResolvedValue(
      (s: Scenario) => ({ memoryMiB: s.host.memoryMiB, os: s.host.os }),
      [SimTokens.Scenario],
    )
    .inSingletonScope();
  bind(HYPERVISOR_OPTIONS)
    .toResolvedValue(
      // The root OS runs on the VPs the configuration gives it (minroot), no more: the hypervisor
      // creates exactly those, and the scheduler pins them 1:1 to LPs (rule 31). The host OS sets
      // the build and features its CPUID leaves report (rule 27).
      (s: Scenario, c: Configuration) => ({
        logicalProcessors: logicalProcessorCount(s.host),
        rootVps: c.host.rootVps,
        hostOs: s.host.os,
      }),
      [SimTokens.Scenario, SimTokens.Configuration],
    )
    .inSingletonScope();
});

export const hostModule = new ContainerModule(({ bind }) => {
  bind(CostMeter).toSelf().inSingletonScope();
  bind(HostCpu)
    .toResolvedValue(
      (engine: SimEngine, scheduler: HypervisorScheduler) => new HostCpu(engine, scheduler),
      [SimEngine, SchedulerTokens.Scheduler],
    )
    .inSingletonScope();
  bind(InterruptRouter)
    .toResolvedValue(
      (engine: SimEngine, cpu: HostCpu, meter: CostMeter) =>
        new InterruptRouter(engine, cpu, meter),
      [SimEngine, HostCpu, CostMeter],
    )
    .inSingletonScope();
  bind(SYNIC_INTERRUPT_SINK).toService(InterruptRouter);
  bind(VP_CONTROL).toService(InterruptRouter);
  bind(SynicIo)
    .toResolvedValue((hv: Hypervisor) => new SynicIo(hv), [Hypervisor])
    .inSingletonScope();
  bind(MonitorPages)
    .toResolvedValue((engine: SimEngine) => new MonitorPages(engine), [SimEngine])
    .inSingletonScope();
});
