/**
 * What happens inside a guest whose working set does not fit the memory it has: it pages.
 * Part of the working set lives in the guest's page file, every touch of it is a hard fault
 * that reads from the virtual disk, and evicting dirty pages to make room writes to it. The
 * workload waits on those reads. (HYPERV.md: memory pressure ⇒ guest paging ⇒ extra storage
 * I/O and slower workloads.)
 *
 * Model: the guest touches a fixed share of its working set every second, uniformly, so the
 * pages it does not hold are faulted at `shortfall × touch rate`. Faults are read in clusters;
 * a share of evicted pages is dirty and is written back in larger clusters. Each read stalls the
 * workload for about one SSD read. The relation is what matters: more shortfall ⇒ more paging
 * I/O ⇒ slower. The numbers are estimates; Hyper-V publishes none.
 */
import { PAGES_PER_MIB, PAGE_SIZE } from '../units.js';

// estimate: a busy guest touches about a fifth of its working set each second.
const TOUCHED_SHARE_PER_SECOND = 0.2;
// estimate: hard faults are read in clusters of 8 pages (Linux page-cluster = 3; Windows reads 8–16).
const READ_CLUSTER_PAGES = 8;
// estimate: a third of the pages evicted to make room are dirty and must be written first.
const DIRTY_SHARE = 1 / 3;
// estimate: dirty pages are written back in clusters of 16 pages (64 KiB).
const WRITE_CLUSTER_PAGES = 16;
// estimate: each page-in read stalls the workload for ~100 µs (one SSD read plus fault handling).
const STALL_SECONDS_PER_READ = 100e-6;
// estimate: past this the guest thrashes; we stop the slowdown at 20× rather than at a standstill.
const MAX_SLOWDOWN = 20;

/** The effect of paging on one guest, per simulated second. */
export interface PagingEffect {
  /** Working set that does not fit, MiB. */
  readonly shortfallMiB: number;
  /** Hard page faults per second. */
  readonly faultsPerSecond: number;
  /** Extra storage reads per second (page-ins). */
  readonly readsPerSecond: number;
  /** Extra storage writes per second (dirty evictions). */
  readonly writesPerSecond: number;
  /** Bytes read per second. */
  readonly readBytesPerSecond: number;
  /** Bytes written per second. */
  readonly writeBytesPerSecond: number;
  /** The workload's work takes this many times longer (1 = no paging). */
  readonly slowdown: number;
}

/**
 * The extra storage I/O and the slowdown of a guest whose workload wants `demandMiB` while it
 * holds `assignedMiB`. Pure; no paging when demand fits.
 *
 * @example
 * ```ts
 * pagingEffect(4096, 4096).slowdown;   // 1
 * pagingEffect(4096, 3072).readsPerSecond; // 1024 MiB short → ~6554 reads/s
 * ```
 */
export function pagingEffect(demandMiB: number, assignedMiB: number): PagingEffect {
  const shortfallMiB = Math.max(0, demandMiB - Math.max(0, assignedMiB));
  const faultsPerSecond = shortfallMiB * PAGES_PER_MIB * TOUCHED_SHARE_PER_SECOND;
  const readsPerSecond = faultsPerSecond / READ_CLUSTER_PAGES;
  const writesPerSecond = (faultsPerSecond * DIRTY_SHARE) / WRITE_CLUSTER_PAGES;
  const slowdown = Math.min(MAX_SLOWDOWN, 1 + readsPerSecond * STALL_SECONDS_PER_READ);
  return {
    shortfallMiB,
    faultsPerSecond,
    readsPerSecond,
    writesPerSecond,
    readBytesPerSecond: faultsPerSecond * PAGE_SIZE,
    writeBytesPerSecond: faultsPerSecond * DIRTY_SHARE * PAGE_SIZE,
    slowdown,
  };
}
