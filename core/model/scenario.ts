/**
 * The physical world a level describes: one host's hardware, the child partitions that run on it
 * and what their guests do. The player does not change a scenario; they change a
 * {@link Configuration}. Schemas are zod, so the level file format (levels/schema) reuses them
 * and their JSON Schema is generated, not written twice.
 */
import { z } from 'zod';
import type { SchedulerType } from './configuration.js';
import {
  HOST_MEMORY_CEILING_MIB,
  HOST_RELEASES,
  LARGEST_RELEASE_LIMITS,
} from './release-limits.js';

/** The kinds of synthetic device a VSC/VSP pair can serve. */
export const DEVICE_CLASSES = [
  'storage',
  'network',
  'video',
  'input',
  'dynamic-memory',
  'heartbeat',
] as const;
export const DeviceClassSchema = z.enum(DEVICE_CLASSES);
/**
 * One kind of synthetic device: a VSP’s `deviceClass`, and the `class` of a VM’s device. A channel
 * joins a VSC and a VSP of the same class only (rule 11).
 *
 * @example
 * ```ts
 * export default defineVsp({ id: 'acme.my-nic', sdk: '^1.0.0', deviceClass: 'network', create });
 * ```
 */
export type DeviceClass = z.infer<typeof DeviceClassSchema>;

/**
 * VMBus class GUIDs each synthetic device is offered with (L: include/linux/hyperv.h).
 * A VSC binds only to offers carrying its class GUID.
 */
export {
  DEVICE_CLASS_GUIDS,
  IDE_ACCELERATOR_CLASS_GUID,
  isIdeAcceleratedDisk,
  offerClassGuid,
} from './class-guids.js';
export type { OfferingVm } from './class-guids.js';

/** Integration services every guest with integration components runs without being routed. */
export const IMPLICIT_DEVICE_CLASSES: readonly DeviceClass[] = ['dynamic-memory', 'heartbeat'];

export const WORKLOAD_KINDS = ['database', 'web', 'file', 'desktop', 'batch', 'idle'] as const;
export const WorkloadKindSchema = z.enum(WORKLOAD_KINDS);
export type WorkloadKind = z.infer<typeof WorkloadKindSchema>;

/** Windows Server release of the host: sets defaults such as the scheduler and the GPADL cap. */
export const HostOsSchema = z.enum(HOST_RELEASES);
export type HostOs = z.infer<typeof HostOsSchema>;

const id = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,31}$/, 'a lowercase name: a letter, then letters, digits or dashes');

/**
 * Bounds of the schemas: the largest published figure of any modelled release (rule 40). The
 * host's own release is checked afterwards against `host.os` (parse.ts checkScenario,
 * check-configuration.ts), with an error naming that release.
 */
export { LARGEST_RELEASE_LIMITS as HOST_LIMITS } from './release-limits.js';
const BOUNDS = LARGEST_RELEASE_LIMITS;

export const DiskSpecSchema = z.strictObject({
  id,
  label: z.string().max(60).optional(),
  kind: z.enum(['hdd', 'ssd', 'nvme']),
  /** Random 4 KiB operations per second the device sustains. */
  iops: z.number().int().min(50).max(10_000_000),
  /** Sequential bandwidth, MB/s. */
  mbps: z.number().min(10).max(100_000),
  /** Service latency of one small request on an idle device, µs. */
  latencyUs: z.number().min(5).max(100_000),
  /** Requests the device works on at once (NCQ / NVMe queue). */
  queueDepth: z.number().int().min(1).max(65_536),
});
export type DiskSpec = z.infer<typeof DiskSpecSchema>;

export const NicSpecSchema = z.strictObject({
  id,
  label: z.string().max(60).optional(),
  gbps: z.number().min(0.1).max(800),
  latencyUs: z.number().min(1).max(100_000),
  /** Whether the NIC can expose SR-IOV virtual functions to guests (rule 20). */
  sriov: z.boolean().default(false),
});
export type NicSpec = z.infer<typeof NicSpecSchema>;

export const HostSpecSchema = z.strictObject({
  name: z.string().min(1).max(40).default('host'),
  os: HostOsSchema.default('ws2019'),
  processor: z.strictObject({
    sockets: z.number().int().min(1).max(64),
    coresPerSocket: z.number().int().min(1).max(256),
    /** 2 with simultaneous multithreading (SMT siblings), 1 without. */
    threadsPerCore: z.union([z.literal(1), z.literal(2)]),
  }),
  /** Host RAM, MiB. Its release's maximum (rule 40) is checked in parse.ts, naming the release. */
  memoryMiB: z.number().int().min(1024).max(HOST_MEMORY_CEILING_MIB),
  disks: z.array(DiskSpecSchema).max(64).default([]),
  nics: z.array(NicSpecSchema).max(32).default([]),
});
export type HostSpec = z.infer<typeof HostSpecSchema>;
export type HostSpecInput = z.input<typeof HostSpecSchema>;

/** A virtual device of a VM that the player routes (storage controller, network adapter, …). */
export const VmDeviceSpecSchema = z.strictObject({
  id,
  class: DeviceClassSchema.exclude(['dynamic-memory', 'heartbeat']),
  /** Size of the virtual disk behind a storage device, GiB. */
  sizeGiB: z.number().int().min(1).max(65_536).optional(),
});
export type VmDeviceSpec = z.infer<typeof VmDeviceSpecSchema>;

export const PhaseSchema = z.strictObject({
  durationMs: z.number().int().min(1),
  /** Multiplier on the workload's base intensity during this phase. */
  intensity: z.number().min(0).max(100),
});

export const WorkloadSpecSchema = z.strictObject({
  kind: WorkloadKindSchema,
  /** 1 is the nominal load of this kind (see core/guest/workloads.ts for what that means). */
  intensity: z.number().min(0).max(100).default(1),
  /** Phases played in a loop; absent means a steady load. */
  phases: z.array(PhaseSchema).max(32).optional(),
  /** Random bursts on top of the phases. */
  bursts: z
    .object({
      meanIntervalMs: z.number().min(1),
      durationMs: z.number().min(1),
      factor: z.number().min(1).max(100),
    })
    .optional(),
  /** Memory the guest's working set wants, MiB (drives Dynamic Memory pressure and paging). */
  memoryMiB: z.number().int().min(32).max(BOUNDS.vmMemoryMiB),
});
export type WorkloadSpec = z.infer<typeof WorkloadSpecSchema>;

/** Misbehaviour a hostile guest performs on its channels (rules 7, 36, 37). */
export const HOSTILE_ATTACKS = [
  'ring-index-out-of-range',
  'descriptor-offset-too-small',
  'descriptor-length-overflow',
  'unknown-packet-type',
  'gpa-direct-without-ranges',
  'gpa-range-outside-guest',
  'non-transactional-request',
  'guest-sent-completion',
  'unknown-operation',
  'short-data-range',
  'forged-trans-id',
  'signal-flood',
] as const;
export const HostileAttackSchema = z.enum(HOSTILE_ATTACKS);
export type HostileAttack = z.infer<typeof HostileAttackSchema>;

export const HostileSpecSchema = z.strictObject({
  attacks: z.array(HostileAttackSchema).min(1),
  /** Malformed packets (or bursts of signals) per simulated second. */
  ratePerSecond: z.number().min(0.1).max(100_000),
  /** When the guest turns hostile, ms after the run starts. */
  startMs: z.number().int().min(0).default(0),
});
export type HostileSpec = z.infer<typeof HostileSpecSchema>;

/**
 * What an administrator may do to a VM while the host runs (the PowerShell cmdlets: Suspend-VM,
 * Resume-VM, Save-VM, Start-VM, Stop-VM, Stop-VM -TurnOff).
 */
export const VM_MANAGEMENT_ACTIONS = [
  'pause',
  'resume',
  'save',
  'start',
  'stop',
  'turn-off',
] as const;
export const VmManagementActionSchema = z.enum(VM_MANAGEMENT_ACTIONS);
export type VmManagementAction = z.infer<typeof VmManagementActionSchema>;

/** One management operation VMMS is asked to perform at `atMs` (ms after the run starts). */
export const VmScheduledActionSchema = z.strictObject({
  atMs: z.number().int().min(0),
  action: VmManagementActionSchema,
});
export type VmScheduledAction = z.infer<typeof VmScheduledActionSchema>;

export const VmSpecSchema = z.strictObject({
  name: id,
  generation: z.union([z.literal(1), z.literal(2)]),
  os: z.strictObject({
    family: z.enum(['windows', 'linux']),
    /** Shown to the player, e.g. "Windows Server 2019" or "CentOS 5". */
    release: z.string().min(1).max(60),
    /** False for guests too old to run integration components: they can only use emulation. */
    integrationComponents: z.boolean().default(true),
  }),
  devices: z.array(VmDeviceSpecSchema).max(16),
  workload: WorkloadSpecSchema,
  hostile: HostileSpecSchema.optional(),
  /** When VMMS starts this VM, ms after the run starts. */
  startAtMs: z.number().int().min(0).default(0),
  /**
   * Management operations during the run, in time order (each within the run's duration). VMMS
   * performs each one at its instant, or refuses it as it would a cmdlet the VM's state forbids.
   */
  actions: z.array(VmScheduledActionSchema).max(64).optional(),
});
export type VmSpec = z.infer<typeof VmSpecSchema>;

/** A run's seed: what the scenario, an override and a replay file may give (32 bits). */
export const SeedSchema = z.number().int().min(0).max(0xffffffff);

export const ScenarioSchema = z.strictObject({
  host: HostSpecSchema,
  vms: z.array(VmSpecSchema).max(BOUNDS.runningVms),
  /** Simulated length of a run, ms. */
  durationMs: z.number().int().min(1).max(600_000),
  /** Seed of the run's random streams. */
  seed: SeedSchema,
});
export type Scenario = z.infer<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

/**
 * Whether the core scheduler runs a VM's VPs together on a core's SMT siblings (rule 29). A VM's
 * HwThreadCountPerCore defaults to 0 (inherit the host's SMT) on Windows Server 2019 and later,
 * but to 1 (non-SMT) on Windows Server 2016, which cannot set 0. A non-SMT VP "will consume the
 * entire core when it runs, and the core's sibling SMT thread will be left idle"; a VM with more
 * VPs than the host has cores is treated as SMT all the same (WS: "About Hyper-V hypervisor
 * scheduler type selection"). The model has no per-VM setting: each VM keeps its release's
 * default.
 */
export function guestRunsSmt(os: HostOs, vpCount: number, hostCores: number): boolean {
  return os !== 'ws2016' || vpCount > hostCores;
}

/**
 * The share of the host a VM's CPU reserve takes (rule 32), in the units the scheduler hands out:
 * logical processors, or cores under the core scheduler on an SMT host (rule 29: a core runs one
 * VM at a time, its idle sibling is lost to the others). There an SMT VM's VPs share a core two
 * by two — ⌈count ÷ 2⌉ cores for the reserve's part of each period — and a non-SMT VM's VP takes
 * a core to itself: count × reserve.
 */
export function reservedUnits(
  host: Pick<HostSpec, 'processor' | 'os'>,
  scheduler: SchedulerType,
  vpCount: number,
  reservePercent: number,
): number {
  const p = host.processor;
  const reserve = reservePercent / 100;
  if (scheduler !== 'core' || p.threadsPerCore < 2) return vpCount * reserve;
  const cores = p.sockets * p.coresPerSocket;
  const perCore = guestRunsSmt(host.os, vpCount, cores) ? p.threadsPerCore : 1;
  return Math.ceil(vpCount / perCore) * reserve;
}

/**
 * What CPU reserves may add up to (rule 32), in the units of {@link reservedUnits}: the host's
 * cores under the core scheduler on an SMT host, else its logical processors.
 */
export function reserveCapacity(
  host: Pick<HostSpec, 'processor'>,
  scheduler: SchedulerType,
): number {
  const lps = logicalProcessorCount(host);
  return scheduler === 'core' && host.processor.threadsPerCore > 1
    ? lps / host.processor.threadsPerCore
    : lps;
}

/** Logical processors of a host: sockets × cores × threads. */
export function logicalProcessorCount(host: Pick<HostSpec, 'processor'>): number {
  const p = host.processor;
  return p.sockets * p.coresPerSocket * p.threadsPerCore;
}

// estimate: the root reserve was reported as 384 MB + 64 MB per GB of host RAM on WS2008 R2
// (MemoryReserve registry default, hyper-v.nu); later releases keep less on big hosts, so we cap it.
const ROOT_RESERVE_BASE_MIB = 384;
const ROOT_RESERVE_PER_GIB_MIB = 64;
const ROOT_RESERVE_CAP_MIB = 8 * 1024;

/** The memory the root partition keeps for itself on a host with `memoryMiB` of RAM. */
export function defaultRootReserveMiB(memoryMiB: number): number {
  const byFormula = ROOT_RESERVE_BASE_MIB + Math.floor(memoryMiB / 1024) * ROOT_RESERVE_PER_GIB_MIB;
  return Math.min(byFormula, ROOT_RESERVE_CAP_MIB, Math.floor(memoryMiB / 2));
}
