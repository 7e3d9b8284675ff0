/**
 * Architectural sizes from the TLFS. The rule-40 limits the hypervisor enforces and reports in
 * CPUID 0x40000005 follow the host's release: `HOST_RELEASE_LIMITS` (core/model/release-limits.ts,
 * WS: "Hyper-V maximum scale limits in Windows Server"). The hypervisor knows nothing of VM
 * generations: a partition may have as many VPs as a generation 2 VM (`vpsPerVm`); the 64 of
 * generation 1 is VMMS's check (check-configuration.ts).
 */
export const HV_PAGE_SIZE = 4096;
/** T: HV_PARTITION_ID_INVALID — never refers to a partition. */
export const HV_PARTITION_ID_INVALID = 0;
/**
 * T: HV_PARTITION_ID_SELF is 0xFFFFFFFFFFFFFFFF ("the caller's own partition"). The model keeps
 * partition ids in plain numbers, so the all-ones u64 is written as -1 (its two's-complement
 * reading).
 */
export const HV_PARTITION_ID_SELF = -1;
/** L: HV_ANY_VP — a port that may target any VP of its partition. */
export const HV_ANY_VP = 0xffffffff;
/** T: HV_CONNECTION_ID / HV_PORT_ID — 24-bit id, high 8 bits reserved (must be zero). */
export const HV_ID_MASK = 0x00ffffff;
/** T: HV_SYNIC_EVENT_FLAGS — 256 bytes = 2048 flags per SINT (rule 15). */
export const HV_EVENT_FLAGS_COUNT = 2048;
/** T: "When a port is created, the hypervisor will allocate sixteen (16) message buffers". */
export const HV_PORT_MESSAGE_BUFFERS = 16;
/** L: hv_proc.c HV_DEPOSIT_MAX — page numbers that fit one input page after the partition id. */
export const HV_DEPOSIT_MAX = HV_PAGE_SIZE / 8 - 1;
