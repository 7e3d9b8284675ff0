/**
 * The one check of a VM's memory settings that a schema cannot express (HYPERV.md rules 33, 35):
 * startup at least the minimum, maximum at least the startup, no Dynamic Memory together with
 * virtual NUMA, and no Dynamic Memory without the balloon driver of the integration components.
 * Bounds of single fields (buffer 5–2000 %, priority 0–100) are the zod schema's
 * (configuration.ts). Configuration checks and the memory balancer both call this.
 */
import type { InputIssue } from './errors.js';
import type { MemorySettings } from './configuration.js';
import type { HostReleaseLimits } from './release-limits.js';
import { refusal } from './configuration-reasons.js';

/**
 * Memory a VM holds from the start (rule 33): its static memory, or its Dynamic Memory minimum.
 * The host must hold all of them at once, after the root's reserve.
 *
 * @example
 * ```ts
 * const held = committedMemoryMiB({ dynamic: false, startupMiB: 4096 }); // 4096
 * ```
 */
export function committedMemoryMiB(m: MemorySettings): number {
  return m.dynamic ? m.minimumMiB : m.startupMiB;
}

/**
 * The most memory one VM may have on a host release (rule 40): generation 1 VMs keep 1 TB on
 * every release, generation 2 VMs follow the release (core/model/release-limits.ts). It bounds
 * static memory, or the Dynamic Memory maximum.
 *
 * @example
 * ```ts
 * const limit = vmMemoryLimitMiB(HOST_RELEASE_LIMITS.ws2022, 1); // 1048576: 1 TiB on every release
 * ```
 */
export function vmMemoryLimitMiB(limits: HostReleaseLimits, generation: 1 | 2): number {
  return generation === 1 ? limits.generation1VmMemoryMiB : limits.vmMemoryMiB;
}

/** What else about the VM the memory rules depend on, and where the settings sit. */
export interface MemorySettingsContext {
  /** Whether the VM exposes a virtual NUMA topology (rule 35). */
  readonly virtualNuma: boolean;
  /** Whether the guest runs integration components (the balloon driver is one). */
  readonly integrationComponents: boolean;
  /** Path of the VM's settings, e.g. `["vms", "db01"]`. */
  readonly path: readonly (string | number)[];
}

/**
 * Every relation the memory settings break, or an empty list.
 *
 * @example
 * ```ts
 * const issues = checkMemorySettings(
 *   {
 *     dynamic: true,
 *     startupMiB: 2048,
 *     minimumMiB: 4096,
 *     maximumMiB: 8192,
 *     bufferPercent: 20,
 *     priority: 50,
 *   },
 *   { virtualNuma: false, integrationComponents: true, path: ['vms', 'db01'] },
 * );
 * // [{ path: ['vms', 'db01', 'memory', 'minimumMiB'],
 * //    expected: 'at most the startup memory (2048 MiB) (rule 33)', found: '4096',
 * //    reason: { id: 'memory.minimumAboveStartup', args: { startupMiB: 2048, minimumMiB: 4096 } } }]
 * ```
 */
export function checkMemorySettings(
  m: MemorySettings,
  context: MemorySettingsContext,
): InputIssue[] {
  if (!m.dynamic) return [];
  const issues: InputIssue[] = [];
  const at = (field: string): (string | number)[] => [...context.path, 'memory', field];
  if (m.minimumMiB > m.startupMiB) {
    issues.push(
      refusal(at('minimumMiB'), 'memory.minimumAboveStartup', {
        startupMiB: m.startupMiB,
        minimumMiB: m.minimumMiB,
      }),
    );
  }
  if (m.maximumMiB < m.startupMiB) {
    issues.push(
      refusal(at('maximumMiB'), 'memory.maximumBelowStartup', {
        startupMiB: m.startupMiB,
        maximumMiB: m.maximumMiB,
      }),
    );
  }
  if (context.virtualNuma) {
    issues.push(refusal([...context.path, 'virtualNuma'], 'memory.dynamicWithVirtualNuma', {}));
  }
  if (!context.integrationComponents) {
    issues.push(refusal(at('dynamic'), 'memory.dynamicWithoutIntegration', {}));
  }
  return issues;
}
