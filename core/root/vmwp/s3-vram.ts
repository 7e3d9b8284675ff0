/**
 * The emulated video card's memory (VRAM) and how the root learns what the guest drew. VRAM is a
 * PCI memory BAR — Hyper-V's generation 1 "Microsoft Corporation Hyper-V virtual VGA [1414:5353]"
 * shows `Memory at f8000000 (32-bit, non-prefetchable) [size=64M]` in lspci — backed by memory the
 * worker process maps. A guest writes pixels there with ordinary stores: no port access, no exit
 * to the root. To find out what changed, the worker process asks the hypervisor for the pages'
 * dirty state and clears it (HvCallGetGpaPagesAccessState, call code 0xC9 — O: hvdef); the
 * hypervisor tracks it by write-protecting clean pages, so the first store to each page after a
 * scan takes a fault the hypervisor handles (guest VP time, no root exit).
 *
 * The tracking is per 4 KiB page: a change of a few bytes costs a whole page to copy, and a
 * rectangle spans one page per pixel row once the row pitch reaches 4 KiB.
 */

export const HYPERV_VGA_VRAM_GPA = 0xf800_0000;
export const HYPERV_VGA_VRAM_BYTES = 64 * 1024 * 1024;
export const VRAM_PAGE_BYTES = 4096;

/**
 * The desktop mode the model's S3 driver runs: 1024×768 at 32 bits per pixel, pitch 4096 bytes
 * (an S3 Trio mode within its VRAM; the guest's driver sets it at boot, not modelled).
 */
export const S3_DESKTOP_MODE = {
  width: 1024,
  height: 768,
  bytesPerPixel: 4,
  pitchBytes: 4096,
} as const;

/** VRAM with the hypervisor's per-page dirty tracking over it. */
export class VramAperture {
  readonly gpa = HYPERV_VGA_VRAM_GPA;
  readonly pages: number;
  private readonly dirty: Uint8Array;
  private readonly dirtyPages: Int32Array;
  private dirtyCount = 0;
  /** Guest writes completed so far; a scan covers every write up to the value it read. */
  generation = 0;
  /** Write-protect faults the guest took (first store to a clean page). */
  faults = 0;

  constructor(readonly bytes: number) {
    this.pages = Math.ceil(Math.max(0, bytes) / VRAM_PAGE_BYTES);
    this.dirty = new Uint8Array(this.pages);
    this.dirtyPages = new Int32Array(this.pages);
  }

  /**
   * The guest stores into VRAM bytes [offset, offset + length) (ordinary memory writes). Returns
   * how many pages went from clean to dirty: each cost the guest a write-protect fault.
   */
  write(offset: number, length: number): number {
    this.generation++;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || length <= 0) return 0;
    const first = Math.max(0, Math.floor(offset / VRAM_PAGE_BYTES));
    const last = Math.min(this.pages - 1, Math.floor((offset + length - 1) / VRAM_PAGE_BYTES));
    let fresh = 0;
    for (let p = first; p <= last; p++) {
      if (this.dirty[p] !== 0) continue;
      this.dirty[p] = 1;
      this.dirtyPages[this.dirtyCount++] = p;
      fresh++;
    }
    this.faults += fresh;
    return fresh;
  }

  /** Pages dirty right now. */
  get dirtyPageCount(): number {
    return this.dirtyCount;
  }

  /**
   * The root reads and clears the dirty state of pages [0, `scanPages`) — what
   * HvCallGetGpaPagesAccessState with the clear flag does — and gets the dirty ones in `out`.
   * Dirty pages beyond the scanned window stay dirty. Returns the number written to `out`.
   */
  takeDirty(scanPages: number, out: Int32Array): number {
    let n = 0;
    let kept = 0;
    for (let i = 0; i < this.dirtyCount; i++) {
      const p = this.dirtyPages[i];
      if (p < scanPages && n < out.length) {
        out[n++] = p;
        this.dirty[p] = 0;
      } else {
        this.dirtyPages[kept++] = p;
      }
    }
    this.dirtyCount = kept;
    return n;
  }
}
