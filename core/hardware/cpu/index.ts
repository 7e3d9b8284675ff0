/** The host's processors: sockets, cores and logical processors (SMT siblings adjacent). */
export { CpuTopology, MAX_LOGICAL_PROCESSORS } from './topology.js';
export type { ProcessorSpec } from './topology.js';
