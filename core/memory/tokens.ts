/**
 * Inversify service identifiers of the memory subsystem. The composition root binds
 * `hostSpec` (the scenario's `HostSpec`, or any object with `memoryMiB` and `os`); the rest are
 * bound by `memoryModule`. The simulation clock is the engine's `SimEngine`, injected by class.
 */
export const MEMORY_TOKENS = {
  /** `MemoryHostSpec`: host RAM and host OS (the GPADL cap depends on it). Bound by the root. */
  hostSpec: Symbol.for('hyperkata.memory.HostSpec'),
  /** `MemoryManager`: host RAM, hypervisor pool, partitions. */
  memoryManager: Symbol.for('hyperkata.memory.MemoryManager'),
  /** `IsolationFaultLog`: refused guest-memory accesses. */
  isolationFaultLog: Symbol.for('hyperkata.memory.IsolationFaultLog'),
  /** `GpadlTable`: guest page lists granted to channels. */
  gpadlTable: Symbol.for('hyperkata.memory.GpadlTable'),
  /** `DynamicMemoryBalancer`: the 1 Hz Dynamic Memory policy. */
  dynamicMemory: Symbol.for('hyperkata.memory.DynamicMemoryBalancer'),
  /** `MemoryMetrics`: read-only numbers for metrics and reports. */
  metrics: Symbol.for('hyperkata.memory.MemoryMetrics'),
} as const;
