/**
 * The hypervisor layer: partitions, VPs, privileges, the hypercall dispatcher, SynIC, the
 * enlightened boot handshake and intercepts to the root (rules 21–27, 40).
 */
export { Hypervisor } from './hypervisor.js';
export type {
  CpuidResult,
  IoInterceptCompletion,
  IoPortAccessResult,
  MsrAccessResult,
} from './hypervisor.js';
export { WinHv } from './winhv.js';
export {
  CREATE_VP_PREDEPOSIT_PAGES,
  INITIALIZE_PARTITION_PREDEPOSIT_PAGES,
  MAX_DEPOSIT_RETRIES,
  RETRY_DEPOSIT_PAGES,
  WITHDRAW_BATCH_PAGES,
} from './winhv.js';
export type { WinHvCallResult, WinHvResult } from './winhv.js';
export { hypervisorModule } from './hypervisor.module.js';
export { HYPERVISOR_OPTIONS, SYNIC_INTERRUPT_SINK, VP_CONTROL, WINHV_OPTIONS } from './tokens.js';
export type { HypervisorOptions, SynicInterruptSink, VpControl, WinHvOptions } from './tokens.js';
export { HypervisorUsageError } from './errors.js';

export { HvStatus, hvStatusName } from './status.js';
export type { HvStatusCode } from './status.js';
export { HvCallCode, HYPERCALLS, hypercallDescriptor, hypercallName } from './call-codes.js';
export type { HvCallCodeValue, HypercallDescriptor } from './call-codes.js';
export {
  decodeHypercallInput,
  encodeHypercallInput,
  encodeHypercallResult,
  HV_MAX_REP_FIELD,
  repCall,
  simpleCall,
} from './hypercall-input.js';
export type { HypercallControl } from './hypercall-input.js';
export { HypercallOutcome } from './hypercall-types.js';
export type * from './hypercall-types.js';
export {
  DEFAULT_CHILD_PRIVILEGES,
  PARTITION_PRIVILEGES,
  Privilege,
  PrivilegeMask,
  ROOT_PRIVILEGES,
} from './privileges.js';
export type { PrivilegeBit, PrivilegeInfo } from './privileges.js';
export * from './costs.js';
export {
  HV_ANY_VP,
  HV_DEPOSIT_MAX,
  HV_EVENT_FLAGS_COUNT,
  HV_PAGE_SIZE,
  HV_PARTITION_ID_INVALID,
  HV_PARTITION_ID_SELF,
  HV_PORT_MESSAGE_BUFFERS,
} from './limits.js';
export { PoolPages, HvMemoryPool } from './memory-pool.js';
export {
  HV_SYNIC_INTERCEPTION_SINT,
  HV_SYNIC_SINT_COUNT,
  HvMsr,
  HYPERCALL_MSR_ENABLE,
  SINT_AUTO_EOI,
  SINT_MASKED,
  SINT_POLLING,
  SINT_RESET_VALUE,
  SYNIC_ENABLE,
  VMBUS_MESSAGE_SINT,
} from './msr.js';
export {
  HV_MESSAGE_MAX_PAYLOAD_BYTES,
  HV_MESSAGE_SIZE,
  HvMessageType,
  isHypervisorMessageType,
  MESSAGE_FLAG_PENDING,
  MessageSlot,
} from './messages.js';
export { Partition, PartitionState } from './partition.js';
export type { PartitionStateValue } from './partition.js';
export { HvPartitionProperty } from './partition-calls.js';
export { VirtualProcessor, VpRunState } from './virtual-processor.js';
export type { VpRunStateValue } from './virtual-processor.js';
export { Synic } from './synic.js';
export { decodeIcr, IcrShorthand, VirtualApic } from './virtual-apic.js';
export type { IcrIpi } from './virtual-apic.js';
export { SynicEventFlagsPage, SynicMessagePage } from './synic-pages.js';
export { HvPortType } from './ports.js';
export type { PortInfo } from './ports.js';
export { GuestEnlightenment, EnlightenmentStep } from './enlightenment.js';
export {
  HOST_BUILD_NUMBER,
  HOST_FEATURES_EDX,
  HOST_RECOMMENDATIONS,
  HV_INTERFACE_SIGNATURE,
  HV_MAX_CPUID_LEAF,
  HvCpuidLeaf,
  HvFeatureEdx,
  HvRecommendation,
  hypervisorCpuid,
} from './cpuid.js';
export type { CpuidRegisters } from './cpuid.js';
export {
  enlightenedBoot,
  HYPERVISOR_CALLBACK_VECTOR,
  LINUX_6_1_GUEST_OS_ID,
  LINUX_VMBUS_SINT_AUTO_EOI,
  WINDOWS_SERVER_2016_GUEST_OS_ID,
} from './guest-boot.js';
export type { GuestBootOptions, GuestBootResult } from './guest-boot.js';
export {
  GEN1_EMULATED_DEVICE_PORTS,
  HvInterceptAccess,
  HvInterceptType,
  IO_PORT_INTERCEPT_PAYLOAD_BYTES,
  IoPortInterceptLayout,
  ioPortRangeParameter,
  readIoPortInterceptPayload,
} from './intercepts.js';
export type { IoPortAccess } from './intercepts.js';
export { HvFlushFlags } from './guest-calls.js';
export { PartitionCounters } from './counters.js';
export type { PartitionCountersSnapshot } from './counters.js';
