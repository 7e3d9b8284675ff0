/**
 * The guest's video stack: the desktop redraws part of the screen and the update goes down the
 * video device's path — the synthvid driver (draws into VRAM, tells the host the dirty rectangle
 * with SYNTHVID_DIRT) when the device is synthetic, the legacy frame-buffer driver for the
 * emulated S3 otherwise (draws into VRAM; the worker process finds the change by scanning dirty
 * pages). The operation ends when the update reached the console screen.
 */
import type { Ns } from '../../engine/index.js';
import type { OfferChannelMessage } from '../../vmbus/control/index.js';
import type { RunningOp } from '../application.js';
import { Synthvid } from '../drivers/synthvid.js';
import type { Binding } from '../vmbus/vmbus-client.js';
import type { GuestChannel } from '../vmbus/guest-channel.js';
import type { CostMeter } from '../../host/cpu.js';
import type {
  DeviceDriver,
  DeviceStack,
  GuestContext,
  GuestDevice,
  ScreenObserver,
} from './types.js';
import { narrate } from '../../simulation/narration-messages.js';

/** The desktop the guest draws: 1024×768 at 32 bits per pixel. */
export const DESKTOP_SCREEN = { width: 1024, height: 768, bytesPerPixel: 4 } as const;

// estimate: the guest's graphics stack handing one damaged region to the display driver.
export const VIDEO_ISSUE_NS: Ns = 2_000;
// estimate: a display driver drawing into VRAM (a memory copy, ~10 GB/s), on either path.
export const FRAMEBUFFER_WRITE_NS_PER_KIB: Ns = 100;

/** Guest CPU to draw `bytes` of pixels into the frame buffer. */
export function framebufferWriteNs(bytes: number): Ns {
  return Math.round((bytes / 1024) * FRAMEBUFFER_WRITE_NS_PER_KIB);
}

/** One screen update: a rectangle of the desktop (x2, y2 exclusive) and its size in bytes. */
export interface VideoUpdate {
  readonly bytes: number;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** The guest VP that drew it. */
  readonly vpIndex: number;
  readonly sink: VideoUpdateSink;
  readonly context: unknown;
}

export interface VideoUpdateSink {
  /** The update reached the console (synthvid: the host completed its DIRT), or failed. */
  videoUpdateDone(update: VideoUpdate, ok: boolean): void;
  /** The update is in VRAM as write `generation`; it shows once the scan-out covers it. */
  videoScanoutPending(update: VideoUpdate, generation: number): void;
}

/** What every guest display driver (synthvid or the legacy S3 one) offers the stack. */
export interface VideoDriver extends DeviceDriver {
  update(update: VideoUpdate): void;
}

export function isVideoDriver(d: unknown): d is VideoDriver {
  return typeof d === 'object' && d !== null && 'update' in d;
}

/** What the stack keeps with an update: the operation and the device it went to. */
interface UpdateContext {
  readonly run: RunningOp;
  readonly device: GuestDevice;
}

interface Pending {
  readonly update: VideoUpdate;
  readonly generation: number;
}

/** The console screen of one emulated video device, as the stack follows it. */
class Screen implements ScreenObserver {
  presented = 0;
  readonly pending: Pending[] = [];

  constructor(
    private readonly stack: VideoStack,
    readonly device: GuestDevice,
  ) {}

  framePresented(generation: number): void {
    if (generation > this.presented) this.presented = generation;
    let kept = 0;
    const list = this.pending;
    for (const p of list) {
      if (p.generation <= this.presented) this.stack.videoUpdateDone(p.update, true);
      else list[kept++] = p;
    }
    list.length = kept;
  }
}

export class VideoStack implements DeviceStack, VideoUpdateSink {
  readonly cls = 'video' as const;
  private readonly screens: Screen[] = [];
  private placement = 0x2545f491;

  constructor(private readonly ctx: GuestContext) {}

  issueCostNs(): Ns {
    return VIDEO_ISSUE_NS;
  }

  booted(devices: readonly GuestDevice[]): void {
    for (const d of devices) {
      if (d.path !== 'emulated') continue;
      d.driver = this.ctx.emulatedDriver(this.ctx, d);
      const screen = new Screen(this, d);
      this.screens.push(screen);
      this.ctx.console?.watchScreen(d.spec.id, screen);
    }
  }

  bind(device: GuestDevice, offer: OfferChannelMessage): Binding | null {
    if (offer.offer.subChannelIndex !== 0) return null;
    const ctx = this.ctx;
    const driver = new Synthvid({
      engine: ctx.engine,
      cpu: ctx.cpu,
      vpIds: ctx.vpIds,
      name: `${ctx.spec.name}:${device.spec.id}`,
      onReady: (d) => {
        ctx.deviceStateChanged();
        ctx.log(
          narrate('synthvid.ready', {
            device: device.spec.id,
            version: d.versionText,
            width: d.width,
            height: d.height,
          }),
        );
      },
      onFailed: (_d, reason) => {
        device.failure = reason;
        ctx.deviceStateChanged();
        ctx.log(narrate('synthvid.stopped', { device: device.spec.id, reason }));
      },
    });
    device.driver = driver;
    return {
      driver,
      ringBytes: device.ringBytes,
      lowLatency: device.lowLatency,
      opened: (channel: GuestChannel, meter: CostMeter) => {
        driver.attach(channel, meter);
      },
    };
  }

  dispatch(run: RunningOp, device: GuestDevice): void {
    const stream = run.op.stream;
    const driver = device.driver;
    if (stream.class !== 'video' || !isVideoDriver(driver) || driver.dead) {
      this.ctx.app.finish(run, false, 0, true);
      return;
    }
    driver.update(this.place(stream.bytes, { run, device }));
  }

  videoUpdateDone(update: VideoUpdate, ok: boolean): void {
    const { run, device } = update.context as UpdateContext;
    const dead = device.driver?.dead ?? true;
    this.ctx.app.finish(run, ok, ok ? update.bytes : 0, !ok && dead);
  }

  videoScanoutPending(update: VideoUpdate, generation: number): void {
    const { device } = update.context as UpdateContext;
    const screen = this.screens.find((s) => s.device === device);
    if (screen === undefined || generation <= screen.presented) {
      this.videoUpdateDone(update, screen !== undefined);
      return;
    }
    screen.pending.push({ update, generation });
  }

  /** A rectangle of about `bytes` worth of pixels, somewhere on the desktop (deterministic). */
  private place(bytes: number, context: UpdateContext): VideoUpdate {
    const s = DESKTOP_SCREEN;
    const pixels = Math.max(1, Math.ceil(bytes / s.bytesPerPixel));
    const w = Math.min(s.width, Math.max(1, Math.round(Math.sqrt(pixels))));
    const h = Math.min(s.height, Math.ceil(pixels / w));
    this.placement = (Math.imul(this.placement, 1103515245) + 12345) >>> 0;
    const x1 = this.placement % (s.width - w + 1);
    this.placement = (Math.imul(this.placement, 1103515245) + 12345) >>> 0;
    const y1 = this.placement % (s.height - h + 1);
    return {
      bytes: w * h * s.bytesPerPixel,
      x1,
      y1,
      x2: x1 + w,
      y2: y1 + h,
      vpIndex: context.run.vpIndex,
      sink: this,
      context,
    };
  }
}
