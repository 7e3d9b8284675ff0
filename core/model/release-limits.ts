/**
 * Rule 40 per host release: the published maximums of a Hyper-V host and of its VMs, which grow
 * with the Windows Server release the host runs. Plain data (no zod), so the hypervisor, the
 * scheduler and the game's controls read the same figures the configuration checks enforce.
 *
 * WS: "Hyper-V maximum scale limits in Windows Server" (learn.microsoft.com, windowsserverdocs
 * WindowsServerDocs/virtualization/hyper-v/maximum-scale-limits.md, 2025-10-17; it replaced
 * "Plan for Hyper-V scalability in Windows Server"), one tab per host release:
 *
 * | host release | LPs | root VPs | running VMs | VPs per host | host memory | VPs per VM (gen 2) | VM memory (gen 2) |
 * |--------------|-----|----------|-------------|--------------|-------------|--------------------|-------------------|
 * | 2016         | 512 | 320      | 1,024       | 2,048        | 24 TB       | 240                | 12 TB             |
 * | 2019         | 512 | 320      | 1,024       | 2,048        | 24 TB       | 240                | 12 TB             |
 * | 2022         | 1,024 | 1,024  | 1,024       | 2,048        | 256 TB (4-level paging) | 1,024  | 240 TB            |
 *
 * Generation 1 VMs keep 64 VPs and 1 TB on every release. Notes on the sources:
 * - A 2024 revision of the older page listed "250 for generation 2" on 2019; the current page
 *   and "Supported Windows guest operating systems for Hyper-V" (Windows Server 2019: "240 for
 *   generation 2") say 240, which the model keeps.
 * - 2022 host memory: the current page gives "4 PB (5-level paging); 256 TB (4-level paging)"
 *   (an earlier revision said 48 TB). The model has no paging levels and keeps 256 TB, the
 *   figure every 2022 host reaches.
 */

/** The Windows Server releases a modelled host can run (the scenario's `host.os`). */
export const HOST_RELEASES = ['ws2016', 'ws2019', 'ws2022'] as const;
/** A host release id; the same type as the scenario's `HostOs`. */
export type HostRelease = (typeof HOST_RELEASES)[number];

/** The product name of each release, as errors and the codex spell it. */
export const HOST_RELEASE_NAMES: Readonly<Record<HostRelease, string>> = {
  ws2016: 'Windows Server 2016',
  ws2019: 'Windows Server 2019',
  ws2022: 'Windows Server 2022',
};

/** One release's published maximums (rule 40). Memory in MiB. */
export interface HostReleaseLimits {
  /** Logical processors of the host. */
  readonly logicalProcessors: number;
  /** Logical processors the root partition sees (one root VP each). */
  readonly rootVisibleProcessors: number;
  /** Host memory. */
  readonly memoryMiB: number;
  /** Running VMs per host. */
  readonly runningVms: number;
  /** Virtual processors of all VMs of a host ("virtual processors in-use per host"). */
  readonly virtualProcessors: number;
  /** Virtual processors of one generation 2 VM (what the hypervisor allows any partition). */
  readonly vpsPerVm: number;
  /** Memory of one generation 2 VM. */
  readonly vmMemoryMiB: number;
  /** Virtual processors of one generation 1 VM. */
  readonly generation1VpsPerVm: number;
  /** Memory of one generation 1 VM. */
  readonly generation1VmMemoryMiB: number;
}

const TIB_IN_MIB = 1024 * 1024;

/** 2016 and 2019 publish the same figures. */
const WS2016_LIMITS: HostReleaseLimits = {
  logicalProcessors: 512,
  rootVisibleProcessors: 320,
  memoryMiB: 24 * TIB_IN_MIB,
  runningVms: 1024,
  virtualProcessors: 2048,
  vpsPerVm: 240,
  vmMemoryMiB: 12 * TIB_IN_MIB,
  generation1VpsPerVm: 64,
  generation1VmMemoryMiB: TIB_IN_MIB,
};

/** Each release's maximums (see the table above). */
export const HOST_RELEASE_LIMITS: Readonly<Record<HostRelease, HostReleaseLimits>> = {
  ws2016: WS2016_LIMITS,
  ws2019: WS2016_LIMITS,
  ws2022: {
    logicalProcessors: 1024,
    rootVisibleProcessors: 1024,
    memoryMiB: 256 * TIB_IN_MIB,
    runningVms: 1024,
    virtualProcessors: 2048,
    vpsPerVm: 1024,
    vmMemoryMiB: 240 * TIB_IN_MIB,
    generation1VpsPerVm: 64,
    generation1VmMemoryMiB: TIB_IN_MIB,
  },
};

function largest(field: keyof HostReleaseLimits): number {
  return Math.max(...HOST_RELEASES.map((os) => HOST_RELEASE_LIMITS[os][field]));
}

/**
 * The largest figure of any modelled release, field by field: the bound a value must meet before
 * anyone knows the host's release (a schema, a control's range). The release's own limit is then
 * checked against `host.os` (parse.ts, check-configuration.ts, the hypervisor).
 */
export const LARGEST_RELEASE_LIMITS: HostReleaseLimits = {
  logicalProcessors: largest('logicalProcessors'),
  rootVisibleProcessors: largest('rootVisibleProcessors'),
  memoryMiB: largest('memoryMiB'),
  runningVms: largest('runningVms'),
  virtualProcessors: largest('virtualProcessors'),
  vpsPerVm: largest('vpsPerVm'),
  vmMemoryMiB: largest('vmMemoryMiB'),
  generation1VpsPerVm: largest('generation1VpsPerVm'),
  generation1VmMemoryMiB: largest('generation1VmMemoryMiB'),
};

/**
 * The most memory any modelled release documents for a host: Windows Server 2022 with 5-level
 * paging, "4 PB" (same page). The model has no paging levels, so it holds a 2022 host to 256 TB;
 * this is only the schema's ceiling, above which no Hyper-V host exists.
 */
export const HOST_MEMORY_CEILING_MIB = 4 * 1024 * TIB_IN_MIB;

/**
 * "Windows Server 2016 allows at most 240 virtual processors per VM" — the wording every refusal
 * of a rule-40 limit uses, so the player learns which release set the limit.
 *
 * @example
 * ```ts
 * const text = releaseAllows('ws2022', 1024, 'virtual processors per VM');
 * // 'Windows Server 2022 allows at most 1024 virtual processors per VM (rule 40)'
 * ```
 */
export function releaseAllows(os: HostRelease, limit: number, what: string): string {
  return `${HOST_RELEASE_NAMES[os]} allows at most ${limit} ${what} (rule 40)`;
}

/**
 * The same limit as what a field expects, for a {@link ConfigurationError}'s "expected …, found
 * …" line: it reads "expected at most 240 virtual processors per VM, the limit of Windows Server
 * 2016 (rule 40), found 241".
 *
 * @example
 * ```ts
 * const expected = releaseLimit('ws2016', 240, 'virtual processors per VM');
 * // 'at most 240 virtual processors per VM, the limit of Windows Server 2016 (rule 40)'
 * ```
 */
export function releaseLimit(os: HostRelease, limit: number, what: string): string {
  return `at most ${limit} ${what}, the limit of ${HOST_RELEASE_NAMES[os]} (rule 40)`;
}
