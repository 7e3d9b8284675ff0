/**
 * What the player decides for a scenario: how each VM's devices reach hardware (synthetic
 * channels to VSP instances, or emulation through the worker process), integration components,
 * virtual processors, memory, root VPs, the scheduler, and which plugin serves each VSP.
 * Every setting goes through the WMI-like management facade: this schema and
 * check-configuration.ts validate it, and core/root/powershell.ts shows the PowerShell an
 * administrator would type for it (one setting, or the whole configuration as a script).
 */
import { z } from 'zod';
// Schema bounds, true of every release: a VM has no more VPs than a host runs in all, nor more
// memory than a host has. The host release's own per-VM limits are checked in
// check-configuration.ts, whose refusal names the release (rule 40).
import { LARGEST_RELEASE_LIMITS as HOST_LIMITS } from './release-limits.js';
import { MAX_RING_KIB } from './limits.js';

export const SchedulerTypeSchema = z.enum(['classic', 'core', 'root']);
export type SchedulerType = z.infer<typeof SchedulerTypeSchema>;

export { MAX_RING_KIB };

const name = z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a lowercase name');

/** Set-VMProcessor -Count -RelativeWeight -Reserve -Maximum (rule 32). */
export const ProcessorSettingsSchema = z.strictObject({
  count: z.number().int().min(1).max(HOST_LIMITS.virtualProcessors),
  weight: z.number().int().min(1).max(10_000).default(100),
  reservePercent: z.number().min(0).max(100).default(0),
  limitPercent: z.number().min(0).max(100).default(100),
});
export type ProcessorSettings = z.infer<typeof ProcessorSettingsSchema>;

/**
 * A VM memory amount, MiB. Hyper-V assigns VM memory in 2 MB units and refuses an odd amount
 * (libvirt src/hyperv/hyperv_driver.c, which drives Hyper-V's WMI: "Memory value must be a
 * multiple of 2 MB"), so `Set-VMMemory -StartupBytes 1537MB` would fail on a real host.
 */
const vmMemoryMiB = () => z.number().int().min(32).max(HOST_LIMITS.memoryMiB).multipleOf(2);

export const StaticMemorySchema = z.strictObject({
  dynamic: z.literal(false),
  startupMiB: vmMemoryMiB(),
});

/** Set-VMMemory -DynamicMemoryEnabled -MinimumBytes -StartupBytes -MaximumBytes -Buffer -Priority (rule 33). */
export const DynamicMemorySchema = z.strictObject({
  dynamic: z.literal(true),
  startupMiB: vmMemoryMiB(),
  minimumMiB: vmMemoryMiB(),
  maximumMiB: vmMemoryMiB(),
  bufferPercent: z.number().int().min(5).max(2000).default(20),
  priority: z.number().int().min(0).max(100).default(50),
});
export const MemorySettingsSchema = z.discriminatedUnion('dynamic', [
  StaticMemorySchema,
  DynamicMemorySchema,
]);
export type MemorySettings = z.infer<typeof MemorySettingsSchema>;
export type DynamicMemorySettings = z.infer<typeof DynamicMemorySchema>;

export const VmConfigurationSchema = z.strictObject({
  /** Integration components installed in the guest: the VSCs, VMBus, the balloon, heartbeat. */
  integrationComponents: z.boolean(),
  processor: ProcessorSettingsSchema,
  memory: MemorySettingsSchema,
  /** Virtual NUMA topology exposed to the guest; cannot be combined with Dynamic Memory (rule 35). */
  virtualNuma: z.boolean().default(false),
});
export type VmConfiguration = z.infer<typeof VmConfigurationSchema>;

/** One VSP instance in the root partition: which plugin serves it and which device it drives. */
export const VspInstanceSchema = z.strictObject({
  id: name,
  /** Plugin id, e.g. `hyperkata.storvsp`. */
  plugin: z.string().regex(/^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)+$/, 'a namespaced plugin id'),
  /** Physical disk or NIC this instance drives (storage and network VSPs). */
  device: name.optional(),
  /** Plugin-defined settings, checked by the plugin's own schema. */
  settings: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).default({}),
});
export type VspInstance = z.infer<typeof VspInstanceSchema>;

/** A synthetic path: the VM device's VSC talks over a VMBus channel to a VSP instance. */
export const ChannelRouteSchema = z.strictObject({
  vm: name,
  device: name,
  vsp: name,
  /** Ring size per direction, KiB (rule 9: storage 128, network 512 by default). */
  // Whole 4 KiB pages: the guest allocates each ring as pages (rule 9).
  ringKiB: z.number().int().min(16).max(MAX_RING_KIB).multipleOf(4).optional(),
  /** `batched` signals through monitor pages (~100 µs later, fewer interrupts); `low-latency` signals at once (rule 8). */
  signalling: z.enum(['batched', 'low-latency']).default('low-latency'),
});
export type ChannelRoute = z.infer<typeof ChannelRouteSchema>;

/** An emulated path: the guest's legacy driver traps to VMWP, which issues I/O to `backing`. */
export const EmulatedRouteSchema = z.strictObject({
  vm: name,
  device: name,
  /** Physical disk or NIC the worker process sends the emulated device's I/O to. */
  backing: name.optional(),
});
export type EmulatedRoute = z.infer<typeof EmulatedRouteSchema>;

export const HostConfigurationSchema = z.strictObject({
  scheduler: SchedulerTypeSchema,
  /** Virtual processors of the root partition, pinned 1:1 to the first logical processors (rule 31). */
  rootVps: z.number().int().min(1).max(HOST_LIMITS.rootVisibleProcessors),
});
export type HostConfiguration = z.infer<typeof HostConfigurationSchema>;

export const ConfigurationSchema = z.strictObject({
  host: HostConfigurationSchema,
  vms: z.record(name, VmConfigurationSchema),
  vsps: z.array(VspInstanceSchema).max(256).default([]),
  channels: z.array(ChannelRouteSchema).max(8192).default([]),
  emulated: z.array(EmulatedRouteSchema).max(4096).default([]),
});
export type Configuration = z.infer<typeof ConfigurationSchema>;
export type ConfigurationInput = z.input<typeof ConfigurationSchema>;
