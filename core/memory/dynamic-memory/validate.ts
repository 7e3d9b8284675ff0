/**
 * Checks a VM's memory settings the way Set-VMMemory refuses them (HYPERV.md rules 33, 35):
 * startup at least the minimum, maximum at least the startup, buffer 5–2000 %, priority
 * (memory weight) 0–100, and no Dynamic Memory together with virtual NUMA. Every problem is
 * reported, each at its own path, in plain words.
 */
import type { InputIssue } from '../../model/errors.js';
import type { MemorySettings } from '../../model/configuration.js';

/** Where the settings sit in the configuration, and the VM's other switch that matters. */
export interface MemorySettingsContext {
  /** Whether the VM exposes a virtual NUMA topology (rule 35). */
  readonly virtualNuma: boolean;
  /** Path of the memory settings, e.g. `["vms", "db01", "memory"]`. */
  readonly path: readonly (string | number)[];
}

/** Buffer bounds, percent (rule 33; Set-VMMemory -Buffer). */
export const MEMORY_BUFFER_PERCENT = { min: 5, max: 2000 } as const;
/** Priority (memory weight) bounds (rule 33; Set-VMMemory -Priority). */
export const MEMORY_PRIORITY = { min: 0, max: 100 } as const;

/**
 * Every problem in `settings`, or an empty list.
 *
 * @example
 * ```ts
 * validateMemorySettings(
 *   { dynamic: true, startupMiB: 512, minimumMiB: 1024, maximumMiB: 4096, bufferPercent: 20, priority: 50 },
 *   { virtualNuma: false, path: ['vms', 'db01', 'memory'] },
 * );
 * // [{ path: ['vms', 'db01', 'memory', 'startupMiB'],
 * //    expected: 'at least the minimum memory (1024 MiB)', found: '512 MiB' }]
 * ```
 */
export function validateMemorySettings(
  settings: MemorySettings,
  context: MemorySettingsContext,
): InputIssue[] {
  if (!settings.dynamic) return [];
  const issues: InputIssue[] = [];
  const at = (field: string): (string | number)[] => [...context.path, field];
  const { startupMiB, minimumMiB, maximumMiB, bufferPercent, priority } = settings;
  if (startupMiB < minimumMiB) {
    issues.push({
      path: at('startupMiB'),
      expected: `at least the minimum memory (${minimumMiB} MiB)`,
      found: `${startupMiB} MiB`,
    });
  }
  if (maximumMiB < startupMiB) {
    issues.push({
      path: at('maximumMiB'),
      expected: `at least the startup memory (${startupMiB} MiB)`,
      found: `${maximumMiB} MiB`,
    });
  }
  if (!isWholeIn(bufferPercent, MEMORY_BUFFER_PERCENT)) {
    issues.push({
      path: at('bufferPercent'),
      expected: `a whole percentage from ${MEMORY_BUFFER_PERCENT.min} to ${MEMORY_BUFFER_PERCENT.max}`,
      found: `${bufferPercent} %`,
    });
  }
  if (!isWholeIn(priority, MEMORY_PRIORITY)) {
    issues.push({
      path: at('priority'),
      expected: `a whole number from ${MEMORY_PRIORITY.min} to ${MEMORY_PRIORITY.max}`,
      found: String(priority),
    });
  }
  if (context.virtualNuma) {
    issues.push({
      path: at('dynamic'),
      expected:
        'static memory while virtual NUMA is on: Dynamic Memory and virtual NUMA cannot be used together',
      found: 'Dynamic Memory with virtual NUMA',
    });
  }
  return issues;
}

function isWholeIn(value: number, range: { readonly min: number; readonly max: number }): boolean {
  return Number.isInteger(value) && value >= range.min && value <= range.max;
}
