/**
 * One VSP instance at work in the root partition: the plugin's handlers, the narrow host object it
 * was created with, and the rules of the boundary.
 *
 * - A handler runs when a root VP starts on the packet, completion or event. What it asks for is
 *   recorded and applied once the CPU time it charged (plus a fixed dispatch cost) has run on
 *   that root VP, so the plugin's work is root CPU like any other (the scheduler decides when).
 * - A handler that throws loses its channel (rule 38): the VM's device fails, the fault names the
 *   plugin and the reason, and the host and every other channel keep running.
 */
import type { EventType, Ns, SimEngine } from '../engine/index.js';
import type { DeviceClass, VspInstance } from '../model/index.js';
import type { CostMeter, HostCpu } from '../host/cpu.js';
import { WorkClass } from '../host/cpu.js';
import { HostChannel } from './host-channel.js';
import type { ChannelOwner } from './host-channel.js';
import type { ChannelFaultKind, ChannelFaultLog } from './plugin-faults.js';
import { describeThrown } from './plugin-faults.js';
import type { HostTransport } from './transport.js';
import type {
  DeviceCompletion,
  MemoryChangeReport,
  MemoryPressureReport,
  VspChannel,
  VspDevicePort,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspModule,
  VspPacket,
} from './types.js';

// estimate: the VMBus/VSP framework's own work per packet or completion it hands a VSP (ring
// bookkeeping, dispatch), on top of what the VSP charges for its protocol work.
export const VSP_DISPATCH_NS: Ns = 1_500;

/** Reports a VSP makes to the rest of the root partition (balancer, VMMS, the run log). */
export interface VspReports {
  memoryPressure(channel: VspChannel, report: MemoryPressureReport): void;
  memoryChange(channel: VspChannel, change: MemoryChangeReport): void;
  heartbeat(channel: VspChannel, sequence: number): void;
  log(instance: string, message: string): void;
}

export interface VspRuntimeDeps {
  readonly engine: SimEngine;
  readonly cpu: HostCpu;
  readonly meter: CostMeter;
  readonly module: VspModule;
  readonly instance: VspInstance;
  /** Builds the device port for this runtime (it needs the runtime to route completions). */
  readonly device: (runtime: VspRuntime) => VspDevicePort;
  readonly faults: ChannelFaultLog;
  readonly reports: VspReports;
}

interface CallContext {
  readonly channel: HostChannel;
  charged: number;
  readonly effects: (() => void)[];
}

interface Batch {
  readonly channel: HostChannel;
  readonly effects: (() => void)[];
  /** The batch finishes a packet: commit its ring space and take the next one. */
  readonly packet: boolean;
}

export class VspRuntime implements ChannelOwner {
  readonly host: VspHost;
  private handlers: VspHandlers | null = null;
  private createFailure: string | null = null;
  private ctx: CallContext | null = null;
  private readonly applyEvent: EventType<Batch>;
  private readonly timerEvent: EventType<{ channel: HostChannel; tag: number }>;
  readonly channels: HostChannel[] = [];
  readonly device: VspDevicePort;

  // Counters read by metrics.
  packetsHandled = 0;
  callsHandled = 0;
  cpuNs = 0;

  constructor(private readonly deps: VspRuntimeDeps) {
    const { engine, instance, module } = deps;
    this.applyEvent = engine.define<Batch>(`vsp:${instance.id}:apply`, (b) => {
      this.apply(b);
    });
    this.timerEvent = engine.define<{ channel: HostChannel; tag: number }>(
      `vsp:${instance.id}:timer`,
      (t) => {
        this.deliver(t.channel, { type: 'timer', tag: t.tag });
      },
    );
    this.device = deps.device(this);
    this.host = this.makeHost();
    try {
      this.handlers = module.create(this.host);
    } catch (e) {
      this.createFailure = describeThrown(e);
      deps.reports.log(instance.id, `${module.id} failed to start: ${this.createFailure}`);
    }
  }

  get meter(): CostMeter {
    return this.deps.meter;
  }

  get id(): string {
    return this.deps.instance.id;
  }

  get pluginId(): string {
    return this.deps.module.id;
  }

  /** The device class the plugin serves (icsvc: the launcher offers integration services by it). */
  get deviceClass(): DeviceClass {
    return this.deps.module.deviceClass;
  }

  /** A channel to this VSP was opened by the guest. */
  open(transport: HostTransport): HostChannel {
    const channel = new HostChannel(transport, this);
    this.channels.push(channel);
    if (this.handlers === null) {
      this.blame(
        channel,
        'plugin-threw',
        `the VSP failed to start: ${this.createFailure ?? 'unknown'}`,
      );
      return channel;
    }
    const handlers = this.handlers;
    this.call(
      channel,
      () => {
        handlers.onChannelOpened?.(channel);
      },
      false,
    );
    return channel;
  }

  /** The guest closed the channel, or the host rescinded it. */
  close(channel: HostChannel, reason: 'closed' | 'rescinded'): void {
    if (channel.state !== 'open') return;
    channel.close();
    const handlers = this.handlers;
    if (handlers === null) return;
    this.call(
      channel,
      () => {
        handlers.onChannelClosed?.(channel, reason);
      },
      false,
      true,
    );
  }

  // ── ChannelOwner ────────────────────────────────────────────────────────────────────────────

  handlePacket(channel: HostChannel, packet: VspPacket): void {
    const handlers = this.handlers;
    if (handlers === null) return;
    this.packetsHandled++;
    this.call(
      channel,
      () => {
        handlers.onPacket(channel, packet);
      },
      true,
    );
  }

  defer(channel: HostChannel, effect: () => void): boolean {
    const ctx = this.ctx;
    if (ctx === null) {
      // Called outside a handler (e.g. from a stored callback): the plugin misused the host object.
      this.blame(channel, 'plugin-misuse', 'a channel method was called outside a handler');
      return false;
    }
    ctx.effects.push(effect);
    return true;
  }

  channelFailed(
    channel: HostChannel,
    kind: 'guest-protocol-violation' | 'guest-ring-violation',
    reason: string,
  ): void {
    this.record(channel, kind, reason);
    this.notifyFailed(channel);
  }

  // ── Device and host events ──────────────────────────────────────────────────────────────────

  /** The physical device finished a request the VSP submitted on `channel`. */
  deviceCompleted(channel: HostChannel, completion: DeviceCompletion): void {
    if (channel.state !== 'open') return;
    const handlers = this.handlers;
    if (handlers === null) return;
    this.call(
      channel,
      () => {
        handlers.onDeviceCompleted?.(channel, completion);
      },
      false,
    );
  }

  /** Something outside the guest happened for `channel` (a frame arrived, a timer fired…). */
  deliver(channel: HostChannel, event: VspHostEvent): void {
    if (channel.state !== 'open') return;
    const handlers = this.handlers;
    if (handlers === null) return;
    this.call(
      channel,
      () => {
        handlers.onHostEvent?.(channel, event);
      },
      false,
    );
  }

  // ── Calls into the plugin ───────────────────────────────────────────────────────────────────

  private call(channel: HostChannel, fn: () => void, packet: boolean, closing = false): void {
    const ctx: CallContext = { channel, charged: 0, effects: [] };
    const outer = this.ctx;
    this.ctx = ctx;
    let failed: string | null = null;
    try {
      fn();
    } catch (e) {
      failed = describeThrown(e);
    } finally {
      this.ctx = outer;
    }
    this.callsHandled++;
    if (failed !== null) {
      if (!closing) this.blame(channel, 'plugin-threw', failed);
      return;
    }
    const cost = VSP_DISPATCH_NS + ctx.charged;
    this.cpuNs += cost;
    const batch: Batch = { channel, effects: ctx.effects, packet };
    this.deps.cpu.run(
      channel.transport.hostVp,
      cost,
      WorkClass.Interrupt,
      this.applyEvent,
      batch,
      channel.id,
    );
  }

  private apply(batch: Batch): void {
    const meter = this.deps.meter;
    meter.take();
    for (const effect of batch.effects) {
      if (batch.channel.state !== 'open' && batch.channel.state !== 'closed') break;
      effect();
    }
    if (batch.packet) batch.channel.packetDone(meter);
    this.deps.cpu.charge(batch.channel.transport.hostVp, meter.take());
  }

  /** Stops `channel` and records the plugin as the cause. */
  blame(channel: HostChannel, kind: ChannelFaultKind, reason: string): void {
    if (channel.state !== 'open') return;
    channel.state = 'failed';
    channel.close();
    this.record(channel, kind, reason);
    this.notifyFailed(channel);
    channel.transport.closeAfterFault(reason);
  }

  /**
   * A failed channel is never closed through {@link close} (it is no longer open), so the plugin
   * hears of it here: `onChannelClosed(channel, 'failed')` lets it drop its per-channel state.
   */
  private notifyFailed(channel: HostChannel): void {
    const handlers = this.handlers;
    if (handlers?.onChannelClosed === undefined) return;
    this.call(
      channel,
      () => {
        handlers.onChannelClosed?.(channel, 'failed');
      },
      false,
      true,
    );
  }

  private record(channel: HostChannel, kind: ChannelFaultKind, reason: string): void {
    this.deps.faults.record({
      time: this.deps.engine.now,
      kind,
      plugin: this.deps.module.id,
      instance: this.deps.instance.id,
      vm: channel.vm,
      device: channel.device,
      channel: channel.id,
      reason,
    });
    this.deps.reports.log(
      this.deps.instance.id,
      `channel ${channel.id} (${channel.vm}/${channel.device}) stopped: ${reason}`,
    );
  }

  private current(what: string): CallContext {
    if (this.ctx === null) throw new Error(`host.${what} was called outside a handler`);
    return this.ctx;
  }

  private makeHost(): VspHost {
    const { instance, reports, engine } = this.deps;
    return {
      instance: instance.id,
      settings: Object.freeze({ ...instance.settings }),
      device: this.device,
      cpu: {
        charge: (ns: number) => {
          const ctx = this.current('cpu.charge');
          if (!(ns >= 0 && ns < 1e9))
            throw new RangeError(`cpu.charge needs 0 ≤ ns < 1e9, got ${ns}`);
          ctx.charged += ns;
        },
      },
      setTimer: (channel: VspChannel, delayNs: number, tag: number) => {
        const ctx = this.current('setTimer');
        const target = this.own(channel);
        ctx.effects.push(() => {
          engine.after(Math.max(0, Math.round(delayNs)), this.timerEvent, { channel: target, tag });
        });
      },
      reportMemoryPressure: (channel, report) => {
        const ctx = this.current('reportMemoryPressure');
        ctx.effects.push(() => {
          reports.memoryPressure(channel, report);
        });
      },
      reportMemoryChange: (channel, change) => {
        const ctx = this.current('reportMemoryChange');
        ctx.effects.push(() => {
          reports.memoryChange(channel, change);
        });
      },
      reportHeartbeat: (channel, sequence) => {
        const ctx = this.current('reportHeartbeat');
        ctx.effects.push(() => {
          reports.heartbeat(channel, sequence);
        });
      },
      log: (message: string) => {
        reports.log(instance.id, message.slice(0, 500));
      },
    };
  }

  /** The runtime's own channel object for a channel handle the plugin passed back. */
  own(channel: VspChannel): HostChannel {
    if (channel instanceof HostChannel && channel.owner === this) return channel;
    throw new Error('that channel does not belong to this VSP');
  }
}
