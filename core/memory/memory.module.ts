/**
 * The memory subsystem's Inversify module. The composition root binds
 * `MEMORY_TOKENS.hostSpec` (e.g. `toConstantValue(scenario.host)`) and `SimEngine`, then loads
 * this module. Every service is a singleton of the container.
 */
import { ContainerModule } from 'inversify';
import { DynamicMemoryBalancer } from './dynamic-memory/balancer.js';
import { GpadlTable } from './gpadl-table.js';
import { IsolationFaultLog } from './isolation-fault-log.js';
import { MemoryManager } from './memory-manager.js';
import { MemoryMetrics } from './metrics.js';
import { MEMORY_TOKENS } from './tokens.js';

/**
 * Binds the memory manager, the isolation fault log, the GPADL table, the Dynamic Memory
 * balancer and the metrics.
 *
 * @example
 * ```ts
 * const container = new Container();
 * container.bind(SimEngine).toSelf().inSingletonScope();
 * container.bind(MEMORY_TOKENS.hostSpec).toConstantValue(scenario.host);
 * container.load(memoryModule);
 * const gpadls = container.get<GpadlTable>(MEMORY_TOKENS.gpadlTable);
 * ```
 */
export const memoryModule = new ContainerModule(({ bind }) => {
  bind(MEMORY_TOKENS.memoryManager).to(MemoryManager).inSingletonScope();
  bind(MEMORY_TOKENS.isolationFaultLog).to(IsolationFaultLog).inSingletonScope();
  bind(MEMORY_TOKENS.gpadlTable).to(GpadlTable).inSingletonScope();
  bind(MEMORY_TOKENS.dynamicMemory).to(DynamicMemoryBalancer).inSingletonScope();
  bind(MEMORY_TOKENS.metrics).to(MemoryMetrics).inSingletonScope();
});
