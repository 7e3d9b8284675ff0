/**
 * The emulated S3 Trio video card in a VM's worker process (rule 21). Its VGA registers
 * (0x3B0–0x3DF) are intercepted port accesses like every legacy device's. Its frame buffer is
 * not: the guest draws with plain stores into VRAM, so the worker process must go and look. The
 * model does what an emulated display adapter does without a paravirtual channel: at every
 * refresh it asks the hypervisor which VRAM pages are dirty (and clears them), copies those pages
 * to the console's surface and presents it (root CPU per page, whether one pixel or the whole page
 * changed). A refresh costs the dirty-page query even when nothing changed, and an update waits
 * for the next refresh to reach the screen.
 *
 * Hyper-V publishes no refresh rate for its emulated video; the model uses 30 ms, QEMU's default
 * display refresh (GUI_REFRESH_INTERVAL_DEFAULT), whose VGA emulation works the same way.
 */
import type { EventType, Ns } from '../../engine/index.js';
import { NS_PER_MS } from '../../engine/index.js';
import { WorkClass } from '../../host/cpu.js';
import type { VpId } from '../../scheduler/index.js';
import type { EmulatedDeviceModel, PortAccess, PortAnswer, PortRange } from './device-model.js';
import type { EmulationContext } from './registry.js';
import { VgaPort, VgaStatus1 } from './s3-vga.js';
import { S3_DESKTOP_MODE, VRAM_PAGE_BYTES, VramAperture } from './s3-vram.js';

// estimate: QEMU's VGA display refresh interval (Hyper-V publishes none for its S3 emulation).
export const S3_REFRESH_INTERVAL_NS: Ns = 30 * NS_PER_MS;
// estimate: the worker's model decoding one VGA register access.
export const VGA_REGISTER_NS: Ns = 300;
// estimate: one HvCallGetGpaPagesAccessState call (query + clear dirty state), before its reps.
export const VRAM_DIRTY_QUERY_NS: Ns = 1_000;
// estimate: each page rep of that call, including re-arming write protection on it.
export const VRAM_DIRTY_QUERY_PER_PAGE_NS: Ns = 20;
// estimate: copying one dirty 4 KiB page to the console surface, ~4 GB/s.
export const VRAM_PAGE_COPY_NS: Ns = 1_000;
// estimate: handing a finished frame to the console (vmconnect's RDP encoder), per frame.
export const CONSOLE_PRESENT_NS: Ns = 5_000;

/** The part of VRAM the desktop mode shows, in pages: what each refresh scans. */
export const S3_SCAN_PAGES = Math.ceil(
  (S3_DESKTOP_MODE.pitchBytes * S3_DESKTOP_MODE.height) / VRAM_PAGE_BYTES,
);

/** Index/data register file (CRTC, sequencer, graphics controller). */
class IndexedRegisters {
  index = 0;
  readonly data = new Uint8Array(256);
}

export class S3VideoModel implements EmulatedDeviceModel {
  readonly name = 'S3 Trio emulated video (VGA)';
  readonly ports: readonly PortRange[] = [{ base: 0x3b0, end: 0x3df }];
  readonly vram: VramAperture;
  private readonly crtc = new IndexedRegisters();
  private readonly sequencer = new IndexedRegisters();
  private readonly graphics = new IndexedRegisters();
  private readonly attribute = new Uint8Array(32);
  private attributeIndex = 0;
  private attributeFlipFlop = false;
  private misc = 0x67;
  private status1 = 0;
  private readonly palette = new Uint8Array(768);
  private dacWrite = 0;
  private dacRead = 0;
  private dacMask = 0xff;
  private readonly dirty = new Int32Array(S3_SCAN_PAGES);
  private presented = 0;
  private readonly rootVp: VpId;
  private readonly refreshEvent: EventType<null>;
  private readonly presentedEvent: EventType<number>;
  /** Refreshes done, pages copied to the console, frames presented. */
  refreshes = 0;
  pagesCopied = 0;
  frames = 0;
  private stopped = false;

  constructor(private readonly ctx: EmulationContext) {
    this.vram = ctx.vram ?? new VramAperture(S3_SCAN_PAGES * VRAM_PAGE_BYTES);
    this.rootVp = ctx.cpu.vp(ctx.rootPartitionId, ctx.rootVpIndex);
    const tag = `s3:${ctx.vm}:${ctx.device.spec.id}`;
    this.refreshEvent = ctx.engine.define<null>(`${tag}:refresh`, () => {
      this.refresh();
    });
    this.presentedEvent = ctx.engine.define<number>(`${tag}:presented`, (generation) => {
      this.frames++;
      ctx.console.framePresented(ctx.device.spec.id, generation);
    });
    ctx.engine.after(S3_REFRESH_INTERVAL_NS, this.refreshEvent, null);
  }

  onAccess(a: PortAccess): PortAnswer {
    const cost = VGA_REGISTER_NS;
    if (a.write) {
      this.write(a.port, a.value & 0xff);
      // A word OUT to an index port also writes the data port after it (outw idx|data<<8).
      if (a.size >= 2) this.write(a.port + 1, (a.value >>> 8) & 0xff);
      return { costNs: cost };
    }
    return { value: this.read(a.port), costNs: cost };
  }

  private write(port: number, v: number): void {
    switch (port) {
      case VgaPort.CRTC_INDEX:
      case VgaPort.CRTC_INDEX_MONO:
        this.crtc.index = v;
        return;
      case VgaPort.CRTC_DATA:
      case VgaPort.CRTC_DATA_MONO:
        this.crtc.data[this.crtc.index] = v;
        return;
      case VgaPort.SEQUENCER_INDEX:
        this.sequencer.index = v;
        return;
      case VgaPort.SEQUENCER_DATA:
        this.sequencer.data[this.sequencer.index] = v;
        return;
      case VgaPort.GRAPHICS_INDEX:
        this.graphics.index = v;
        return;
      case VgaPort.GRAPHICS_DATA:
        this.graphics.data[this.graphics.index] = v;
        return;
      case VgaPort.ATTRIBUTE:
        if (this.attributeFlipFlop) this.attribute[this.attributeIndex & 0x1f] = v;
        else this.attributeIndex = v;
        this.attributeFlipFlop = !this.attributeFlipFlop;
        return;
      case VgaPort.MISC_WRITE:
        this.misc = v;
        return;
      case VgaPort.DAC_MASK:
        this.dacMask = v;
        return;
      case VgaPort.DAC_READ_INDEX:
        this.dacRead = v * 3;
        return;
      case VgaPort.DAC_WRITE_INDEX:
        this.dacWrite = v * 3;
        return;
      case VgaPort.DAC_DATA:
        this.palette[this.dacWrite] = v & 0x3f;
        this.dacWrite = (this.dacWrite + 1) % this.palette.length;
        return;
      default:
        return;
    }
  }

  private read(port: number): number {
    switch (port) {
      case VgaPort.CRTC_INDEX:
      case VgaPort.CRTC_INDEX_MONO:
        return this.crtc.index;
      case VgaPort.CRTC_DATA:
      case VgaPort.CRTC_DATA_MONO:
        return this.crtc.data[this.crtc.index];
      case VgaPort.SEQUENCER_INDEX:
        return this.sequencer.index;
      case VgaPort.SEQUENCER_DATA:
        return this.sequencer.data[this.sequencer.index];
      case VgaPort.GRAPHICS_INDEX:
        return this.graphics.index;
      case VgaPort.GRAPHICS_DATA:
        return this.graphics.data[this.graphics.index];
      case VgaPort.ATTRIBUTE:
        return this.attributeIndex;
      case VgaPort.ATTRIBUTE_READ:
        return this.attribute[this.attributeIndex & 0x1f];
      case VgaPort.MISC_READ:
        return this.misc;
      case VgaPort.DAC_MASK:
        return this.dacMask;
      case VgaPort.DAC_DATA: {
        const v = this.palette[this.dacRead];
        this.dacRead = (this.dacRead + 1) % this.palette.length;
        return v;
      }
      case VgaPort.INPUT_STATUS_1:
      case VgaPort.INPUT_STATUS_1_MONO:
        // Like QEMU's VGA, flip retrace and display-enable on every read so a driver polling
        // for retrace sees it within two reads. The read also resets the attribute flip-flop.
        this.status1 ^= VgaStatus1.VERTICAL_RETRACE | VgaStatus1.DISPLAY_DISABLED;
        this.attributeFlipFlop = false;
        return this.status1;
      default:
        return 0xff;
    }
  }

  /** One refresh: query and clear VRAM dirty state, copy dirty pages, present. Then re-arm. */
  /** The worker process ended: the console stops refreshing (no more root CPU for it). */
  stop(): void {
    this.stopped = true;
  }

  private refresh(): void {
    if (this.stopped) return;
    this.refreshes++;
    const generation = this.vram.generation;
    const dirty = this.vram.takeDirty(S3_SCAN_PAGES, this.dirty);
    this.pagesCopied += dirty;
    const query = VRAM_DIRTY_QUERY_NS + S3_SCAN_PAGES * VRAM_DIRTY_QUERY_PER_PAGE_NS;
    const ctx = this.ctx;
    if (generation > this.presented) {
      this.presented = generation;
      const cost = query + dirty * VRAM_PAGE_COPY_NS + CONSOLE_PRESENT_NS;
      ctx.cpu.run(this.rootVp, cost, WorkClass.Thread, this.presentedEvent, generation);
    } else {
      ctx.cpu.charge(this.rootVp, query, WorkClass.Thread);
    }
    ctx.engine.after(S3_REFRESH_INTERVAL_NS, this.refreshEvent, null);
  }
}
