/**
 * The guest's memory status report and what the host makes of it (HYPERV.md rule 34).
 *
 * Every second the guest's balloon driver posts DM_STATUS_REPORT (L: hv_balloon.c struct
 * dm_status: num_avail, num_committed, page_file_size, zero_free, page_file_writes, io_diff).
 * The driver notes that "the algorithm on the host side that computes the guest memory pressure
 * only uses num_committed", so the simulation carries `numAvail` and `numCommitted` only.
 * Linux starts reporting 45 s after loading (`pressure_report_delay = 45`).
 *
 * The guest counts the pages it holds for the balloon (and, on Linux, hot-added pages not yet
 * online, plus a floor below which it must not be ballooned) as committed. The host knows how
 * many pages it ballooned and left unbacked, takes them off, and calls the rest demand:
 * pressure = demand / assigned × 100.
 */

/** One DM_STATUS_REPORT, in 4 KiB pages. */
export interface DmStatusReport {
  /** Available memory in the guest, pages. */
  readonly numAvail: number;
  /** Committed memory, pages (the only field the host's pressure uses). */
  readonly numCommitted: number;
}

/** Seconds a Linux guest waits before its first report (L: hv_balloon.c pressure_report_delay). */
export const LINUX_PRESSURE_REPORT_DELAY_S = 45;

const MIB = 256; // pages per MiB

/**
 * The floor Linux adds to its committed pages so the host never balloons it below what the
 * kernel needs (L: hv_balloon.c compute_balloon_floor).
 */
export function linuxBalloonFloorPages(totalRamPages: number): number {
  const t = totalRamPages;
  if (t < 128 * MIB) return 8 * MIB + Math.floor(t / 2);
  if (t < 512 * MIB) return 40 * MIB + Math.floor(t / 4);
  if (t < 2048 * MIB) return 104 * MIB + Math.floor(t / 8);
  if (t < 8192 * MIB) return 232 * MIB + Math.floor(t / 16);
  return 488 * MIB + Math.floor(t / 32);
}

/** What the guest knows when it builds its report, pages. */
export interface GuestMemoryState {
  readonly family: 'windows' | 'linux';
  /** Memory the guest's workload and kernel commit (its working set). */
  readonly committedPages: number;
  /** Memory the guest considers available. */
  readonly availablePages: number;
  /** Pages its balloon driver holds for the host. */
  readonly balloonedPages: number;
  /** Hot-added pages not backed (Linux: num_pages_added − num_pages_onlined). */
  readonly unbackedPages: number;
  /** Memory the guest kernel manages (Linux totalram_pages). */
  readonly totalRamPages: number;
}

/**
 * Builds the report a guest posts: committed + ballooned + hot-added-not-online, and on Linux
 * its balloon floor as well (L: hv_balloon.c post_status: "the host expects the pressure
 * information to include the ballooned out pages", and offline hot-added pages are reported as
 * committed "otherwise it can try asking us to balloon them out").
 */
export function guestStatusReport(state: GuestMemoryState): DmStatusReport {
  const base = state.committedPages + state.balloonedPages + state.unbackedPages;
  const numCommitted =
    state.family === 'linux' ? base + linuxBalloonFloorPages(state.totalRamPages) : base;
  return { numAvail: state.availablePages, numCommitted };
}

/** The host's demand for a guest: committed pages minus those it ballooned or left unbacked. */
export function hostDemandPages(
  report: DmStatusReport,
  balloonedPages: number,
  unbackedPages: number,
): number {
  return Math.max(0, report.numCommitted - balloonedPages - unbackedPages);
}

/** Memory pressure, percent: demand / assigned × 100, rounded (rule 34). */
export function pressurePercent(demandPages: number, assignedPages: number): number {
  return Math.round((demandPages * 100) / Math.max(1, assignedPages));
}
