/**
 * Units of the memory manager. Hyper-V manages guest and host memory in 4 KiB pages
 * (T: TLFS — HV_PAGE_SIZE 4096); everything here counts pages as plain integers (a 24 TB host
 * has 6 Gi pages, well inside a double's exact range).
 */

/** Bytes in one page (T: HV_PAGE_SIZE). */
export const PAGE_SIZE = 4096;
/** log2 of {@link PAGE_SIZE}: a GPA shifted right by this is its page frame number (PFN). */
export const PAGE_SHIFT = 12;
/** Pages in one MiB. */
export const PAGES_PER_MIB = 256;

/**
 * Pages in one Dynamic Memory hot-add chunk: Linux hot-adds memory in 128 MiB blocks
 * (L: hv_balloon.c — `#define HA_CHUNK (32 * 1024)` pages).
 */
export const HOT_ADD_CHUNK_PAGES = 32 * 1024;

/** MiB → pages. */
export function mibToPages(mib: number): number {
  return Math.round(mib * PAGES_PER_MIB);
}

/** Pages → MiB (may be fractional). */
export function pagesToMib(pages: number): number {
  return pages / PAGES_PER_MIB;
}

/** Pages → bytes. */
export function pagesToBytes(pages: number): number {
  return pages * PAGE_SIZE;
}

/** Byte count → pages, rounded up. */
export function bytesToPages(bytes: number): number {
  return Math.ceil(bytes / PAGE_SIZE);
}
