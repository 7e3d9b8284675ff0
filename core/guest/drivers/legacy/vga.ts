/**
 * The guest's display driver for the emulated S3 (a VGA/VESA frame-buffer driver without
 * integration components). For each screen update it waits for vertical retrace (polling input
 * status 1 at 0x3DA), moves the S3 hardware cursor to the update (CR46–CR49, one word OUT to the
 * CRTC index port each) and draws the rectangle into VRAM, row by row. The register accesses are
 * intercepted port I/O (rule 21); the drawing is plain stores, but the hypervisor write-protects
 * VRAM pages for the worker process's dirty tracking, so the first store to each clean page
 * faults. Nobody tells the worker process about the update: its next refresh finds the dirty pages.
 */
import type { EventType, Ns } from '../../../engine/index.js';
import { WorkClass } from '../../../host/cpu.js';
import type { LegacyDriverContext } from '../../../root/vmwp/registry.js';
import { S3Crtc, VgaPort, VgaStatus1 } from '../../../root/vmwp/s3-vga.js';
import { S3_DESKTOP_MODE } from '../../../root/vmwp/s3-vram.js';
import type { GuestDevice } from '../../stacks/types.js';
import { framebufferWriteNs } from '../../stacks/video-stack.js';
import type { VideoDriver, VideoUpdate } from '../../stacks/video-stack.js';
import type { PortContinuation } from './port-io.js';

// estimate: a write-protect fault on a clean VRAM page, handled in the hypervisor (no root exit).
export const VRAM_WRITE_FAULT_NS: Ns = 1_000;
/** The model's S3 flips retrace on every status read: a second poll always sees it. */
const MAX_RETRACE_POLLS = 2;

const CURSOR_REGISTERS = [
  S3Crtc.CURSOR_X_HIGH,
  S3Crtc.CURSOR_X_LOW,
  S3Crtc.CURSOR_Y_HIGH,
  S3Crtc.CURSOR_Y_LOW,
] as const;

export class LegacyVgaDriver implements VideoDriver, PortContinuation {
  readonly ready = true;
  readonly dead = false;
  private readonly queue: VideoUpdate[] = [];
  private queueHead = 0;
  private current: VideoUpdate | null = null;
  /** -1: polling retrace; 0..3: cursor registers. */
  private step = -1;
  private polls = 0;
  /** The VP running the driver's work (the one whose event is being handled). */
  private vp = 0;
  private readonly drawn: EventType<LegacyVgaDriver>;
  /** Updates drawn, and VRAM write-protect faults taken. */
  updates = 0;
  faults = 0;

  constructor(
    private readonly ctx: LegacyDriverContext,
    readonly device: GuestDevice,
  ) {
    this.drawn = ctx.engine.define<LegacyVgaDriver>(
      `vga-driver:${ctx.spec.name}:${device.spec.id}:drawn`,
      (d) => {
        d.afterDraw();
      },
    );
  }

  update(update: VideoUpdate): void {
    if (this.current !== null) {
      this.queue.push(update);
      return;
    }
    this.begin(update, update.vpIndex);
  }

  private begin(update: VideoUpdate, vp: number): void {
    this.current = update;
    this.vp = vp;
    this.step = -1;
    this.polls = 0;
    this.ctx.ports.access(vp, VgaPort.INPUT_STATUS_1, 1, false, 0, this);
  }

  /** PortContinuation: the last register access completed. */
  portDone(value: number): void {
    const u = this.current;
    if (u === null) return;
    if (this.step === -1) {
      this.polls++;
      if ((value & VgaStatus1.VERTICAL_RETRACE) === 0 && this.polls < MAX_RETRACE_POLLS) {
        this.ctx.ports.access(this.vp, VgaPort.INPUT_STATUS_1, 1, false, 0, this);
        return;
      }
    }
    this.step++;
    if (this.step < CURSOR_REGISTERS.length) {
      const index = CURSOR_REGISTERS[this.step];
      const position = this.step < 2 ? u.x1 : u.y1;
      const data = this.step % 2 === 0 ? (position >> 8) & 0xff : position & 0xff;
      this.ctx.ports.access(this.vp, VgaPort.CRTC_INDEX, 2, true, index | (data << 8), this);
      return;
    }
    const cost = framebufferWriteNs(u.bytes);
    this.ctx.cpu.run(this.ctx.vpIds[this.vp], cost, WorkClass.Thread, this.drawn, this);
  }

  /** The rectangle's stores landed in VRAM: the dirty pages are the worker process's to find. */
  private afterDraw(): void {
    const u = this.current;
    const vram = this.ctx.vram;
    if (u === null) return;
    this.current = null;
    this.updates++;
    let faults = 0;
    if (vram !== null) {
      const m = S3_DESKTOP_MODE;
      const rowBytes = (u.x2 - u.x1) * m.bytesPerPixel;
      for (let y = u.y1; y < u.y2; y++)
        faults += vram.write(y * m.pitchBytes + u.x1 * m.bytesPerPixel, rowBytes);
    }
    this.faults += faults;
    this.ctx.cpu.charge(this.ctx.vpIds[this.vp], faults * VRAM_WRITE_FAULT_NS, WorkClass.Thread);
    u.sink.videoScanoutPending(u, vram === null ? 0 : vram.generation);
    if (this.queueHead < this.queue.length) {
      const next = this.queue[this.queueHead++];
      if (this.queueHead > 256 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      this.begin(next, this.vp); // the same thread takes the next update
    }
  }
}
