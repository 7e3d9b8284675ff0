/**
 * The guest's storage stack: block requests from the application go to the storvsc driver bound
 * to the device's synthetic channel, or to the legacy IDE driver when the device is emulated.
 */
import type { EventType, Ns } from '../../engine/index.js';
import { WorkClass } from '../../host/cpu.js';
import { DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID } from '../../model/index.js';
import type { OfferChannelMessage } from '../../vmbus/control/index.js';
import type { RunningOp } from '../application.js';
import { Storvsc } from '../drivers/storvsc.js';
import type { BlockDriver, BlockIo, BlockIoSink } from '../io.js';
import type { Binding } from '../vmbus/vmbus-client.js';
import type { GuestChannel } from '../vmbus/guest-channel.js';
import type { CostMeter } from '../../host/cpu.js';
import type { DeviceStack, GuestContext, GuestDevice } from './types.js';
import { strayCompletionLog, vscFailed } from './types.js';
import { narrate } from '../../simulation/narration-messages.js';

// estimate: guest CPU the block layer and storvsc spend issuing one request.
export const SYNTHETIC_STORAGE_ISSUE_NS: Ns = 6_000;
// estimate: the block layer's share when the request goes to the legacy IDE driver instead (the
// driver's own port accesses are charged as they happen).
export const EMULATED_STORAGE_ISSUE_NS: Ns = 4_000;

/**
 * A block request of the application's, reused once it completed (every storage op of every VM
 * makes one). `live` guards against a driver completing the same request twice.
 */
class StackBlockIo implements BlockIo {
  op: BlockIo['op'] = 'read';
  bytes = 0;
  offset = 0;
  vpIndex = 0;
  issuedAt: Ns = 0;
  context: RunningOp | null = null;
  device: GuestDevice | null = null;
  live = false;

  constructor(readonly sink: StorageStack) {}
}

export function isBlockDriver(d: unknown): d is BlockDriver {
  return typeof d === 'object' && d !== null && 'submit' in d;
}

export class StorageStack implements DeviceStack, BlockIoSink {
  readonly cls = 'storage' as const;
  private seqCursor = 0;
  private randomCursor = 0x9e3779b9;
  private readonly freeIos: StackBlockIo[] = [];

  /**
   * storvsc's wait for an init answer (rule 16): a timeout kind, taken back out of the queue when
   * the host answers, so a handshake the host answers adds no event to the run.
   */
  private readonly initTimeout: EventType<Storvsc>;

  constructor(private readonly ctx: GuestContext) {
    this.initTimeout = ctx.engine.defineTimeout<Storvsc>(
      `storvsc:${ctx.spec.name}:init-timeout`,
      (driver) => {
        const meter = ctx.meter;
        meter.take();
        driver.onInitTimeout(meter);
        ctx.cpu.charge(ctx.vpIds[0], meter.take(), WorkClass.Thread);
      },
    );
  }

  issueCostNs(device: GuestDevice): Ns {
    return device.path === 'emulated' ? EMULATED_STORAGE_ISSUE_NS : SYNTHETIC_STORAGE_ISSUE_NS;
  }

  booted(devices: readonly GuestDevice[]): void {
    for (const d of devices)
      if (d.path === 'emulated') d.driver = this.ctx.emulatedDriver(this.ctx, d);
  }

  bind(device: GuestDevice, offer: OfferChannelMessage): Binding | null {
    const ctx = this.ctx;
    const classGuid = offer.offer.ifType;
    // L: storvsc_drv.c `id_table` — storvsc binds the synthetic SCSI controller (HV_SCSI_GUID)
    // and the IDE accelerator (HV_IDE_GUID, `dev_type` IDE); Fibre Channel is not modelled.
    if (classGuid !== DEVICE_CLASS_GUIDS.storage && classGuid !== IDE_ACCELERATOR_CLASS_GUID)
      return null;
    let driver = device.driver instanceof Storvsc ? device.driver : null;
    if (driver === null || offer.offer.subChannelIndex === 0) {
      const created = new Storvsc(null, {
        classGuid,
        onlineCpus: ctx.vpIds.length,
        dataPfn: ctx.ioBufferPfn,
        dataPages: ctx.ioBufferPages,
        ringBytes: device.ringBytes,
        now: () => ctx.engine.now,
        sendWait: ctx.metrics.sendWait,
        onReady: () => {
          ctx.deviceStateChanged();
          // Ready means the primary channel is; the subchannels it asked for open afterwards.
          ctx.log(
            narrate('storvsc.ready', {
              device: device.spec.id,
              ide: created.ide,
              major: created.protocolVersion >> 8,
              minor: created.protocolVersion & 0xff,
              subchannels: created.subchannelsRequested,
              channels: created.channelCount,
            }),
          );
        },
        onFailed: vscFailed(ctx, device, 'storvsc'),
        onStrayCompletion: strayCompletionLog(ctx, device, 'storvsc', 'Incorrect transaction ID'),
        armInitTimeout: (d, ns) => {
          ctx.engine.after(ns, this.initTimeout, d);
        },
        cancelInitTimeout: (d) => {
          ctx.engine.cancel(this.initTimeout, d);
        },
      });
      driver = created;
      device.driver = created;
    }
    const bound = driver;
    return {
      driver: bound,
      ringBytes: device.ringBytes,
      lowLatency: device.lowLatency,
      opened: (channel: GuestChannel, meter: CostMeter) => {
        bound.attach(channel);
        if (offer.offer.subChannelIndex === 0) bound.start(meter);
        else bound.pump(meter);
      },
    };
  }

  dispatch(run: RunningOp, device: GuestDevice): void {
    const ctx = this.ctx;
    const access = run.op.access;
    const driver = device.driver;
    if (access === undefined || !isBlockDriver(driver) || driver.dead) {
      ctx.app.finish(run, false, 0, true);
      return;
    }
    const sizeBytes = (device.spec.sizeGiB ?? 40) * 1024 * 1024 * 1024;
    const io = this.freeIos.pop() ?? new StackBlockIo(this);
    io.op = access.op;
    io.bytes = access.bytes;
    io.offset = this.offsetFor(access.sequential, access.bytes, sizeBytes);
    io.vpIndex = run.vpIndex;
    io.issuedAt = ctx.engine.now;
    io.context = run;
    io.device = device;
    io.live = true;
    driver.submit(io);
    if (driver instanceof Storvsc) {
      ctx.meter.take();
      driver.pump(ctx.meter, run.vpIndex);
      ctx.cpu.charge(ctx.vpIds[run.vpIndex], ctx.meter.take(), WorkClass.Thread);
    }
  }

  blockIoDone(io: BlockIo, ok: boolean): void {
    if (!(io instanceof StackBlockIo) || !io.live) return;
    const done = io;
    done.live = false;
    const run = done.context as RunningOp;
    const device = done.device as GuestDevice;
    const bytes = done.bytes;
    done.context = null;
    done.device = null;
    this.freeIos.push(done);
    // A request that fails because its device died is lost; one the device answered with an
    // error status failed.
    this.ctx.app.finish(run, ok, bytes, !ok && device.driver !== null && device.driver.dead);
  }

  /** A byte offset on the disk: sequential streams continue, random ones scatter (deterministic). */
  private offsetFor(sequential: boolean, bytes: number, sizeBytes: number): number {
    const blocks = Math.max(1, Math.floor(sizeBytes / 4096) - 1024);
    if (sequential) {
      const at = this.seqCursor;
      this.seqCursor = (this.seqCursor + Math.ceil(bytes / 4096)) % blocks;
      return at * 4096;
    }
    this.randomCursor = (Math.imul(this.randomCursor, 1103515245) + 12345) >>> 0;
    return (this.randomCursor % blocks) * 4096;
  }
}
