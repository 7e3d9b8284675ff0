/**
 * The memory manager: host RAM, per-partition GPA→SPA mapping (SLAT), guest physical memory
 * with real bytes where the simulation touches it, GPADLs and the isolation boundary VSPs live
 * behind, and Dynamic Memory's policy. See HYPERV.md rules 12, 14, 33–37.
 */
export { MemoryError, fail, succeed } from './errors.js';
export type { MemoryErrorKind, MemoryResult } from './errors.js';
export { ExtentSet } from './extent-set.js';
export type { Extent } from './extent-set.js';
export { HostMemory, defaultRootReserveMiB } from './host-memory.js';
export type { HostMemoryOptions } from './host-memory.js';
export { HypervisorPool } from './hypervisor-pool.js';
export { Slat } from './slat.js';
export type { SlatMapping } from './slat.js';
export { GuestAllocation, GuestPhysicalBytes } from './guest-bytes.js';
export {
  GUEST_ALLOCATION_BASE_PFN,
  allocateGuestMemory,
  freeGuestMemory,
} from './guest-allocator.js';
export type { GuestAllocationOptions } from './guest-allocator.js';
export { PartitionMemory } from './partition-memory.js';
export type { GpaFaultReason, PartitionMemoryOptions, Translation } from './partition-memory.js';
export { MemoryManager } from './memory-manager.js';
export type { CreatePartitionMemory, MemoryHostSpec } from './memory-manager.js';
export {
  ACCESS_OK,
  ISOLATION_FAULT_LOG_CAPACITY,
  IsolationFaultLog,
} from './isolation-fault-log.js';
export type {
  FaultSite,
  GuestAccess,
  IsolationFault,
  IsolationFaultKind,
  SimClock,
} from './isolation-fault-log.js';
export { GPADL_CAP_MIB, GpadlTable, gpadlCapBytes } from './gpadl-table.js';
export type {
  GpadlCreateOptions,
  GpadlCreated,
  GpadlInfo,
  GpadlRejection,
  GpadlRejectionKind,
} from './gpadl-table.js';
export { GpadlView } from './gpadl-view.js';
export type { GrantedMemory } from './gpadl-view.js';
export { PacketGrant } from './packet-grant.js';
export type { GpaRange } from './packet-grant.js';
export { VspMemoryPort } from './vsp-memory-port.js';
export { copyOut, copyOutInto, copyThenValidate } from './copy-out.js';
export type { CopiedBytes } from './copy-out.js';
export {
  LINUX_PRESSURE_REPORT_DELAY_S,
  guestStatusReport,
  hostDemandPages,
  linuxBalloonFloorPages,
  pressurePercent,
} from './dynamic-memory/status-report.js';
export type { DmStatusReport, GuestMemoryState } from './dynamic-memory/status-report.js';
export { growthActions, planDynamicMemory, targetPages, waterFill } from './dynamic-memory/plan.js';
export type {
  DynamicMemoryAction,
  DynamicMemoryPlan,
  DynamicMemoryPlanInput,
  DynamicMemoryTarget,
  DynamicMemoryVmState,
  GrowableMemory,
} from './dynamic-memory/plan.js';
export {
  BALANCE_INTERVAL_NS,
  DynamicMemoryBalancer,
  applyDynamicMemoryAction,
} from './dynamic-memory/balancer.js';
export type { DynamicMemoryProtocol, DynamicMemoryStatus } from './dynamic-memory/balancer.js';
export { pagingEffect } from './dynamic-memory/paging.js';
export type { PagingEffect } from './dynamic-memory/paging.js';
export { MemoryMetrics } from './metrics.js';
export type { HostMemoryMetrics, PartitionMemoryMetrics } from './metrics.js';
export { MEMORY_TOKENS } from './tokens.js';
export { memoryModule } from './memory.module.js';
export {
  HOT_ADD_CHUNK_PAGES,
  PAGES_PER_MIB,
  PAGE_SHIFT,
  PAGE_SIZE,
  bytesToPages,
  mibToPages,
  pagesToBytes,
  pagesToMib,
} from './units.js';
