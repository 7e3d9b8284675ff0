import { HOST_RELEASE_LIMITS, type HostOs } from '../model/index.js';

/**
 * What the hypervisor of one host enforces of rule 40, and reports in CPUID 0x40000005. The
 * figures follow the host's Windows Server release (core/model/release-limits.ts, WS: "Hyper-V
 * maximum scale limits in Windows Server"): 2016 and 2019 run 512 LPs and 240 VPs per VM, 2022
 * 1,024 of each. The hypervisor knows nothing of VM generations: a partition may have as many VPs
 * as a generation 2 VM; the 64 of generation 1 is VMMS's check (check-configuration.ts).
 */
export interface HypervisorLimits {
  /** Host logical processors supported. */
  readonly maxLogicalProcessors: number;
  /** The root partition sees at most this many LPs (one root VP each). */
  readonly maxRootVirtualProcessors: number;
  /** Running VMs per host. */
  readonly maxRunningChildPartitions: number;
  /** Virtual processors of all VMs on one host. */
  readonly maxChildVirtualProcessors: number;
  /** Virtual processors per partition (a generation 2 VM's maximum). */
  readonly maxVirtualProcessorsPerPartition: number;
}

function limitsOf(os: HostOs): HypervisorLimits {
  const l = HOST_RELEASE_LIMITS[os];
  return {
    maxLogicalProcessors: l.logicalProcessors,
    maxRootVirtualProcessors: l.rootVisibleProcessors,
    maxRunningChildPartitions: l.runningVms,
    maxChildVirtualProcessors: l.virtualProcessors,
    maxVirtualProcessorsPerPartition: l.vpsPerVm,
  };
}

/**
 * The hypervisor's limits on a host of each release.
 *
 * @example
 * HYPERVISOR_LIMITS.ws2016.maxVirtualProcessorsPerPartition; // 240
 * HYPERVISOR_LIMITS.ws2022.maxVirtualProcessorsPerPartition; // 1024
 */
export const HYPERVISOR_LIMITS: Readonly<Record<HostOs, HypervisorLimits>> = {
  ws2016: limitsOf('ws2016'),
  ws2019: limitsOf('ws2019'),
  ws2022: limitsOf('ws2022'),
};

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
